// The paths of the OpenAPI document (openapi.ts): per resource type (RFC 7644 §3.3–§3.6, §3.4.3), the
// service-wide endpoints (/.search, /Bulk §3.7, /Me §3.11) and discovery (RFC 7644 §4).
import { pascalCase } from "./names.js";
import { COMMON_ERRORS, content, errors, listResponse, param as p, ref } from "./openapi-shared.js";
import type { TypePlan } from "./plan.js";

const projection = () => [p("attributes"), p("excludedAttributes")];

/**
 * Adds `/{Resource}`, `/{Resource}/{id}` and `/{Resource}/.search` of every resource type to `paths`, and
 * each type's `<Type>ListResponse` to `schemas`.
 */
export function addResourceTypePaths(
  plan: TypePlan,
  paths: Record<string, unknown>,
  schemas: Record<string, unknown>,
): void {
  const etag = {
    ETag: { description: "Version of the resource (RFC 7644 §3.14)", schema: { type: "string" } },
  };
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
          ...projection(),
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
        parameters: [...projection(), p("ifNoneMatch")],
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
}

/** Adds `/.search`, `/Bulk` and (when a User resource type exists) `/Me` to `paths`, and ResourceListResponse. */
export function addServicePaths(
  plan: TypePlan,
  paths: Record<string, unknown>,
  schemas: Record<string, unknown>,
): void {
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
        parameters: projection(),
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
}

/** The component schema names of the discovery resources (RFC 7643 §5–§7). */
export interface DiscoveryTypes {
  readonly spc: string;
  readonly resourceTypeType: string;
  readonly schemaType: string;
}

/** Adds `/ServiceProviderConfig`, `/ResourceTypes[/{name}]` and `/Schemas[/{id}]` (RFC 7644 §4) to `paths`. */
export function addDiscoveryPaths(paths: Record<string, unknown>, types: DiscoveryTypes): void {
  const { spc, resourceTypeType, schemaType } = types;
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
}
