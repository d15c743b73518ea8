import { beforeAll, describe, expect, it } from "vitest";
import { CORE_DIR, ENTERPRISE_URN, EXAMPLES_DIR, THING_EXTRA_URN, thingModel } from "./__fixtures__/model.js";
import { buildJsonSchemas, JSON_SCHEMA_DIALECT, type JsonSchema } from "./json-schema.js";
import { loadSchemaFolder, resolveModel } from "./load.js";
import { planTypes } from "./plan.js";

type Defs = Record<string, JsonSchema>;

/** The JSON Schema definitions of a `Thing` resource type with these attributes. */
function thingDefs(attributes: unknown[], extensions: Parameters<typeof thingModel>[1] = []): Defs {
  return buildJsonSchemas(planTypes(thingModel(attributes, extensions))).$defs;
}

/** `defs[name]`, failing the test when it is missing. */
function def(defs: Defs, name: string): JsonSchema & { properties: Record<string, JsonSchema> } {
  const found = defs[name];
  if (found === undefined) throw new Error(`no definition ${name}; have ${Object.keys(defs).join(", ")}`);
  return found as JsonSchema & { properties: Record<string, JsonSchema> };
}

/** A property schema without the annotations (`description`, `x-scim`), i.e. only what validates. */
function shape(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (schema === undefined) return undefined;
  const { description: _d, "x-scim": _x, ...rest } = schema;
  return rest;
}

describe("SCIM attribute type → JSON Schema 2020-12 (RFC 7643 §2.3)", () => {
  const cases: [string, { given: Record<string, unknown>; want: JsonSchema }][] = [
    ["string", { given: { type: "string" }, want: { type: "string" } }],
    ["no type defaults to string (RFC 7643 §2.2)", { given: {}, want: { type: "string" } }],
    [
      "string with canonicalValues stays a plain string",
      { given: { canonicalValues: ["a", "b"] }, want: { type: "string" } },
    ],
    ["boolean", { given: { type: "boolean" }, want: { type: "boolean" } }],
    ["decimal", { given: { type: "decimal" }, want: { type: "number" } }],
    ["integer", { given: { type: "integer" }, want: { type: "integer" } }],
    ["dateTime", { given: { type: "dateTime" }, want: { type: "string", format: "date-time" } }],
    ["binary", { given: { type: "binary" }, want: { type: "string", contentEncoding: "base64" } }],
    [
      "reference",
      {
        given: { type: "reference", referenceTypes: ["external"] },
        want: { type: "string", format: "uri-reference" },
      },
    ],
    [
      "keyword case is normalized (RFC 7643 §2.1)",
      { given: { type: "DATETIME" }, want: { type: "string", format: "date-time" } },
    ],
    [
      "multi-valued string",
      { given: { type: "string", multiValued: true }, want: { type: "array", items: { type: "string" } } },
    ],
    [
      "multi-valued integer",
      { given: { type: "integer", multiValued: true }, want: { type: "array", items: { type: "integer" } } },
    ],
    [
      "multi-valued dateTime",
      {
        given: { type: "dateTime", multiValued: true },
        want: { type: "array", items: { type: "string", format: "date-time" } },
      },
    ],
    [
      "complex: a named definition",
      {
        given: { type: "complex", subAttributes: [{ name: "value" }] },
        want: { $ref: "#/$defs/ThingField" },
      },
    ],
    [
      "multi-valued complex: an array of the named definition",
      {
        given: { type: "complex", multiValued: true, subAttributes: [{ name: "value" }] },
        want: { type: "array", items: { $ref: "#/$defs/ThingField" } },
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    const name = given.type === "complex" && given.multiValued ? "fields" : "field";
    const defs = thingDefs([{ name, ...given }]);
    expect(shape(def(defs, "Thing").properties[name])).toEqual(want);
  });

  it("gives a complex value a definition titled with its type name, holding its sub-attributes", () => {
    const defs = thingDefs([
      {
        name: "fields",
        type: "complex",
        multiValued: true,
        description: "Fields of the thing.",
        subAttributes: [
          { name: "value", required: true },
          { name: "count", type: "integer" },
        ],
      },
    ]);
    const field = def(defs, "ThingField");
    expect({
      ...field,
      properties: Object.fromEntries(Object.entries(field.properties).map(([k, v]) => [k, shape(v)])),
    }).toEqual({
      title: "ThingField",
      description: "Fields of the thing.",
      type: "object",
      properties: { value: { type: "string" }, count: { type: "integer" } },
      required: ["value"],
      additionalProperties: false,
    });
  });

  it("copies the attribute description and puts every SCIM characteristic under x-scim", () => {
    const defs = thingDefs([
      {
        name: "serial",
        type: "string",
        description: "Serial number.",
        required: true,
        caseExact: true,
        mutability: "immutable",
        returned: "always",
        uniqueness: "global",
        canonicalValues: ["A1", "B2"],
      },
      { name: "link", type: "reference", referenceTypes: ["User", "external"] },
    ]);
    const { properties } = def(defs, "Thing");
    expect(properties.serial).toEqual({
      description: "Serial number.",
      type: "string",
      "x-scim": {
        type: "string",
        multiValued: false,
        required: true,
        caseExact: true,
        canonicalValues: ["A1", "B2"],
        mutability: "immutable",
        returned: "always",
        uniqueness: "global",
      },
    });
    expect(properties.link?.["x-scim"]).toEqual({
      type: "reference",
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
      referenceTypes: ["User", "external"],
    });
  });

  it("keeps a nested complex attribute (RFC 7643 §8.7.2 Schema) inline rather than naming it", async () => {
    const { $defs } = buildJsonSchemas(planTypes(resolveModel(await loadSchemaFolder(CORE_DIR))));
    const subAttributes = def($defs, "SchemaAttribute").properties.subAttributes ?? {};
    expect(subAttributes.type).toBe("array");
    expect((subAttributes.items as JsonSchema).type).toBe("object");
    expect(JSON.stringify(subAttributes)).not.toContain('$ref":"#');
  });
});

describe("views of the core User (RFC 7643 §4.1, §3.1; RFC 7644 §3.3, §3.5)", () => {
  let defs: Defs;
  beforeAll(async () => {
    defs = buildJsonSchemas(planTypes(resolveModel(await loadSchemaFolder(CORE_DIR)))).$defs;
  });

  type Presence = "required" | "optional" | "absent";
  const cases: [string, { given: { type: string; attribute: string }; want: Presence }][] = [
    [
      "User: schemas is required (RFC 7643 §3)",
      { given: { type: "User", attribute: "schemas" }, want: "required" },
    ],
    [
      "User: id is required (returned always)",
      { given: { type: "User", attribute: "id" }, want: "required" },
    ],
    ["User: meta is there", { given: { type: "User", attribute: "meta" }, want: "optional" }],
    ["User: userName is required", { given: { type: "User", attribute: "userName" }, want: "required" }],
    ["User: groups (readOnly) is there", { given: { type: "User", attribute: "groups" }, want: "optional" }],
    [
      "User: password (returned never) is absent",
      { given: { type: "User", attribute: "password" }, want: "absent" },
    ],
    ["User: externalId is optional", { given: { type: "User", attribute: "externalId" }, want: "optional" }],
    [
      "UserInput: schemas is required",
      { given: { type: "UserInput", attribute: "schemas" }, want: "required" },
    ],
    ["UserInput: id (readOnly) is absent", { given: { type: "UserInput", attribute: "id" }, want: "absent" }],
    [
      "UserInput: meta (readOnly) is absent",
      { given: { type: "UserInput", attribute: "meta" }, want: "absent" },
    ],
    [
      "UserInput: groups (readOnly) is absent",
      { given: { type: "UserInput", attribute: "groups" }, want: "absent" },
    ],
    [
      "UserInput: userName is required",
      { given: { type: "UserInput", attribute: "userName" }, want: "required" },
    ],
    [
      "UserInput: password (writeOnly) is there",
      { given: { type: "UserInput", attribute: "password" }, want: "optional" },
    ],
    [
      "UserInput: externalId is optional",
      { given: { type: "UserInput", attribute: "externalId" }, want: "optional" },
    ],
    ["UserPatch: schemas is absent", { given: { type: "UserPatch", attribute: "schemas" }, want: "absent" }],
    ["UserPatch: id is absent", { given: { type: "UserPatch", attribute: "id" }, want: "absent" }],
    ["UserPatch: meta is absent", { given: { type: "UserPatch", attribute: "meta" }, want: "absent" }],
    ["UserPatch: groups is absent", { given: { type: "UserPatch", attribute: "groups" }, want: "absent" }],
    [
      "UserPatch: userName is optional",
      { given: { type: "UserPatch", attribute: "userName" }, want: "optional" },
    ],
    [
      "UserPatch: password is optional",
      { given: { type: "UserPatch", attribute: "password" }, want: "optional" },
    ],
    [
      "Group: displayName is required (schemas/README.md D1)",
      { given: { type: "Group", attribute: "displayName" }, want: "required" },
    ],
    [
      "GroupInput: displayName is required",
      { given: { type: "GroupInput", attribute: "displayName" }, want: "required" },
    ],
    [
      "GroupPatch: displayName is optional",
      { given: { type: "GroupPatch", attribute: "displayName" }, want: "optional" },
    ],
    [
      "EnterpriseUser: no schemas of its own",
      { given: { type: "EnterpriseUser", attribute: "schemas" }, want: "absent" },
    ],
    [
      "EnterpriseUser: no id of its own",
      { given: { type: "EnterpriseUser", attribute: "id" }, want: "absent" },
    ],
    [
      "Schema: id is required (schemas/README.md F10)",
      { given: { type: "Schema", attribute: "id" }, want: "required" },
    ],
    [
      "ServiceProviderConfiguration: id is optional (RFC 7643 §5)",
      { given: { type: "ServiceProviderConfiguration", attribute: "id" }, want: "optional" },
    ],
    [
      "ServiceProviderConfiguration: patch is required",
      { given: { type: "ServiceProviderConfiguration", attribute: "patch" }, want: "required" },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    const schema = def(defs, given.type);
    const required = (schema.required as string[] | undefined) ?? [];
    const got: Presence = !(given.attribute in schema.properties)
      ? "absent"
      : required.includes(given.attribute)
        ? "required"
        : "optional";
    expect(got).toBe(want);
  });

  it("requires exactly id, schemas and the required attributes per view; nothing in PATCH", () => {
    expect(def(defs, "User").required).toEqual(["schemas", "id", "userName"]);
    expect(def(defs, "UserInput").required).toEqual(["schemas", "userName"]);
    expect(def(defs, "UserPatch")).not.toHaveProperty("required");
    expect(def(defs, "EnterpriseUserPatch")).not.toHaveProperty("required");
  });

  it("names complex values only in the resource view; input and patch values are inline", () => {
    expect(shape(def(defs, "User").properties.emails)).toEqual({
      type: "array",
      items: { $ref: "#/$defs/UserEmail" },
    });
    expect(shape(def(defs, "User").properties.meta)).toEqual({ $ref: "#/$defs/Meta" });
    for (const view of ["UserInput", "UserPatch"]) {
      const emails = def(defs, view).properties.emails ?? {};
      expect((emails.items as JsonSchema).type).toBe("object");
      expect(emails.items).not.toHaveProperty("$ref");
    }
    expect(Object.keys(defs)).not.toContain("UserInputEmail");
  });

  it("keeps returned-never sub-attributes out of the resource view and readOnly ones out of input", async () => {
    const examples = buildJsonSchemas(planTypes(resolveModel(await loadSchemaFolder(EXAMPLES_DIR)))).$defs;
    // apiKeys.value is writeOnly and returned never.
    expect(Object.keys(def(examples, "AcmeUserApiKey").properties)).toEqual(["type", "primary"]);
    const inputKeys = def(examples, "AcmeUserInput").properties.apiKeys?.items as JsonSchema;
    expect(Object.keys(inputKeys.properties as object)).toEqual(["value", "type", "primary"]);
    // buddy.displayName is readOnly.
    expect(Object.keys(def(examples, "AcmeUserBuddy").properties)).toEqual(["value", "$ref", "displayName"]);
    const inputBuddy = def(examples, "AcmeUserInput").properties.buddy as JsonSchema;
    expect(Object.keys(inputBuddy.properties as object)).toEqual(["value", "$ref"]);
  });

  it("requires required sub-attributes inside their object (ServiceProviderConfig §5)", () => {
    expect(def(defs, "ServiceProviderConfigurationPatchValue").required).toEqual(["supported"]);
    expect(def(defs, "ServiceProviderConfigurationBulk").required).toEqual([
      "supported",
      "maxOperations",
      "maxPayloadSize",
    ]);
  });

  it("closes every object (additionalProperties: false)", () => {
    for (const [name, schema] of Object.entries(defs)) expect(schema.additionalProperties, name).toBe(false);
  });

  it("declares the 2020-12 dialect", async () => {
    const built = buildJsonSchemas(planTypes(resolveModel(await loadSchemaFolder(CORE_DIR))));
    expect(built.$schema).toBe(JSON_SCHEMA_DIALECT);
    expect(JSON_SCHEMA_DIALECT).toBe("https://json-schema.org/draft/2020-12/schema");
  });
});

describe("extensions (RFC 7643 §3.3)", () => {
  it("puts the core enterprise extension under its URN, referencing the extension's definition per view", async () => {
    const { $defs } = buildJsonSchemas(planTypes(resolveModel(await loadSchemaFolder(CORE_DIR))));
    const cases: [string, string][] = [
      ["User", "EnterpriseUser"],
      ["UserInput", "EnterpriseUserInput"],
      ["UserPatch", "EnterpriseUserPatch"],
    ];
    for (const [view, target] of cases) {
      expect(def($defs, view).properties[ENTERPRISE_URN]).toEqual({
        description: "Enterprise User",
        $ref: `#/$defs/${target}`,
      });
      expect(def($defs, view).required ?? []).not.toContain(ENTERPRISE_URN);
    }
  });

  it("requires a required extension in the resource and input views, never in PATCH", () => {
    const defs = thingDefs(
      [{ name: "label" }],
      [{ schema: THING_EXTRA_URN, required: true, attributes: [{ name: "color", required: true }] }],
    );
    expect(def(defs, "Thing").required).toEqual(["schemas", "id", THING_EXTRA_URN]);
    expect(def(defs, "ThingInput").required).toEqual(["schemas", THING_EXTRA_URN]);
    expect(def(defs, "ThingPatch")).not.toHaveProperty("required");
    // The extension holds only its own attributes: no schemas, id or meta (RFC 7643 §3.3).
    expect(Object.keys(def(defs, "Extra").properties)).toEqual(["color"]);
    expect(def(defs, "Extra").required).toEqual(["color"]);
    expect(def(defs, "ExtraInput").required).toEqual(["color"]);
    expect(def(defs, "ExtraPatch")).not.toHaveProperty("required");
  });
});

describe("characteristics that shape a view", () => {
  const cases: [
    string,
    { given: Record<string, unknown>; want: { resource: string; input: string; patch: string } },
  ][] = [
    [
      "readWrite",
      {
        given: { mutability: "readWrite" },
        want: { resource: "optional", input: "optional", patch: "optional" },
      },
    ],
    [
      "required readWrite",
      { given: { required: true }, want: { resource: "required", input: "required", patch: "optional" } },
    ],
    [
      "readOnly",
      { given: { mutability: "readOnly" }, want: { resource: "optional", input: "absent", patch: "absent" } },
    ],
    [
      "immutable (settable once, so in input and patch)",
      {
        given: { mutability: "immutable" },
        want: { resource: "optional", input: "optional", patch: "optional" },
      },
    ],
    [
      "writeOnly",
      {
        given: { mutability: "writeOnly" },
        want: { resource: "absent", input: "optional", patch: "optional" },
      },
    ],
    [
      "returned never",
      { given: { returned: "never" }, want: { resource: "absent", input: "optional", patch: "optional" } },
    ],
    [
      "required, returned on request only",
      {
        given: { required: true, returned: "request" },
        want: { resource: "optional", input: "required", patch: "optional" },
      },
    ],
    [
      "required, returned always",
      {
        given: { required: true, returned: "always" },
        want: { resource: "required", input: "required", patch: "optional" },
      },
    ],
    [
      "complex whose sub-attributes are all readOnly",
      {
        given: { type: "complex", subAttributes: [{ name: "a", mutability: "readOnly" }] },
        want: { resource: "optional", input: "absent", patch: "absent" },
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    const defs = thingDefs([{ name: "field", ...given }]);
    const presence = (name: string) => {
      const schema = def(defs, name);
      if (!("field" in schema.properties)) return "absent";
      return ((schema.required as string[] | undefined) ?? []).includes("field") ? "required" : "optional";
    };
    expect({
      resource: presence("Thing"),
      input: presence("ThingInput"),
      patch: presence("ThingPatch"),
    }).toEqual(want);
  });
});
