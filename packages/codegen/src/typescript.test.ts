import type { AttributeDefinition } from "@scimkit/core";
import { describe, expect, it } from "vitest";
import { indentDeclarations } from "./format.js";
import type { JsonSchema, ScimAnnotation } from "./json-schema.js";
import { canonicalUnion, characteristics, renderTypes } from "./typescript.js";

const DEFAULTS: ScimAnnotation = {
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
};

describe("canonicalUnion (schemas/README.md D4)", () => {
  const cases: [string, { given: string[]; want: string }][] = [
    [
      "values, widened so other strings stay allowed",
      { given: ["work", "home"], want: '"work" | "home" | (string & {})' },
    ],
    ["no values", { given: [], want: "(string & {})" }],
    [
      "quotes and backslashes are escaped",
      { given: ['a"b', "c\\d"], want: '"a\\"b" | "c\\\\d" | (string & {})' },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(canonicalUnion(given)).toBe(want);
  });
});

describe("characteristics: only what differs from the RFC 7643 §2.2 defaults", () => {
  const cases: [string, { given: Partial<AttributeDefinition>; want: string[] }][] = [
    ["all defaults", { given: {}, want: [] }],
    ["required", { given: { required: true }, want: ["required"] }],
    ["readOnly", { given: { mutability: "readOnly" }, want: ["readOnly"] }],
    ["immutable", { given: { mutability: "immutable" }, want: ["immutable"] }],
    ["writeOnly", { given: { mutability: "writeOnly" }, want: ["writeOnly"] }],
    ["returned always", { given: { returned: "always" }, want: ["returned: always"] }],
    ["returned never", { given: { returned: "never" }, want: ["returned: never"] }],
    ["uniqueness server", { given: { uniqueness: "server" }, want: ["unique (server)"] }],
    ["caseExact", { given: { caseExact: true }, want: ["case-exact"] }],
    ["dateTime", { given: { type: "dateTime" }, want: ["xsd:dateTime"] }],
    ["binary", { given: { type: "binary" }, want: ["base64"] }],
    [
      "reference with types",
      { given: { type: "reference", referenceTypes: ["User", "Group"] }, want: ["reference: User, Group"] },
    ],
    ["reference without types", { given: { type: "reference" }, want: [] }],
    ["canonical values", { given: { canonicalValues: ["a", "b"] }, want: ["canonical values: a, b"] }],
    [
      "everything, in a fixed order",
      {
        given: {
          type: "reference",
          required: true,
          mutability: "immutable",
          returned: "always",
          uniqueness: "global",
          caseExact: true,
          referenceTypes: ["external"],
        },
        want: [
          "required",
          "immutable",
          "returned: always",
          "unique (global)",
          "case-exact",
          "reference: external",
        ],
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(characteristics({ ...DEFAULTS, ...given })).toEqual(want);
  });
});

/** Renders one interface `T` whose properties are `properties`, indented as the generator does. */
async function renderOne(properties: Record<string, JsonSchema>, required: string[] = []): Promise<string> {
  const text = await renderTypes({
    T: { title: "T", type: "object", properties, required, additionalProperties: false },
  });
  return indentDeclarations(text);
}

const scim = (extra: Partial<ScimAnnotation> = {}): ScimAnnotation => ({ ...DEFAULTS, ...extra });

describe("renderTypes", () => {
  const cases: [string, { given: JsonSchema; want: string }][] = [
    ["string", { given: { type: "string" }, want: "a?: string;" }],
    ["integer", { given: { type: "integer" }, want: "a?: number;" }],
    ["boolean", { given: { type: "boolean" }, want: "a?: boolean;" }],
    ["array", { given: { type: "array", items: { type: "string" } }, want: "a?: string[];" }],
    [
      "canonical values: a widened literal union",
      {
        given: { type: "string", "x-scim": scim({ canonicalValues: ["work", "home"] }) },
        want: 'a?: "work" | "home" | (string & {});',
      },
    ],
    [
      "multi-valued canonical values: an array of the union",
      {
        given: {
          type: "array",
          items: { type: "string" },
          "x-scim": scim({ multiValued: true, canonicalValues: ["x", "y"] }),
        },
        want: 'a?: ("x" | "y" | (string & {}))[];',
      },
    ],
    [
      "canonical values of a non-string type are ignored",
      {
        given: { type: "integer", "x-scim": scim({ type: "integer", canonicalValues: ["1"] }) },
        want: "a?: number;",
      },
    ],
    ["a reference to another definition", { given: { $ref: "#/$defs/T" }, want: "a?: T;" }],
  ];
  it.each(cases)("%s", async (_, { given, want }) => {
    const text = await renderOne({ a: given });
    expect(text.split("\n").map((l) => l.trim())).toContain(want);
  });

  it("marks required properties as required", async () => {
    const text = await renderOne({ a: { type: "string" }, b: { type: "string" } }, ["b"]);
    expect(text).toContain("  a?: string;\n");
    expect(text).toContain("  b: string;\n");
  });

  it("quotes attribute names that are not identifiers and keeps $ref as a name", async () => {
    const text = await renderOne({ "cost-center": { type: "string" }, $ref: { type: "string" } });
    expect(text).toContain('  "cost-center"?: string;\n');
    expect(text).toContain("  $ref?: string;\n");
  });

  it("turns the description and the SCIM characteristics into JSDoc (STYLE.md §12)", async () => {
    const text = await renderOne({
      a: {
        description: "Ends */ early.",
        type: "string",
        "x-scim": scim({ required: true, mutability: "immutable", caseExact: true }),
      },
    });
    expect(text).toBe(
      [
        "export interface T {",
        "  /**",
        "   * Ends *\\/ early.",
        "   *",
        "   * @remarks SCIM: required · immutable · case-exact",
        "   */",
        "  a?: string;",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("leaves the JSON Schema input unchanged", async () => {
    const defs = { T: { type: "object", properties: { a: { type: "string", "x-scim": scim() } } } };
    const copy = structuredClone(defs);
    await renderTypes(defs);
    expect(defs).toEqual(copy);
  });
});
