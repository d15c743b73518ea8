import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACME, DEVICE, examplesBundle, thing } from "./__fixtures__/registry-bundles.js";
import { coreBundle } from "./core-bundle.js";
import { SchemaRegistry } from "./registry.js";
import type { ScimBundle } from "./schema-types.js";
import { ENTERPRISE_USER_SCHEMA as ENTERPRISE, USER_SCHEMA } from "./urns.js";

const core = new SchemaRegistry(coreBundle());
const examples = new SchemaRegistry(examplesBundle());

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
