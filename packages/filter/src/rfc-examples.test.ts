import { isScimError } from "@scimkit/core";
import { describe, expect, test } from "vitest";
import type { Filter } from "./ast.js";
import { compileFilter } from "./compile-filter.js";
import { parseFilter, parsePath } from "./parse-filter.js";
import { stringifyFilter, stringifyPath } from "./stringify-filter.js";

/** Every filter printed in RFC 7644, verbatim (line breaks as printed), with where it is. */
const RFC_FILTERS: readonly [where: string, text: string][] = [
  ["§3.4.2.2 prose", 'userName Eq "john"'],
  ["§3.4.2.2 prose", 'Username eq "john"'],
  ["§3.4.2.2 Figure 2", 'userName eq "bjensen"'],
  ["§3.4.2.2 Figure 2", `name.familyName co "O'Malley"`],
  ["§3.4.2.2 Figure 2", 'userName sw "J"'],
  ["§3.4.2.2 Figure 2", 'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"'],
  ["§3.4.2.2 Figure 2", "title pr"],
  ["§3.4.2.2 Figure 2", 'meta.lastModified gt "2011-05-13T04:42:34Z"'],
  ["§3.4.2.2 Figure 2", 'meta.lastModified ge "2011-05-13T04:42:34Z"'],
  ["§3.4.2.2 Figure 2", 'meta.lastModified lt "2011-05-13T04:42:34Z"'],
  ["§3.4.2.2 Figure 2", 'meta.lastModified le "2011-05-13T04:42:34Z"'],
  ["§3.4.2.2 Figure 2", 'title pr and userType eq "Employee"'],
  ["§3.4.2.2 Figure 2", 'title pr or userType eq "Intern"'],
  ["§3.4.2.2 Figure 2", '\n schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"'],
  [
    "§3.4.2.2 Figure 2",
    'userType eq "Employee" and (emails co "example.com" or\n  emails.value co "example.org")',
  ],
  [
    "§3.4.2.2 Figure 2",
    'userType ne "Employee" and not (emails co "example.com" or\n  emails.value co "example.org")',
  ],
  ["§3.4.2.2 Figure 2", 'userType eq "Employee" and (emails.type eq "work")'],
  ["§3.4.2.2 Figure 2", 'userType eq "Employee" and emails[type eq "work" and\n  value co "@example.com"]'],
  [
    "§3.4.2.2 Figure 2",
    'emails[type eq "work" and value co "@example.com"] or\n  ims[type eq "xmpp" and value co "@foo.com"]',
  ],
  ["§3.4.3 Figure 4", 'displayName sw "smith"'],
  ["§3.12 Table 9", "(userName pr)"],
  // The filters inside the PATCH paths of §3.5.2.
  ["§3.5.2 Figure 8", 'type eq "work"'],
  ["§3.5.2 Figure 8", 'value eq "2819c223-7f76-453a-919d-413861904646"'],
  ["§3.5.2.2", 'value eq "2819c223-7f76-...413861904646"'],
  ["§3.5.2.2", 'type eq "work" and value ew "example.com"'],
  ["§3.5.2.2 (no space before the value)", 'value eq"2819c223...919d-413861904646"'],
];

/** Filters printed in RFC 7644 that break its own ABNF and that scimkit rejects, with the reason. */
const RFC_REJECTED: readonly [where: string, text: string, reason: RegExp][] = [
  // compValue is a JSON value (Figure 1); `User` and `Group` are bare words (see README, Decisions).
  [
    "§3.4.2.1",
    "(meta.resourceType eq User) or (meta.resourceType eq Group)",
    /column 23, found "User": string values must be in double quotes/,
  ],
  // JSON strings are double-quoted; `'Group'` is not a compValue.
  ["§3.7.1", "displayName sw 'Group'", /column 16, found a single-quoted string/],
];

/** Every PATCH path printed in RFC 7644 (§3.5.2 Figure 8, §3.5.2.1–3, §3.7). */
const RFC_PATHS: readonly string[] = [
  "members",
  "name.familyName",
  'addresses[type eq "work"]',
  'members[value eq\n              "2819c223-7f76-453a-919d-413861904646"]',
  'members[value eq\n              "2819c223-7f76-453a-919d-413861904646"].displayName',
  'members[value eq "2819c223-7f76-...413861904646"]',
  'emails[type eq "work" and value ew "example.com"]',
  'members[value eq"2819c223...919d-413861904646"]',
  'addresses[type eq "work"].streetAddress',
  "nickName",
  "userName",
];

const eq = (attribute: string, value: string, subAttribute?: string): Filter => ({
  op: "eq",
  path: subAttribute === undefined ? { attribute } : { attribute, subAttribute },
  value,
});

describe("every filter printed in RFC 7644", () => {
  test.each(RFC_FILTERS)("%s: %s parses, and stringify → parse gives the same tree", (_where, text) => {
    const filter = parseFilter(text);
    expect(parseFilter(stringifyFilter(filter))).toEqual(filter);
  });

  test.each(RFC_FILTERS)("%s: %s compiles against the core schemas", (_where, text) => {
    expect(typeof compileFilter(text, { unknownAttributes: "absent" })).toBe("function");
  });

  test.each(RFC_REJECTED)("%s: %s is rejected with the documented reason", (_where, text, reason) => {
    expect.assertions(3);
    try {
      parseFilter(text);
    } catch (error) {
      expect(isScimError(error)).toBe(true);
      expect(error).toMatchObject({ status: 400, scimType: "invalidFilter" });
      expect((error as Error).message).toMatch(reason);
    }
  });

  test("the trees are what the RFC means", () => {
    expect(parseFilter('userName Eq "john"')).toEqual(eq("userName", "john"));
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"')).toEqual({
      op: "sw",
      path: { uri: "urn:ietf:params:scim:schemas:core:2.0:User", attribute: "userName" },
      value: "J",
    });
    expect(
      parseFilter(
        'userType ne "Employee" and not (emails co "example.com" or\n  emails.value co "example.org")',
      ),
    ).toEqual({
      op: "and",
      filters: [
        { op: "ne", path: { attribute: "userType" }, value: "Employee" },
        {
          op: "not",
          filter: {
            op: "or",
            filters: [
              { op: "co", path: { attribute: "emails" }, value: "example.com" },
              { op: "co", path: { attribute: "emails", subAttribute: "value" }, value: "example.org" },
            ],
          },
        },
      ],
    });
    expect(
      parseFilter(
        'emails[type eq "work" and value co "@example.com"] or\n  ims[type eq "xmpp" and value co "@foo.com"]',
      ),
    ).toEqual({
      op: "or",
      filters: [
        {
          op: "valuePath",
          path: { attribute: "emails" },
          filter: {
            op: "and",
            filters: [eq("type", "work"), { op: "co", path: { attribute: "value" }, value: "@example.com" }],
          },
        },
        {
          op: "valuePath",
          path: { attribute: "ims" },
          filter: {
            op: "and",
            filters: [eq("type", "xmpp"), { op: "co", path: { attribute: "value" }, value: "@foo.com" }],
          },
        },
      ],
    });
    expect(parseFilter("(userName pr)")).toEqual({ op: "pr", path: { attribute: "userName" } });
  });
});

describe("every PATCH path printed in RFC 7644", () => {
  test.each(RFC_PATHS)("%s parses, and stringifyPath → parsePath gives the same tree", (text) => {
    const path = parsePath(text);
    expect(parsePath(stringifyPath(path))).toEqual(path);
  });

  test("the trees are what the RFC means", () => {
    expect(parsePath("name.familyName")).toEqual({ path: { attribute: "name", subAttribute: "familyName" } });
    expect(
      parsePath('members[value eq\n              "2819c223-7f76-453a-919d-413861904646"].displayName'),
    ).toEqual({
      path: { attribute: "members" },
      filter: eq("value", "2819c223-7f76-453a-919d-413861904646"),
      subAttribute: "displayName",
    });
    expect(stringifyPath(parsePath('addresses[type eq "work"].streetAddress'))).toBe(
      'addresses[type eq "work"].streetAddress',
    );
  });
});
