/// <reference types="node" />
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  attributeAt,
  FIXTURES_DIR,
  loadError,
  nested,
  resourceType,
  schema,
  THING,
} from "./__fixtures__/schema-loader-helpers.js";
import { parseSchemaDocument } from "./schema-loader.js";
import type { AttributeDefinition } from "./schema-types.js";
import { ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_URN, SCHEMA_SCHEMA } from "./urns.js";

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
