import { describe, expect, test } from "vitest";
import { compileWith } from "./compile-filter.js";

describe("attribute lookup in any case (RFC 7643 §2.1), decision 25", () => {
  for (const backEnd of ["source", "closures"] as const) {
    test(`${backEnd}: another spelling is found when the schema spelling is absent`, () => {
      const pr = compileWith("title pr", { resourceType: "User" }, backEnd);
      expect(pr({ TITLE: "Engineer" })).toBe(true);
      expect(pr({ tItLe: "" })).toBe(false);
      expect(pr({})).toBe(false);
    });

    test(`${backEnd}: an own key in schema spelling without a value ends the lookup`, () => {
      const pr = compileWith("title pr", { resourceType: "User" }, backEnd);
      const eq = compileWith('title eq "x"', { resourceType: "User" }, backEnd);
      // `title: undefined` is the attribute, unset: no other spelling is looked for.
      expect(pr({ title: undefined, Title: "x" })).toBe(false);
      expect(eq({ title: undefined, Title: "x" })).toBe(false);
      // Only own keys count: an inherited `title` does not stop the lookup.
      const record = Object.create({ title: undefined }) as Record<string, unknown>;
      record.Title = "x";
      expect(eq(record)).toBe(true);
    });
  }
});
