import {
  BULK_REQUEST_URN,
  BULK_RESPONSE_URN,
  ERROR_MESSAGE_URN,
  LIST_RESPONSE_URN,
  PATCH_OP_URN,
  SCIM_MEDIA_TYPE,
  SCIM_TYPES,
  SEARCH_REQUEST_URN,
} from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import { pascalCase } from "./names.js";
import type { TypePlan } from "./plan.js";

/** An OpenAPI 3.1 document, as plain JSON. @example const doc: OpenApiDocument = buildOpenApi(plan, $defs); */
export type OpenApiDocument = { openapi: "3.1.1"; [key: string]: unknown };

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const content = (schema: unknown) => ({ [SCIM_MEDIA_TYPE]: { schema } });
const urnConst = (urn: string) => ({
  type: "array",
  items: { type: "string" },
  minItems: 1,
  examples: [[urn]],
});

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/"))
      out[key] = `#/components/schemas/${value.slice(8)}`;
    else if (key === "properties" && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteRefs(v)]));
    } else out[key] = rewriteRefs(value);
  }
  return out;
}

const ERROR_STATUSES: Record<string, string> = {
  "400": "Bad request: invalid syntax, filter, path or value (see scimType, RFC 7644 §3.12)",
  "401": "Authorization failure",
  "403": "Operation not permitted",
  "404": "Resource or endpoint not found",
  "409": "Uniqueness conflict (scimType uniqueness)",
  "412": "Precondition failed: the resource changed (ETag mismatch, RFC 7644 §3.14)",
  "413": "Payload too large",
  "429": "Too many requests",
  "500": "Internal server error",
  "501": "Operation not supported by this service provider",
};

function errors(...statuses: string[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: ERROR_STATUSES[s], content: content(ref("schemas", "ScimError")) },
    ]),
  );
}

const COMMON_ERRORS = ["400", "401", "403", "429", "500"];

/**
 * The OpenAPI 3.1 document of the SCIM endpoints (RFC 7644 §3) for a set of resource types: per
 * resource type `/{Resource}` (list, create), `/{Resource}/{id}` (get, replace, patch, delete) and
 * `/{Resource}/.search`; `/.search`, `/Bulk`, `/Me` (when a User resource type exists), and the
 * discovery endpoints `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` (RFC 7644 §4).
 * Bodies use `application/scim+json`; component schemas are the JSON Schema 2020-12 definitions.
 *
 * @example
 * const doc = buildOpenApi(plan, buildJsonSchemas(plan).$defs);
 */
export function buildOpenApi(
  plan: TypePlan,
  defs: Record<string, JsonSchema>,
  info: { title?: string; version?: string } = {},
): OpenApiDocument {
  const schemas: Record<string, unknown> = rewriteRefs(defs) as Record<string, unknown>;
  const spc = plan.schemaTypeName("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", "resource");
  const resourceTypeType = plan.schemaTypeName(
    "urn:ietf:params:scim:schemas:core:2.0:ResourceType",
    "resource",
  );
  const schemaType = plan.schemaTypeName("urn:ietf:params:scim:schemas:core:2.0:Schema", "resource");

  const listResponse = (item: unknown, description: string) => ({
    description,
    type: "object",
    required: ["schemas", "totalResults"],
    properties: {
      schemas: urnConst(LIST_RESPONSE_URN),
      totalResults: { type: "integer", minimum: 0 },
      startIndex: { type: "integer", minimum: 1 },
      itemsPerPage: { type: "integer", minimum: 0 },
      nextCursor: { type: "string", description: "Cursor of the next page (RFC 9865 §2)" },
      previousCursor: { type: "string", description: "Cursor of the previous page (RFC 9865 §2)" },
      Resources: { type: "array", items: item },
    },
  });

  schemas.ScimError = {
    description: "SCIM error response (RFC 7644 §3.12)",
    type: "object",
    required: ["schemas", "status"],
    properties: {
      schemas: urnConst(ERROR_MESSAGE_URN),
      status: { type: "string", description: "HTTP status code as a string" },
      scimType: { type: "string", enum: [...SCIM_TYPES] },
      detail: { type: "string" },
    },
  };
  schemas.PatchOp = {
    description: "PATCH request (RFC 7644 §3.5.2)",
    type: "object",
    required: ["schemas", "Operations"],
    properties: {
      schemas: urnConst(PATCH_OP_URN),
      Operations: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          required: ["op"],
          properties: {
            op: {
              type: "string",
              description: '"add", "remove" or "replace" (case-insensitive)',
              examples: ["add", "remove", "replace"],
            },
            path: { type: "string", description: "Attribute path (RFC 7644 §3.5.2, Figure 7)" },
            value: {},
          },
        },
      },
    },
  };
  schemas.SearchRequest = {
    description: "Query by POST (RFC 7644 §3.4.3)",
    type: "object",
    required: ["schemas"],
    properties: {
      schemas: urnConst(SEARCH_REQUEST_URN),
      attributes: { type: "array", items: { type: "string" } },
      excludedAttributes: { type: "array", items: { type: "string" } },
      filter: { type: "string" },
      sortBy: { type: "string" },
      sortOrder: { type: "string", enum: ["ascending", "descending"] },
      startIndex: { type: "integer", minimum: 1 },
      count: { type: "integer", minimum: 0 },
      cursor: { type: "string", description: "RFC 9865 §2" },
    },
  };
  const bulkOperation = {
    type: "object",
    required: ["method"],
    properties: {
      method: { type: "string", enum: ["POST", "PUT", "PATCH", "DELETE"] },
      bulkId: { type: "string" },
      version: { type: "string" },
      path: { type: "string" },
      data: {},
      location: { type: "string" },
      response: {},
      status: { type: "string" },
    },
  };
  schemas.BulkRequest = {
    description: "Bulk request (RFC 7644 §3.7)",
    type: "object",
    required: ["schemas", "Operations"],
    properties: {
      schemas: urnConst(BULK_REQUEST_URN),
      failOnErrors: { type: "integer", minimum: 1 },
      Operations: { type: "array", items: bulkOperation },
    },
  };
  schemas.BulkResponse = {
    description: "Bulk response (RFC 7644 §3.7)",
    type: "object",
    required: ["schemas", "Operations"],
    properties: { schemas: urnConst(BULK_RESPONSE_URN), Operations: { type: "array", items: bulkOperation } },
  };
  schemas.ResourceTypeListResponse = listResponse(
    ref("schemas", resourceTypeType),
    "ResourceType list (RFC 7644 §4)",
  );
  schemas.SchemaListResponse = listResponse(ref("schemas", schemaType), "Schema list (RFC 7644 §4)");

  const parameters = {
    id: {
      name: "id",
      in: "path",
      required: true,
      schema: { type: "string" },
      description: "The resource id",
    },
    filter: {
      name: "filter",
      in: "query",
      schema: { type: "string" },
      description: "Filter expression (RFC 7644 §3.4.2.2)",
    },
    sortBy: {
      name: "sortBy",
      in: "query",
      schema: { type: "string" },
      description: "Attribute path to sort by (RFC 7644 §3.4.2.3)",
    },
    sortOrder: {
      name: "sortOrder",
      in: "query",
      schema: { type: "string", enum: ["ascending", "descending"] },
    },
    startIndex: {
      name: "startIndex",
      in: "query",
      schema: { type: "integer", minimum: 1 },
      description: "1-based index of the first result (RFC 7644 §3.4.2.4)",
    },
    count: {
      name: "count",
      in: "query",
      schema: { type: "integer", minimum: 0 },
      description: "Page size (RFC 7644 §3.4.2.4)",
    },
    cursor: {
      name: "cursor",
      in: "query",
      schema: { type: "string" },
      description: "Cursor pagination (RFC 9865 §2)",
    },
    attributes: {
      name: "attributes",
      in: "query",
      schema: { type: "string" },
      description: "Comma-separated attribute paths to return (RFC 7644 §3.4.2.5)",
    },
    excludedAttributes: {
      name: "excludedAttributes",
      in: "query",
      schema: { type: "string" },
      description: "Comma-separated attribute paths to leave out (RFC 7644 §3.4.2.5)",
    },
    ifMatch: {
      name: "If-Match",
      in: "header",
      schema: { type: "string" },
      description: "ETag the resource must still have (RFC 7644 §3.14)",
    },
    ifNoneMatch: {
      name: "If-None-Match",
      in: "header",
      schema: { type: "string" },
      description: "Answer 304 when the resource still has this ETag (RFC 7644 §3.14)",
    },
  };
  const p = (name: keyof typeof parameters) => ref("parameters", name);
  const projection = [p("attributes"), p("excludedAttributes")];
  const etag = {
    ETag: { description: "Version of the resource (RFC 7644 §3.14)", schema: { type: "string" } },
  };

  const paths: Record<string, unknown> = {};
  for (const t of plan.resourceTypes) {
    const plural = pascalCase(t.definition.endpoint);
    const single = t.names.resource;
    const list = `${single}ListResponse`;
    schemas[list] = listResponse(ref("schemas", single), `${t.definition.name} list (RFC 7644 §3.4.2)`);
    const tags = [t.definition.name];
    const one = (description: string) => ({
      description,
      headers: etag,
      content: content(ref("schemas", single)),
    });
    paths[t.definition.endpoint] = {
      get: {
        operationId: `list${plural}`,
        tags,
        summary: `List or filter ${t.definition.name} resources`,
        parameters: [
          p("filter"),
          p("sortBy"),
          p("sortOrder"),
          p("startIndex"),
          p("count"),
          p("cursor"),
          ...projection,
        ],
        responses: {
          "200": { description: "Matching resources", content: content(ref("schemas", list)) },
          ...errors(...COMMON_ERRORS),
        },
      },
      post: {
        operationId: `create${single}`,
        tags,
        summary: `Create a ${t.definition.name} (RFC 7644 §3.3)`,
        requestBody: { required: true, content: content(ref("schemas", t.names.input)) },
        responses: { "201": one("Created"), ...errors(...COMMON_ERRORS, "409", "413") },
      },
    };
    paths[`${t.definition.endpoint}/{id}`] = {
      parameters: [p("id")],
      get: {
        operationId: `get${single}`,
        tags,
        parameters: [...projection, p("ifNoneMatch")],
        responses: {
          "200": one("The resource"),
          "304": { description: "Not modified (RFC 7644 §3.14)" },
          ...errors(...COMMON_ERRORS, "404"),
        },
      },
      put: {
        operationId: `replace${single}`,
        tags,
        summary: `Replace a ${t.definition.name} (RFC 7644 §3.5.1)`,
        parameters: [p("ifMatch")],
        requestBody: { required: true, content: content(ref("schemas", t.names.input)) },
        responses: { "200": one("Replaced"), ...errors(...COMMON_ERRORS, "404", "409", "412", "413") },
      },
      patch: {
        operationId: `patch${single}`,
        tags,
        summary: `Modify a ${t.definition.name} (RFC 7644 §3.5.2)`,
        parameters: [p("ifMatch")],
        requestBody: { required: true, content: content(ref("schemas", "PatchOp")) },
        responses: {
          "200": one("Modified"),
          "204": { description: "Modified; no body" },
          ...errors(...COMMON_ERRORS, "404", "409", "412", "413"),
        },
      },
      delete: {
        operationId: `delete${single}`,
        tags,
        parameters: [p("ifMatch")],
        responses: { "204": { description: "Deleted" }, ...errors(...COMMON_ERRORS, "404", "412") },
      },
    };
    paths[`${t.definition.endpoint}/.search`] = {
      post: {
        operationId: `search${plural}`,
        tags,
        summary: `Query ${t.definition.name} resources by POST (RFC 7644 §3.4.3)`,
        requestBody: { required: true, content: content(ref("schemas", "SearchRequest")) },
        responses: {
          "200": { description: "Matching resources", content: content(ref("schemas", list)) },
          ...errors(...COMMON_ERRORS),
        },
      },
    };
  }

  const anyResource = plan.resourceTypes.map((t) => ref("schemas", t.names.resource));
  schemas.ResourceListResponse = listResponse(
    anyResource.length > 0 ? { oneOf: anyResource } : {},
    "Resources of any type (RFC 7644 §3.4.3)",
  );
  paths["/.search"] = {
    post: {
      operationId: "searchAll",
      summary: "Query every resource type at once (RFC 7644 §3.4.3)",
      requestBody: { required: true, content: content(ref("schemas", "SearchRequest")) },
      responses: {
        "200": {
          description: "Matching resources",
          content: content(ref("schemas", "ResourceListResponse")),
        },
        ...errors(...COMMON_ERRORS),
      },
    },
  };
  paths["/Bulk"] = {
    post: {
      operationId: "bulk",
      summary: "Many operations in one request (RFC 7644 §3.7)",
      requestBody: { required: true, content: content(ref("schemas", "BulkRequest")) },
      responses: {
        "200": { description: "Per-operation results", content: content(ref("schemas", "BulkResponse")) },
        ...errors(...COMMON_ERRORS, "413"),
      },
    },
  };
  const user = plan.resourceTypes.find((t) => t.definition.name === "User");
  if (user) {
    const me = (description: string) => ({
      description,
      content: content(ref("schemas", user.names.resource)),
    });
    paths["/Me"] = {
      get: {
        operationId: "getMe",
        summary: "The authenticated subject's own resource (RFC 7644 §3.11)",
        parameters: projection,
        responses: { "200": me("The resource"), ...errors(...COMMON_ERRORS, "404", "501") },
      },
      put: {
        operationId: "replaceMe",
        requestBody: { required: true, content: content(ref("schemas", user.names.input)) },
        responses: { "200": me("Replaced"), ...errors(...COMMON_ERRORS, "404", "501") },
      },
      patch: {
        operationId: "patchMe",
        requestBody: { required: true, content: content(ref("schemas", "PatchOp")) },
        responses: {
          "200": me("Modified"),
          "204": { description: "Modified; no body" },
          ...errors(...COMMON_ERRORS, "404", "501"),
        },
      },
      delete: {
        operationId: "deleteMe",
        responses: { "204": { description: "Deleted" }, ...errors(...COMMON_ERRORS, "404", "501") },
      },
    };
  }
  paths["/ServiceProviderConfig"] = {
    get: {
      operationId: "getServiceProviderConfig",
      tags: ["Discovery"],
      responses: {
        "200": {
          description: "Service provider configuration (RFC 7643 §5)",
          content: content(ref("schemas", spc)),
        },
        ...errors("401", "500"),
      },
    },
  };
  paths["/ResourceTypes"] = {
    get: {
      operationId: "listResourceTypes",
      tags: ["Discovery"],
      responses: {
        "200": {
          description: "Resource types (RFC 7643 §6)",
          content: content(ref("schemas", "ResourceTypeListResponse")),
        },
        ...errors("401", "500"),
      },
    },
  };
  paths["/ResourceTypes/{name}"] = {
    get: {
      operationId: "getResourceType",
      tags: ["Discovery"],
      parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        "200": { description: "One resource type", content: content(ref("schemas", resourceTypeType)) },
        ...errors("401", "404", "500"),
      },
    },
  };
  paths["/Schemas"] = {
    get: {
      operationId: "listSchemas",
      tags: ["Discovery"],
      responses: {
        "200": {
          description: "Schemas (RFC 7643 §7)",
          content: content(ref("schemas", "SchemaListResponse")),
        },
        ...errors("401", "500"),
      },
    },
  };
  paths["/Schemas/{id}"] = {
    get: {
      operationId: "getSchema",
      tags: ["Discovery"],
      parameters: [
        { name: "id", in: "path", required: true, schema: { type: "string" }, description: "Schema URN" },
      ],
      responses: {
        "200": { description: "One schema", content: content(ref("schemas", schemaType)) },
        ...errors("401", "404", "500"),
      },
    },
  };

  return {
    openapi: "3.1.1",
    info: {
      title: info.title ?? "SCIM 2.0 service",
      version: info.version ?? "2.0",
      description:
        "SCIM 2.0 endpoints (RFC 7644) for the resource types of this schema bundle. Generated by scimkit.",
    },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas,
      parameters,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "OAuth 2.0 bearer token (RFC 7644 §2)" },
      },
    },
  };
}
