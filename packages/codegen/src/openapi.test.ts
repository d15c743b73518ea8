import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { CORE_DIR, EXAMPLES_DIR, modelOf, THING_URN } from "./__fixtures__/model.js";
import { buildJsonSchemas } from "./json-schema.js";
import { type GenerationModel, loadSchemaFolder, resolveModel } from "./load.js";
import { buildOpenApi, type OpenApiDocument } from "./openapi.js";
import { planTypes } from "./plan.js";

type Json = Record<string, unknown>;

function openApiOf(model: GenerationModel, info: { title?: string; version?: string } = {}): OpenApiDocument {
  const plan = planTypes(model);
  return buildOpenApi(plan, buildJsonSchemas(plan).$defs, info);
}

/**
 * The document with every SCIM attribute named `$ref` (a key of a JSON Schema `properties` map, RFC
 * 7643 §2.4) renamed. The validator's reference checker treats any key spelt `$ref` as a reference,
 * even a property name, so without this it fails with "Can't resolve [object Object]". The renamed
 * copy is schema-for-schema identical otherwise; {@link refsOf} checks the real references.
 */
function withoutRefNamedProperties(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRefNamedProperties);
  if (typeof node !== "object" || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === "properties" && typeof value === "object" && value !== null)
        return [
          key,
          Object.fromEntries(
            Object.entries(value).map(([name, schema]) => [
              name === "$ref" ? "x-ref-attribute" : name,
              withoutRefNamedProperties(schema),
            ]),
          ),
        ];
      return [key, withoutRefNamedProperties(value)];
    }),
  );
}

/** Every `$ref` value in the document (not property names spelt "$ref"), with where it was found. */
function refsOf(node: unknown, at = "#"): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => refsOf(v, `${at}/${i}`));
  if (typeof node !== "object" || node === null) return [];
  const found: { ref: string; at: string }[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") found.push({ ref: value, at });
    else if (key === "properties" && typeof value === "object" && value !== null) {
      for (const [name, schema] of Object.entries(value))
        found.push(...refsOf(schema, `${at}/properties/${name}`));
    } else found.push(...refsOf(value, `${at}/${key}`));
  }
  return found;
}

/** The node a local JSON pointer reference (`#/a/b`) names, or undefined. */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>(
      (node, token) => (typeof node === "object" && node !== null ? (node as Json)[token] : undefined),
      doc,
    );
}

/** Every operation in the document: [path, method, operation]. */
function operations(doc: OpenApiDocument): [string, string, Json][] {
  const paths = doc.paths as Record<string, Json>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ["get", "put", "post", "patch", "delete"].includes(method))
      .map(([method, op]) => [path, method, op as Json] as [string, string, Json]),
  );
}

const CORE_PATHS = [
  "/Groups",
  "/Groups/{id}",
  "/Groups/.search",
  "/Users",
  "/Users/{id}",
  "/Users/.search",
  "/.search",
  "/Bulk",
  "/Me",
  "/ServiceProviderConfig",
  "/ResourceTypes",
  "/ResourceTypes/{name}",
  "/Schemas",
  "/Schemas/{id}",
];
const EXAMPLE_PATHS = [
  "/Devices",
  "/Devices/{id}",
  "/Devices/.search",
  "/Users",
  "/Users/{id}",
  "/Users/.search",
  "/.search",
  "/Bulk",
  "/Me",
  "/ServiceProviderConfig",
  "/ResourceTypes",
  "/ResourceTypes/{name}",
  "/Schemas",
  "/Schemas/{id}",
];

describe.each([
  ["the core bundle", CORE_DIR, CORE_PATHS],
  ["schemas/examples", EXAMPLES_DIR, EXAMPLE_PATHS],
])("OpenAPI document of %s", (_, dir, paths) => {
  let doc: OpenApiDocument;
  beforeAll(async () => {
    doc = openApiOf(resolveModel(await loadSchemaFolder(dir)));
  });

  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(withoutRefNamedProperties(doc) as Json);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.1");
  });

  it("would be rejected if it were broken (the validator is live)", async () => {
    const broken = structuredClone(withoutRefNamedProperties(doc)) as Json;
    ((broken.paths as Json)["/Bulk"] as Json).post = { responses: "none" };
    expect((await new Validator().validate(broken)).valid).toBe(false);
    const dangling = structuredClone(withoutRefNamedProperties(doc)) as Json;
    ((dangling.components as Json).schemas as Json).ScimError = { $ref: "#/components/schemas/Nope" };
    expect((await new Validator().validate(dangling)).valid).toBe(false);
  });

  it("has exactly the SCIM endpoints of RFC 7644 §3 and §4", () => {
    expect(Object.keys(doc.paths as Json)).toEqual(paths);
  });

  it("resolves every $ref inside the document", () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(100);
    const dangling = refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it("answers every error status with the ScimError schema (RFC 7644 §3.12)", () => {
    let count = 0;
    for (const [path, method, op] of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (!/^[45]/.test(status)) continue;
        count++;
        expect((response as Json).content, `${method} ${path} ${status}`).toEqual({
          "application/scim+json": { schema: { $ref: "#/components/schemas/ScimError" } },
        });
      }
    }
    expect(count).toBeGreaterThan(50);
    const error = resolvePointer(doc, "#/components/schemas/ScimError") as Json;
    expect(error.required).toEqual(["schemas", "status"]);
    expect(((error.properties as Json).scimType as Json).enum).toContain("invalidFilter");
  });

  it("gives every operation a unique operationId", () => {
    const ids = operations(doc).map(([, , op]) => op.operationId);
    expect(ids.every((id) => typeof id === "string")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sends bodies as application/scim+json (RFC 7644 §3.1)", () => {
    for (const [path, method, op] of operations(doc)) {
      const body = op.requestBody as Json | undefined;
      if (body)
        expect(Object.keys(body.content as Json), `${method} ${path}`).toEqual(["application/scim+json"]);
    }
  });
});

describe("OpenAPI operations of a resource type", () => {
  let doc: OpenApiDocument;
  beforeAll(async () => {
    doc = openApiOf(resolveModel(await loadSchemaFolder(EXAMPLES_DIR)));
  });
  const body = (path: string, method: string) =>
    resolvePointer(
      doc,
      `#/paths/${path.replace(/\//g, "~1")}/${method}/requestBody/content/application~1scim+json/schema`,
    );
  const response = (path: string, method: string, status: string) =>
    resolvePointer(
      doc,
      `#/paths/${path.replace(/\//g, "~1")}/${method}/responses/${status}/content/application~1scim+json/schema`,
    );

  const cases: [string, { given: () => unknown; want: unknown }][] = [
    [
      "POST /Devices takes DeviceInput (RFC 7644 §3.3)",
      { given: () => body("/Devices", "post"), want: { $ref: "#/components/schemas/DeviceInput" } },
    ],
    [
      "POST /Devices answers 201 Device",
      { given: () => response("/Devices", "post", "201"), want: { $ref: "#/components/schemas/Device" } },
    ],
    [
      "GET /Devices answers a DeviceListResponse",
      {
        given: () => response("/Devices", "get", "200"),
        want: { $ref: "#/components/schemas/DeviceListResponse" },
      },
    ],
    [
      "PUT /Users/{id} takes UserInput (RFC 7644 §3.5.1)",
      { given: () => body("/Users/{id}", "put"), want: { $ref: "#/components/schemas/UserInput" } },
    ],
    [
      "PATCH /Users/{id} takes a PatchOp (RFC 7644 §3.5.2)",
      { given: () => body("/Users/{id}", "patch"), want: { $ref: "#/components/schemas/PatchOp" } },
    ],
    [
      "POST /Users/.search takes a SearchRequest (RFC 7644 §3.4.3)",
      { given: () => body("/Users/.search", "post"), want: { $ref: "#/components/schemas/SearchRequest" } },
    ],
    [
      "POST /Bulk takes a BulkRequest (RFC 7644 §3.7)",
      { given: () => body("/Bulk", "post"), want: { $ref: "#/components/schemas/BulkRequest" } },
    ],
    [
      "GET /Me answers the User (RFC 7644 §3.11)",
      { given: () => response("/Me", "get", "200"), want: { $ref: "#/components/schemas/User" } },
    ],
    [
      "GET /ServiceProviderConfig answers ServiceProviderConfiguration (RFC 7644 §4)",
      {
        given: () => response("/ServiceProviderConfig", "get", "200"),
        want: { $ref: "#/components/schemas/ServiceProviderConfiguration" },
      },
    ],
    [
      "GET /Schemas/{id} answers a Schema",
      { given: () => response("/Schemas/{id}", "get", "200"), want: { $ref: "#/components/schemas/Schema" } },
    ],
    [
      "DELETE /Devices/{id} answers 204",
      {
        given: () => resolvePointer(doc, "#/paths/~1Devices~1{id}/delete/responses/204/description"),
        want: "Deleted",
      },
    ],
    [
      "PUT /Users/{id} honours If-Match (RFC 7644 §3.14)",
      {
        given: () => resolvePointer(doc, "#/paths/~1Users~1{id}/put/parameters/0"),
        want: { $ref: "#/components/parameters/ifMatch" },
      },
    ],
    [
      "/.search answers resources of every type",
      {
        given: () =>
          resolvePointer(doc, "#/components/schemas/ResourceListResponse/properties/Resources/items"),
        want: { oneOf: [{ $ref: "#/components/schemas/Device" }, { $ref: "#/components/schemas/User" }] },
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(given()).toEqual(want);
  });

  it("turns the component schemas' JSON Schema references into component references", () => {
    const user = resolvePointer(doc, "#/components/schemas/User/properties/emails/items");
    expect(user).toEqual({ $ref: "#/components/schemas/UserEmail" });
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  it("uses the title and version it is given", () => {
    const model = modelOf(
      { id: THING_URN, name: "Thing", attributes: [{ name: "label" }] },
      { name: "Thing", endpoint: "/Things", schema: THING_URN },
    );
    const titled = openApiOf(model, { title: "Acme SCIM", version: "3.2.1" });
    expect(titled.info).toMatchObject({ title: "Acme SCIM", version: "3.2.1" });
    expect(openApiOf(model).info).toMatchObject({ title: "SCIM 2.0 service", version: "2.0" });
  });

  it("has no /Me without a User resource type", async () => {
    const model = modelOf(
      { id: THING_URN, name: "Thing", attributes: [{ name: "label" }] },
      { name: "Thing", endpoint: "/Things", schema: THING_URN },
    );
    const thingDoc = openApiOf(model);
    expect(Object.keys(thingDoc.paths as Json)).not.toContain("/Me");
    expect(Object.keys(thingDoc.paths as Json)).toContain("/Things/{id}");
    expect((await new Validator().validate(withoutRefNamedProperties(thingDoc) as Json)).valid).toBe(true);
  });
});
