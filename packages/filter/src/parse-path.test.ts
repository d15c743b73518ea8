import { describe, expect, test } from "vitest";
import { failure } from "./__fixtures__/parse.js";
import { parsePath } from "./parse-filter.js";

describe("parsePath", () => {
  test("attribute, value path, value path with sub-attribute, URN paths", () => {
    expect(parsePath("members")).toEqual({ path: { attribute: "members" } });
    expect(parsePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")).toEqual({
      path: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager" },
    });
    expect(parsePath('emails[type eq "work"].value')).toEqual({
      path: { attribute: "emails" },
      filter: { op: "eq", path: { attribute: "type" }, value: "work" },
      subAttribute: "value",
    });
    expect(parsePath('  members[value eq "1" or value eq "2"]  ')).toMatchObject({ filter: { op: "or" } });
  });

  test.each([
    ["", /^the path is empty$/, 1],
    ["members[", /^expected an attribute path, "\(" or "not \(" at column 9, found the end of the path$/, 9],
    [
      'members[value eq "1"',
      /^expected "]" at column 21 to close the "\[" at column 8, found the end of the path$/,
      21,
    ],
    ['members[value eq "1"].', /^expected a sub-attribute name after "." at column 23/, 23],
    ["members value", /^expected "\[" or the end of the path at column 9, found "value"$/, 9],
    ['members[value eq "1"] x', /^expected "." or the end of the path at column 23, found "x"$/, 23],
    ['members[value eq "1"].display x', /^expected the end of the path at column 31, found "x"$/, 31],
    ["a.b.c", /^unexpected "\." at column 4: a path has at most one sub-attribute$/, 4],
    ["members[value eq]", /^expected a value after "eq" at column 17, found "]"$/, 17],
    [
      'emails[type[value eq "x"]].value',
      /^unexpected "\[" at column 12: value paths do not nest \("type\[\.\.\.\]" inside "emails\[\.\.\.\]"\)/,
      12,
    ],
    [
      'members[value eq "1" or display[value pr]]',
      /^unexpected "\[" at column 32: value paths do not nest/,
      32,
    ],
  ])("%j fails with invalidPath", (text, message, column) => {
    const error = failure(() => parsePath(text));
    expect(error.message).toMatch(message);
    expect(error.column).toBe(column);
    expect(error).toMatchObject({ status: 400, scimType: "invalidPath" });
  });

  test("limits apply to paths too", () => {
    expect(failure(() => parsePath("x".repeat(20_000))).scimType).toBe("invalidPath");
    expect(failure(() => parsePath(`a[${"(".repeat(100)}b pr${")".repeat(100)}]`)).message).toMatch(
      /the path nests/,
    );
  });
});
