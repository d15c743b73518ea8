import { isScimError } from "@scimkit/core";
import { describe, expect, test } from "vitest";
import type { Filter } from "./ast.js";
import { DEFAULT_MAX_FILTER_LENGTH } from "./attribute-path.js";
import { FilterSyntaxError } from "./errors.js";
import { parseAttributePath, parseFilter, parsePath } from "./parse-filter.js";
import { DEFAULT_MAX_FILTER_DEPTH } from "./parse-options.js";
import { stringifyFilter, stringifyPath } from "./stringify-filter.js";

const pr = (attribute: string): Filter => ({ op: "pr", path: { attribute } });

function failure(run: () => unknown): FilterSyntaxError {
  try {
    run();
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a FilterSyntaxError");
}

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

describe("parseFilter: value paths and the Entra ID form", () => {
  test("value path with a nested logical filter", () => {
    expect(parseFilter('emails[type eq "work" and (value co "@a.com" or value co "@b.com")]')).toEqual({
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "and",
        filters: [
          { op: "eq", path: { attribute: "type" }, value: "work" },
          {
            op: "or",
            filters: [
              { op: "co", path: { attribute: "value" }, value: "@a.com" },
              { op: "co", path: { attribute: "value" }, value: "@b.com" },
            ],
          },
        ],
      },
    });
  });

  test('emails[type eq "work"].value eq "x" joins the comparison to the bracket (same element)', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@example.com"')).toEqual({
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "and",
        filters: [
          { op: "eq", path: { attribute: "type" }, value: "work" },
          { op: "eq", path: { attribute: "value" }, value: "x@example.com" },
        ],
      },
    });
    expect(parseFilter('emails[type eq "work" and primary eq true].value pr')).toEqual({
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "and",
        filters: [
          { op: "eq", path: { attribute: "type" }, value: "work" },
          { op: "eq", path: { attribute: "primary" }, value: true },
          { op: "pr", path: { attribute: "value" } },
        ],
      },
    });
    expect(parseFilter('addresses[type eq "work" or type eq "home"].locality eq "Hollywood"')).toMatchObject({
      filter: { op: "and", filters: [{ op: "or" }, { op: "eq", path: { attribute: "locality" } }] },
    });
  });

  test("whitespace before [ is tolerated", () => {
    expect(parseFilter('emails [type eq "work"]')).toEqual(parseFilter('emails[type eq "work"]'));
  });

  test("value paths side by side are fine; only nesting is an error", () => {
    expect(parseFilter('emails[type eq "work"] and not (ims[type eq "xmpp"])')).toMatchObject({
      op: "and",
      filters: [{ op: "valuePath" }, { op: "not", filter: { op: "valuePath" } }],
    });
  });

  // RFC 7644 §3.4.2.2: valuePath = attrPath "[" valFilter "]", and valFilter has no valuePath; the
  // paths inside "[...]" are sub-attributes, which are never complex (RFC 7643 §2.3.8).
  test.each([
    ['emails[type[value eq "x"]]', 12, "type", "emails"],
    ['emails[type eq "work" and display[value pr]]', 34, "display", "emails"],
    ["emails[not (type[value pr])]", 17, "type", "emails"],
    ["emails[((type [value pr]))]", 15, "type", "emails"],
    ["emails[not[value pr]]", 11, "not", "emails"],
    ['x[emails[type eq "w"].value eq "y"]', 9, "emails", "x"],
    ['a[b[c[d eq "x"]]]', 4, "b", "a"],
    [`userName pr and urn:acme:2.0:Dev:ports[ip[v pr]]`, 42, "ip", "urn:acme:2.0:Dev:ports"],
  ])("nested value path %j is 400 invalidFilter at column %i", (text, column, inner, outer) => {
    const error = failure(() => parseFilter(text));
    expect(error).toMatchObject({ status: 400, scimType: "invalidFilter", column });
    expect(error.detail).toBe(
      `unexpected "[" at column ${column}: value paths do not nest ("${inner}[...]" inside "${outer}[...]"); the filter in "[...]" compares sub-attributes, which are never complex (RFC 7644 §3.4.2.2 valFilter, RFC 7643 §2.3.8)`,
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
