import { URN } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { withPopulation } from "./define.js";
import { type FilterCase, runCases, str, swapCase } from "./expect.js";
import type { Key, Population } from "./population.js";
import type { UserSchema } from "./schema.js";

const REQUIREMENT = "RFC 7644 §3.4.2.2; RFC 7643 §2.2";

/** The string attributes these checks compare, with the member whose value is used and how to read it. */
const PROBES: readonly (readonly [path: string, key: Key, read: (pop: Population) => string])[] = [
  ["userName", "bob", (pop) => pop.member("bob").userName],
  ["name.familyName", "carol", () => "Clark"],
  ["title", "bob", () => "Manager"],
  ["id", "alice", (pop) => pop.member("alice").id],
  ["externalId", "dave", (pop) => String(pop.member("dave").created.externalId ?? "")],
];

/**
 * Filter cases for every probed attribute whose caseExact discovery gives as `caseExact`: with the value's
 * case swapped, `eq` must match (case-insensitive) or not (case-exact); `sw` likewise. Values without a
 * letter (a numeric id) cannot tell the two apart and are left out.
 */
function casesFor(pop: Population, schema: UserSchema, caseExact: boolean): FilterCase[] {
  const cases: FilterCase[] = [];
  for (const [path, key, read] of PROBES) {
    const info = schema.attribute(path);
    if (info === undefined || info.type !== "string" || info.caseExact !== caseExact) continue;
    const value = read(pop);
    const swapped = swapCase(value);
    if (swapped === value) continue;
    const expected: readonly Key[] = caseExact ? [] : [key];
    cases.push([`${path} eq ${str(value)}`, [key]]);
    cases.push([`${path} eq ${str(swapped)}`, expected]);
    cases.push([`${path} sw ${str(swapped.slice(0, -1))}`, expected]);
  }
  return cases;
}

function caseCheck(caseExact: boolean) {
  return async (
    ctx: CheckContext,
    pop: Population,
    schema: UserSchema,
  ): Promise<CheckOutcome | undefined> => {
    const cases = casesFor(pop, schema, caseExact);
    // A server whose User schema marks none of the probed strings so has nothing to test here.
    return cases.length === 0 ? undefined : runCases(ctx, pop, cases);
  };
}

/** caseExact semantics of string comparisons, decided from the server's own schema (RFC 7643 §2.2). */
export const caseChecks: readonly Check[] = [
  {
    id: "query.filter.case-insensitive",
    title: "Strings with caseExact false (userName, name.familyName …) compare case-insensitively",
    requirement: REQUIREMENT,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName"]], caseCheck(false)),
  },
  {
    id: "query.filter.case-exact",
    title: "Strings with caseExact true (id, externalId …) compare case-sensitively",
    requirement: `${REQUIREMENT}; RFC 7643 §7`,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["id"]], caseCheck(true)),
  },
  {
    id: "query.filter.attribute-names",
    title: "Attribute names and operators in filters are case-insensitive and may carry their schema URN",
    requirement: "RFC 7644 §3.4.2.2; RFC 7644 §3.10; RFC 7643 §2.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName"], ["name.familyName"], ["emails.type"]], (ctx, pop) =>
      runCases(ctx, pop, [
        [`USERNAME Eq ${str(pop.member("bob").userName)}`, ["bob"]],
        ['Name.FAMILYNAME SW "Cl"', ["carol"]],
        ['EMAILS.Type eq "home" AND Active EQ false', ["bob"]],
        [`${URN.user}:userName ew "q-dave"`, ["dave"]],
        [`${URN.user}:name.familyName eq "Anders"`, ["alice"]],
      ]),
    ),
  },
];
