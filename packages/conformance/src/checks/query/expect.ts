import { type Exchange, field, schemasOf } from "../../http.js";
import { fail, URN } from "../../outcome.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { type Key, keysOf, type Population } from "./population.js";

/** One filter and the members it must select (among the population; the scope is added). */
export type FilterCase = readonly [filter: string, expected: readonly Key[]];

/** GET `<endpoint>?filter=(<filter>) and <scope>` plus any further query parameters. */
export function scopedList(
  ctx: CheckContext,
  pop: Population,
  filter: string,
  extra = "",
): Promise<Exchange> {
  const scoped = encodeURIComponent(`(${filter}) and ${pop.scope}`);
  return ctx.send("GET", `${pop.endpoint}?filter=${scoped}${extra}`);
}

/**
 * A failure when the exchange is not a 200 ListResponse whose Resources and totalResults are exactly
 * the expected members; undefined when it is.
 */
export function mismatch(
  pop: Population,
  exchange: Exchange,
  expected: readonly string[],
  what: string,
): CheckOutcome | undefined {
  if (exchange.status !== 200) return fail(`${what}: expected 200`, exchange);
  if (!schemasOf(exchange.json).includes(URN.listResponse))
    return fail(`${what}: expected a ListResponse (${URN.listResponse})`, exchange);
  const got = keysOf(pop, exchange);
  const want = [...expected].sort();
  if (got.join() !== want.join())
    return fail(`${what}: expected [${want.join(", ")}], got [${got.join(", ")}]`, exchange);
  const total = field(exchange.json, "totalResults");
  if (total !== want.length) return fail(`${what}: expected totalResults ${want.length}`, exchange);
  return undefined;
}

/** Runs each filter case in turn; the first wrong answer fails the check with its exchange. */
export async function runCases(
  ctx: CheckContext,
  pop: Population,
  cases: readonly FilterCase[],
): Promise<CheckOutcome | undefined> {
  for (const [filter, expected] of cases) {
    const exchange = await scopedList(ctx, pop, filter);
    const wrong = mismatch(pop, exchange, expected, `filter ${filter}`);
    if (wrong) return wrong;
  }
  return undefined;
}

/** A filter string literal (RFC 7644 §3.4.2.2 compValue: a JSON string). */
export function str(value: string): string {
  return JSON.stringify(value);
}

/** The value with the case of every letter swapped ("ExtBob" → "eXTbOB"). */
export function swapCase(value: string): string {
  return [...value].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");
}
