import { chmod } from "node:fs/promises";
import { join, relative } from "node:path";
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SchemaLoadError,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "@scimkit/core";
import { afterAll, describe, expect, it } from "vitest";
import {
  ACME_URN,
  CORE_DIR,
  EXAMPLES_DIR,
  loadedOf,
  removeTempFolders,
  THING_URN,
  tempFolder,
} from "./__fixtures__/model.js";
import { compare, loadSchemaFolder, resolveModel } from "./load.js";

afterAll(removeTempFolders);

const DEVICE_URN = "urn:acme:params:scim:schemas:core:2.0:Device";
const thing = (attributes: unknown[], id = THING_URN) => ({ id, name: "Thing", attributes });
const thingType = (extra: Record<string, unknown> = {}) => ({
  name: "Thing",
  endpoint: "/Things",
  schema: THING_URN,
  ...extra,
});

/** Loads and resolves `dir`, returning the SchemaLoadError it must fail with. */
async function failure(dir: string): Promise<SchemaLoadError> {
  try {
    resolveModel(await loadSchemaFolder(dir));
  } catch (e) {
    if (e instanceof SchemaLoadError) return e;
    throw e;
  }
  throw new Error(`expected ${dir} to be rejected`);
}

describe("bad schema folders fail with the file and the JSON pointer or line:column", () => {
  /** `label(f)` is how messages name file `f` of the folder: relative to the working directory. */
  type Want = (label: (file: string) => string, dir: string) => string;
  const cases: [string, { given: { files: Record<string, unknown>; folder?: string }; want: Want }][] = [
    [
      "unknown attribute type",
      {
        given: { files: { "thing.json": thing([{ name: "size", type: "number" }]) } },
        want: (f) =>
          `${f("thing.json")}: /attributes/0/type: unknown attribute type "number" (expected one of string, boolean, decimal, integer, dateTime, binary, reference, complex)`,
      },
    ],
    [
      "unknown sub-attribute type",
      {
        given: {
          files: {
            "thing.json": thing([
              { name: "size" },
              { name: "dims", type: "complex", subAttributes: [{ name: "w" }, { name: "h", type: "float" }] },
            ]),
          },
        },
        want: (f) =>
          `${f("thing.json")}: /attributes/1/subAttributes/1/type: unknown attribute type "float" (expected one of string, boolean, decimal, integer, dateTime, binary, reference, complex)`,
      },
    ],
    [
      "two attribute names differing only in case (RFC 7643 §2.1)",
      {
        given: {
          files: { "thing.json": thing([{ name: "nickName" }, { name: "label" }, { name: "nickname" }]) },
        },
        want: (f) =>
          `${f("thing.json")}: /attributes/2/name: attribute names "nickName" and "nickname" differ only in case; SCIM names are case-insensitive (RFC 7643 §2.1)`,
      },
    ],
    [
      "an extension named by a resource type but defined nowhere",
      {
        given: {
          files: {
            "thing.json": thing([{ name: "label" }]),
            "thing.resource-type.json": thingType({
              schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA }, { schema: "urn:acme:scim:Missing" }],
            }),
          },
        },
        want: (f) =>
          `${f("thing.resource-type.json")}: /schemaExtensions/1/schema: resource type "Thing" names extension "urn:acme:scim:Missing", which is neither in the folder nor one of the RFC 7643 core schemas`,
      },
    ],
    [
      "… inside an array document, the pointer includes the index",
      {
        given: {
          files: {
            "all.json": [
              thing([{ name: "label" }]),
              thingType({ schemaExtensions: [{ schema: "urn:acme:scim:Missing" }] }),
            ],
          },
        },
        want: (f) =>
          `${f("all.json")}: /1/schemaExtensions/0/schema: resource type "Thing" names extension "urn:acme:scim:Missing", which is neither in the folder nor one of the RFC 7643 core schemas`,
      },
    ],
    [
      "a resource type whose base schema is defined nowhere",
      {
        given: { files: { "thing.resource-type.json": thingType() } },
        want: (f) =>
          `${f("thing.resource-type.json")}: /schema: resource type "Thing" names schema "${THING_URN}", which is neither in the folder nor one of the RFC 7643 core schemas`,
      },
    ],
    [
      "a missing folder",
      {
        given: { files: {}, folder: "nope" },
        want: (_, dir) =>
          `${join(dir, "nope")}: (document): cannot read the schema folder (it does not exist)`,
      },
    ],
    [
      "a file instead of a folder",
      {
        given: { files: { "thing.json": thing([{ name: "label" }]) }, folder: "thing.json" },
        want: (_, dir) =>
          `${join(dir, "thing.json")}: (document): is not a folder; pass the folder holding your schema JSON files`,
      },
    ],
    [
      "a folder with no .json files",
      {
        given: { files: { "README.md": "# schemas\n", "user.schema.yaml": "id: x\n" } },
        want: (_, dir) => `${dir}: (document): contains no .json files`,
      },
    ],
    [
      "an empty folder",
      { given: { files: {} }, want: (_, dir) => `${dir}: (document): contains no .json files` },
    ],
    [
      "invalid JSON: line and column of the fault",
      {
        given: {
          files: {
            "ok.json": thing([{ name: "a" }]),
            "broken.json": '{\n  "id": "urn:x:y",\n  "name": ,\n}\n',
          },
        },
        want: (f) => `${f("broken.json")}:3:11: invalid JSON: expected a value, found ","`,
      },
    ],
    [
      "invalid JSON: a trailing comma",
      {
        given: { files: { "trailing.json": '{\n  "id": "urn:x:y",\n  "attributes": [],\n}\n' } },
        want: (f) =>
          `${f("trailing.json")}:4:1: invalid JSON: expected a property name in double quotes, found "}"`,
      },
    ],
    [
      "invalid JSON: an empty file",
      {
        given: { files: { "empty.json": "" } },
        want: (f) => `${f("empty.json")}:1:1: invalid JSON: expected a value, found the end of the text`,
      },
    ],
    [
      "invalid JSON in a subfolder",
      {
        given: { files: { "nested/deeper/bad.json": "[1, 2" } },
        want: (f) =>
          `${f("nested/deeper/bad.json")}:1:6: invalid JSON: expected "," or "]", found the end of the text`,
      },
    ],
    [
      "the same schema id in two files (ids are case-insensitive)",
      {
        given: {
          files: {
            "a.json": thing([{ name: "label" }]),
            "b.json": thing([{ name: "other" }], THING_URN.toUpperCase()),
          },
        },
        want: (f) =>
          `${f("b.json")}: /id: schema "${THING_URN.toUpperCase()}" is already defined in ${f("a.json")} (schema ids are case-insensitive)`,
      },
    ],
    [
      "the same resource type name in two files",
      {
        given: {
          files: {
            "thing.json": thing([{ name: "label" }]),
            "one.resource-type.json": thingType(),
            "two.resource-type.json": thingType({ name: "THING", endpoint: "/Things2" }),
          },
        },
        want: (f) =>
          `${f("two.resource-type.json")}: /name: resource type "THING" is already defined in ${f("one.resource-type.json")}`,
      },
    ],
    [
      "a schema whose id is not a URI",
      {
        given: { files: { "thing.json": thing([{ name: "label" }], "Thing") } },
        want: (f) =>
          `${f("thing.json")}: /id: schema id "Thing" is not a URI; SCIM schema ids are URNs such as "urn:acme:params:scim:schemas:extension:2.0:User" (RFC 7643 §7)`,
      },
    ],
  ];

  it.each(cases)("%s", async (_, { given, want }) => {
    const dir = await tempFolder(given.files);
    const label = (file: string) => relative(process.cwd(), join(dir, file));
    const error = await failure(given.folder === undefined ? dir : join(dir, given.folder));
    expect(error.message).toBe(want(label, dir));
    expect(error.name).toBe("SchemaLoadError");
  });

  it.skipIf(process.getuid?.() === 0)(
    "an unreadable file (skipped as root, who can read anything)",
    async () => {
      const dir = await tempFolder({
        "ok.json": thing([{ name: "a" }]),
        "secret.json": thing([{ name: "b" }]),
      });
      await chmod(join(dir, "secret.json"), 0o000);
      try {
        const error = await failure(dir);
        expect(error.message).toBe(
          `${relative(process.cwd(), join(dir, "secret.json"))}: (document): cannot read the file (permission denied)`,
        );
      } finally {
        await chmod(join(dir, "secret.json"), 0o644);
      }
    },
  );

  it("keeps the fault's position on the error for tools", async () => {
    const dir = await tempFolder({ "broken.json": '{\n  "id": "urn:x:y",\n  "name": ,\n}\n' });
    const error = await failure(dir);
    expect({ line: error.line, column: error.column, pointer: error.pointer }).toEqual({
      line: 3,
      column: 11,
      pointer: "",
    });
  });
});

describe("loadSchemaFolder", () => {
  it("reads every .json file recursively in path order, skipping dot folders and node_modules", async () => {
    const dir = await tempFolder({
      "b/thing.json": thing([{ name: "label" }]),
      "a/thing.resource-type.json": thingType(),
      ".git/config.json": "not json",
      "node_modules/pkg/package.json": "not json either",
      "notes.txt": "ignored",
    });
    const loaded = await loadSchemaFolder(dir);
    expect(loaded.schemas.map((s) => [s.definition.id, s.file])).toEqual([
      [THING_URN, relative(process.cwd(), join(dir, "b/thing.json"))],
    ]);
    expect(loaded.resourceTypes.map((t) => [t.definition.name, t.pointer])).toEqual([["Thing", ""]]);
  });

  it("skips a commonAttributes document (RFC 7643 §3.1; schemas/README.md)", async () => {
    const loaded = await loadSchemaFolder(CORE_DIR);
    expect(loaded.schemas.map((s) => s.definition.id).sort(compare)).toEqual(
      [
        ENTERPRISE_USER_SCHEMA,
        GROUP_SCHEMA,
        RESOURCE_TYPE_SCHEMA,
        SCHEMA_SCHEMA,
        SERVICE_PROVIDER_CONFIG_SCHEMA,
        USER_SCHEMA,
      ].sort(compare),
    );
    expect(loaded.resourceTypes.map((t) => t.definition.name)).toEqual(["Group", "User"]);
  });
});

describe("resolveModel", () => {
  it("fills in the RFC 7643 core schemas the examples name but do not define", async () => {
    const model = resolveModel(await loadSchemaFolder(EXAMPLES_DIR));
    expect(model.resourceTypes.map((t) => t.name)).toEqual(["Device", "User"]);
    expect(model.builtins).toEqual([
      RESOURCE_TYPE_SCHEMA,
      SCHEMA_SCHEMA,
      SERVICE_PROVIDER_CONFIG_SCHEMA,
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
    ]);
    expect(model.schemas.map((s) => s.id)).toEqual([
      DEVICE_URN,
      ACME_URN,
      RESOURCE_TYPE_SCHEMA,
      SCHEMA_SCHEMA,
      SERVICE_PROVIDER_CONFIG_SCHEMA,
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
    ]);
    expect(model.registry.schemasOf("user").extensions.map((e) => e.schema.id)).toEqual([
      ENTERPRISE_USER_SCHEMA,
      ACME_URN,
    ]);
  });

  it("uses no built-in User schema when the folder defines its own (matched case-insensitively)", () => {
    const custom = {
      id: USER_SCHEMA.toUpperCase(),
      name: "User",
      attributes: [{ name: "userName", required: true }],
    };
    const model = resolveModel(loadedOf(custom, { name: "User", endpoint: "/Users", schema: USER_SCHEMA }));
    expect(model.builtins).not.toContain(USER_SCHEMA);
    expect(
      model.schemas.find((s) => s.id.toLowerCase() === USER_SCHEMA.toLowerCase())?.attributes,
    ).toHaveLength(1);
  });

  it("always adds the discovery schemas (RFC 7644 §4), even with no resource types", () => {
    const model = resolveModel(loadedOf(thing([{ name: "label" }])));
    expect(model.resourceTypes).toEqual([]);
    expect(model.builtins).toEqual([RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA]);
  });

  const order: [string, { given: [string, string]; want: number }][] = [
    ["less", { given: ["User", "user"], want: -1 }],
    ["greater", { given: ["b", "a"], want: 1 }],
    ["equal", { given: ["Device", "Device"], want: 0 }],
    ["code unit order, not locale order", { given: ["Z", "a"], want: -1 }],
  ];
  it.each(order)("compare: %s", (_, { given, want }) => {
    expect(compare(...given)).toBe(want);
  });
});
