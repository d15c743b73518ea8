import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "./did-you-mean.js";

describe("didYouMean", () => {
  const options = ["schemas", "from-url", "token", "save-schemas", "timeout", "out", "title", "zod", "emit"];
  it.each([
    ["a missing letter", "schema", "schemas"],
    ["a longer spelling (a candidate is its start)", "output", "out"],
    ["camel case", "fromUrl", "from-url"],
    ["snake case", "save_schemas", "save-schemas"],
    ["upper case", "TOKEN", "token"],
    ["a typo", "shemas", "schemas"],
    ["transposed letters", "tiemout", "timeout"],
    ["nothing alike", "verbose", undefined],
    ["empty", "", undefined],
    ["only dashes", "--", undefined],
  ])("%s: %j → %j", (_, given, want) => {
    expect(didYouMean(given, options)).toBe(want);
  });

  it("does not guess between two candidates a short start fits, unless edits decide", () => {
    expect(didYouMean("ti", ["title", "timeout"])).toBeUndefined();
    expect(didYouMean("tit", ["title", "timeout"])).toBe("title");
  });

  it("keeps guesses within about a third of the word in edits", () => {
    expect(didYouMean("formt", ["format"])).toBe("format");
    expect(didYouMean("fxrxxt", ["format"])).toBeUndefined();
  });

  it("returns one of the candidates or nothing, for any input", () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 8 }), (given, candidates) => {
        const guess = didYouMean(given, candidates);
        expect(guess === undefined || candidates.includes(guess)).toBe(true);
      }),
    );
  });
});

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
    ["tiemout", "timeout", 1],
    ["ab", "ba", 1],
    ["abc", "ca", 3],
  ])("%j → %j: %d", (a, b, want) => {
    expect(editDistance(a, b)).toBe(want);
  });

  it("is zero exactly for equal strings, symmetric, and at most the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d === 0).toBe(a === b);
        expect(editDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});
