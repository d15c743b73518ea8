import { describe, expectTypeOf, test } from "vitest";
import type {
  ComparisonFilter,
  Filter,
  LogicalFilter,
  NotFilter,
  PresentFilter,
  ValuePathFilter,
} from "./ast.js";
import {
  type ComplexPath,
  type EqualityPath,
  type EqualityValue,
  filterBuilder,
  type OrderingPath,
  type SubAttributePaths,
  type SubstringPath,
} from "./filter-builder.js";

type EmailType = "work" | "home" | "other" | (string & {});
interface UserEmails {
  value?: string;
  type?: EmailType;
  primary?: boolean;
  display?: string;
}
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
type Ent = typeof ENT;

/** A hand-written path map in the shape `@scimkit/models` generates (a subset of the core User). */
interface TestUserPaths {
  id: { type: "string"; multiValued: false; caseExact: true; value: string };
  userName: { type: "string"; multiValued: false; caseExact: false; value: string };
  "urn:ietf:params:scim:schemas:core:2.0:User:userName": {
    type: "string";
    multiValued: false;
    caseExact: false;
    value: string;
  };
  title: { type: "string"; multiValued: false; caseExact: false; value: string };
  active: { type: "boolean"; multiValued: false; caseExact: false; value: boolean };
  profileUrl: { type: "reference"; multiValued: false; caseExact: false; value: string };
  schemas: { type: "reference"; multiValued: true; caseExact: false; value: string };
  name: {
    type: "complex";
    multiValued: false;
    caseExact: false;
    value: { givenName?: string; familyName?: string };
  };
  "name.givenName": { type: "string"; multiValued: false; caseExact: false; value: string };
  "name.familyName": { type: "string"; multiValued: false; caseExact: false; value: string };
  emails: { type: "complex"; multiValued: true; caseExact: false; value: UserEmails };
  "emails.value": { type: "string"; multiValued: false; caseExact: false; value: string };
  "emails.type": { type: "string"; multiValued: false; caseExact: false; value: EmailType };
  "emails.primary": { type: "boolean"; multiValued: false; caseExact: false; value: boolean };
  "emails.display": { type: "string"; multiValued: false; caseExact: false; value: string };
  addresses: {
    type: "complex";
    multiValued: true;
    caseExact: false;
    value: { type?: string; locality?: string };
  };
  "addresses.type": { type: "string"; multiValued: false; caseExact: false; value: string };
  "addresses.locality": { type: "string"; multiValued: false; caseExact: false; value: string };
  x509Certificates: { type: "complex"; multiValued: true; caseExact: false; value: { value?: string } };
  "x509Certificates.value": { type: "binary"; multiValued: false; caseExact: true; value: string };
  meta: { type: "complex"; multiValued: false; caseExact: false; value: { lastModified?: string } };
  "meta.lastModified": { type: "dateTime"; multiValued: false; caseExact: false; value: string };
  "meta.version": { type: "string"; multiValued: false; caseExact: true; value: string };
  loginCount: { type: "integer"; multiValued: false; caseExact: false; value: number };
  score: { type: "decimal"; multiValued: false; caseExact: false; value: number };
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": {
    type: "string";
    multiValued: false;
    caseExact: false;
    value: string;
  };
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": {
    type: "complex";
    multiValued: false;
    caseExact: false;
    value: { value?: string; displayName?: string };
  };
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": {
    type: "string";
    multiValued: false;
    caseExact: false;
    value: string;
  };
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName": {
    type: "string";
    multiValued: false;
    caseExact: false;
    value: string;
  };
}

const f = filterBuilder<TestUserPaths>();

describe("filterBuilder: accepted forms", () => {
  test("comparisons return comparison nodes", () => {
    expectTypeOf(f.eq("userName", "bjensen")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq("active", true)).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq("title", null)).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.gt("meta.lastModified", new Date())).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.le("meta.lastModified", "2011-05-13T04:42:34Z")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.ge("loginCount", 3)).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.lt("score", 2.5)).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.gt("userName", "m")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.co("emails.value", "@example.com")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.sw("profileUrl", "https://")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq("schemas", ENT)).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq("x509Certificates.value", "MIIDQzCC")).toEqualTypeOf<ComparisonFilter>();
  });

  test("a complex multi-valued attribute compares as its value sub-attribute", () => {
    expectTypeOf(f.co("emails", "example.com")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq("emails", "bjensen@example.com")).toEqualTypeOf<ComparisonFilter>();
  });

  test("URN-qualified core and extension paths", () => {
    expectTypeOf(
      f.sw("urn:ietf:params:scim:schemas:core:2.0:User:userName", "J"),
    ).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq(`${ENT}:manager.value`, "26118915")).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(f.eq(`${ENT}:employeeNumber`, "701984")).toEqualTypeOf<ComparisonFilter>();
  });

  test("pr works on every path", () => {
    expectTypeOf(f.pr("name")).toEqualTypeOf<PresentFilter>();
    expectTypeOf(f.pr("active")).toEqualTypeOf<PresentFilter>();
    expectTypeOf(f.pr("x509Certificates.value")).toEqualTypeOf<PresentFilter>();
    expectTypeOf(f.pr(`${ENT}:manager`)).toEqualTypeOf<PresentFilter>();
  });

  test("canonical values autocomplete and other strings are allowed", () => {
    expectTypeOf<EqualityValue<TestUserPaths, "emails.type">>().toEqualTypeOf<EmailType | null>();
    f.eq("emails.type", "work");
    f.eq("emails.type", "pager");
  });

  test("logical operators and value paths", () => {
    expectTypeOf(f.and(f.pr("title"), f.eq("active", true))).toEqualTypeOf<LogicalFilter>();
    expectTypeOf(f.or(f.pr("title"), f.pr("name"), f.pr("emails"))).toEqualTypeOf<LogicalFilter>();
    const many: [Filter, ...Filter[]] = [f.pr("title")];
    expectTypeOf(f.and(...many)).toEqualTypeOf<Filter>();
    expectTypeOf(f.not(f.pr("title"))).toEqualTypeOf<NotFilter>();
    const vp = f.valuePath("emails", (e) =>
      e.and(e.eq("type", "work"), e.co("value", "@example.com"), e.eq("primary", true)),
    );
    expectTypeOf(vp).toEqualTypeOf<ValuePathFilter>();
    f.valuePath(`${ENT}:manager`, (m) => m.eq("value", "26118915"));
    f.valuePath("name", (n) => n.or(n.sw("givenName", "B"), n.pr("familyName")));
  });

  test("path helper types", () => {
    expectTypeOf<ComplexPath<TestUserPaths>>().toEqualTypeOf<
      "name" | "emails" | "addresses" | "x509Certificates" | "meta" | `${Ent}:manager`
    >();
    expectTypeOf<"active">().toMatchTypeOf<EqualityPath<TestUserPaths>>();
    expectTypeOf<keyof SubAttributePaths<TestUserPaths, "emails">>().toEqualTypeOf<
      "value" | "type" | "primary" | "display"
    >();
    expectTypeOf<
      Extract<OrderingPath<TestUserPaths>, "active" | "x509Certificates.value" | "name">
    >().toEqualTypeOf<never>();
    expectTypeOf<
      Extract<SubstringPath<TestUserPaths>, "loginCount" | "active" | "meta.lastModified">
    >().toEqualTypeOf<never>();
  });

  test("without a path map anything goes", () => {
    const any = filterBuilder();
    expectTypeOf(any.eq("whatever.path", 1)).toEqualTypeOf<ComparisonFilter>();
    expectTypeOf(any.co("x", "y")).toEqualTypeOf<ComparisonFilter>();
    any.valuePath("emails", (e) => e.eq("type", "work"));
  });
});

describe("filterBuilder: rejected forms", () => {
  test("misspelt paths", () => {
    // @ts-expect-error: "usrName" is not a path
    f.eq("usrName", "bjensen");
    // @ts-expect-error: paths are typed in schema case; write "userName"
    f.pr("USERNAME");
    // @ts-expect-error: extension attributes need their URN
    f.eq("employeeNumber", "701984");
  });

  test("operators that do not fit the type", () => {
    // @ts-expect-error: gt on a boolean (RFC 7644 §3.4.2.2)
    f.gt("active", true);
    // @ts-expect-error: le on binary
    f.le("x509Certificates.value", "MII");
    // @ts-expect-error: co on an integer
    f.co("loginCount", "1");
    // @ts-expect-error: sw on a boolean
    f.sw("emails.primary", "t");
    // @ts-expect-error: ew on a dateTime
    f.ew("meta.lastModified", "Z");
    // @ts-expect-error: a single-valued complex attribute has no value to compare
    f.eq("name", "Babs");
    // @ts-expect-error: gt on a complex attribute without a value sub-attribute
    f.gt("addresses", "x");
  });

  test("values of the wrong type", () => {
    // @ts-expect-error: active is boolean
    f.eq("active", "true");
    // @ts-expect-error: loginCount is an integer
    f.gt("loginCount", "3");
    // @ts-expect-error: userName is a string
    f.eq("userName", 42);
    // @ts-expect-error: only eq and ne take null
    f.gt("meta.lastModified", null);
    // @ts-expect-error: a Date only for dateTime attributes
    f.eq("userName", new Date());
  });

  test("value paths", () => {
    // @ts-expect-error: "nope" is not a sub-attribute of emails
    f.valuePath("emails", (e) => e.eq("nope", "x"));
    // @ts-expect-error: a sub-attribute of another attribute
    f.valuePath("emails", (e) => e.eq("locality", "x"));
    // @ts-expect-error: userName is not complex
    f.valuePath("userName", (e) => e.pr("value"));
    // @ts-expect-error: gt on the boolean primary inside a value path
    f.valuePath("emails", (e) => e.gt("primary", true));
  });
});
