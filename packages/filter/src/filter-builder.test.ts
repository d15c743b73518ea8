import { describe, expect, test } from "vitest";
import { compileFilter } from "./compile-filter.js";
import { type AnyAttributePaths, filterBuilder } from "./filter-builder.js";
import { parseFilter } from "./parse-filter.js";
import { stringifyFilter } from "./stringify-filter.js";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const f = filterBuilder<AnyAttributePaths>();

describe("filterBuilder builds exactly what parseFilter parses", () => {
  test.each([
    [f.eq("userName", "bjensen"), 'userName eq "bjensen"'],
    [f.ne("userType", "Intern"), 'userType ne "Intern"'],
    [f.co("name.familyName", "O'Malley"), `name.familyName co "O'Malley"`],
    [
      f.sw(`urn:ietf:params:scim:schemas:core:2.0:User:userName`, "J"),
      'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
    ],
    [f.ew("emails.value", ".org"), 'emails.value ew ".org"'],
    [f.gt("meta.lastModified", "2011-05-13T04:42:34Z"), 'meta.lastModified gt "2011-05-13T04:42:34Z"'],
    [
      f.ge("meta.lastModified", new Date("2011-05-13T04:42:34Z")),
      'meta.lastModified ge "2011-05-13T04:42:34.000Z"',
    ],
    [f.lt("loginCount", 3), "loginCount lt 3"],
    [f.le("score", -1.5e3), "score le -1500"],
    [f.eq("active", true), "active eq true"],
    [f.eq("title", null), "title eq null"],
    [f.pr("title"), "title pr"],
    [f.eq(`${ENT}:manager.value`, "26118915"), `${ENT}:manager.value eq "26118915"`],
    [f.and(f.pr("title"), f.eq("userType", "Employee")), 'title pr and userType eq "Employee"'],
    [
      f.or(f.pr("title"), f.eq("userType", "Intern"), f.pr("nickName")),
      'title pr or userType eq "Intern" or nickName pr',
    ],
    [
      f.and(
        f.eq("userType", "Employee"),
        f.or(f.co("emails", "example.com"), f.co("emails.value", "example.org")),
      ),
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    ],
    [f.and(f.and(f.pr("a"), f.pr("b")), f.pr("c")), "(a pr and b pr) and c pr"],
    [f.not(f.or(f.pr("a"), f.pr("b"))), "not (a pr or b pr)"],
    [
      f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.co("value", "@example.com"))),
      'emails[type eq "work" and value co "@example.com"]',
    ],
    [
      f.or(
        f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.co("value", "@example.com"))),
        f.valuePath("ims", (i) => i.and(i.eq("type", "xmpp"), i.co("value", "@foo.com"))),
      ),
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
    ],
    [
      f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.eq("value", "x"))),
      'emails[type eq "work"].value eq "x"',
    ],
    [f.and(f.pr("title")), "title pr"],
  ])("%j", (built, text) => {
    expect(built).toEqual(parseFilter(text));
    expect(parseFilter(stringifyFilter(built))).toEqual(built);
  });

  test("built filters compile", () => {
    const u = filterBuilder();
    const predicate = compileFilter(
      u.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.ew("value", "@example.com"))),
    );
    expect(predicate({ emails: [{ type: "work", value: "a@EXAMPLE.com" }] })).toBe(true);
  });

  test("invalid paths and empty chains fail at run time too (untyped use)", () => {
    expect(() => f.eq("bad path", "x")).toThrow(/expected the end of the attribute path at column 4/);
    expect(() => f.pr("1x")).toThrow(expect.objectContaining({ status: 400, scimType: "invalidFilter" }));
    expect(() => (f.and as () => unknown)()).toThrow(TypeError);
  });
});

describe("the README example", () => {
  test("works as written", () => {
    const ast = parseFilter('userName Eq "BJensen" and emails[type eq "work" and value co "@example.com"]');
    const matches = compileFilter(ast, { resourceType: "User" });
    expect(matches({ userName: "bjensen", emails: [{ type: "Work", value: "babs@EXAMPLE.com" }] })).toBe(
      true,
    );
    const u = filterBuilder();
    expect(stringifyFilter(u.and(u.eq("userName", "BJensen"), u.pr("title")))).toBe(
      'userName eq "BJensen" and title pr',
    );
  });
});
