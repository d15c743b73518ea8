import { describe, expect, it } from "vitest";
import { copyOf } from "./copy.js";
import type { JsonObject } from "./types.js";

describe("copyOf", () => {
  it("copies own keys shallowly, as object spread does, and leaves the source alone", () => {
    const name = { givenName: "Ada" };
    const source: JsonObject = { userName: "ada", name, active: true };
    const copy = copyOf(source);
    expect(copy).toStrictEqual({ userName: "ada", name, active: true });
    expect(copy).not.toBe(source);
    expect(copy.name).toBe(name);
    copy.userName = "bea";
    expect(source.userName).toBe("ada");
  });

  it("leaves out the omitted keys", () => {
    expect(
      copyOf({ id: "1", meta: { version: 'W/"1"' }, groups: [], userName: "ada" }, ["meta", "groups"]),
    ).toStrictEqual({
      id: "1",
      userName: "ada",
    });
  });

  it("keeps a parsed __proto__ key as data instead of setting the copy's prototype", () => {
    const source = JSON.parse('{"userName":"ada","__proto__":{"admin":true}}') as JsonObject;
    const copy = copyOf(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { admin?: unknown }).admin).toBeUndefined();
    expect(Object.keys(copy)).toEqual(["userName", "__proto__"]);
  });
});
