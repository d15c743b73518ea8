import { describe, expect, it } from "vitest";
import { isForbiddenKey } from "./json-keys.js";

describe("isForbiddenKey", () => {
  it("names the keys that reach an object's prototype, and only those", () => {
    expect(["__proto__", "constructor", "prototype"].map(isForbiddenKey)).toStrictEqual([true, true, true]);
    expect(["userName", "__proto", "Constructor", "proto", ""].map(isForbiddenKey)).toStrictEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
