import { field } from "../../http.js";
import { skip } from "../../outcome.js";
import type { Check } from "../../types.js";
import { withPopulation } from "./define.js";
import { mismatch, runCases, scopedList } from "./expect.js";

const FILTERING = "RFC 7644 §3.4.2.2";

/** Logical operators, grouping, precedence and value paths (RFC 7644 §3.4.2.2 Tables 4 and 5). */
export const logicChecks: readonly Check[] = [
  {
    id: "query.filter.logical",
    title: "and, or and not combine expressions as Table 4 says",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["title"], ["active", "boolean"]], (ctx, pop) =>
      runCases(ctx, pop, [
        ['title eq "Engineer" and active eq true', ["alice"]],
        ['title eq "Engineer" or active eq false', ["alice", "bob", "dave"]],
        // carol has no title: "title eq …" is false for her, so its negation is true.
        ['not (title eq "Engineer")', ["bob", "carol"]],
        ['not (title eq "Engineer" or active eq true)', ["bob"]],
      ]),
    ),
  },
  {
    id: "query.filter.precedence",
    title: "not binds before and, and before or; parentheses override both",
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["title"], ["active", "boolean"]], (ctx, pop) =>
      runCases(ctx, pop, [
        // Ungrouped: Manager or (Engineer and active).
        ['title eq "Manager" or title eq "Engineer" and active eq true', ["alice", "bob"]],
        ['title eq "Engineer" and active eq true or title eq "Manager"', ["alice", "bob"]],
        ['(title eq "Manager" or title eq "Engineer") and active eq true', ["alice"]],
        ['title eq "Engineer" and (active eq true or title eq "Manager")', ["alice"]],
        // not applies to its own group only: (not Engineer) and active.
        ['not (title eq "Engineer") and active eq true', ["carol"]],
        ['((title eq "Manager") or (active eq true)) and not (title pr)', ["carol"]],
      ]),
    ),
  },
  {
    id: "query.filter.value-path",
    title: 'Value paths (emails[type eq "work" and value co "…"]) apply every expression to the same value',
    requirement: FILTERING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["emails.type"], ["emails.value"]], async (ctx, pop) => {
      // Value paths are optional ("Service providers MAY support complex filters"): a clear refusal skips.
      const probe = await scopedList(ctx, pop, 'emails[type eq "work"]');
      if (probe.status === 400 && field(probe.json, "scimType") === "invalidFilter")
        return skip(`the server does not support value-path filters (MAY): ${probe.status}`);
      const wrong = mismatch(pop, probe, ["alice", "carol"], 'filter emails[type eq "work"]');
      if (wrong) return wrong;
      return runCases(ctx, pop, [
        ['emails[type eq "work" and value co "alice"]', ["alice"]],
        // alice has a work email and a home.example one, but no single work email on home.example.
        ['emails[type eq "work" and value co "home.example"]', []],
        ['emails.type eq "work" and emails.value co "home.example"', ["alice"]],
        ['emails[type eq "home" or value sw "carol"]', ["alice", "bob", "carol"]],
        ['title eq "Manager" or emails[type eq "work" and value ew ".com"]', ["alice", "bob", "carol"]],
        ['not (emails[type eq "home"])', ["carol", "dave"]],
      ]);
    }),
  },
];
