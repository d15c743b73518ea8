/// <reference types="node" />
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  attributeAt,
  CORE_DIR,
  EXAMPLES_DIR,
  loadDir,
  readDir,
  resourceType,
  schema,
  walk,
} from "./__fixtures__/schema-loader-helpers.js";
import {
  addDefinitions,
  type LoadedDocuments,
  parseAttributeList,
  parseResourceTypeDefinition,
  parseSchemaDefinition,
  parseSchemaDocument,
  SchemaLoadError,
} from "./schema-loader.js";
import type { AttributeDefinition, SchemaDefinition } from "./schema-types.js";
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./urns.js";

describe("parseSchemaDefinition, parseResourceTypeDefinition, parseAttributeList, addDefinitions", () => {
  it("prefix pointers with the given pointer", () => {
    const where = { file: "api.json", pointer: "/Resources/3" };
    expect(() => parseSchemaDefinition(schema([{ name: "a", type: "x" }]), where)).toThrow(
      "api.json: /Resources/3/attributes/0/type: unknown attribute type",
    );
    expect(() => parseResourceTypeDefinition(resourceType({ endpoint: "x" }), where)).toThrow(
      "api.json: /Resources/3/endpoint:",
    );
    expect(() => parseAttributeList([{ name: "1" }], { file: "c.json", pointer: "/attributes" })).toThrow(
      "c.json: /attributes/0/name:",
    );
  });

  it("report a missing pointer as the whole document", () => {
    expect(() => parseSchemaDefinition("x", { file: "f.json" })).toThrow(
      "f.json: (document): a schema must be an object",
    );
    expect(() => parseResourceTypeDefinition([], { file: "f.json" })).toThrow(
      "f.json: (document): a resource type must be an object, got an array",
    );
  });

  it("addDefinitions appends to what was already loaded", () => {
    const out: LoadedDocuments = { schemas: [], resourceTypes: [] };
    addDefinitions(out, schema([]), "a.json", "");
    addDefinitions(out, { Resources: [resourceType()] }, "https://example.com/v2/ResourceTypes", "");
    expect(out.schemas.map((s) => s.file)).toEqual(["a.json"]);
    expect(out.resourceTypes.map((r) => [r.file, r.pointer])).toEqual([
      ["https://example.com/v2/ResourceTypes", "/Resources/0"],
    ]);
  });

  it("parseAttributeList checks names across the list", () => {
    expect(() =>
      parseAttributeList([{ name: "id" }, { name: "ID" }], { file: "c.json", pointer: "/attributes" }),
    ).toThrow("c.json: /attributes/1/name: attribute names");
  });
});

describe("SchemaLoadError", () => {
  it("formats line and column like a compiler when they are known", () => {
    const err = new SchemaLoadError({
      file: "a.json",
      pointer: "",
      problem: "invalid JSON: x",
      line: 3,
      column: 7,
    });
    expect(err.message).toBe("a.json:3:7: invalid JSON: x");
    expect(err.name).toBe("SchemaLoadError");
  });

  it("keeps its cause", () => {
    const cause = new Error("inner");
    expect(new SchemaLoadError({ file: "a.json", pointer: "/x", problem: "p", cause }).cause).toBe(cause);
  });
});

describe("the schemas/ folder", () => {
  const core = loadDir(CORE_DIR);
  const examples = loadDir(EXAMPLES_DIR);
  const coreSchema = (id: string): SchemaDefinition => {
    const found = core.schemas.find((s) => s.definition.id === id);
    if (!found) throw new Error(`no ${id}`);
    return found.definition;
  };

  it("every file is exactly JSON.stringify(value, null, 2) + newline (schemas/README.md)", () => {
    for (const dir of [CORE_DIR, EXAMPLES_DIR]) {
      for (const { file, text } of readDir(dir))
        expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, file).toBe(text);
    }
  });

  it("schemas/core holds the six RFC 7643 §8.7 schemas and the two §8.6 resource types", () => {
    expect(core.schemas.map((s) => s.definition.id).sort()).toEqual(
      [
        USER_SCHEMA,
        GROUP_SCHEMA,
        ENTERPRISE_USER_SCHEMA,
        SERVICE_PROVIDER_CONFIG_SCHEMA,
        RESOURCE_TYPE_SCHEMA,
        SCHEMA_SCHEMA,
      ].sort(),
    );
    expect(core.resourceTypes.map((r) => r.definition.name).sort()).toEqual(["Group", "User"]);
    expect(core.schemas.every((s) => s.pointer === "")).toBe(true);
  });

  it("common-attributes.json is validated and contributes no definitions (RFC 7643 §3.1)", () => {
    const text = readFileSync(new URL("common-attributes.json", CORE_DIR), "utf8");
    expect(parseSchemaDocument(text, "common-attributes.json")).toEqual({ schemas: [], resourceTypes: [] });
    const raw = JSON.parse(text) as { commonAttributes: unknown };
    const attributes = parseAttributeList(raw.commonAttributes, {
      file: "common-attributes.json",
      pointer: "/commonAttributes",
    });
    expect(attributes.map((a) => a.name)).toEqual(["id", "externalId", "meta"]);
  });

  it("schemas/examples holds two schemas and two resource types", () => {
    expect(examples.schemas.map((s) => s.definition.id).sort()).toEqual([
      "urn:acme:params:scim:schemas:core:2.0:Device",
      "urn:acme:params:scim:schemas:extension:2.0:User",
    ]);
    expect(examples.resourceTypes.map((r) => r.definition.name).sort()).toEqual(["Device", "User"]);
  });

  it("loads every schema file losslessly: the files spell out every characteristic (schemas/README.md F15)", () => {
    // The loader drops empty lists, such as the `"canonicalValues": []` the RFC prints on several `type`s.
    const withoutEmptyLists = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v).filter(([, x]) => !(Array.isArray(x) && x.length === 0)))
          : v,
      );
    let checked = 0;
    for (const dir of [CORE_DIR, EXAMPLES_DIR]) {
      for (const { file, text } of readDir(dir)) {
        const raw = JSON.parse(text) as { attributes?: unknown; endpoint?: unknown };
        if (raw.attributes === undefined) continue;
        const [loaded] = parseSchemaDocument(text, file).schemas;
        expect(loaded?.definition.attributes, file).toEqual(withoutEmptyLists(raw.attributes));
        checked++;
      }
    }
    expect(checked).toBe(8);
  });

  const counts: [name: string, { given: string; want: number }][] = [
    ["User (RFC 7643 §4.1)", { given: USER_SCHEMA, want: 21 }],
    ["Group (§4.2)", { given: GROUP_SCHEMA, want: 2 }],
    ["EnterpriseUser (§4.3)", { given: ENTERPRISE_USER_SCHEMA, want: 6 }],
    ["ServiceProviderConfig (§5, with etag, README F7)", { given: SERVICE_PROVIDER_CONFIG_SCHEMA, want: 8 }],
    ["ResourceType (§6)", { given: RESOURCE_TYPE_SCHEMA, want: 6 }],
    ["Schema (§7)", { given: SCHEMA_SCHEMA, want: 4 }],
  ];
  it.each(counts)("%s has the RFC's number of top-level attributes", (_name, { given, want }) => {
    expect(coreSchema(given).attributes).toHaveLength(want);
  });

  const characteristics: [
    name: string,
    { given: [schemaId: string, path: string]; want: Partial<AttributeDefinition> },
  ][] = [
    [
      "User userName: required, uniqueness server (§4.1.1)",
      {
        given: [USER_SCHEMA, "userName"],
        want: { type: "string", required: true, caseExact: false, uniqueness: "server" },
      },
    ],
    [
      "User name.givenName",
      {
        given: [USER_SCHEMA, "name.givenName"],
        want: { type: "string", multiValued: false, required: false },
      },
    ],
    [
      "User password: writeOnly, returned never (§4.1.1)",
      { given: [USER_SCHEMA, "password"], want: { mutability: "writeOnly", returned: "never" } },
    ],
    [
      "User active: boolean",
      { given: [USER_SCHEMA, "active"], want: { type: "boolean", caseExact: false, uniqueness: "none" } },
    ],
    [
      "User profileUrl: external reference, caseExact (§2.3.7, README F6)",
      {
        given: [USER_SCHEMA, "profileUrl"],
        want: { type: "reference", referenceTypes: ["external"], caseExact: true },
      },
    ],
    [
      "User emails: multi-valued complex",
      { given: [USER_SCHEMA, "emails"], want: { type: "complex", multiValued: true } },
    ],
    [
      "User emails.type canonical values",
      { given: [USER_SCHEMA, "emails.type"], want: { canonicalValues: ["work", "home", "other"] } },
    ],
    [
      "User emails.display: readWrite (README F1)",
      { given: [USER_SCHEMA, "emails.display"], want: { mutability: "readWrite" } },
    ],
    [
      "User ims.type lists 'other' (§4.1.2, README F3)",
      {
        given: [USER_SCHEMA, "ims.type"],
        want: { canonicalValues: ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo", "other"] },
      },
    ],
    [
      "User addresses.primary (README F2)",
      {
        given: [USER_SCHEMA, "addresses.primary"],
        want: { type: "boolean", required: false, mutability: "readWrite" },
      },
    ],
    [
      "User groups: readOnly (§4.1.2)",
      {
        given: [USER_SCHEMA, "groups"],
        want: { type: "complex", multiValued: true, mutability: "readOnly" },
      },
    ],
    [
      "User groups.value: readOnly",
      { given: [USER_SCHEMA, "groups.value"], want: { mutability: "readOnly" } },
    ],
    [
      "User groups.$ref refers to Group only (README F4)",
      {
        given: [USER_SCHEMA, "groups.$ref"],
        want: { type: "reference", referenceTypes: ["Group"], caseExact: true, mutability: "readOnly" },
      },
    ],
    [
      "User x509Certificates.value: binary, caseExact (§2.3.6)",
      { given: [USER_SCHEMA, "x509Certificates.value"], want: { type: "binary", caseExact: true } },
    ],
    [
      "Group displayName: required (§4.2, README D1)",
      { given: [GROUP_SCHEMA, "displayName"], want: { type: "string", required: true } },
    ],
    [
      "Group members: multi-valued complex",
      { given: [GROUP_SCHEMA, "members"], want: { type: "complex", multiValued: true } },
    ],
    [
      "Group members.value: immutable (§4.2)",
      { given: [GROUP_SCHEMA, "members.value"], want: { mutability: "immutable", caseExact: false } },
    ],
    [
      "Group members.$ref: User or Group",
      {
        given: [GROUP_SCHEMA, "members.$ref"],
        want: { referenceTypes: ["User", "Group"], caseExact: true, mutability: "immutable" },
      },
    ],
    [
      "Group members.display: immutable (README D2)",
      {
        given: [GROUP_SCHEMA, "members.display"],
        want: { type: "string", mutability: "immutable", required: false },
      },
    ],
    [
      "Group members.type: User or Group, immutable",
      {
        given: [GROUP_SCHEMA, "members.type"],
        want: { canonicalValues: ["User", "Group"], mutability: "immutable" },
      },
    ],
    [
      "EnterpriseUser employeeNumber",
      { given: [ENTERPRISE_USER_SCHEMA, "employeeNumber"], want: { type: "string", required: false } },
    ],
    [
      "EnterpriseUser manager.value: optional (§4.3, README F5)",
      { given: [ENTERPRISE_USER_SCHEMA, "manager.value"], want: { required: false } },
    ],
    [
      "EnterpriseUser manager.displayName: readOnly",
      { given: [ENTERPRISE_USER_SCHEMA, "manager.displayName"], want: { mutability: "readOnly" } },
    ],
    [
      "ServiceProviderConfig patch.supported: required",
      {
        given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "patch.supported"],
        want: { type: "boolean", required: true, mutability: "readOnly" },
      },
    ],
    [
      "ServiceProviderConfig etag.supported (§5, README F7)",
      {
        given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "etag.supported"],
        want: { type: "boolean", required: true },
      },
    ],
    [
      "ServiceProviderConfig bulk.maxOperations: integer",
      {
        given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "bulk.maxOperations"],
        want: { type: "integer", required: true },
      },
    ],
    [
      "ServiceProviderConfig authenticationSchemes.type (§5, README F8)",
      {
        given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "authenticationSchemes.type"],
        want: {
          required: true,
          canonicalValues: ["oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"],
        },
      },
    ],
    [
      "ResourceType endpoint: reference, caseExact (README F6)",
      { given: [RESOURCE_TYPE_SCHEMA, "endpoint"], want: { type: "reference", caseExact: true } },
    ],
    [
      "ResourceType schemaExtensions: multi-valued, optional (§6, README F9)",
      { given: [RESOURCE_TYPE_SCHEMA, "schemaExtensions"], want: { multiValued: true, required: false } },
    ],
    [
      "Schema id: returned always (§7, README F10)",
      { given: [SCHEMA_SCHEMA, "id"], want: { returned: "always" } },
    ],
    ["Schema name: optional (§7, README F11)", { given: [SCHEMA_SCHEMA, "name"], want: { required: false } }],
    [
      "Schema attributes.type lists binary (README F13)",
      {
        given: [SCHEMA_SCHEMA, "attributes.type"],
        want: {
          canonicalValues: [
            "string",
            "complex",
            "boolean",
            "decimal",
            "integer",
            "dateTime",
            "reference",
            "binary",
          ],
        },
      },
    ],
    [
      "Schema attributes.subAttributes: a nested complex (§8.7.2)",
      { given: [SCHEMA_SCHEMA, "attributes.subAttributes"], want: { type: "complex", multiValued: true } },
    ],
    [
      "Schema attributes.subAttributes.referenceTypes: multi-valued (README F14)",
      { given: [SCHEMA_SCHEMA, "attributes.subAttributes.referenceTypes"], want: { multiValued: true } },
    ],
  ];
  it.each(characteristics)("%s", (_name, { given: [id, path], want }) => {
    expect(attributeAt(coreSchema(id), path)).toMatchObject(want);
  });

  it("the User display sub-attributes no longer say READ-ONLY, except groups.display (README F1)", () => {
    const user = coreSchema(USER_SCHEMA);
    for (const multi of [
      "emails",
      "phoneNumbers",
      "ims",
      "photos",
      "entitlements",
      "roles",
      "x509Certificates",
    ]) {
      expect(attributeAt(user, `${multi}.display`).description, multi).not.toContain("READ-ONLY");
    }
    expect(attributeAt(user, "groups.display").description).toContain("READ-ONLY");
  });

  it("every reference and binary attribute is caseExact, and every complex has sub-attributes (§2.3.6–§2.3.8)", () => {
    for (const { definition } of [...core.schemas, ...examples.schemas]) {
      for (const [path, attribute] of walk(definition.attributes)) {
        if (attribute.type === "reference" || attribute.type === "binary")
          expect(attribute.caseExact, `${definition.id} ${path}`).toBe(true);
        if (attribute.type === "reference")
          expect(attribute.referenceTypes?.length, `${definition.id} ${path}`).toBeGreaterThan(0);
        if (attribute.type === "complex")
          expect(attribute.subAttributes?.length, `${definition.id} ${path}`).toBeGreaterThan(0);
        else expect(attribute.subAttributes, `${definition.id} ${path}`).toBeUndefined();
      }
    }
  });

  it("the ServiceProviderConfig schema keeps its printed name with spaces", () => {
    expect(coreSchema(SERVICE_PROVIDER_CONFIG_SCHEMA).name).toBe("Service Provider Configuration");
  });

  it("the core resource types match RFC 7643 §8.6", () => {
    const byName = Object.fromEntries(core.resourceTypes.map((r) => [r.definition.name, r.definition]));
    expect(byName.User).toMatchObject({
      id: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: USER_SCHEMA,
    });
    expect(byName.User?.schemaExtensions.map((e) => e.schema)).toEqual([ENTERPRISE_USER_SCHEMA]);
    expect(byName.Group).toStrictEqual({
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "Group",
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
    });
  });

  it("the example resource types extend User with two optional extensions and add Device", () => {
    const byName = Object.fromEntries(examples.resourceTypes.map((r) => [r.definition.name, r.definition]));
    expect(byName.User?.schemaExtensions).toEqual([
      { schema: ENTERPRISE_USER_SCHEMA, required: false },
      { schema: "urn:acme:params:scim:schemas:extension:2.0:User", required: false },
    ]);
    expect(byName.Device).toMatchObject({
      endpoint: "/Devices",
      schema: "urn:acme:params:scim:schemas:core:2.0:Device",
      schemaExtensions: [],
    });
  });

  it("the example schemas cover every data type (schemas/README.md)", () => {
    const types = new Set<string>();
    for (const { definition } of examples.schemas)
      for (const [, a] of walk(definition.attributes)) types.add(a.type);
    expect([...types].sort()).toEqual([
      "binary",
      "boolean",
      "complex",
      "dateTime",
      "decimal",
      "integer",
      "reference",
      "string",
    ]);
  });
});
