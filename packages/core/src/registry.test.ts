import { describe, expect, it } from "vitest";
import { thing } from "./__fixtures__/registry-bundles.js";
import { coreBundle } from "./core-bundle.js";
import { SchemaRegistry } from "./registry.js";
import type { ScimBundle } from "./schema-types.js";
import { ENTERPRISE_USER_SCHEMA as ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA } from "./urns.js";

const core = new SchemaRegistry(coreBundle());

describe("SchemaRegistry.resolve (core bundle)", () => {
  const cases: [name: string, { given: [resourceType: string, path: string]; want: string | undefined }][] = [
    ["a core attribute", { given: ["User", "userName"], want: "userName" }],
    ["a core attribute in another case", { given: ["User", "USERNAME"], want: "userName" }],
    ["a sub-attribute in another case", { given: ["User", "Name.GivenName"], want: "name.givenName" }],
    ["a multi-valued sub-attribute", { given: ["User", "EMAILS.VALUE"], want: "emails.value" }],
    ["$ref", { given: ["User", "groups.$REF"], want: "groups.$ref" }],
    ["the resource type name in lower case", { given: ["user", "userName"], want: "userName" }],
    ["the resource type by endpoint", { given: ["/Users", "userName"], want: "userName" }],
    ["the resource type by endpoint in upper case", { given: ["/USERS", "userName"], want: "userName" }],
    [
      "the resource type by endpoint without /",
      { given: ["groups", "members.value"], want: "members.value" },
    ],
    [
      "a core attribute qualified with the base URN",
      { given: ["User", `${USER_SCHEMA}:userName`], want: "userName" },
    ],
    [
      "a sub-attribute qualified with the base URN",
      { given: ["User", `${USER_SCHEMA}:name.familyName`], want: "name.familyName" },
    ],
    [
      "the base URN in upper case",
      { given: ["User", `${USER_SCHEMA.toUpperCase()}:NAME.familyname`], want: "name.familyName" },
    ],
    ["the Group base URN on Group", { given: ["Group", `${GROUP_SCHEMA}:displayName`], want: "displayName" }],
    [
      "an extension attribute qualified with its URN",
      { given: ["User", `${ENTERPRISE}:employeeNumber`], want: `${ENTERPRISE}:employeeNumber` },
    ],
    [
      "an extension sub-attribute",
      { given: ["User", `${ENTERPRISE}:manager.value`], want: `${ENTERPRISE}:manager.value` },
    ],
    [
      "an extension URN in lower case",
      { given: ["User", `${ENTERPRISE.toLowerCase()}:EMPLOYEENUMBER`], want: `${ENTERPRISE}:employeeNumber` },
    ],
    [
      "an extension URN in upper case",
      { given: ["User", `${ENTERPRISE.toUpperCase()}:manager.$ref`], want: `${ENTERPRISE}:manager.$ref` },
    ],
    ["common id", { given: ["User", "id"], want: "id" }],
    ["common externalId", { given: ["Group", "EXTERNALID"], want: "externalId" }],
    ["common meta.created", { given: ["Group", "meta.created"], want: "meta.created" }],
    [
      "common meta.lastModified qualified with the base URN",
      { given: ["User", `${USER_SCHEMA}:meta.lastModified`], want: "meta.lastModified" },
    ],
    ["schemas", { given: ["Group", "Schemas"], want: "schemas" }],
    [
      "a bare extension attribute (only one extension has it: RFC 7644 §3.10 SHOULD, not MUST)",
      { given: ["User", "employeeNumber"], want: `${ENTERPRISE}:employeeNumber` },
    ],
    [
      "a bare extension sub-attribute",
      { given: ["User", "Manager.Value"], want: `${ENTERPRISE}:manager.value` },
    ],
    [
      "<extension URN>.<attribute> (Entra ID's spelling)",
      { given: ["User", `${ENTERPRISE}.manager`], want: `${ENTERPRISE}:manager` },
    ],
    [
      "<extension URN>.<attribute>.<sub-attribute> in another case",
      { given: ["User", `${ENTERPRISE.toUpperCase()}.MANAGER.value`], want: `${ENTERPRISE}:manager.value` },
    ],
    [
      "a bare extension attribute on a type without it",
      { given: ["Group", "employeeNumber"], want: undefined },
    ],
    [
      "an extension attribute on a type without that extension",
      { given: ["Group", `${ENTERPRISE}:employeeNumber`], want: undefined },
    ],
    ["another type's URN", { given: ["User", `${GROUP_SCHEMA}:displayName`], want: undefined }],
    [
      "a core attribute qualified with the extension URN",
      { given: ["User", `${ENTERPRISE}:userName`], want: undefined },
    ],
    ["an extension URN alone (see resolveSchema)", { given: ["User", ENTERPRISE], want: undefined }],
    ["an unknown attribute", { given: ["User", "nosuch"], want: undefined }],
    ["an unknown sub-attribute", { given: ["User", "emails.nosuch"], want: undefined }],
    ["three levels", { given: ["User", "name.givenName.x"], want: undefined }],
    ["a trailing dot", { given: ["User", "name."], want: undefined }],
    ["an empty path", { given: ["User", ""], want: undefined }],
    ["a filter, not a path", { given: ["User", 'emails[type eq "work"].value'], want: undefined }],
  ];
  it.each(cases)("%s", (_name, { given: [type, path], want }) => {
    expect(core.resolve(type, path)?.path).toBe(want);
  });

  it("describes a base-schema sub-attribute", () => {
    const r = core.resolve("User", "EMAILS.VALUE");
    expect(r).toMatchObject({
      path: "emails.value",
      schemaId: USER_SCHEMA,
      extension: false,
      names: ["emails", "value"],
    });
    expect(r?.attribute.name).toBe("value");
    expect(r?.attribute.type).toBe("string");
    expect(r?.parent?.name).toBe("emails");
  });

  it("describes an extension attribute", () => {
    const r = core.resolve("User", `${ENTERPRISE.toLowerCase()}:Manager.DisplayName`);
    expect(r).toMatchObject({
      path: `${ENTERPRISE}:manager.displayName`,
      schemaId: ENTERPRISE,
      extension: true,
      names: ["manager", "displayName"],
    });
    expect(r?.attribute.mutability).toBe("readOnly");
    expect(r?.parent?.name).toBe("manager");
  });

  it("describes common attributes with no schema", () => {
    expect(core.resolve("User", "id")).toMatchObject({
      path: "id",
      schemaId: undefined,
      extension: false,
      parent: undefined,
      names: ["id"],
    });
    expect(core.resolve("User", "id")?.attribute).toMatchObject({
      mutability: "readOnly",
      returned: "always",
      caseExact: true,
    });
    expect(core.resolve("User", "meta.created")?.attribute.type).toBe("dateTime");
    expect(core.resolve("User", "meta.created")?.parent?.name).toBe("meta");
    expect(core.resolve("User", "schemas")?.attribute).toMatchObject({ multiValued: true, required: true });
  });

  it("returns the same resolution for the bare and base-URN-qualified spellings", () => {
    expect(core.resolve("User", `${USER_SCHEMA}:name.givenName`)).toBe(
      core.resolve("User", "name.givenName"),
    );
  });

  it("reports characteristics from the RFC", () => {
    expect(core.resolve("Group", "members.value")?.attribute.mutability).toBe("immutable");
    expect(core.resolve("Group", "displayName")?.attribute.required).toBe(true);
    expect(core.resolve("User", "userName")?.attribute.uniqueness).toBe("server");
    expect(core.resolve("User", "groups")?.attribute.mutability).toBe("readOnly");
  });
});

describe("SchemaRegistry.resolve: unqualified extension attributes (RFC 7644 §3.10)", () => {
  const attr = (name: string) => ({
    name,
    type: "string" as const,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: "readWrite" as const,
    returned: "default" as const,
    uniqueness: "none" as const,
  });
  // Two extensions share "costCenter"; one of them also has a "displayName" the base schema has.
  const registry = new SchemaRegistry({
    schemas: [
      thing("urn:x:base", [attr("displayName")]),
      thing("urn:x:hr", [attr("costCenter"), attr("badge")]),
      thing("urn:x:finance", [attr("costCenter"), attr("displayName")]),
    ],
    resourceTypes: [
      {
        name: "Thing",
        endpoint: "/Things",
        schema: "urn:x:base",
        schemaExtensions: [
          { schema: "urn:x:hr", required: false },
          { schema: "urn:x:finance", required: false },
        ],
      },
    ],
  });

  it("resolves a name exactly one extension has", () => {
    expect(registry.resolve("Thing", "BADGE")?.path).toBe("urn:x:hr:badge");
    expect(registry.candidates("Thing", "badge")).toEqual(["urn:x:hr:badge"]);
  });

  it("leaves a name two extensions have unresolved, and names both", () => {
    expect(registry.resolve("Thing", "costCenter")).toBeUndefined();
    expect(registry.candidates("Thing", "COSTCENTER")).toEqual([
      "urn:x:hr:costCenter",
      "urn:x:finance:costCenter",
    ]);
    expect(registry.resolve("Thing", "urn:x:finance:costCenter")?.path).toBe("urn:x:finance:costCenter");
    expect(registry.resolve("Thing", "urn:x:finance.costCenter")?.path).toBe("urn:x:finance:costCenter");
  });

  it("a bare name the base schema has is the base schema's (clients MAY omit the core URN)", () => {
    expect(registry.resolve("Thing", "displayName")?.path).toBe("displayName");
    expect(registry.candidates("Thing", "displayName")).toEqual([]);
    expect(registry.resolve("Thing", "urn:x:finance:displayName")?.path).toBe("urn:x:finance:displayName");
  });

  it("strict: extension attributes need their URN and ':'", () => {
    const strict = { strict: true } as const;
    expect(core.resolve("User", "manager", strict)).toBeUndefined();
    expect(core.resolve("User", "manager.value", strict)).toBeUndefined();
    expect(core.resolve("User", `${ENTERPRISE}.manager`, strict)).toBeUndefined();
    expect(core.resolve("User", `${ENTERPRISE}:manager`, strict)?.path).toBe(`${ENTERPRISE}:manager`);
    expect(core.resolve("User", "userName", strict)?.path).toBe("userName");
    expect(core.candidates("User", "manager")).toEqual([`${ENTERPRISE}:manager`]);
  });

  it("does not list the lenient spellings in paths()", () => {
    expect(core.paths("User")).not.toContain("manager");
    expect(core.paths("User")).not.toContain(`${ENTERPRISE}.manager`);
  });
});

describe("SchemaRegistry lookups", () => {
  it("resourceType finds by name or endpoint in any case", () => {
    expect(core.resourceType("User")?.name).toBe("User");
    expect(core.resourceType("gRoUp")?.name).toBe("Group");
    expect(core.resourceType("/Users")?.name).toBe("User");
    expect(core.resourceType("users")?.name).toBe("User");
    expect(core.resourceType("/GROUPS")?.name).toBe("Group");
    expect(core.resourceType("Widget")).toBeUndefined();
    expect(core.resourceType("/")).toBeUndefined();
    expect(core.resourceType("")).toBeUndefined();
  });

  it("schema finds a schema by URN in any case", () => {
    expect(core.schema(USER_SCHEMA.toUpperCase())?.id).toBe(USER_SCHEMA);
    expect(core.schema(ENTERPRISE.toLowerCase())?.name).toBe("EnterpriseUser");
    expect(core.schema("urn:nope")).toBeUndefined();
  });

  it("resolveSchema resolves the base schema and extensions of a type", () => {
    expect(core.resolveSchema("User", ENTERPRISE.toLowerCase())).toMatchObject({
      extension: true,
      schema: { id: ENTERPRISE, name: "EnterpriseUser" },
    });
    expect(core.resolveSchema("User", USER_SCHEMA.toUpperCase())).toMatchObject({
      extension: false,
      required: true,
      schema: { id: USER_SCHEMA },
    });
    expect(core.resolveSchema("Group", ENTERPRISE)).toBeUndefined();
    expect(core.resolveSchema("User", GROUP_SCHEMA)).toBeUndefined();
    expect(core.resolveSchema("User", `${ENTERPRISE}:employeeNumber`)).toBeUndefined();
  });

  it("resolveSchema reports whether an extension is required", () => {
    const bundle: ScimBundle = {
      schemas: [thing("urn:x:base"), thing("urn:x:must"), thing("urn:x:may")],
      resourceTypes: [
        {
          name: "Thing",
          endpoint: "/Things",
          schema: "urn:x:base",
          schemaExtensions: [
            { schema: "urn:x:must", required: true },
            { schema: "urn:x:may", required: false },
          ],
        },
      ],
    };
    const registry = new SchemaRegistry(bundle);
    expect(registry.resolveSchema("Thing", "urn:X:MUST")?.required).toBe(true);
    expect(registry.resolveSchema("Thing", "urn:x:may")?.required).toBe(false);
  });

  it("schemasOf lists the base schema and extensions", () => {
    const user = core.schemasOf("user");
    expect(user.base.id).toBe(USER_SCHEMA);
    expect(user.extensions.map((e) => e.schema.name)).toEqual(["EnterpriseUser"]);
    expect(core.schemasOf("Group").extensions).toEqual([]);
  });

  it("keeps the bundle it was given", () => {
    const bundle = coreBundle();
    expect(new SchemaRegistry(bundle).bundle).toBe(bundle);
  });
});
