import type { Exchange } from "../../http.js";
import { field, resourcesOf } from "../../http.js";
import { fail } from "../../outcome.js";
import type { Check } from "../../types.js";
import { withPopulation } from "./define.js";
import { scopedList } from "./expect.js";
import { KEYS, type Population } from "./population.js";

const SORTING = "RFC 7644 §3.4.2.3";

function order(pop: Population, exchange: Exchange): string[] {
  return (resourcesOf(exchange.json) ?? []).map((r) => pop.keyOf(field(r, "id")));
}

/** Asks for the members sorted and compares the order of what came back with `want`. */
async function sorted(
  ctx: Parameters<typeof scopedList>[0],
  pop: Population,
  query: string,
  want: readonly string[],
) {
  const exchange = await scopedList(ctx, pop, "userName pr", query);
  if (exchange.status !== 200) return fail(`expected 200 for ${query.slice(1)}`, exchange);
  const got = order(pop, exchange);
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
];
