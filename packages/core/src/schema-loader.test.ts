/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
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
  LIST_RESPONSE_URN,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./urns.js";

const CORE_DIR = new URL("../../../schemas/core/", import.meta.url);
const EXAMPLES_DIR = new URL("../../../schemas/examples/", import.meta.url);
const FIXTURES_DIR = new URL("./__fixtures__/", import.meta.url);

const THING = "urn:acme:params:scim:schemas:core:2.0:Thing";
const FILE = "bad.schema.json";

/** A schema whose attributes are `attributes`. */
const schema = (attributes: unknown[]): Record<string, unknown> => ({ id: THING, name: "Thing", attributes });
/** A resource type for `THING`, with `extra` merged in. */
const resourceType = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "Thing",
  endpoint: "/Things",
  schema: THING,
  ...extra,
});
/** Complex attributes nested `levels` deep. */
const nested = (levels: number): Record<string, unknown> =>
  levels === 0
    ? { name: "leaf" }
    : { name: `level${levels}`, type: "complex", subAttributes: [nested(levels - 1)] };

function loadError(text: string, file = FILE): SchemaLoadError {
  try {
    parseSchemaDocument(text, file);
  } catch (e) {
    if (e instanceof SchemaLoadError) return e;
    throw e;
  }
  throw new Error(`expected ${file} to fail to load`);
}

function readDir(dir: URL): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, text: readFileSync(new URL(file, dir), "utf8") }));
}

function loadDir(dir: URL): LoadedDocuments {
  const out: LoadedDocuments = { schemas: [], resourceTypes: [] };
  for (const { file, text } of readDir(dir)) {
    const doc = parseSchemaDocument(text, file);
    out.schemas.push(...doc.schemas);
    out.resourceTypes.push(...doc.resourceTypes);
  }
  return out;
}

/** The attribute at a dotted path (`"members.value"`, `"attributes.subAttributes.type"`). */
function attributeAt(definition: SchemaDefinition, path: string): AttributeDefinition {
  let attributes: readonly AttributeDefinition[] = definition.attributes;
  let found: AttributeDefinition | undefined;
  for (const name of path.split(".")) {
    found = attributes.find((a) => a.name === name);
    if (!found) throw new Error(`${definition.id} has no attribute ${path}`);
    attributes = found.subAttributes ?? [];
  }
  return found as AttributeDefinition;
}

function* walk(
  attributes: readonly AttributeDefinition[],
  prefix = "",
): Generator<[string, AttributeDefinition]> {
  for (const a of attributes) {
    yield [prefix + a.name, a];
    yield* walk(a.subAttributes ?? [], `${prefix}${a.name}.`);
  }
}

describe("parseSchemaDocument: malformed definitions", () => {
  const cases: [name: string, { given: unknown; want: { pointer: string; message: string } }][] = [
    // Attribute characteristics (RFC 7643 §2.2, §7)
    [
      "unknown attribute type",
      {
        given: schema([{ name: "a" }, { name: "b", type: "strng" }]),
        want: { pointer: "/attributes/1/type", message: 'unknown attribute type "strng"' },
      },
    ],
    [
      "non-string attribute type",
      {
        given: schema([{ name: "a", type: 5 }]),
        want: { pointer: "/attributes/0/type", message: '"type" must be a string, got number 5' },
      },
    ],
    [
      "names differing only in case",
      {
        given: schema([{ name: "userName" }, { name: "nickName" }, { name: "USERNAME" }]),
        want: {
          pointer: "/attributes/2/name",
          message: 'attribute names "userName" and "USERNAME" differ only in case',
        },
      },
    ],
    [
      "duplicate names",
      {
        given: schema([{ name: "title" }, { name: "title" }]),
        want: { pointer: "/attributes/1/name", message: 'attribute "title" is defined twice' },
      },
    ],
    [
      "duplicate sub-attribute names",
      {
        given: schema([
          { name: "name", type: "complex", subAttributes: [{ name: "givenName" }, { name: "GivenName" }] },
        ]),
        want: { pointer: "/attributes/0/subAttributes/1/name", message: "differ only in case" },
      },
    ],
    [
      "name starting with a digit",
      {
        given: schema([{ name: "1abc" }]),
        want: { pointer: "/attributes/0/name", message: 'invalid attribute name "1abc"' },
      },
    ],
    [
      "name with a dot",
      {
        given: schema([{ name: "a.b" }]),
        want: { pointer: "/attributes/0/name", message: 'invalid attribute name "a.b"' },
      },
    ],
    [
      "name with a colon",
      {
        given: schema([{ name: "urn:x" }]),
        want: { pointer: "/attributes/0/name", message: 'invalid attribute name "urn:x"' },
      },
    ],
    [
      "name with a space",
      {
        given: schema([{ name: "given name" }]),
        want: { pointer: "/attributes/0/name", message: "invalid attribute name" },
      },
    ],
    [
      "name with a $ that is not $ref",
      {
        given: schema([{ name: "$refs" }]),
        want: { pointer: "/attributes/0/name", message: 'invalid attribute name "$refs"' },
      },
    ],
    [
      "name starting with an underscore",
      {
        given: schema([{ name: "_x" }]),
        want: { pointer: "/attributes/0/name", message: "invalid attribute name" },
      },
    ],
    [
      "missing name",
      {
        given: schema([{ type: "string" }]),
        want: { pointer: "/attributes/0", message: 'attribute definition is missing "name"' },
      },
    ],
    [
      "empty name",
      { given: schema([{ name: "  " }]), want: { pointer: "/attributes/0", message: 'is missing "name"' } },
    ],
    [
      "non-string name",
      {
        given: schema([{ name: 7 }]),
        want: { pointer: "/attributes/0/name", message: '"name" must be a string, got number 7' },
      },
    ],
    [
      'required as the string "true"',
      {
        given: schema([{ name: "a", required: "true" }]),
        want: {
          pointer: "/attributes/0/required",
          message: '"required" must be true or false, got string "true"',
        },
      },
    ],
    [
      "multiValued as a number",
      {
        given: schema([{ name: "a", multiValued: 1 }]),
        want: { pointer: "/attributes/0/multiValued", message: "got number 1" },
      },
    ],
    [
      "caseExact as null",
      {
        given: schema([{ name: "a", caseExact: null }]),
        want: { pointer: "/attributes/0/caseExact", message: "got null" },
      },
    ],
    [
      "unknown mutability",
      {
        given: schema([{ name: "a", mutability: "readonlyish" }]),
        want: {
          pointer: "/attributes/0/mutability",
          message:
            'unknown mutability "readonlyish" (expected one of readOnly, readWrite, immutable, writeOnly)',
        },
      },
    ],
    [
      "unknown returned",
      {
        given: schema([{ name: "a", returned: "sometimes" }]),
        want: { pointer: "/attributes/0/returned", message: 'unknown returned value "sometimes"' },
      },
    ],
    [
      "unknown uniqueness",
      {
        given: schema([{ name: "a", uniqueness: "unique" }]),
        want: { pointer: "/attributes/0/uniqueness", message: 'unknown uniqueness "unique"' },
      },
    ],
    [
      "non-string description",
      {
        given: schema([{ name: "a", description: 1 }]),
        want: { pointer: "/attributes/0/description", message: '"description" must be a string' },
      },
    ],
    [
      "canonicalValues not an array",
      {
        given: schema([{ name: "a", canonicalValues: "work" }]),
        want: { pointer: "/attributes/0/canonicalValues", message: "must be an array of strings" },
      },
    ],
    [
      "a non-string canonical value",
      {
        given: schema([{ name: "a", canonicalValues: ["work", 2] }]),
        want: {
          pointer: "/attributes/0/canonicalValues/1",
          message: "entries must be strings, got number 2",
        },
      },
    ],
    [
      "complex without subAttributes",
      {
        given: schema([{ name: "address", type: "complex" }]),
        want: { pointer: "/attributes/0", message: 'complex attribute "address" has no "subAttributes"' },
      },
    ],
    [
      "complex with subAttributes that is not an array",
      {
        given: schema([{ name: "address", type: "complex", subAttributes: {} }]),
        want: { pointer: "/attributes/0/subAttributes", message: "must be an array" },
      },
    ],
    [
      "subAttributes on a non-complex attribute",
      {
        given: schema([{ name: "title", type: "string", subAttributes: [{ name: "x" }] }]),
        want: {
          pointer: "/attributes/0/subAttributes",
          message: 'attribute "title" has type "string", so it cannot have sub-attributes',
        },
      },
    ],
    [
      "subAttributes on an attribute with the default type",
      {
        given: schema([{ name: "title", subAttributes: [{ name: "x" }] }]),
        want: { pointer: "/attributes/0/subAttributes", message: "cannot have sub-attributes" },
      },
    ],
    [
      "referenceTypes on a non-reference",
      {
        given: schema([{ name: "title", type: "string", referenceTypes: ["external"] }]),
        want: {
          pointer: "/attributes/0/referenceTypes",
          message: 'attribute "title" has type "string", so "referenceTypes" does not apply',
        },
      },
    ],
    [
      "an attribute that is not an object",
      {
        given: schema(["userName"]),
        want: {
          pointer: "/attributes/0",
          message: 'an attribute definition must be an object, got string "userName"',
        },
      },
    ],
    [
      "an error inside a sub-attribute",
      {
        given: schema([
          {
            name: "name",
            type: "complex",
            subAttributes: [{ name: "givenName" }, { name: "familyName", mutability: "sometimes" }],
          },
        ]),
        want: {
          pointer: "/attributes/0/subAttributes/1/mutability",
          message: 'unknown mutability "sometimes"',
        },
      },
    ],
    [
      "complex attributes nested five levels deep",
      {
        given: schema([nested(5)]),
        want: {
          pointer: "/attributes/0/subAttributes/0/subAttributes/0/subAttributes/0/subAttributes/0/type",
          message: "at most 4 levels",
        },
      },
    ],
    // Schemas (RFC 7643 §7)
    [
      "schema id that is not a URI",
      {
        given: { id: "User", attributes: [] },
        want: { pointer: "/id", message: 'schema id "User" is not a URI' },
      },
    ],
    [
      "schema id with a space",
      {
        given: { id: "urn:acme:my schema", attributes: [] },
        want: { pointer: "/id", message: "is not a URI" },
      },
    ],
    [
      "non-string schema id",
      {
        given: { id: 42, attributes: [] },
        want: { pointer: "/id", message: '"id" must be a string, got number 42' },
      },
    ],
    [
      "schema missing id",
      { given: { name: "Thing", attributes: [] }, want: { pointer: "", message: 'schema is missing "id"' } },
    ],
    [
      "schema with an empty name",
      {
        given: { id: THING, name: "", attributes: [] },
        want: { pointer: "/name", message: 'has an empty "name"' },
      },
    ],
    [
      "schema missing attributes",
      {
        given: { id: THING, name: "Thing" },
        want: { pointer: "", message: `schema "${THING}" is missing "attributes"` },
      },
    ],
    [
      "schema attributes not an array",
      {
        given: { id: THING, attributes: { userName: {} } },
        want: { pointer: "/attributes", message: "must be an array of attribute definitions, got an object" },
      },
    ],
    // Resource types (RFC 7643 §6)
    [
      "resource type missing endpoint",
      {
        given: { name: "Thing", schema: THING },
        want: { pointer: "", message: 'resource type "Thing" is missing "endpoint"' },
      },
    ],
    [
      "resource type missing schema",
      {
        given: { name: "Thing", endpoint: "/Things" },
        want: { pointer: "", message: 'resource type "Thing" is missing "schema"' },
      },
    ],
    [
      "resource type missing name",
      {
        given: { endpoint: "/Things", schema: THING },
        want: { pointer: "", message: 'resource type is missing "name"' },
      },
    ],
    [
      "endpoint without a leading /",
      {
        given: resourceType({ endpoint: "Things" }),
        want: { pointer: "/endpoint", message: 'endpoint "Things" must start with "/"' },
      },
    ],
    [
      "duplicated extension",
      {
        given: resourceType({
          schemaExtensions: [
            { schema: ENTERPRISE_USER_SCHEMA, required: false },
            { schema: ENTERPRISE_USER_SCHEMA.toUpperCase(), required: true },
          ],
        }),
        want: { pointer: "/schemaExtensions/1/schema", message: "is listed twice" },
      },
    ],
    [
      "the base schema listed as an extension",
      {
        given: resourceType({ schemaExtensions: [{ schema: THING }] }),
        want: { pointer: "/schemaExtensions/0/schema", message: "is listed twice" },
      },
    ],
    [
      "schemaExtensions not an array",
      {
        given: resourceType({ schemaExtensions: { schema: ENTERPRISE_USER_SCHEMA } }),
        want: { pointer: "/schemaExtensions", message: "must be an array" },
      },
    ],
    [
      "an extension that is a bare URN string",
      {
        given: resourceType({ schemaExtensions: [ENTERPRISE_USER_SCHEMA] }),
        want: { pointer: "/schemaExtensions/0", message: "a schema extension must be an object" },
      },
    ],
    [
      "an extension without schema",
      {
        given: resourceType({ schemaExtensions: [{ required: true }] }),
        want: { pointer: "/schemaExtensions/0", message: 'schema extension is missing "schema"' },
      },
    ],
    [
      "an extension whose required is a string",
      {
        given: resourceType({ schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: "false" }] }),
        want: { pointer: "/schemaExtensions/0/required", message: '"required" must be true or false' },
      },
    ],
    // Documents
    [
      "an object that is neither a schema nor a resource type",
      { given: { description: "x", attributes_: [] }, want: { pointer: "", message: "neither a schema" } },
    ],
    [
      "a commonAttributes document with a bad attribute",
      {
        given: { commonAttributes: [{ name: "id" }, { name: "ID" }] },
        want: { pointer: "/commonAttributes/1/name", message: "differ only in case" },
      },
    ],
    [
      "a commonAttributes document whose list is not an array",
      {
        given: { commonAttributes: { id: {} } },
        want: { pointer: "/commonAttributes", message: '"commonAttributes" must be an array' },
      },
    ],
    [
      "a ListResponse whose Resources is not an array",
      {
        given: { schemas: [LIST_RESPONSE_URN], Resources: {} },
        want: { pointer: "", message: "neither a schema" },
      },
    ],
    [
      "null",
      {
        given: null,
        want: {
          pointer: "",
          message: "expected a schema, a resource type, an array of them or a ListResponse, got null",
        },
      },
    ],
    ["a string", { given: "urn:x", want: { pointer: "", message: 'got string "urn:x"' } }],
    [
      "a number inside an array",
      { given: [schema([]), 5], want: { pointer: "/1", message: "got number 5" } },
    ],
    [
      "an error inside the second element of an array",
      {
        given: [schema([]), schema([{ name: "a", type: "strng" }])],
        want: { pointer: "/1/attributes/0/type", message: "unknown attribute type" },
      },
    ],
    [
      "an error inside a resource type in an array",
      {
        given: [schema([]), resourceType({ endpoint: "Things" })],
        want: { pointer: "/1/endpoint", message: 'must start with "/"' },
      },
    ],
    [
      "an error inside a ListResponse",
      {
        given: {
          schemas: [LIST_RESPONSE_URN],
          totalResults: 2,
          Resources: [schema([]), schema([{ name: "a" }, { name: "b", required: "yes" }])],
        },
        want: { pointer: "/Resources/1/attributes/1/required", message: "must be true or false" },
      },
    ],
  ];

  it.each(cases)("%s", (_name, { given, want }) => {
    const err = loadError(JSON.stringify(given));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("SchemaLoadError");
    expect(err.file).toBe(FILE);
    expect(err.pointer).toBe(want.pointer);
    expect(err.line).toBeUndefined();
    expect(err.column).toBeUndefined();
    expect(err.problem).toContain(want.message);
    expect(err.message).toBe(`${FILE}: ${want.pointer === "" ? "(document)" : want.pointer}: ${err.problem}`);
  });

  it("points into arrays nested in a ListResponse", () => {
    const err = loadError(
      JSON.stringify({ schemas: [LIST_RESPONSE_URN], Resources: [[schema([{ name: "a/b" }])]] }),
    );
    expect(err.pointer).toBe("/Resources/0/0/attributes/0/name");
    expect(err.problem).toContain('"a/b"');
  });
});

describe("parseSchemaDocument: invalid JSON", () => {
  const cases: [name: string, { given: string; want: { line: number; column: number; message: string } }][] =
    [
      [
        "a trailing comma on line 4",
        {
          given: '{\n  "id": "urn:a:b",\n  "attributes": [\n    {"name": "a"},\n  ]\n}',
          want: { line: 5, column: 3, message: "expected a value" },
        },
      ],
      [
        "a missing colon",
        { given: '{"id" "urn:a:b"}', want: { line: 1, column: 7, message: 'expected ":"' } },
      ],
      [
        "an empty file",
        { given: "", want: { line: 1, column: 1, message: "expected a value, found the end of the text" } },
      ],
      [
        "a truncated file",
        {
          given: '[\n  {"id": "urn:a:b",\n',
          want: { line: 3, column: 1, message: "expected a property name" },
        },
      ],
      [
        "a byte order mark followed by an error",
        { given: "\uFEFF{,}", want: { line: 1, column: 2, message: "expected a property name" } },
      ],
    ];
  it.each(cases)("%s", (_name, { given, want }) => {
    const err = loadError(given, "schemas/acme.json");
    expect(err.file).toBe("schemas/acme.json");
    expect(err.pointer).toBe("");
    expect(err.line).toBe(want.line);
    expect(err.column).toBe(want.column);
    expect(err.message.startsWith(`schemas/acme.json:${want.line}:${want.column}: invalid JSON: `)).toBe(
      true,
    );
    expect(err.message).toContain(want.message);
  });
});

describe("parseSchemaDocument: accepted input", () => {
  it("fills in the RFC 7643 §2.2 defaults", () => {
    const { schemas } = parseSchemaDocument(JSON.stringify(schema([{ name: "nickName" }])), "min.json");
    expect(schemas[0]?.definition.attributes).toStrictEqual([
      {
        name: "nickName",
        type: "string",
        multiValued: false,
        required: false,
        caseExact: false,
        mutability: "readWrite",
        returned: "default",
        uniqueness: "none",
      },
    ]);
  });

  it("fills in the defaults of sub-attributes too", () => {
    const doc = parseSchemaDocument(
      JSON.stringify(schema([{ name: "name", type: "complex", subAttributes: [{ name: "givenName" }] }])),
      "f",
    );
    expect(doc.schemas[0]?.definition.attributes[0]?.subAttributes?.[0]).toStrictEqual({
      name: "givenName",
      type: "string",
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
    });
  });

  const keywords: [name: string, { given: Record<string, unknown>; want: Partial<AttributeDefinition> }][] = [
    ['type "DateTime"', { given: { type: "DateTime" }, want: { type: "dateTime" } }],
    ['type "BOOLEAN"', { given: { type: "BOOLEAN" }, want: { type: "boolean" } }],
    [
      'type "Reference"',
      {
        given: { type: "Reference", referenceTypes: ["external"] },
        want: { type: "reference", referenceTypes: ["external"] },
      },
    ],
    ['mutability "READONLY"', { given: { mutability: "READONLY" }, want: { mutability: "readOnly" } }],
    ['mutability "writeonly"', { given: { mutability: "writeonly" }, want: { mutability: "writeOnly" } }],
    ['mutability "Immutable"', { given: { mutability: "Immutable" }, want: { mutability: "immutable" } }],
    ['returned "ALWAYS"', { given: { returned: "ALWAYS" }, want: { returned: "always" } }],
    ['returned "Request"', { given: { returned: "Request" }, want: { returned: "request" } }],
    ['uniqueness "Server"', { given: { uniqueness: "Server" }, want: { uniqueness: "server" } }],
    ['uniqueness "GLOBAL"', { given: { uniqueness: "GLOBAL" }, want: { uniqueness: "global" } }],
  ];
  it.each(keywords)("normalizes the keyword case of %s (RFC 7643 §2.1)", (_name, { given, want }) => {
    const { schemas } = parseSchemaDocument(JSON.stringify(schema([{ name: "a", ...given }])), "f");
    expect(schemas[0]?.definition.attributes[0]).toMatchObject(want);
  });

  it("normalizes COMPLEX and reads its sub-attributes", () => {
    const { schemas } = parseSchemaDocument(
      JSON.stringify(schema([{ name: "a", type: "COMPLEX", subAttributes: [{ name: "b" }] }])),
      "f",
    );
    expect(schemas[0]?.definition.attributes[0]).toMatchObject({
      type: "complex",
      subAttributes: [{ name: "b" }],
    });
  });

  it("keeps every given characteristic and drops empty lists", () => {
    const given = {
      name: "emails",
      type: "complex",
      multiValued: true,
      description: "Email addresses",
      required: true,
      caseExact: true,
      canonicalValues: [],
      mutability: "immutable",
      returned: "request",
      uniqueness: "global",
      subAttributes: [
        { name: "value", referenceTypes: [], subAttributes: [] },
        { name: "$ref", type: "reference", referenceTypes: ["User", "Group"] },
        { name: "type", canonicalValues: ["work", "home"] },
      ],
    };
    const { schemas } = parseSchemaDocument(JSON.stringify(schema([given])), "f");
    const emails = schemas[0]?.definition.attributes[0];
    expect(emails).toMatchObject({
      name: "emails",
      type: "complex",
      multiValued: true,
      description: "Email addresses",
      required: true,
      caseExact: true,
      mutability: "immutable",
      returned: "request",
      uniqueness: "global",
    });
    expect(emails).not.toHaveProperty("canonicalValues");
    expect(emails?.subAttributes?.[0]).not.toHaveProperty("referenceTypes");
    expect(emails?.subAttributes?.[0]).not.toHaveProperty("subAttributes");
    expect(emails?.subAttributes?.[1]).toMatchObject({
      name: "$ref",
      type: "reference",
      referenceTypes: ["User", "Group"],
    });
    expect(emails?.subAttributes?.[2]?.canonicalValues).toEqual(["work", "home"]);
  });

  it("accepts $ref as an attribute name (RFC 7643 §2.4, schemas/README.md D3)", () => {
    const { schemas } = parseSchemaDocument(
      JSON.stringify(schema([{ name: "$ref", type: "reference", referenceTypes: ["uri"] }])),
      "f",
    );
    expect(schemas[0]?.definition.attributes[0]?.name).toBe("$ref");
  });

  it("accepts names with digits, '-' and '_' after the first letter (RFC 7643 §2.1 ATTRNAME)", () => {
    const { schemas } = parseSchemaDocument(
      JSON.stringify(schema([{ name: "x509Certificates" }, { name: "a-b_c9" }])),
      "f",
    );
    expect(schemas[0]?.definition.attributes.map((a) => a.name)).toEqual(["x509Certificates", "a-b_c9"]);
  });

  it("accepts complex attributes nested four levels deep (RFC 7643 §8.7.2 nests two)", () => {
    expect(() => parseSchemaDocument(JSON.stringify(schema([nested(4)])), "f")).not.toThrow();
  });

  it("names a schema without a name after the last URN segment", () => {
    const { schemas } = parseSchemaDocument(JSON.stringify({ id: THING, attributes: [] }), "f");
    expect(schemas[0]?.definition).toStrictEqual({ id: THING, name: "Thing", attributes: [] });
  });

  it("ignores keys it does not know (schemas, meta)", () => {
    const { schemas } = parseSchemaDocument(
      JSON.stringify({
        schemas: [SCHEMA_SCHEMA],
        ...schema([]),
        meta: { resourceType: "Schema" },
        description: "d",
      }),
      "f",
    );
    expect(schemas[0]?.definition).toStrictEqual({
      id: THING,
      name: "Thing",
      description: "d",
      attributes: [],
    });
  });

  it("reads a resource type and defaults schemaExtensions to []", () => {
    const { resourceTypes, schemas } = parseSchemaDocument(
      JSON.stringify(resourceType({ id: "Thing", description: "A thing" })),
      "rt.json",
    );
    expect(schemas).toEqual([]);
    expect(resourceTypes).toStrictEqual([
      {
        definition: {
          id: "Thing",
          name: "Thing",
          endpoint: "/Things",
          description: "A thing",
          schema: THING,
          schemaExtensions: [],
        },
        file: "rt.json",
        pointer: "",
      },
    ]);
  });

  it("reads extension required, defaulting to false", () => {
    const { resourceTypes } = parseSchemaDocument(
      JSON.stringify(
        resourceType({
          schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: true }, { schema: "urn:acme:ext" }],
        }),
      ),
      "f",
    );
    expect(resourceTypes[0]?.definition.schemaExtensions).toEqual([
      { schema: ENTERPRISE_USER_SCHEMA, required: true },
      { schema: "urn:acme:ext", required: false },
    ]);
  });

  it("accepts a byte order mark", () => {
    const text = `\uFEFF${JSON.stringify(schema([{ name: "a" }]), null, 2)}\n`;
    const { schemas } = parseSchemaDocument(text, "bom.json");
    expect(schemas[0]?.definition.id).toBe(THING);
  });

  it("reads a single object, an array and a ListResponse, with each definition's pointer", () => {
    const single = parseSchemaDocument(JSON.stringify(schema([])), "one.json");
    expect(single.schemas.map((s) => [s.file, s.pointer])).toEqual([["one.json", ""]]);

    const array = parseSchemaDocument(
      JSON.stringify([schema([]), resourceType(), { ...schema([]), id: `${THING}2` }]),
      "many.json",
    );
    expect(array.schemas.map((s) => s.pointer)).toEqual(["/0", "/2"]);
    expect(array.resourceTypes.map((r) => r.pointer)).toEqual(["/1"]);

    const list = parseSchemaDocument(
      JSON.stringify({
        schemas: [LIST_RESPONSE_URN],
        totalResults: 2,
        Resources: [resourceType(), schema([])],
      }),
      "list.json",
    );
    expect(list.schemas.map((s) => s.pointer)).toEqual(["/Resources/1"]);
    expect(list.resourceTypes.map((r) => r.pointer)).toEqual(["/Resources/0"]);

    expect(parseSchemaDocument("[]", "empty.json")).toEqual({ schemas: [], resourceTypes: [] });
  });

  it("reads a GET /Schemas response fixture", () => {
    const file = "schemas-list-response.json";
    const doc = parseSchemaDocument(readFileSync(new URL(file, FIXTURES_DIR), "utf8"), file);
    expect(doc.schemas.map((s) => [s.definition.id, s.pointer])).toEqual([
      ["urn:acme:params:scim:schemas:extension:2.0:Badge", "/Resources/0"],
      ["urn:acme:params:scim:schemas:core:2.0:Printer", "/Resources/1"],
    ]);
    expect(doc.resourceTypes).toEqual([]);
    expect(attributeAt(doc.schemas[1]!.definition, "location.floor")).toMatchObject({
      type: "integer",
      required: false,
    });
  });
});

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
