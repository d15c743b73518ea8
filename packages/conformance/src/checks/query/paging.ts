import { field, resourcesOf } from "../../http.js";
import { fail } from "../../outcome.js";
import type { Check } from "../../types.js";
import { withPopulation } from "./define.js";
import { mismatch, scopedList } from "./expect.js";
import { KEYS, keysOf } from "./population.js";

const PAGING = "RFC 7644 §3.4.2.4";
/** The filter all paging checks page through: every member (4 Users). */
const EVERYONE = "userName pr";

/** Index pagination: startIndex, count, totalResults, itemsPerPage (RFC 7644 §3.4.2.4). */
export const pagingChecks: readonly Check[] = [
  {
    id: "query.pagination",
    title: "startIndex and count page through results; totalResults counts every match",
    requirement: `RFC 7644 §3.4.2; ${PAGING}`,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([], async (ctx, pop) => {
      const seen: string[] = [];
      for (const [startIndex, want] of [
        [1, 3],
        [4, 1],
      ] as const) {
        const exchange = await scopedList(ctx, pop, EVERYONE, `&startIndex=${startIndex}&count=3`);
        if (exchange.status !== 200) return fail("expected 200", exchange);
        const resources = resourcesOf(exchange.json) ?? [];
        if (field(exchange.json, "totalResults") !== KEYS.length)
          return fail(`expected totalResults ${KEYS.length}`, exchange);
        if (field(exchange.json, "startIndex") !== startIndex)
          return fail(`expected startIndex ${startIndex}`, exchange);
        if (resources.length !== want || field(exchange.json, "itemsPerPage") !== want)
          return fail(`expected ${want} resources and itemsPerPage ${want}`, exchange);
        seen.push(...keysOf(pop, exchange));
      }
      const distinct = [...new Set(seen)].sort();
      return distinct.join() === [...KEYS].sort().join() && seen.length === KEYS.length
        ? undefined
        : fail(
            `expected the two pages to hold each of the ${KEYS.length} Users once, got [${seen.join(", ")}]`,
          );
    }),
  },
  {
    id: "query.count-zero",
    title: "count=0 (and a negative count, read as 0) returns totalResults and no resources",
    requirement: PAGING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([], async (ctx, pop) => {
      for (const count of [0, -3]) {
        const exchange = await scopedList(ctx, pop, EVERYONE, `&count=${count}`);
        if (exchange.status !== 200) return fail(`expected 200 for count=${count}`, exchange);
        if (field(exchange.json, "totalResults") !== KEYS.length)
          return fail(`expected totalResults ${KEYS.length} for count=${count}`, exchange);
        if ((resourcesOf(exchange.json) ?? []).length !== 0)
          return fail(`expected no resources for count=${count}`, exchange);
        const perPage = field(exchange.json, "itemsPerPage");
        if (perPage !== undefined && perPage !== 0)
          return fail(`expected itemsPerPage 0 for count=${count}`, exchange);
      }
      return undefined;
    }),
  },
  {
    id: "query.paging.start-index-below-one",
    title: "startIndex below 1 is read as 1",
    requirement: PAGING,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([], async (ctx, pop) => {
      for (const startIndex of [0, -5]) {
        const exchange = await scopedList(ctx, pop, EVERYONE, `&startIndex=${startIndex}&count=10`);
        const wrong = mismatch(pop, exchange, KEYS, `startIndex=${startIndex}`);
        if (wrong) return wrong;
        const reported = field(exchange.json, "startIndex");
        if (reported !== undefined && reported !== 1)
          return fail(`expected startIndex 1 in the response for startIndex=${startIndex}`, exchange);
      }
      return undefined;
    }),
  },
  {
    id: "query.paging.past-end",
    title: "A startIndex past the last match returns 200, the totalResults and no resources",
    requirement: `RFC 7644 §3.4.2; ${PAGING}`,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([], async (ctx, pop) => {
      const startIndex = KEYS.length + 3;
      const exchange = await scopedList(ctx, pop, EVERYONE, `&startIndex=${startIndex}&count=2`);
      if (exchange.status !== 200) return fail("expected 200", exchange);
      if (field(exchange.json, "totalResults") !== KEYS.length)
        return fail(`expected totalResults ${KEYS.length}`, exchange);
      if ((resourcesOf(exchange.json) ?? []).length !== 0) return fail("expected no resources", exchange);
      const perPage = field(exchange.json, "itemsPerPage");
      if (perPage !== undefined && perPage !== 0) return fail("expected itemsPerPage 0", exchange);
      return undefined;
    }),
  },
];
