import { describe, expect, test } from "vitest";
import { pr } from "./__fixtures__/parse.js";
import { parseAttributePath, parseFilter } from "./parse-filter.js";

describe("parseFilter: operators and precedence", () => {
  test.each([["eq"], ["ne"], ["co"], ["sw"], ["ew"], ["gt"], ["lt"], ["ge"], ["le"]])(
    "%s in any case",
    (op) => {
      for (const spelling of [op, op.toUpperCase(), op[0]?.toUpperCase() + op.slice(1)]) {
        expect(parseFilter(`title ${spelling} "x"`)).toEqual({
          op,
          path: { attribute: "title" },
          value: "x",
        });
      }
    },
  );

  test("pr, And, oR, NOT in any case", () => {
    expect(parseFilter("title PR")).toEqual(pr("title"));
    expect(parseFilter("a pr And b pr oR c pr")).toEqual({
      op: "or",
      filters: [{ op: "and", filters: [pr("a"), pr("b")] }, pr("c")],
    });
    expect(parseFilter("NOT (a pr)")).toEqual({ op: "not", filter: pr("a") });
  });

  test("and binds tighter than or; chains are flat", () => {
    expect(parseFilter("a pr or b pr and c pr or d pr")).toEqual({
      op: "or",
      filters: [pr("a"), { op: "and", filters: [pr("b"), pr("c")] }, pr("d")],
    });
    expect(parseFilter("a pr and b pr and c pr")).toEqual({
      op: "and",
      filters: [pr("a"), pr("b"), pr("c")],
    });
  });

  test("parentheses group, and an explicitly grouped same-operator chain stays nested", () => {
    expect(parseFilter("(a pr or b pr) and c pr")).toEqual({
      op: "and",
      filters: [{ op: "or", filters: [pr("a"), pr("b")] }, pr("c")],
    });
    expect(parseFilter("(a pr and b pr) and c pr")).toEqual({
      op: "and",
      filters: [{ op: "and", filters: [pr("a"), pr("b")] }, pr("c")],
    });
    expect(parseFilter("((((a pr))))")).toEqual(pr("a"));
  });

  test("not binds to its parenthesized group; not( and not ( both work (erratum 7319)", () => {
    expect(parseFilter("not(a pr) and b pr")).toEqual({
      op: "and",
      filters: [{ op: "not", filter: pr("a") }, pr("b")],
    });
    expect(parseFilter("not  \t(a pr or b pr)")).toEqual({
      op: "not",
      filter: { op: "or", filters: [pr("a"), pr("b")] },
    });
    expect(parseFilter("not (not (a pr))")).toEqual({ op: "not", filter: { op: "not", filter: pr("a") } });
  });

  test("keywords are valid attribute names where an attribute is expected", () => {
    expect(parseFilter('not eq "x"')).toEqual({ op: "eq", path: { attribute: "not" }, value: "x" });
    expect(parseFilter("not pr and and pr or or pr")).toEqual({
      op: "or",
      filters: [{ op: "and", filters: [pr("not"), pr("and")] }, pr("or")],
    });
    expect(parseFilter('not[type eq "x"]')).toEqual({
      op: "valuePath",
      path: { attribute: "not" },
      filter: { op: "eq", path: { attribute: "type" }, value: "x" },
    });
    expect(parseFilter("pr pr")).toEqual(pr("pr"));
    expect(parseFilter("order pr")).toEqual(pr("order"));
  });
});

describe("parseFilter: attribute paths", () => {
  test("sub-attributes, URNs with dots and colons, $ref", () => {
    expect(parseFilter("name.givenName pr")).toEqual({
      op: "pr",
      path: { attribute: "name", subAttribute: "givenName" },
    });
    expect(
      parseFilter("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr"),
    ).toEqual({
      op: "pr",
      path: {
        uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        attribute: "manager",
        subAttribute: "value",
      },
    });
    expect(parseFilter("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName pr")).toEqual({
      op: "pr",
      path: {
        uri: "urn:ietf:params:scim:schemas:core:2.0:User",
        attribute: "name",
        subAttribute: "familyName",
      },
    });
    expect(parseFilter('members.$ref eq "https://example.com/v2/Users/1"')).toEqual({
      op: "eq",
      path: { attribute: "members", subAttribute: "$ref" },
      value: "https://example.com/v2/Users/1",
    });
    expect(parseFilter('members[$ref sw "https://"]')).toMatchObject({
      filter: { path: { attribute: "$ref" } },
    });
  });

  test("case is kept as written", () => {
    expect(parseFilter("URN:IETF:params:scim:schemas:core:2.0:USER:NAME.GIVENNAME pr")).toEqual({
      op: "pr",
      path: {
        uri: "URN:IETF:params:scim:schemas:core:2.0:USER",
        attribute: "NAME",
        subAttribute: "GIVENNAME",
      },
    });
  });

  test("parseAttributePath", () => {
    expect(parseAttributePath("emails.value")).toEqual({ attribute: "emails", subAttribute: "value" });
    expect(() => parseAttributePath("emails value")).toThrow(
      /expected the end of the attribute path at column 7/,
    );
  });
});

describe("parseFilter: values", () => {
  test.each([
    ['"plain"', "plain"],
    ['""', ""],
    [String.raw`"q\"b\\s\/f\bn\fr\nt\tr\r"`, 'q"b\\s/f\bn\fr\nt\tr\r'],
    [String.raw`"\u00e9\u00C9\ud83d\ude00"`, "éÉ😀"],
    ['"O\'Malley"', "O'Malley"],
    ['"tab\tinside"', "tab\tinside"],
    ["0", 0],
    ["-0", -0],
    ["42", 42],
    ["-1.5", -1.5],
    ["1e3", 1000],
    ["2.5E-2", 0.025],
    ["1e+2", 100],
    ["true", true],
    ["false", false],
    ["null", null],
    ["TRUE", true],
    ["Null", null],
  ] as const)("%s", (text, value) => {
    expect(parseFilter(`x eq ${text}`)).toEqual({ op: "eq", path: { attribute: "x" }, value });
  });

  test("tolerant whitespace: tabs, newlines, runs, none before a string value", () => {
    expect(parseFilter(' \t\r\n userName \n eq\t"x"  \n')).toEqual({
      op: "eq",
      path: { attribute: "userName" },
      value: "x",
    });
    expect(parseFilter('userName eq"x"and title pr')).toEqual({
      op: "and",
      filters: [{ op: "eq", path: { attribute: "userName" }, value: "x" }, pr("title")],
    });
    expect(parseFilter("(a pr)and(b pr)")).toEqual({ op: "and", filters: [pr("a"), pr("b")] });
  });
});
