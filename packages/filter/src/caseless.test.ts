import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { endsWithLower, equalsLower, startsWithLower } from "./caseless.js";

/** Strings mixing ASCII with chars whose lower case is special: "İ" grows, "K" (Kelvin) becomes "k". */
const text = fc.oneof(
  fc.string({
    unit: fc.constantFrom("a", "B", "k", "K", "İ", "i", "̇", "É", "é", "ß", "@", ".", "\u212a", "😀"),
  }),
  fc.string({ unit: "binary" }),
  fc.string(),
);

describe("caseless string tests agree with toLowerCase (RFC 7643 §2.2 caseExact false)", () => {
  test("for arbitrary strings and lower-cased operands taken from them or not", () => {
    fc.assert(
      fc.property(text, text, fc.nat(8), fc.nat(8), (x, other, from, to) => {
        const lowered = x.toLowerCase();
        for (const s of [other.toLowerCase(), lowered, lowered.slice(from, from + to), lowered.slice(-to)]) {
          expect(equalsLower(x, s)).toBe(lowered === s);
          expect(startsWithLower(x, s)).toBe(lowered.startsWith(s));
          expect(endsWithLower(x, s)).toBe(lowered.endsWith(s));
        }
      }),
      { numRuns: 20_000 },
    );
  });

  test("lower-casing never shortens a string, for every code point (equalsLower relies on it)", () => {
    const shorter: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const s = String.fromCodePoint(cp);
      if (s.toLowerCase().length < s.length) shorter.push(cp);
    }
    expect(shorter).toEqual([]);
  });

  test("the cases that need the Unicode fallback", () => {
    expect(equalsLower("\u212aelvin", "kelvin")).toBe(true);
    expect(equalsLower("İx", "i̇x")).toBe(true);
    expect(startsWithLower("İstanbul", "i̇s")).toBe(true);
    expect(endsWithLower("x\u212a", "k")).toBe(true);
    expect(equalsLower("BJensen", "bjensen")).toBe(true);
    expect(equalsLower("BJensen", "bjensem")).toBe(false);
  });
});
