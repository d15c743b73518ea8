/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coreBundle } from "./core-bundle.js";
import { SchemaRegistry } from "./registry.js";
import { parseSchemaDocument } from "./schema-loader.js";
import type { SchemaDefinition, ScimBundle } from "./schema-types.js";
import { ENTERPRISE_USER_SCHEMA as ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA } from "./urns.js";

const ACME = "urn:acme:params:scim:schemas:extension:2.0:User";
const DEVICE = "urn:acme:params:scim:schemas:core:2.0:Device";
const EXAMPLES_DIR = new URL("../../../schemas/examples/", import.meta.url);

/** The RFC core schemas plus schemas/examples: User (enterprise + Acme extensions) and Device. */
function examplesBundle(): ScimBundle {
  const schemas: SchemaDefinition[] = [...coreBundle().schemas];
  const resourceTypes = [];
  for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".json"))) {
    const doc = parseSchemaDocument(readFileSync(new URL(file, EXAMPLES_DIR), "utf8"), file);
    schemas.push(...doc.schemas.map((s) => s.definition));
    resourceTypes.push(...doc.resourceTypes.map((r) => r.definition));
  }
  return { schemas, resourceTypes };
}

const thing = (id: string, attributes: SchemaDefinition["attributes"] = []): SchemaDefinition => ({
  id,
  name: "Thing",
  attributes,
});

const core = new SchemaRegistry(coreBundle());
const examples = new SchemaRegistry(examplesBundle());

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

describe("SchemaRegistry.paths", () => {
  it("lists core, common and URN-qualified extension paths for User", () => {
    const paths = core.paths("User");
    for (const p of [
      "schemas",
      "id",
      "externalId",
      "meta",
      "meta.resourceType",
      "meta.created",
      "meta.lastModified",
      "meta.location",
      "meta.version",
      "userName",
      "name.givenName",
      "emails.value",
      "groups.$ref",
      `${USER_SCHEMA}:userName`,
      `${USER_SCHEMA}:meta.created`,
      `${ENTERPRISE}:employeeNumber`,
      `${ENTERPRISE}:manager.value`,
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(paths).not.toContain("employeeNumber");
    expect(paths).not.toContain("manager.value");
  });

  it("lists Group paths", () => {
    const paths = core.paths("Group");
    expect(paths).toContain("members.value");
    expect(paths).toContain("members.display");
    expect(paths.some((p) => p.toLowerCase().includes("enterprise"))).toBe(false);
  });

  it.each(["User", "Group"])("has no duplicates, even case-insensitively, for %s", (type) => {
    const lower = core.paths(type).map((p) => p.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
  });

  it("lists unqualified spellings before URN-qualified ones", () => {
    const paths = core.paths("User");
    const lastBare = paths.findLastIndex((p) => !p.startsWith("urn:"));
    const firstQualified = paths.findIndex((p) => p.startsWith("urn:"));
    expect(lastBare).toBeLessThan(firstQualified);
  });

  it("resolves every path it lists to itself, or to the bare path for base-URN spellings", () => {
    for (const type of ["User", "Group"]) {
      for (const p of core.paths(type)) {
        const bare = p.startsWith(`${core.schemasOf(type).base.id}:`)
          ? p.slice(core.schemasOf(type).base.id.length + 1)
          : p;
        expect(core.resolve(type, p)?.path, p).toBe(bare);
      }
    }
  });

  it("(property) a random-case variant of any listed path resolves to the same canonical path", () => {
    const listed = (
      [
        [core, "User"],
        [core, "Group"],
        [examples, "User"],
        [examples, "Device"],
      ] as const
    ).flatMap(([registry, type]) => registry.paths(type).map((path) => ({ registry, type, path })));
    const arbitrary = fc
      .constantFrom(...listed)
      .chain((entry) =>
        fc.tuple(
          fc.constant(entry),
          fc.array(fc.boolean(), { minLength: entry.path.length, maxLength: entry.path.length }),
        ),
      );
    fc.assert(
      fc.property(arbitrary, ([{ registry, type, path }, upper]) => {
        const variant = [...path].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join("");
        const want = registry.resolve(type, path);
        expect(want).toBeDefined();
        expect(registry.resolve(type, variant)?.path).toBe(want?.path);
        expect(registry.resolve(type.toUpperCase(), variant)).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("SchemaRegistry errors", () => {
  it("rejects a resource type whose extension schema is not in the bundle", () => {
    const bundle: ScimBundle = {
      schemas: [thing("urn:x:base")],
      resourceTypes: [
        {
          name: "Thing",
          endpoint: "/Things",
          schema: "urn:x:base",
          schemaExtensions: [{ schema: "urn:x:missing", required: false }],
        },
      ],
    };
    expect(() => new SchemaRegistry(bundle)).toThrow(
      'resource type "Thing" uses schema "urn:x:missing", which is not in the bundle',
    );
  });

  it("rejects a resource type whose base schema is not in the bundle", () => {
    const bundle: ScimBundle = {
      schemas: [],
      resourceTypes: [{ name: "Thing", endpoint: "/Things", schema: "urn:x:base", schemaExtensions: [] }],
    };
    expect(() => new SchemaRegistry(bundle)).toThrow('uses schema "urn:x:base"');
  });

  it("accepts an extension URN spelled in another case than its schema id", () => {
    const bundle: ScimBundle = {
      schemas: [
        thing("urn:x:base"),
        thing("urn:x:Ext", [
          {
            name: "a",
            type: "string",
            multiValued: false,
            required: false,
            caseExact: false,
            mutability: "readWrite",
            returned: "default",
            uniqueness: "none",
          },
        ]),
      ],
      resourceTypes: [
        {
          name: "Thing",
          endpoint: "/Things",
          schema: "URN:X:BASE",
          schemaExtensions: [{ schema: "urn:x:ext", required: false }],
        },
      ],
    };
    const registry = new SchemaRegistry(bundle);
    expect(registry.resolve("Thing", "urn:x:ext:A")?.path).toBe("urn:x:Ext:a");
  });

  it("rejects schema ids that differ only in case", () => {
    const bundle: ScimBundle = { schemas: [thing("urn:x:Thing"), thing("URN:X:THING")], resourceTypes: [] };
    expect(() => new SchemaRegistry(bundle)).toThrow('schema "URN:X:THING" is defined twice');
  });

  it("rejects resource type names that differ only in case", () => {
    const bundle: ScimBundle = {
      schemas: [thing("urn:x:base")],
      resourceTypes: [
        { name: "Thing", endpoint: "/Things", schema: "urn:x:base", schemaExtensions: [] },
        { name: "THING", endpoint: "/Things2", schema: "urn:x:base", schemaExtensions: [] },
      ],
    };
    expect(() => new SchemaRegistry(bundle)).toThrow('resource type "THING" is defined twice');
  });

  it("names the known resource types when asked for an unknown one", () => {
    expect(() => core.resolve("Widget", "id")).toThrow('unknown resource type "Widget" (known: User, Group)');
    expect(() => core.paths("Widgets")).toThrow("known: User, Group");
    expect(() => core.schemasOf("x")).toThrow("unknown resource type");
    expect(() => core.resolveSchema("x", USER_SCHEMA)).toThrow("unknown resource type");
    expect(() => new SchemaRegistry({ schemas: [], resourceTypes: [] }).resolve("User", "id")).toThrow(
      "(known: none)",
    );
  });
});

describe("SchemaRegistry over a custom bundle (schemas/examples)", () => {
  const cases: [name: string, { given: [resourceType: string, path: string]; want: string | undefined }][] = [
    ["a Device attribute", { given: ["Device", "SERIALNUMBER"], want: "serialNumber" }],
    ["a Device sub-attribute by endpoint", { given: ["/devices", "owner.$REF"], want: "owner.$ref" }],
    [
      "a Device attribute qualified with its URN",
      { given: ["Device", `${DEVICE.toUpperCase()}:certificates.value`], want: "certificates.value" },
    ],
    ["common attributes on Device", { given: ["Device", "meta.created"], want: "meta.created" }],
    ["schemas on Device", { given: ["Device", "schemas"], want: "schemas" }],
    ["a User core attribute", { given: ["User", "userName"], want: "userName" }],
    [
      "an Acme attribute qualified with its URN",
      { given: ["User", `${ACME}:badgeNumber`], want: `${ACME}:badgeNumber` },
    ],
    [
      "an Acme sub-attribute in another case",
      { given: ["users", `${ACME.toUpperCase()}:BUDDY.displayname`], want: `${ACME}:buddy.displayName` },
    ],
    [
      "an enterprise attribute next to the Acme one",
      { given: ["User", `${ENTERPRISE}:department`], want: `${ENTERPRISE}:department` },
    ],
    ["a bare Acme attribute", { given: ["User", "badgeNumber"], want: `${ACME}:badgeNumber` }],
    [
      "a bare enterprise attribute next to Acme",
      { given: ["User", "division"], want: `${ENTERPRISE}:division` },
    ],
    ["a Device attribute on User", { given: ["User", "serialNumber"], want: undefined }],
    ["an Acme attribute on Device", { given: ["Device", `${ACME}:badgeNumber`], want: undefined }],
  ];
  it.each(cases)("%s", (_name, { given: [type, path], want }) => {
    expect(examples.resolve(type, path)?.path).toBe(want);
  });

  it("reports the characteristics of the example schemas", () => {
    expect(examples.resolve("Device", "serialNumber")?.attribute).toMatchObject({
      uniqueness: "global",
      mutability: "immutable",
      required: true,
    });
    expect(examples.resolve("User", `${ACME}:apiKeys.value`)?.attribute).toMatchObject({
      mutability: "writeOnly",
      returned: "never",
    });
    expect(examples.resolve("User", `${ACME}:apiKeys.value`)).toMatchObject({
      schemaId: ACME,
      extension: true,
    });
  });

  it("lists User's two extensions in order", () => {
    expect(examples.schemasOf("User").extensions.map((e) => [e.schema.id, e.required])).toEqual([
      [ENTERPRISE, false],
      [ACME, false],
    ]);
    expect(examples.resourceType("Device")?.endpoint).toBe("/Devices");
  });

  it.each(["User", "Device"])("has no duplicate paths for %s", (type) => {
    const lower = examples.paths(type).map((p) => p.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    expect(lower).toContain("id");
    expect(lower).toContain("externalid");
    expect(lower).toContain("meta.created");
  });
});
