import { coreBundle, isScimError, SchemaRegistry, type ScimBundle } from "@scimkit/core";
import { describe, expect, test } from "vitest";
import { compileFilter } from "./compile-filter.js";
import { parseFilter } from "./parse-filter.js";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** RFC 7643 §8.2 (abridged) plus the enterprise extension of §8.3. */
const bjensen = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
  id: "2819c223-7f76-453a-919d-413861904646",
  externalId: "701984",
  userName: "bjensen@example.com",
  name: { formatted: "Ms. Barbara J Jensen, III", familyName: "Jensen", givenName: "Barbara" },
  displayName: "Babs Jensen",
  title: "Tour Guide",
  userType: "Employee",
  active: true,
  emails: [
    { value: "bjensen@example.com", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  ims: [{ value: "someaimhandle", type: "aim" }],
  addresses: [{ type: "work", locality: "Hollywood", primary: true }],
  x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx" }],
  meta: {
    resourceType: "User",
    created: "2010-01-23T04:56:22Z",
    lastModified: "2011-05-13T04:42:34Z",
    version: 'W/"3694e05e9dff591"',
  },
  [ENT]: {
    employeeNumber: "701984",
    costCenter: "4130",
    manager: { value: "26118915-6090-4610-87e4-49d8ca9f808d", displayName: "John Smith" },
  },
};

const group = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  id: "e9e30dba-f08f-4109-8486-d5c6a331660a",
  displayName: "Tour Guides",
  members: [
    {
      value: "2819c223-7f76-453a-919d-413861904646",
      $ref: "https://example.com/v2/Users/2819c223",
      display: "Babs Jensen",
    },
  ],
};

const matches = (filter: string, resource: object = bjensen, options = {}) =>
  compileFilter(filter, options)(resource);

function compileError(filter: string, options = {}): string {
  try {
    compileFilter(filter, options);
  } catch (error) {
    if (isScimError(error) && error.status === 400 && error.scimType === "invalidFilter") return error.detail;
    throw error;
  }
  throw new Error(`expected ${filter} to fail`);
}

describe("compileFilter: strings and caseExact (RFC 7643 §2.2, RFC 7644 §3.4.2.2)", () => {
  test.each([
    ['userName eq "BJENSEN@example.com"', true],
    ['userName eq "bjensen"', false],
    ['userName ne "someone"', true],
    ['userName ne "BJensen@Example.com"', false],
    ['userName sw "BJ"', true],
    ['userName ew "@EXAMPLE.COM"', true],
    ['userName co "SEN@EX"', true],
    ['userName gt "A"', true],
    ['userName gt "C"', false],
    ['userName ge "BJENSEN@EXAMPLE.COM"', true],
    ['userName lt "c"', true],
    ['userName le "b"', false],
    ['name.familyName co "jens"', true],
    ['title eq "tour guide"', true],
    // id and externalId are caseExact (RFC 7643 §3.1).
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['externalId sw "70"', true],
    ['meta.version eq "w/\\"3694e05e9dff591\\""', false],
    ['meta.version eq "W/\\"3694e05e9dff591\\""', true],
    // meta.resourceType is caseExact (RFC 7643 §3.1).
    ['meta.resourceType eq "user"', false],
    ['meta.resourceType eq "User"', true],
  ])("%s → %s", (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  test("attribute names and URNs match in any case, in the filter and in the resource", () => {
    expect(matches('USERNAME eq "bjensen@example.com"')).toBe(true);
    expect(matches('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:userName eq "bjensen@example.com"')).toBe(
      true,
    );
    expect(matches('userName eq "x"', { UserName: "X" })).toBe(true);
    expect(matches('name.givenName eq "b"', { NAME: { GIVENNAME: "B" } })).toBe(true);
    expect(
      matches('EMAILS[TYPE eq "work" and value sw "X"]', { Emails: [{ Type: "WORK", VALUE: "x@y" }] }),
    ).toBe(true);
    expect(matches('emails[type eq "work" and value pr]', { eMails: [{ tYpe: "Work", value: "a" }] })).toBe(
      true,
    );
    expect(matches('emails[type eq "work"]', { emails: { type: "work" } })).toBe(true);
    expect(matches('emails[type eq "work"]', { emails: [{ type: ["home", "work"] }] })).toBe(true);
    expect(
      matches('urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:employeeNumber eq "1"', {
        [ENT.toUpperCase()]: { EmployeeNumber: "1" },
      }),
    ).toBe(true);
  });
});

describe("compileFilter: other types", () => {
  test.each([
    ["active eq true", true],
    ["active eq false", false],
    ["active ne false", true],
    ['active eq "True"', true],
    ['meta.lastModified eq "2011-05-13T06:42:34+02:00"', true],
    ['meta.lastModified gt "2011-05-13T04:42:33Z"', true],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34.000Z"', true],
    ['meta.lastModified lt "2012-01-01T00:00:00"', true],
    ['meta.lastModified le "2011-05-13T04:42:33.999Z"', false],
    ['meta.created ne "2010-01-23T04:56:22Z"', false],
    ['x509Certificates.value eq "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"', true],
    ['x509Certificates.value eq "miidqzccaqygawibagicEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx"', false],
  ])("%s → %s", (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  test("integers and decimals compare numerically", () => {
    const bundle = customBundle();
    const device = { serial: "A1", ports: 8, load: 0.75, tags: ["a", "B"] };
    const opts = { bundle, resourceType: "Device" };
    expect(matches("ports gt 7", device, opts)).toBe(true);
    expect(matches("ports gt 10", device, opts)).toBe(false);
    expect(matches("ports eq 8.0", device, opts)).toBe(true);
    expect(matches("load le 7.5e-1", device, opts)).toBe(true);
    expect(matches("load lt 0.5", device, opts)).toBe(false);
    expect(matches("ports ne 8", device, opts)).toBe(false);
    expect(matches("ports ne 9", { ports: "9" }, opts)).toBe(false);
    expect(matches('serial eq "a1"', device, opts)).toBe(false);
    expect(matches('tags eq "b"', device, opts)).toBe(true);
  });
});

describe("compileFilter: multi-valued and complex attributes", () => {
  test("any value matches", () => {
    expect(matches('emails.value ew "jensen.org"')).toBe(true);
    expect(matches('emails.type eq "home"')).toBe(true);
    expect(matches('emails.type eq "other"')).toBe(false);
    expect(matches('schemas eq "URN:ietf:params:scim:schemas:extension:enterprise:2.0:User"')).toBe(true);
  });

  test("a complex multi-valued attribute without a sub-attribute compares its value", () => {
    expect(matches('emails co "jensen.org"')).toBe(true);
    expect(matches('emails eq "babs@jensen.org"')).toBe(true);
    expect(matches('emails eq "home"')).toBe(false);
    expect(matches('members eq "2819c223-7f76-453a-919d-413861904646"', group)).toBe(true);
  });

  test("conditions in one value path hold for one and the same element", () => {
    expect(matches('emails[type eq "work" and value co "@example.com"]')).toBe(true);
    expect(matches('emails[type eq "home" and value co "@example.com"]')).toBe(false);
    // The same conditions outside a value path may match different elements.
    expect(matches('emails.type eq "home" and emails.value co "@example.com"')).toBe(true);
    expect(matches('emails[type eq "work" and not (primary eq true)]')).toBe(false);
    expect(matches('emails[not (type eq "work")]')).toBe(true);
    expect(matches('emails[primary pr and type eq "WORK"]')).toBe(true);
    expect(matches('addresses[type eq "work" and locality eq "hollywood"]')).toBe(true);
    expect(matches('name[givenName eq "barbara" and familyName eq "jensen"]')).toBe(true);
    expect(matches(`${ENT}:manager[displayName sw "john" and value pr]`)).toBe(true);
  });

  test('the Entra form emails[type eq "work"].value eq "x" tests one element', () => {
    expect(matches('emails[type eq "work"].value eq "bjensen@example.com"')).toBe(true);
    expect(matches('emails[type eq "home"].value eq "bjensen@example.com"')).toBe(false);
  });

  test("extension attributes by URN, under the resource's URN key", () => {
    expect(matches(`${ENT}:employeeNumber eq "701984"`)).toBe(true);
    expect(matches(`${ENT}:manager.value sw "26118915"`)).toBe(true);
    expect(matches(`${ENT}:manager.displayName eq "john smith"`)).toBe(true);
    expect(matches(`${ENT}:employeeNumber eq "701984"`, { employeeNumber: "701984" })).toBe(false);
  });
});

describe("compileFilter: pr and null", () => {
  test.each([
    [{ title: "x" }, true],
    [{ title: "" }, false],
    [{ title: null }, false],
    [{}, false],
    [{ title: [] }, false],
    [{ title: 0 }, true],
    [{ title: false }, true],
  ])("title pr on %j → %s", (resource, expected) => {
    expect(matches("title pr", resource)).toBe(expected);
    expect(matches("title eq null", resource)).toBe(!expected);
    expect(matches("title ne null", resource)).toBe(expected);
  });

  test("complex and multi-valued presence", () => {
    expect(matches("emails pr", { emails: [] })).toBe(false);
    expect(matches("emails pr", { emails: [{}] })).toBe(false);
    expect(matches("emails pr", { emails: [{ value: "" }, { value: "a" }] })).toBe(true);
    expect(matches("name pr", { name: {} })).toBe(false);
    expect(matches("name pr", { name: { givenName: null } })).toBe(false);
    expect(matches("name pr", { name: { givenName: "B" } })).toBe(true);
    expect(matches("emails.value pr", { emails: [{ type: "work" }] })).toBe(false);
    expect(matches("emails.value pr", { emails: [{ type: "work" }, { value: "a" }] })).toBe(true);
    expect(matches("emails.value eq null", {})).toBe(true);
    expect(matches(`${ENT}:manager pr`)).toBe(true);
    expect(matches(`${ENT}:manager.value pr`, { [ENT]: {} })).toBe(false);
  });

  test("ne does not match a missing attribute (no value to compare)", () => {
    expect(matches('title ne "x"', {})).toBe(false);
    expect(matches('not (title eq "x")', {})).toBe(true);
  });
});

describe("compileFilter: logic", () => {
  test("and, or, not and precedence", () => {
    expect(matches('title pr and userType eq "Employee"')).toBe(true);
    expect(matches('title pr and userType eq "Intern"')).toBe(false);
    expect(matches('userType eq "Intern" or title pr')).toBe(true);
    expect(
      matches('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")'),
    ).toBe(false);
    expect(matches('userType eq "Intern" and title pr or active eq true')).toBe(true);
    expect(matches('userType eq "Intern" and (title pr or active eq true)')).toBe(false);
    expect(matches("nickName pr or displayName pr or title pr")).toBe(true);
    expect(matches("displayName pr and title pr and active eq true and userName pr")).toBe(true);
  });

  test("accepts a parsed Filter as well as text", () => {
    const predicate = compileFilter(parseFilter('userName sw "bj"'));
    expect(predicate(bjensen)).toBe(true);
  });
});

describe("compileFilter: resource types and bundles", () => {
  test("without a resource type, attributes resolve against User, then Group", () => {
    expect(matches('members.display co "babs"', group)).toBe(true);
    expect(matches('members[value eq "2819c223-7f76-453a-919d-413861904646"]', group)).toBe(true);
    expect(matches('displayName eq "TOUR GUIDES"', group)).toBe(true);
    expect(matches('members.display co "babs"', bjensen)).toBe(false);
  });

  test("with a resource type, only its attributes exist", () => {
    expect(compileError('members.value eq "x"', { resourceType: "User" })).toBe(
      'unknown attribute "members.value" for resource type User',
    );
    expect(matches('displayName sw "tour"', group, { resourceType: "groups" })).toBe(true);
    expect(matches('displayName sw "tour"', group, { resourceType: "/Groups" })).toBe(true);
  });

  test("a registry or a custom bundle", () => {
    const registry = new SchemaRegistry(coreBundle());
    expect(
      matches('userName eq "bjensen@example.com"', bjensen, { bundle: registry, resourceType: "User" }),
    ).toBe(true);
    const device = { "urn:acme:params:scim:schemas:extension:2.0:Device": { rack: "R2" }, serial: "x" };
    expect(
      matches('urn:acme:params:scim:schemas:extension:2.0:Device:rack eq "r2"', device, {
        bundle: customBundle(),
      }),
    ).toBe(true);
  });

  test("unknown attributes: 400 by default, no value with unknownAttributes absent (RFC 7644 §3.4.2)", () => {
    expect(compileError('fooBar eq "x"')).toBe('unknown attribute "fooBar" for resource types User, Group');
    const absent = { unknownAttributes: "absent" } as const;
    expect(matches('fooBar eq "x"', { fooBar: "x" }, absent)).toBe(false);
    expect(matches("fooBar pr", { fooBar: "x" }, absent)).toBe(false);
    expect(matches("fooBar eq null", {}, absent)).toBe(true);
    expect(matches('not (fooBar eq "x")', {}, absent)).toBe(true);
    expect(matches('emails[fooBar eq "x"]', bjensen, absent)).toBe(false);
    expect(matches("fooBar[x pr]", bjensen, absent)).toBe(false);
  });

  test("unqualified extension attributes resolve when one extension has them; strict wants the URN (RFC 7644 §3.10)", () => {
    expect(matches('employeeNumber eq "701984"')).toBe(true);
    expect(matches('manager.value sw "26118915"', bjensen, { resourceType: "User" })).toBe(true);
    expect(matches('employeeNumber eq "1"')).toBe(false);
    expect(compileError('employeeNumber eq "x"', { strict: true })).toBe(
      `unknown attribute "employeeNumber" for resource types User, Group; did you mean "${ENT}:employeeNumber"? Extension attributes need their schema URN (RFC 7644 §3.10)`,
    );
    expect(matches(`${ENT}:employeeNumber eq "701984"`, bjensen, { strict: true })).toBe(true);
    // a name two extensions define stays a 400, naming both
    const acme = "urn:acme:params:scim:schemas:extension:2.0:User";
    const core = coreBundle();
    const employeeNumber = core.schemas
      .find((schema) => schema.id === ENT)
      ?.attributes.filter((a) => a.name === "employeeNumber");
    const twice: ScimBundle = {
      schemas: [...core.schemas, { id: acme, name: "AcmeUser", attributes: employeeNumber ?? [] }],
      resourceTypes: core.resourceTypes.map((t) =>
        t.name === "User"
          ? { ...t, schemaExtensions: [...t.schemaExtensions, { schema: acme, required: false }] }
          : t,
      ),
    };
    expect(compileError('employeeNumber eq "x"', { bundle: twice, resourceType: "User" })).toBe(
      `unknown attribute "employeeNumber" for resource type User; it is ambiguous: "${ENT}:employeeNumber" or "${acme}:employeeNumber"; qualify it with its schema URN (RFC 7644 §3.10)`,
    );
  });
});

describe("compileFilter: comparisons the RFC forbids are 400 invalidFilter at compile time", () => {
  test.each([
    ["active gt true", /"gt" cannot compare "active": boolean attributes support only eq, ne and pr/],
    ['x509Certificates.value le "M"', /"le" cannot compare "x509Certificates.value": binary attributes/],
    ['active co "t"', /"co" cannot compare "active": it is a boolean attribute/],
    ['meta.lastModified sw "2011"', /"sw" cannot compare "meta.lastModified": it is a dateTime attribute/],
    [
      'x509Certificates.value co "M"',
      /"co" cannot compare "x509Certificates.value": it is a binary attribute/,
    ],
    ['active eq "yes"', /"active" is a boolean attribute; compare it with true or false, not "yes"/],
    ["userName eq 42", /"userName" is a string attribute; compare it with a string in double quotes, not 42/],
    [
      'meta.lastModified gt "yesterday"',
      /"meta.lastModified" is a dateTime attribute; compare it with a date-time string/,
    ],
    ["meta.lastModified gt 5", /dateTime attribute/],
    [
      'name eq "Babs"',
      /"name" is a complex attribute; compare one of its sub-attributes \(formatted, familyName/,
    ],
    ['addresses eq "x"', /"addresses" is a complex attribute/],
    ["title gt null", /"gt" cannot compare "title" with null; only eq and ne can/],
    ['userName[value eq "x"]', /"userName\[\.\.\.\]" needs a complex attribute before "\["/],
    ['emails[type[value eq "x"]]', /^unexpected "\[" at column 12: value paths do not nest/],
    ['emails[nope eq "x"]', /"emails" has no sub-attribute "nope" \(it has: value, display, type, primary\)/],
    ['emails[emails.value eq "x"]', /inside "emails\[\.\.\.\]" name a sub-attribute of "emails"/],
    ["userName eq", /expected a value after "eq" at column 12/],
  ])("%s", (filter, message) => {
    expect(compileError(filter)).toMatch(message);
  });

  test("a nested value path built in code (no text to parse) is a 400 too", () => {
    const nested: import("./ast.js").Filter = {
      op: "valuePath",
      path: { attribute: "emails" },
      filter: {
        op: "valuePath",
        path: { attribute: "type" },
        filter: { op: "eq", path: { attribute: "value" }, value: "x" },
      },
    };
    expect(() => compileFilter(nested)).toThrow(/"type\[\.\.\.\]" needs a complex attribute/);
  });

  test("the depth limit applies to Filter trees built in code", () => {
    let deep: import("./ast.js").Filter = { op: "pr", path: { attribute: "title" } };
    for (let i = 0; i < 100_000; i++) deep = { op: "not", filter: deep };
    expect(() => compileFilter(deep)).toThrow(/more than 64 levels/);
    expect(() => compileFilter({ op: "nope" } as never)).toThrow(/unknown filter node "nope"/);
  });
});

describe("compileFilter: robustness", () => {
  test.each([
    'emails[type eq "work"] or userName sw "a" or meta.lastModified gt "2011-01-01T00:00:00Z" or name pr',
    'userName sw "a"',
    "name.givenName pr",
    'emails[type eq "work"]',
    "title eq null",
    "not (title pr)",
  ])("never throws, whatever the resource: %s", (filter) => {
    const predicate = compileFilter(filter);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        ownKeys() {
          throw new Error("boom");
        },
      },
    );
    const throwing = Object.defineProperty({}, "userName", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    for (const resource of [null, undefined, 42, "x", [], [bjensen], hostile]) {
      expect(predicate(resource as object)).toBe(false);
    }
    for (const resource of [
      throwing,
      Object.create(null),
      { emails: "x", name: 7, title: {} },
      { emails: [null, 1, "a", [[]]], userName: ["A"] },
    ]) {
      expect(typeof predicate(resource as object)).toBe("boolean");
    }
  });

  test("inherited properties are not attributes", () => {
    const custom = customBundle();
    expect(matches("constructor pr", {}, { bundle: custom, resourceType: "Device" })).toBe(false);
    expect(matches("constructor pr", { Constructor: "x" }, { bundle: custom, resourceType: "Device" })).toBe(
      true,
    );
  });
});

function customBundle(): ScimBundle {
  const attr = (name: string, type: "string" | "integer" | "decimal", extra = {}) => ({
    name,
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: "readWrite" as const,
    returned: "default" as const,
    uniqueness: "none" as const,
    ...extra,
  });
  return {
    schemas: [
      {
        id: "urn:acme:params:scim:schemas:core:2.0:Device",
        name: "Device",
        attributes: [
          attr("serial", "string", { caseExact: true }),
          attr("ports", "integer"),
          attr("load", "decimal"),
          attr("tags", "string", { multiValued: true }),
          attr("constructor", "string"),
        ],
      },
      {
        id: "urn:acme:params:scim:schemas:extension:2.0:Device",
        name: "DeviceExtension",
        attributes: [attr("rack", "string")],
      },
    ],
    resourceTypes: [
      {
        name: "Device",
        endpoint: "/Devices",
        schema: "urn:acme:params:scim:schemas:core:2.0:Device",
        schemaExtensions: [{ schema: "urn:acme:params:scim:schemas:extension:2.0:Device", required: false }],
      },
    ],
  };
}

describe("filters identity providers send", () => {
  test.each([
    // Entra ID: matching on userName / externalId, group membership checks, enterprise attributes.
    ['userName eq "bjensen@example.com"', bjensen, true],
    ['externalId eq "701984"', bjensen, true],
    [
      'id eq "e9e30dba-f08f-4109-8486-d5c6a331660a" and members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      group,
      true,
    ],
    ['id eq "e9e30dba-f08f-4109-8486-d5c6a331660a" and members[value eq "nobody"]', group, false],
    [`${ENT}:employeeNumber eq "701984"`, bjensen, true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', bjensen, true],
    ['displayName eq "Tour Guides"', group, true],
    // Okta: userName lookups, sometimes with a boolean as a string.
    ['userName eq "BJENSEN@EXAMPLE.COM" and active eq "true"', bjensen, true],
    // OneLogin / Google: sw and co on userName and emails.
    ['userName sw "bjensen" or emails.value co "jensen.org"', bjensen, true],
    ['members.$ref sw "https://example.com/v2/Users/"', group, true],
  ] as const)("%s", (filter, resource, expected) => {
    expect(matches(filter, resource)).toBe(expected);
  });
});
