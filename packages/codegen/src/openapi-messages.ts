// The component schemas of SCIM's own messages in the OpenAPI document (openapi.ts): Error (RFC 7644
// §3.12), PatchOp (§3.5.2), SearchRequest (§3.4.3), BulkRequest and BulkResponse (§3.7).
import {
  BULK_REQUEST_URN,
  BULK_RESPONSE_URN,
  ERROR_MESSAGE_URN,
  PATCH_OP_URN,
  SCIM_TYPES,
  SEARCH_REQUEST_URN,
} from "@scimkit/core";
import { urnConst } from "./openapi-shared.js";

/** Adds the SCIM message schemas to `schemas` (the document's component schemas), in this order. */
export function addMessageSchemas(schemas: Record<string, unknown>): void {
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
}
