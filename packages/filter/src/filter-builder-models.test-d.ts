import type { GroupAttributePaths, ResourceTypeAttributePaths, UserAttributePaths } from "@scimkit/models";
import { describe, expectTypeOf, test } from "vitest";
import type { ComparisonFilter, PresentFilter, ValuePathFilter } from "./ast.js";
import { type EqualityValue, filterBuilder, type SubAttributePaths } from "./filter-builder.js";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("filterBuilder over the generated @scimkit/models path maps", () => {
  const f = filterBuilder<UserAttributePaths>();
  const g = filterBuilder<ResourceTypeAttributePaths["Group"]>();

  test("accepted forms", () => {
    expectTypeOf(f.eq("userName", "bjensen")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.gt("meta.lastModified", new Date())).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq(`${ENT}:manager.value`, "26118915")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(
      f.sw("urn:ietf:params:scim:schemas:core:2.0:User:userName", "J"),
    ).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.co("emails", "example.com")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.pr("x509Certificates.value")).toEqualTypeOf<PresentFilter>();
    expectTypeOf(
      f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.co("value", "@example.com"))),
    ).toEqualTypeOf<ValuePathFilter>();
    expectTypeOf(g.valuePath("members", (m) => m.eq("value", "2819c223"))).toEqualTypeOf<ValuePathFilter>();
    expectTypeOf<EqualityValue<UserAttributePaths, "emails.type">>().toEqualTypeOf<
      "work" | "home" | "other" | (string & {}) | null
    >();
    expectTypeOf<"display">().toMatchTypeOf<keyof SubAttributePaths<GroupAttributePaths, "members">>();
  });

  test("rejected forms", () => {
    // @ts-expect-error: misspelt path
    f.eq("usrName", "bjensen");
    // @ts-expect-error: gt on a boolean
    f.gt("active", true);
    // @ts-expect-error: co on binary
    f.co("x509Certificates.value", "MII");
    // @ts-expect-error: sw on a dateTime
    f.sw("meta.created", "2011");
    // @ts-expect-error: a value of the wrong type
    f.eq("active", "true");
    // @ts-expect-error: no such sub-attribute
    f.valuePath("emails", (e) => e.eq("locality", "x"));
    // @ts-expect-error: members is a Group attribute
    f.pr("members");
  });
});
