import { type Exchange, field, resourcesOf } from "../../http.js";
import { fail, skip } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { withPopulation } from "./define.js";
import { scopedList } from "./expect.js";
import { KEYS, keysOf } from "./population.js";

const CURSORS = "RFC 9865 §2";

/**
 * RFC 9865 §4: a server offering cursors SHOULD say so with `pagination.cursor: true` in its
 * ServiceProviderConfig; without that the cursor checks do not apply.
 */
async function cursorsAdvertised(ctx: CheckContext): Promise<CheckOutcome | undefined> {
  const spc = (await ctx.discovery()).serviceProviderConfig;
  return field(field(spc, "pagination"), "cursor") === true
    ? undefined
    : skip("ServiceProviderConfig does not advertise pagination.cursor: true (RFC 9865 §4)");
}

/** RFC 9865 cursor pagination, when the server advertises it. */
export const cursorChecks: readonly Check[] = [
  {
    id: "query.cursor.walk",
    title:
      "Following nextCursor from an empty cursor returns every match exactly once; the last page has none",
    requirement: CURSORS,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    async run(ctx) {
      const advertised = await cursorsAdvertised(ctx);
      if (advertised) return advertised;
      return withPopulation([], async (_ctx, pop) => {
        const seen: string[] = [];
        let cursor = "";
        let last: Exchange | undefined;
        // One User per page: 4 pages; a server that never stops is caught after a few pages more.
        for (let page = 1; page <= KEYS.length + 2; page++) {
          const exchange: Exchange = await scopedList(
            ctx,
            pop,
            "userName pr",
            `&count=1&cursor=${encodeURIComponent(cursor)}`,
          );
          last = exchange;
          if (exchange.status !== 200) return fail(`page ${page}: expected 200`, exchange);
          const resources = resourcesOf(exchange.json) ?? [];
          if (resources.length > 1) return fail(`page ${page}: count=1 but more than one resource`, exchange);
          const keys = keysOf(pop, exchange);
          const again = keys.find((k) => seen.includes(k));
          if (again !== undefined)
            return fail(`page ${page} repeats "${again}" from an earlier page`, exchange);
          seen.push(...keys);
          const next = field(exchange.json, "nextCursor");
          if (next === undefined) {
            if (seen.length !== KEYS.length)
              return fail(
                `page ${page} has no nextCursor, but only [${seen.join(", ")}] of the ${KEYS.length} matches came back`,
                exchange,
              );
            return undefined;
          }
          if (typeof next !== "string" || next === "")
            return fail(`page ${page}: nextCursor must be a non-empty string`, exchange);
          if (page === 1 && field(exchange.json, "previousCursor") !== undefined)
            return fail("the first page must not carry previousCursor (RFC 9865 §2)", exchange);
          cursor = next;
        }
        return fail(
          `still a nextCursor after ${KEYS.length + 2} pages of one resource for ${KEYS.length} matches`,
          last,
        );
      })(ctx);
    },
  },
  {
    id: "query.cursor.invalid",
    title: "A cursor the server never issued is 400 invalidCursor",
    requirement: "RFC 9865 §2.1",
    level: "SHOULD",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const advertised = await cursorsAdvertised(ctx);
      if (advertised) return advertised;
      const endpoint = await ctx.endpoint("User");
      if (endpoint === undefined) return skip("/ResourceTypes advertises no User resource type");
      const exchange = await ctx.send("GET", `${endpoint}?count=1&cursor=scimkitNotACursor0123`);
      return exchange.status === 400 && field(exchange.json, "scimType") === "invalidCursor"
        ? { status: "passed" }
        : fail("expected 400 with scimType invalidCursor", exchange);
    },
  },
];
