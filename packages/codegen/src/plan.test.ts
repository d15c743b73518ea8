import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "@scimkit/core";
import { beforeAll, describe, expect, it } from "vitest";
import { ACME_URN, CORE_DIR, EXAMPLES_DIR, modelOf, THING_URN, thingModel } from "./__fixtures__/model.js";
import { loadSchemaFolder, resolveModel } from "./load.js";
import { planTypes, type TypePlan, type View } from "./plan.js";

describe("type names of the core schemas (DESIGN.md, schemas/README.md D6)", () => {
  let plan: TypePlan;
  beforeAll(async () => {
    plan = planTypes(resolveModel(await loadSchemaFolder(CORE_DIR)));
  });

  it("names each resource type's views after its name", () => {
    expect(plan.resourceTypes.map((t) => t.names)).toEqual([
      { resource: "Group", input: "GroupInput", patch: "GroupPatch" },
      { resource: "User", input: "UserInput", patch: "UserPatch" },
    ]);
  });

  it("gives the schemas that are no resource type's namesake types of their own", () => {
    expect(plan.schemas.map((s) => [s.names.resource, s.kind])).toEqual([
      ["ResourceType", "resource"],
      ["Schema", "resource"],
      ["ServiceProviderConfiguration", "resource"],
      ["EnterpriseUser", "extension"],
    ]);
  });

  const complex: [string, { given: [string | undefined, string]; want: string }][] = [
    ["singular complex", { given: [USER_SCHEMA, "name"], want: "UserName" }],
    ["multi-valued: singular noun", { given: [USER_SCHEMA, "emails"], want: "UserEmail" }],
    ["multi-valued -es", { given: [USER_SCHEMA, "addresses"], want: "UserAddress" }],
    ["multi-valued short", { given: [USER_SCHEMA, "ims"], want: "UserIm" }],
    ["multi-valued with digits", { given: [USER_SCHEMA, "x509Certificates"], want: "UserX509Certificate" }],
    ["Group members", { given: [GROUP_SCHEMA, "members"], want: "GroupMember" }],
    [
      "extension attribute: owner is the extension",
      { given: [ENTERPRISE_USER_SCHEMA, "manager"], want: "EnterpriseUserManager" },
    ],
    ["common attribute: no owner (RFC 7643 §3.1)", { given: [undefined, "meta"], want: "Meta" }],
    [
      "taken name falls back to <Owner><Attribute>Value",
      { given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "patch"], want: "ServiceProviderConfigurationPatchValue" },
    ],
    [
      "discovery schema",
      {
        given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "authenticationSchemes"],
        want: "ServiceProviderConfigurationAuthenticationScheme",
      },
    ],
    [
      "ResourceType schemaExtensions",
      { given: [RESOURCE_TYPE_SCHEMA, "schemaExtensions"], want: "ResourceTypeSchemaExtension" },
    ],
    ["Schema attributes", { given: [SCHEMA_SCHEMA, "attributes"], want: "SchemaAttribute" }],
  ];
  it.each(complex)("complexName: %s", (_, { given, want }) => {
    expect(plan.complexName(...given)).toBe(want);
  });

  const views: [string, { given: [string, View]; want: string }][] = [
    ["a resource type's base schema", { given: [USER_SCHEMA, "resource"], want: "User" }],
    ["… in the input view", { given: [USER_SCHEMA, "input"], want: "UserInput" }],
    ["an extension", { given: [ENTERPRISE_USER_SCHEMA, "patch"], want: "EnterpriseUserPatch" }],
    [
      "a discovery schema",
      { given: [SERVICE_PROVIDER_CONFIG_SCHEMA, "resource"], want: "ServiceProviderConfiguration" },
    ],
  ];
  it.each(views)("schemaTypeName: %s", (_, { given, want }) => {
    expect(plan.schemaTypeName(...given)).toBe(want);
  });

  const constants: [string, { given: string; want: string }][] = [
    ["User", { given: USER_SCHEMA, want: "User" }],
    ["EnterpriseUser", { given: ENTERPRISE_USER_SCHEMA, want: "EnterpriseUser" }],
    [
      "ServiceProviderConfig",
      { given: SERVICE_PROVIDER_CONFIG_SCHEMA, want: "ServiceProviderConfiguration" },
    ],
  ];
  it.each(constants)("schemaConstantBase: %s", (_, { given, want }) => {
    expect(plan.schemaConstantBase(given)).toBe(want);
  });

  it("fails clearly for names it never planned", () => {
    expect(() => plan.complexName(USER_SCHEMA, "userName")).toThrow(
      `no type name planned for complex attribute "userName" of ${USER_SCHEMA}`,
    );
    expect(() => plan.schemaTypeName("urn:nope", "resource")).toThrow(
      'no type planned for schema "urn:nope"',
    );
  });
});

describe("type names of custom schemas", () => {
  it("names the examples' types after their schema and resource type names", async () => {
    const plan = planTypes(resolveModel(await loadSchemaFolder(EXAMPLES_DIR)));
    expect(plan.resourceTypes.map((t) => t.names.resource)).toEqual(["Device", "User"]);
    expect(plan.schemaTypeName(ACME_URN, "input")).toBe("AcmeUserInput");
    expect(plan.complexName(ACME_URN, "apiKeys")).toBe("AcmeUserApiKey");
    expect(plan.complexName(ACME_URN, "buddy")).toBe("AcmeUserBuddy");
    expect(plan.complexName("urn:acme:params:scim:schemas:core:2.0:Device", "certificates")).toBe(
      "DeviceCertificate",
    );
  });

  const complex: [string, { given: Record<string, unknown>; want: string }][] = [
    [
      "a non-plural multi-valued name gets Item",
      { given: { name: "data", multiValued: true }, want: "ThingDataItem" },
    ],
    ["-us is not a plural", { given: { name: "status", multiValued: true }, want: "ThingStatusItem" }],
    ["a singular complex keeps its name", { given: { name: "owner" }, want: "ThingOwner" }],
    ["-ies", { given: { name: "policies", multiValued: true }, want: "ThingPolicy" }],
  ];
  it.each(complex)("%s", (_, { given, want }) => {
    const plan = planTypes(thingModel([{ type: "complex", subAttributes: [{ name: "value" }], ...given }]));
    expect(plan.complexName(THING_URN, given.name as string)).toBe(want);
  });

  it("names a resource type whose schema has another name after the resource type, and the schema after itself", () => {
    const plan = planTypes(
      modelOf(
        { id: THING_URN, name: "Gadget", attributes: [{ name: "label" }] },
        { name: "Device", endpoint: "/Devices", schema: THING_URN },
      ),
    );
    expect(plan.resourceTypes[0]?.names.resource).toBe("Device");
    expect(plan.schemas.find((s) => s.definition.id === THING_URN)?.names.resource).toBe("Gadget");
    expect(plan.schemaTypeName(THING_URN, "resource")).toBe("Gadget");
  });

  it("prefixes a colliding schema name with its URN namespace", () => {
    const plan = planTypes(
      modelOf(
        { id: THING_URN, name: "Thing", attributes: [{ name: "label" }] },
        {
          id: "urn:acme:params:scim:schemas:extension:2.0:Thing",
          name: "Thing",
          attributes: [{ name: "x" }],
        },
        {
          name: "Thing",
          endpoint: "/Things",
          schema: THING_URN,
          schemaExtensions: [{ schema: "urn:acme:params:scim:schemas:extension:2.0:Thing" }],
        },
      ),
    );
    expect(plan.schemaTypeName("urn:acme:params:scim:schemas:extension:2.0:Thing", "resource")).toBe(
      "AcmeThing",
    );
  });

  it("falls back to <Owner><Attribute>Value when a complex type name is taken", () => {
    const plan = planTypes(
      modelOf(
        {
          id: THING_URN,
          name: "Thing",
          attributes: [{ name: "owner", type: "complex", subAttributes: [{ name: "v" }] }],
        },
        { id: "urn:example:ThingOwner", name: "ThingOwner", attributes: [{ name: "x" }] },
        { name: "Thing", endpoint: "/Things", schema: THING_URN },
      ),
    );
    expect(plan.complexName(THING_URN, "owner")).toBe("ThingOwnerValue");
  });

  it("stops with an error naming both owners when resource type names collide", () => {
    const model = modelOf(
      { id: THING_URN, name: "Thing", attributes: [{ name: "label" }] },
      { name: "my-thing", endpoint: "/A", schema: THING_URN },
      { name: "MyThing", endpoint: "/B", schema: THING_URN },
    );
    expect(() => planTypes(model)).toThrow(
      'resource type "my-thing": its type name MyThing is already used by resource type "MyThing"; rename one of them',
    );
  });

  it("stops with an error when even the prefixed schema name is taken", () => {
    const model = modelOf(
      { id: THING_URN, name: "Thing", attributes: [{ name: "label" }] },
      { id: "urn:example:a", name: "ExampleThing", attributes: [{ name: "x" }] },
      { id: "urn:example:b", name: "Thing", attributes: [{ name: "y" }] },
      { name: "Thing", endpoint: "/Things", schema: THING_URN },
    );
    expect(() => planTypes(model)).toThrow(
      'schema "urn:example:b": its type name Thing (and ExampleThing) is already used by resource type "Thing"; give the schema a distinct "name"',
    );
  });
});
