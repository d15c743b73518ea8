import { field } from "../../http.js";
import { fail } from "../../outcome.js";
import type { Check } from "../../types.js";
import { withPopulation } from "./define.js";
import { mismatch, runCases, scopedList, str } from "./expect.js";
import { KEYS, type Key, lastModified } from "./population.js";

const FILTERING = "RFC 7644 §3.4.2.2";

/** The instant `time` as an xsd:dateTime literal at a whole-hour UTC offset ("…T11:30:00.000-05:00"). */
function offset(time: number, hours: number): string {
  const local = new Date(time + hours * 3_600_000).toISOString().slice(0, -1);
  const sign = hours < 0 ? "-" : "+";
  return str(`${local}${sign}${String(Math.abs(hours)).padStart(2, "0")}:00`);
}

/** Every attribute operator of RFC 7644 §3.4.2.2 Table 3 on each attribute type the User schema offers. */
export const operatorChecks: readonly Check[] = [
  {
    id: "query.user-name-eq",
    title: 'filter=userName eq "…" alone returns exactly the matching User in a ListResponse',
    requirement: `RFC 7644 §3.4.2; ${FILTERING}`,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName"]], async (ctx, pop) => {
      // Unscoped on purpose: the one filter every IdP sends must work on its own.
      const bob = pop.member("bob");
      const filter = `userName eq ${str(bob.userName)}`;
      const exchange = await ctx.send("GET", `${pop.endpoint}?filter=${encodeURIComponent(filter)}`);
      return mismatch(pop, exchange, ["bob"], `filter ${filter}`);
    }),
  },
  {
    id: "query.filter.string-operators",
    title: "String attributes: eq, ne, co, sw, ew and pr select exactly the matching Users",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation(
      [
        ["userName", "string"],
        ["title", "string"],
      ],
      async (ctx, pop) => {
        const bob = pop.member("bob").userName;
        return runCases(ctx, pop, [
          [`userName eq ${str(bob)}`, ["bob"]],
          [`userName ne ${str(bob)}`, ["alice", "carol", "dave"]],
          ['userName co "q-ca"', ["carol"]],
          [`userName sw ${str(`${ctx.prefix}q-d`)}`, ["dave"]],
          ['userName ew "-alice"', ["alice"]],
          // RFC 7644 §3.4.2.2: sw and ew are "satisfied if the two strings are identical".
          [`userName ew ${str(bob)}`, ["bob"]],
          ['title eq "Engineer"', ["alice", "dave"]],
          // Only Users that have a title: whether `ne` matches a missing value is not settled by the RFC.
          [`(title ne "Engineer") and title pr`, ["bob"]],
          ["title pr", ["alice", "bob", "dave"]],
        ]);
      },
    ),
  },
  {
    id: "query.filter.string-ordering",
    title: "String attributes: gt, ge, lt and le compare lexicographically",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName", "string"]], async (ctx, pop) => {
      const bob = pop.member("bob").userName;
      return runCases(ctx, pop, [
        [`userName gt ${str(bob)}`, ["carol", "dave"]],
        [`userName ge ${str(bob)}`, ["bob", "carol", "dave"]],
        [`userName lt ${str(bob)}`, ["alice"]],
        [`userName le ${str(bob)}`, ["alice", "bob"]],
        // Between two userNames: no User is equal, so gt and ge agree.
        [`userName gt ${str(`${ctx.prefix}q-bz`)}`, ["carol", "dave"]],
      ]);
    }),
  },
  {
    id: "query.filter.boolean",
    title: "Boolean attributes: eq, ne and pr on active select exactly the matching Users",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["active", "boolean"]], (ctx, pop) =>
      runCases(ctx, pop, [
        ["active eq true", ["alice", "carol"]],
        ["active eq false", ["bob", "dave"]],
        ["active ne true", ["bob", "dave"]],
        ["active pr", [...KEYS]],
      ]),
    ),
  },
  {
    id: "query.filter.boolean-ordering-invalid",
    title: "gt/ge/lt/le on a Boolean attribute is 400 invalidFilter",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["active", "boolean"]], async (ctx, pop) => {
      for (const op of ["gt", "ge", "lt", "le"]) {
        const exchange = await scopedList(ctx, pop, `active ${op} true`);
        if (exchange.status !== 400 || field(exchange.json, "scimType") !== "invalidFilter")
          return fail(`expected 400 with scimType invalidFilter for "active ${op} true"`, exchange);
      }
      return undefined;
    }),
  },
  {
    id: "query.filter.datetime",
    title: "DateTime attributes: gt, ge, lt and le on meta.lastModified compare chronologically",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["meta.lastModified", "dateTime"]], async (ctx, pop) => {
      const times = new Map<Key, number>();
      // The server's own text for each instant: a boundary taken from it keeps its full precision.
      const texts = new Map<number, string>();
      for (const m of pop.members) {
        const value = lastModified(m);
        const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
        if (Number.isNaN(time))
          return fail(`the create of "${m.key}" answered no meta.lastModified dateTime to compare with`);
        times.set(m.key, time);
        texts.set(time, value as string);
      }
      const sorted = [...times.values()].sort((a, b) => a - b);
      const newest = sorted.at(-1) as number;
      const oldest = sorted[0] as number;
      const at = (t: number) => str(texts.get(t) ?? new Date(t).toISOString());
      const where = (test: (t: number) => boolean) => KEYS.filter((k) => test(times.get(k) as number));
      const hour = 3_600_000;
      return runCases(ctx, pop, [
        [`meta.lastModified ge ${at(newest)}`, where((t) => t >= newest)],
        [`meta.lastModified lt ${at(newest)}`, where((t) => t < newest)],
        [`meta.lastModified le ${at(oldest)}`, where((t) => t <= oldest)],
        [`meta.lastModified gt ${at(oldest)}`, where((t) => t > oldest)],
        [`meta.lastModified gt ${at(oldest - hour)}`, [...KEYS]],
        [`meta.lastModified lt ${at(newest + hour)}`, [...KEYS]],
        [`meta.lastModified gt ${at(newest + hour)}`, []],
        // Half an hour after the newest, written at UTC−05:00 (RFC 7643 §2.3.5 xsd:dateTime allows offsets):
        // as text it sorts before every "…Z" value, as an instant after all of them.
        [`meta.lastModified gt ${offset(newest + hour / 2, -5)}`, []],
        [`meta.lastModified lt ${offset(newest + hour / 2, -5)}`, [...KEYS]],
      ]);
    }),
  },
  {
    id: "query.filter.complex-sub-attribute",
    title: "Sub-attributes of a complex attribute (name.familyName) filter with every operator",
    requirement: `${FILTERING}; RFC 7644 §3.10`,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["name.familyName", "string"]], (ctx, pop) =>
      runCases(ctx, pop, [
        ['name.familyName eq "Brown"', ["bob"]],
        ['name.familyName ne "Brown"', ["alice", "carol", "dave"]],
        ['name.familyName co "lar"', ["carol"]],
        ['name.familyName sw "Da"', ["dave"]],
        ['name.familyName ew "ers"', ["alice"]],
        ['name.familyName gt "Brown"', ["carol", "dave"]],
        ['name.familyName le "Brown"', ["alice", "bob"]],
        ["name.familyName pr", [...KEYS]],
      ]),
    ),
  },
  {
    id: "query.filter.multi-valued",
    title: "Multi-valued attributes (emails.value, emails.type) match when any value matches",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation(
      [
        ["emails.value", "string"],
        ["emails.type", "string"],
      ],
      (ctx, pop) =>
        runCases(ctx, pop, [
          ['emails.type eq "home"', ["alice", "bob"]],
          ['emails.value ew "@work.example.com"', ["alice", "carol"]],
          ['emails.value sw "bob@"', ["bob"]],
          ['emails.value co "home.example"', ["alice", "bob"]],
          ['emails.value eq "carol@work.example.com"', ["carol"]],
          ["emails pr", ["alice", "bob", "carol"]],
          ['emails.value gt "bob@zzz"', ["carol"]],
        ]),
    ),
  },
];
