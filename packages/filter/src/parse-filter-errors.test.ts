import { isScimError } from "@scimkit/core";
import { describe, expect, test } from "vitest";
import { failure, pr } from "./__fixtures__/parse.js";
import { parseAttributePath, parseFilter, parsePath } from "./parse-filter.js";
import { stringifyFilter, stringifyPath } from "./stringify-filter.js";

describe("parseFilter: errors name the column and what was expected", () => {
  test.each([
    ["", /^the filter is empty$/, 1],
    ["   ", /^the filter is empty$/, 4],
    ["userName eq", /^expected a value after "eq" at column 12, found the end of the filter$/, 12],
    ["userName eq ", /^expected a value after "eq" at column 13/, 13],
    [
      "userName",
      /^expected an operator \(eq, ne, co, sw, ew, gt, lt, ge, le or pr\) after "userName" at column 9, found the end/,
      9,
    ],
    ['userName "x"', /^expected an operator .* at column 10, found "\\""/, 10],
    ['userName regex "x"', /^unknown operator "regex" at column 10; expected eq, ne/, 10],
    ['userName eq1 "x"', /^unknown operator "eq1" at column 10/, 10],
    [
      'userName eq "x" title pr',
      /^expected "and", "or" or the end of the filter at column 17, found "title"$/,
      17,
    ],
    [
      "(title pr",
      /^expected "\)" at column 10 to close the "\(" at column 1, found the end of the filter$/,
      10,
    ],
    [
      "(title pr]",
      /^expected "and", "or" or "\)" at column 10 to close the "\(" at column 1, found "]"$/,
      10,
    ],
    ['emails[type eq "work"', /^expected "]" at column 22 to close the "\[" at column 7/, 22],
    ["title pr)", /^unexpected "\)" at column 9 with nothing to close$/, 9],
    ["not title pr", /^expected "\(" after "not" at column 5, found "title"$/, 5],
    ["not", /^expected "\(" after "not" at column 4, found the end of the filter$/, 4],
    ["title pr and", /^expected an attribute path, "\(" or "not \(" at column 13, found the end/, 13],
    ["and", /^expected an operator .* after "and" at column 4/, 4],
    ['x eq "abc', /^unterminated string starting at column 6$/, 6],
    [String.raw`x eq "a\x"`, /^invalid escape "\\x" in a string at column 8$/, 8],
    [String.raw`x eq "\u12G4"`, /^invalid escape "\\u12G4" at column 7; expected 4 hex digits$/, 7],
    ["x eq 01", /^invalid number "01" at column 6/, 6],
    ["x eq 1.", /^invalid number "1." at column 6/, 6],
    ["x eq -", /^invalid number "-" at column 6/, 6],
    ["x eq 1e999", /^the number at column 6 is out of range$/, 6],
    ["x eq 1and y pr", /^invalid number "1and" at column 6/, 6],
    [
      "x eq User",
      /^expected a value after "eq" at column 6, found "User": string values must be in double quotes/,
      6,
    ],
    ["x eq 'y'", /^expected a value after "eq" at column 6, found a single-quoted string/, 6],
    ["x eq (", /^expected a value after "eq" at column 6, found "\("$/, 6],
    ["a.b.c pr", /^unexpected "\." at column 4: a path has at most one sub-attribute$/, 4],
    ["1abc pr", /^invalid attribute name "1abc" at column 1: names start with a letter/, 1],
    ["foo:bar pr", /^invalid attribute path "foo:bar" at column 1: expected a schema URI/, 1],
    ["urn:ietf:params:scim:schemas:core:2.0:User: pr", /^expected an attribute name at column 44/, 44],
    ['emails[type eq "work"].value', /^expected an operator .* after "value" at column 29/, 29],
    ['emails[type eq "work"].', /^expected a sub-attribute name after "." at column 24/, 24],
    [
      'emails[type eq "work"].value.x eq 1',
      /^unexpected "\.x" at column 29: a path has at most one sub-attribute$/,
      29,
    ],
    ["emails[]", /^expected an attribute path, "\(" or "not \(" at column 8, found "]"$/, 8],
    ["é eq 1", /^expected an attribute path, "\(" or "not \(" at column 1, found "é"$/, 1],
  ])("%j", (text, message, column) => {
    const error = failure(() => parseFilter(text));
    expect(error.message).toMatch(message);
    expect(error.column).toBe(column);
    expect(error).toMatchObject({ status: 400, scimType: "invalidFilter", name: "ScimError" });
    expect(isScimError(error)).toBe(true);
    expect(error.toJSON()).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "400",
      scimType: "invalidFilter",
      detail: error.message,
    });
  });

  test('an invalid name cites the grammar the parser applies: RFC 7644\'s ATTRNAME, which has no "$"', () => {
    const rule =
      'names start with a letter and contain only letters, digits, "-" and "_" (ATTRNAME, RFC 7644 §3.4.2.2), or are "$ref"';
    const cases: [run: () => unknown, detail: string, column?: number][] = [
      [() => parseFilter("a$b pr"), `invalid attribute name "a$b" at column 1: ${rule}`, 1],
      [() => parseFilter("$x pr"), `invalid attribute name "$x" at column 1: ${rule}`, 1],
      [() => parseFilter("name.given$ pr"), `invalid sub-attribute name "given$" at column 6: ${rule}`, 6],
      [() => parseFilter('emails[va$lue eq "x"]'), `invalid attribute name "va$lue" at column 8: ${rule}`, 8],
      [() => parsePath("a$b"), `invalid attribute name "a$b" at column 1: ${rule}`, 1],
      [() => parseAttributePath("1abc"), `invalid attribute name "1abc" at column 1: ${rule}`, 1],
      [
        () => stringifyFilter({ op: "pr", path: { attribute: "a$b" } }),
        `invalid attribute name "a$b": ${rule}`,
      ],
      [
        () => stringifyFilter({ op: "pr", path: { attribute: "name", subAttribute: "b$" } }),
        `invalid sub-attribute name "b$" of "name": ${rule}`,
      ],
      [
        () => stringifyPath({ path: { attribute: "emails" }, filter: pr("value"), subAttribute: "x$" }),
        `invalid sub-attribute name "x$": ${rule}`,
      ],
    ];
    for (const [run, detail, column] of cases) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ status: 400, detail });
      if (column !== undefined) expect(error).toMatchObject({ column });
    }
    // "$ref" is the exception the rule names, as a name and as a sub-attribute.
    expect(parseFilter('members[$REF eq "x"] or groups.$ref pr')).toMatchObject({ op: "or" });
  });

  test("a non-string is a 400 too", () => {
    expect(failure(() => parseFilter(42 as unknown as string)).message).toBe("the filter must be a string");
  });
});
