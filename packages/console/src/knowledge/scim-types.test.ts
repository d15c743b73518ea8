import { describe, expect, it } from "vitest";
import { errorReference } from "./scim-types.js";

describe("errorReference", () => {
  it.each([
    [400, "invalidFilter", "RFC 7644 §3.4.2.2"],
    [400, "noTarget", "RFC 7644 §3.5.2.3"],
    [409, "uniqueness", "RFC 7643 §2.1; RFC 7644 §3.3"],
    [400, "invalidCursor", "RFC 9865 §2.1"],
    [412, undefined, "RFC 7644 §3.14"],
    [401, undefined, "RFC 7644 §2; RFC 6750 §3.1"],
    [400, "madeUpType", "RFC 7644 §3.12"],
  ] as const)("%i %s → %s", (status, scimType, section) => {
    expect(errorReference(status, scimType)?.section).toBe(section);
  });

  it("has nothing for a status without an RFC meaning here, nor for inherited names", () => {
    expect(errorReference(418)).toBeUndefined();
    expect(errorReference(418, "toString")).toBeUndefined();
  });
});
