// The resource examples of RFC 7643 §8.1–§8.4, transcribed into __fixtures__/rfc7643/ (a JSON string the
// RFC wraps across lines is joined; the x509Certificates base64 value without the line breaks).
import { describe, expect, it } from "vitest";
import { ENTERPRISE, GROUP, type Json, rfcExample, thrown, USER } from "../__fixtures__/index.js";
import { validateResource } from "./validate.js";

const READ_ONLY = ["id", "meta", "groups"] as const;

/** What validateResource returns for an example: readOnly attributes and sub-attributes dropped. */
function expected(name: "minimal-user" | "full-user" | "enterprise-user" | "group"): Json {
  const { id: _id, meta: _meta, groups: _groups, ...rest } = rfcExample(name);
  const ext = rest[ENTERPRISE];
  if (ext?.manager) {
    // manager.displayName is readOnly (RFC 7643 §4.3).
    const { displayName: _displayName, ...manager } = ext.manager;
    rest[ENTERPRISE] = { ...ext, manager };
  }
  return rest;
}

const examples = [
  ["§8.1 minimal user", "User", "minimal-user", [USER]],
  ["§8.2 full user", "User", "full-user", [USER]],
  ["§8.3 enterprise user", "User", "enterprise-user", [USER, ENTERPRISE]],
  ["§8.4 group", "Group", "group", [GROUP]],
] as const;

describe.each([false, true])("RFC 7643 §8 examples (strict: %s)", (strict) => {
  describe.each(["create", "replace"] as const)("operation %s", (operation) => {
    it.each(examples)("%s validates; readOnly input is dropped", (_name, type, fixture, schemas) => {
      const result: Json = validateResource(type, rfcExample(fixture), { operation, strict });
      expect(result).toEqual(expected(fixture));
      expect(result.schemas).toEqual(schemas);
      for (const key of READ_ONLY) expect(result).not.toHaveProperty(key);
    });
  });
});

/** Renames every key to upper or lower case, recursively. */
function recase(value: unknown, how: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => recase(v, how));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [how(k), recase(v, how)]));
  return value;
}

describe("attribute names come out in schema case", () => {
  it.each([
    ["upper", (k: string) => k.toUpperCase()],
    ["lower", (k: string) => k.toLowerCase()],
  ] as const)("§8.3 user with every name in %s case", (_name, how) => {
    const body = recase(rfcExample("enterprise-user"), how) as Json;
    for (const strict of [false, true]) {
      expect(validateResource("User", body, { operation: "create", strict })).toEqual(
        expected("enterprise-user"),
      );
    }
  });
  it("schema URNs in `schemas` are matched in any case and returned in schema case", () => {
    const body = { ...rfcExample("group"), schemas: [GROUP.toUpperCase()] };
    expect(validateResource("Group", body, { operation: "replace", strict: true })).toEqual(
      expected("group"),
    );
  });
});

describe("what the examples show about strict mode", () => {
  it('the §8.2 country "USA" is accepted: `country` has no canonicalValues (RFC 7643 §4.1.2 asks for ISO 3166-1 alpha-2)', () => {
    const result: Json = validateResource("User", rfcExample("full-user"), {
      operation: "create",
      strict: true,
    });
    expect(result.addresses[0].country).toBe("USA");
  });
  it('relative $ref values (§8.3 manager "../Users/…") are accepted', () => {
    const result: Json = validateResource("User", rfcExample("enterprise-user"), {
      operation: "create",
      strict: true,
    });
    expect(result[ENTERPRISE].manager.$ref).toBe("../Users/26118915-6090-4610-87e4-49d8ca9f808d");
  });
  it("strict rejects a body without `schemas`, lenient fills it in (RFC 7643 §3)", () => {
    const { schemas: _schemas, ...body } = rfcExample("minimal-user");
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      {
        status: 400,
        scimType: "invalidValue",
      },
    );
    expect(validateResource("User", body, { operation: "create" })).toEqual(expected("minimal-user"));
  });
  it("strict rejects the §8.3 body when `schemas` leaves out the enterprise URN", () => {
    const body = { ...rfcExample("enterprise-user"), schemas: [USER] };
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      {
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining(ENTERPRISE),
      },
    );
    expect((validateResource("User", body, { operation: "create" }) as Json).schemas).toEqual([
      USER,
      ENTERPRISE,
    ]);
  });
  it("strict rejects an unknown attribute naming it (invalidValue, as in PATCH values); lenient ignores it", () => {
    const body = { ...rfcExample("minimal-user"), favouriteColour: "teal" };
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      {
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining("favouriteColour"),
      },
    );
    expect(validateResource("User", body, { operation: "create" })).toEqual(expected("minimal-user"));
  });
  it('canonical values compare case-insensitively unless caseExact: strict accepts type "Work"', () => {
    const body = { ...rfcExample("minimal-user"), emails: [{ value: "b@example.com", type: "Work" }] };
    expect((validateResource("User", body, { operation: "create", strict: true }) as Json).emails).toEqual(
      body.emails,
    );
  });
  it("strict rejects a type outside canonicalValues; lenient keeps it (schemas/README.md D4)", () => {
    const body = { ...rfcExample("minimal-user"), emails: [{ value: "b@example.com", type: "office" }] };
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      {
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining("emails[0].type"),
      },
    );
    expect((validateResource("User", body, { operation: "create" }) as Json).emails).toEqual(body.emails);
  });
});

describe("validation errors name the attribute", () => {
  it.each([
    ["userName missing", { schemas: [USER] }, "userName"],
    ["active not a boolean", { userName: "b", active: "yes" }, "active"],
    [
      "emails[1].primary not a boolean",
      { userName: "b", emails: [{ value: "a" }, { value: "c", primary: 1 }] },
      "emails[1].primary",
    ],
    [
      "two primary emails",
      {
        userName: "b",
        emails: [
          { value: "a", primary: true },
          { value: "c", primary: true },
        ],
      },
      "emails",
    ],
    [
      "meta is ignored, but a bad dateTime elsewhere is not",
      { userName: "b", x509Certificates: [{ value: "%%" }] },
      "x509Certificates[0].value",
    ],
    [
      "enterprise manager.value not a string",
      { userName: "b", [ENTERPRISE]: { manager: { value: 7 } } },
      `${ENTERPRISE}:manager.value`,
    ],
  ])("%s", (_name, body, where) => {
    expect(thrown(() => validateResource("User", body, { operation: "create" }))).toMatchObject({
      status: 400,
      scimType: "invalidValue",
      detail: expect.stringContaining(`"${where}"`),
    });
  });
  it("a body that is not an object is 400 invalidSyntax", () => {
    for (const body of [null, [], "user", 1])
      expect(thrown(() => validateResource("User", body, { operation: "create" }))).toMatchObject({
        status: 400,
        scimType: "invalidSyntax",
      });
  });
});
