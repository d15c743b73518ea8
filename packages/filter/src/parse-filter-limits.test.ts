import { isScimError } from "@scimkit/core";
import { describe, expect, test } from "vitest";
import { failure, pr } from "./__fixtures__/parse.js";
import { DEFAULT_MAX_FILTER_LENGTH } from "./attribute-path.js";
import { parseFilter } from "./parse-filter.js";
import { DEFAULT_MAX_FILTER_DEPTH } from "./parse-options.js";

describe("parseFilter: limits and hostile input", () => {
  test("length limit (default 16 KiB, configurable)", () => {
    const long = `title eq "${"x".repeat(DEFAULT_MAX_FILTER_LENGTH)}"`;
    expect(failure(() => parseFilter(long)).message).toBe(
      `the filter is ${long.length} characters long; the limit is ${DEFAULT_MAX_FILTER_LENGTH}`,
    );
    expect(parseFilter(long, { maxLength: long.length })).toMatchObject({ op: "eq" });
    expect(failure(() => parseFilter("title pr", { maxLength: 4 })).message).toBe(
      "the filter is 8 characters long; the limit is 4",
    );
  });

  test("depth limit (default 64) on (, not ( and [", () => {
    const ok = `${"(".repeat(DEFAULT_MAX_FILTER_DEPTH)}a pr${")".repeat(DEFAULT_MAX_FILTER_DEPTH)}`;
    expect(parseFilter(ok)).toEqual(pr("a"));
    const deep = `${"(".repeat(DEFAULT_MAX_FILTER_DEPTH + 1)}a pr${")".repeat(DEFAULT_MAX_FILTER_DEPTH + 1)}`;
    const error = failure(() => parseFilter(deep));
    expect(error.message).toBe(`the filter nests "(", "not (" and "[" more than 64 levels deep at column 65`);
    expect(error.column).toBe(65);
    expect(
      failure(() => parseFilter(`${"not (".repeat(3)}a pr${")".repeat(3)}`, { maxDepth: 2 })).column,
    ).toBe(11);
    expect(failure(() => parseFilter('a[((d eq "x"))]', { maxDepth: 2 })).column).toBe(4);
  });

  test("10,000-deep parentheses, 1 MB of input and long runs of not ( fail fast without a stack overflow", () => {
    const started = performance.now();
    const parens = `${"(".repeat(10_000)}a pr${")".repeat(10_000)}`;
    expect(failure(() => parseFilter(parens, { maxLength: Number.POSITIVE_INFINITY })).scimType).toBe(
      "invalidFilter",
    );
    expect(
      failure(() =>
        parseFilter(parens, { maxLength: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY }),
      ).scimType,
    ).toBe("invalidFilter");
    const megabyte = "x".repeat(1 << 20);
    expect(failure(() => parseFilter(megabyte)).message).toMatch(/the limit is 16384/);
    const nots = "not (".repeat(200_000);
    expect(failure(() => parseFilter(nots, { maxLength: Number.POSITIVE_INFINITY })).message).toMatch(
      /more than 64 levels/,
    );
    expect(
      failure(() => parseFilter(`${"[".repeat(100_000)}`, { maxLength: Number.POSITIVE_INFINITY })).scimType,
    ).toBe("invalidFilter");
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test("time is linear in the input: a 1 MB or-chain, long strings, long whitespace runs", () => {
    const unbounded = { maxLength: Number.POSITIVE_INFINITY };
    const timed = (text: string): number => {
      const started = performance.now();
      try {
        parseFilter(text, unbounded);
      } catch (error) {
        if (!isScimError(error)) throw error;
      }
      return performance.now() - started;
    };
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `id eq "${i}"`).join(" or ");
    const small = timed(chain(4_000));
    const big = timed(chain(64_000)); // ~1 MB
    expect(big).toBeLessThan(Math.max(small, 1) * 16 * 4 + 200);
    expect(parseFilter(chain(64_000), unbounded)).toMatchObject({ op: "or" });
    expect(timed(`x eq "${"\\n".repeat(500_000)}"`)).toBeLessThan(5000);
    expect(timed(`x eq "${"a".repeat(1_000_000)}`)).toBeLessThan(5000);
    expect(timed(`not${" ".repeat(1_000_000)}x`)).toBeLessThan(5000);
    expect(timed(`${"a".repeat(1_000_000)}:`)).toBeLessThan(5000);
    expect(timed(`x eq ${"1".repeat(1_000_000)}.`)).toBeLessThan(5000);
  });
});
