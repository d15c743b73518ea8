// Building blocks of the OpenAPI 3.1 document (openapi.ts): references, SCIM bodies, error responses
// (RFC 7644 §3.12) and the query and header parameters of the SCIM endpoints (RFC 7644 §3.4.2, §3.14).
import { LIST_RESPONSE_URN, SCIM_MEDIA_TYPE } from "@scimkit/core";

/** A `$ref` to `#/components/<kind>/<name>`. */
export const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
/** A body of media type `application/scim+json` (RFC 7644 §3.1). */
export const content = (schema: unknown) => ({ [SCIM_MEDIA_TYPE]: { schema } });
/** The `schemas` attribute of a SCIM message holding `urn`. */
export const urnConst = (urn: string) => ({
  type: "array",
  items: { type: "string" },
  minItems: 1,
  examples: [[urn]],
});

/** `#/$defs/X` references (JSON Schema) rewritten to `#/components/schemas/X`. */
export function rewriteRefs(node: unknown): unknown {
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

/** SCIM Error responses (RFC 7644 §3.12) for these statuses. */
export function errors(...statuses: string[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: ERROR_STATUSES[s], content: content(ref("schemas", "ScimError")) },
    ]),
  );
}

/** The error statuses every SCIM endpoint can answer. */
export const COMMON_ERRORS = ["400", "401", "403", "429", "500"];

/** A ListResponse (RFC 7644 §3.4.2) of `item`, with RFC 9865 cursors. */
export const listResponse = (item: unknown, description: string) => ({
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

/** The parameters every path refers to as `#/components/parameters/<name>`, made fresh for each document. */
export const parameters = () => ({
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
});

/** The names of {@link parameters}. */
export type ParameterName = keyof ReturnType<typeof parameters>;

/** A reference to one of {@link parameters}. */
export const param = (name: ParameterName) => ref("parameters", name);
