import { describe, expect, it } from "vitest";
import {
  FILE,
  loadError,
  nested,
  resourceType,
  schema,
  THING,
} from "./__fixtures__/schema-loader-helpers.js";
import { ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_URN } from "./urns.js";

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
