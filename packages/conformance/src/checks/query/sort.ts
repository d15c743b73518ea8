import { type Exchange, field, resourcesOf } from "../../http.js";
import { fail } from "../../outcome.js";
import type { Check, CheckContext } from "../../types.js";
import { withPopulation } from "./define.js";
import { scopedList } from "./expect.js";
import { DISPLAY_NAMES, KEYS, type Population } from "./population.js";

const SORTING = "RFC 7644 §3.4.2.3";

function keys(pop: Population, exchange: Exchange): string[] {
  return (resourcesOf(exchange.json) ?? []).map((r) => pop.keyOf(field(r, "id")));
}

/** Asks for the members sorted and compares the order of what came back with `want`. */
async function sorted(ctx: CheckContext, pop: Population, query: string, want: readonly string[]) {
  const exchange = await scopedList(ctx, pop, "userName pr", query);
  if (exchange.status !== 200) return fail(`expected 200 for ${query.slice(1)}`, exchange);
  const got = keys(pop, exchange);
  return got.join() === want.join()
    ? undefined
    : fail(`${query.slice(1)}: expected the order [${want.join(", ")}], got [${got.join(", ")}]`, exchange);
}

/** sortBy and sortOrder (RFC 7644 §3.4.2.3), run only when ServiceProviderConfig advertises sort. */
export const sortChecks: readonly Check[] = [
  {
    id: "query.sort.ascending",
    title: "sortBy orders ascending by default and with sortOrder=ascending",
    requirement: SORTING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter", "sort"],
    run: withPopulation([["userName"], ["name.familyName"]], async (ctx, pop) => {
      const ascending = [...KEYS];
      return (
        (await sorted(ctx, pop, "&sortBy=userName", ascending)) ??
        (await sorted(ctx, pop, "&sortBy=userName&sortOrder=ascending", ascending)) ??
        (await sorted(ctx, pop, "&sortBy=name.familyName&sortOrder=ascending", ascending))
      );
    }),
  },
  {
    id: "query.sort.descending",
    title: "sortOrder=descending reverses the order",
    requirement: SORTING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter", "sort"],
    run: withPopulation([["userName"], ["name.familyName"]], async (ctx, pop) => {
      const descending = [...KEYS].reverse();
      return (
        (await sorted(ctx, pop, "&sortBy=userName&sortOrder=descending", descending)) ??
        (await sorted(ctx, pop, "&sortBy=name.familyName&sortOrder=descending", descending))
      );
    }),
  },
  {
    id: "query.sort.case",
    title:
      "sortBy on a string sorts by its caseExact: case-insensitively when false, by code point when true",
    requirement: SORTING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter", "sort"],
    run: withPopulation([["displayName", "string"]], async (ctx, pop, schema) => {
      const caseExact = schema.attribute("displayName")?.caseExact === true;
      // RFC 7644 §3.4.2.3 names no locale: compare code points, of the lower-cased value when case-insensitive.
      const fold = (v: string) => (caseExact ? v : v.toLowerCase());
      const want = [...KEYS].sort((a, b) => {
        const [x, y] = [fold(DISPLAY_NAMES[a]), fold(DISPLAY_NAMES[b])];
        return x < y ? -1 : x > y ? 1 : 0;
      });
      return (
        (await sorted(ctx, pop, "&sortBy=displayName&sortOrder=ascending", want)) ??
        (await sorted(ctx, pop, "&sortBy=displayName&sortOrder=descending", [...want].reverse()))
      );
    }),
  },
  {
    id: "query.sort.missing-values",
    title: "Resources without a value for sortBy come last when sorting ascending and first when descending",
    requirement: SORTING,
    // Stated as plain behaviour ("they are ordered last if ascending and first if descending") without an
    // RFC 2119 keyword, so a deviation is reported as SHOULD rather than MUST.
    level: "SHOULD",
    profile: "rfc",
    writes: true,
    requires: ["filter", "sort"],
    run: withPopulation([["title", "string"]], async (ctx, pop) => {
      // carol is the only member without a title; alice and dave share one, so their order is free.
      const exchange = await scopedList(ctx, pop, "userName pr", "&sortBy=title&sortOrder=ascending");
      if (exchange.status !== 200) return fail("expected 200 for sortBy=title&sortOrder=ascending", exchange);
      const got = keys(pop, exchange);
      if (got.length !== KEYS.length || got[KEYS.length - 1] !== "carol")
        return fail(
          `sortBy=title&sortOrder=ascending: expected carol (no title) last, got [${got.join(", ")}]`,
          exchange,
        );
      // And the titled ones in order: the Engineers (alice, dave) before the Manager (bob).
      const bob = got.indexOf("bob");
      if (got.indexOf("alice") > bob || got.indexOf("dave") > bob)
        return fail("sortBy=title&sortOrder=ascending: the titled Users are out of order", exchange);
      const down = await scopedList(ctx, pop, "userName pr", "&sortBy=title&sortOrder=descending");
      if (down.status !== 200) return fail("expected 200 for sortBy=title&sortOrder=descending", down);
      const gotDown = keys(pop, down);
      if (gotDown.length !== KEYS.length || gotDown[0] !== "carol")
        return fail(
          `sortBy=title&sortOrder=descending: expected carol (no title) first, got [${gotDown.join(", ")}]`,
          down,
        );
      return undefined;
    }),
  },
];
