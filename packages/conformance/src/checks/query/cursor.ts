import { type Exchange, field, resourcesOf } from "../../http.js";
import { fail, skip } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { withPopulation } from "./define.js";
import { scopedList } from "./expect.js";
import { KEYS, type Population } from "./population.js";

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

/**
 * Follows nextCursor from an empty cursor, `count` members a page, and answers the member keys in the
 * order they came with the last page, or the failure: a page that is not 200, holds more than `count`, repeats a member,
 * ends (no nextCursor) before every member came back, or never ends.
 */
async function walk(
  ctx: CheckContext,
  pop: Population,
  count: number,
  extra: string,
): Promise<{ keys: string[]; last: Exchange } | CheckOutcome> {
  const seen: string[] = [];
  let cursor = "";
  let last: Exchange | undefined;
  // A server that never stops is caught a few pages after the last one there can be.
  for (let page = 1; page <= Math.ceil(KEYS.length / count) + 2; page++) {
    const query = `&count=${count}&cursor=${encodeURIComponent(cursor)}${extra}`;
    const exchange = await scopedList(ctx, pop, "userName pr", query);
    last = exchange;
    if (exchange.status !== 200) return fail(`page ${page}: expected 200`, exchange);
    if ((resourcesOf(exchange.json) ?? []).length > count)
      return fail(`page ${page}: count=${count} but more resources came back`, exchange);
    const keys = (resourcesOf(exchange.json) ?? []).map((r) => pop.keyOf(field(r, "id")));
    const again = keys.find((k) => seen.includes(k));
    if (again !== undefined) return fail(`page ${page} repeats "${again}" from an earlier page`, exchange);
    seen.push(...keys);
    const next = field(exchange.json, "nextCursor");
    if (next === undefined) {
      if (seen.length === KEYS.length) return { keys: seen, last: exchange };
      return fail(
        `page ${page} has no nextCursor, but only [${seen.join(", ")}] of the ${KEYS.length} matches came back`,
        exchange,
      );
    }
    if (typeof next !== "string" || next === "")
      return fail(`page ${page}: nextCursor must be a non-empty string`, exchange);
    if (page === 1 && field(exchange.json, "previousCursor") !== undefined)
      return fail("the first page must not carry previousCursor (RFC 9865 §2)", exchange);
    cursor = next;
  }
  return fail(`still a nextCursor after more pages than ${KEYS.length} matches can fill`, last);
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
        const walked = await walk(ctx, pop, 1, "");
        return "keys" in walked ? undefined : walked;
      })(ctx);
    },
  },
  {
    id: "query.cursor.count-zero",
    title:
      "With cursor paging, count=0 (and a negative count, read as 0) returns totalResults and no resources",
    requirement: CURSORS,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    async run(ctx) {
      const advertised = await cursorsAdvertised(ctx);
      if (advertised) return advertised;
      return withPopulation([], async (_ctx, pop) => {
        // RFC 9865 §2 Table 1: a count of "0" returns no resources "except for totalResults", and "A
        // negative value SHALL be interpreted as "0"".
        for (const count of [0, -2]) {
          const exchange = await scopedList(ctx, pop, "userName pr", `&count=${count}&cursor=`);
          if (exchange.status !== 200) return fail(`expected 200 for count=${count}&cursor=`, exchange);
          if (field(exchange.json, "totalResults") !== KEYS.length)
            return fail(`expected totalResults ${KEYS.length} for count=${count}&cursor=`, exchange);
          if ((resourcesOf(exchange.json) ?? []).length !== 0)
            return fail(`expected no resources for count=${count}&cursor=`, exchange);
        }
        return undefined;
      })(ctx);
    },
  },
  {
    id: "query.cursor.url-safe",
    title: "nextCursor values use only URL-unreserved characters (A-Z a-z 0-9 - . _ ~)",
    requirement: CURSORS,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    async run(ctx) {
      const advertised = await cursorsAdvertised(ctx);
      if (advertised) return advertised;
      return withPopulation([], async (_ctx, pop) => {
        const exchange = await scopedList(ctx, pop, "userName pr", "&count=1&cursor=");
        const next = field(exchange.json, "nextCursor");
        if (exchange.status !== 200 || typeof next !== "string")
          return fail(`expected 200 with a nextCursor (${KEYS.length} matches, count=1)`, exchange);
        // RFC 9865 §2 Table 1: a cursor "may only contain characters from the unreserved character set
        // defined in Section 2.3 of [RFC3986]".
        return /^[A-Za-z0-9._~-]+$/.test(next)
          ? undefined
          : fail(`nextCursor ${JSON.stringify(next)} has characters outside A-Z a-z 0-9 - . _ ~`, exchange);
      })(ctx);
    },
  },
  {
    id: "query.cursor.sorted",
    title: "Cursor pages keep the requested sortBy/sortOrder across pages",
    requirement: "RFC 9865 §2.2",
    // RFC 9865 §2.2: "cursor-paged results should be sorted" (lower-case, read as SHOULD).
    level: "SHOULD",
    profile: "rfc",
    writes: true,
    requires: ["filter", "sort"],
    async run(ctx) {
      const advertised = await cursorsAdvertised(ctx);
      if (advertised) return advertised;
      return withPopulation([["userName"]], async (_ctx, pop) => {
        const walked = await walk(ctx, pop, 3, "&sortBy=userName&sortOrder=descending");
        if (!("keys" in walked)) return walked;
        const want = [...KEYS].reverse();
        return walked.keys.join() === want.join()
          ? undefined
          : fail(
              `cursor pages of sortBy=userName&sortOrder=descending: expected [${want.join(", ")}], got [${walked.keys.join(", ")}]`,
              walked.last,
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
