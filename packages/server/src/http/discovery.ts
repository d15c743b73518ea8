import {
  LIST_RESPONSE_URN,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from "@scimkit/core";
import { type Call, json } from "./call.js";

export function serviceProviderConfig(call: Call): Record<string, unknown> {
  const { env } = call;
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(env.options.documentationUri !== undefined && { documentationUri: env.options.documentationUri }),
    patch: { supported: true },
    bulk: { supported: true, maxOperations: env.maxBulkOperations, maxPayloadSize: env.maxPayloadSize },
    filter: { supported: true, maxResults: env.maxResults },
    // The User schema's password (writeOnly, RFC 7643 §4.1.1) is accepted by POST, PUT and PATCH: say so (§5).
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authentication with an OAuth 2.0 bearer token (RFC 6750)",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: env.defaultPageSize,
      maxPageSize: env.maxResults,
    },
    meta: { resourceType: "ServiceProviderConfig", location: `${call.base}/ServiceProviderConfig` },
  };
}

export function resourceTypeResource(call: Call, name: string): Record<string, unknown> | undefined {
  const type = call.env.registry.resourceType(name);
  if (!type || type.name.toLowerCase() !== name.toLowerCase()) return undefined;
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.id ?? type.name,
    name: type.name,
    endpoint: type.endpoint,
    ...(type.description !== undefined && { description: type.description }),
    schema: type.schema,
    schemaExtensions: type.schemaExtensions,
    meta: { resourceType: "ResourceType", location: `${call.base}/ResourceTypes/${type.name}` },
  };
}

export function schemaResource(call: Call, id: string): Record<string, unknown> | undefined {
  const schema = call.env.registry.schema(id);
  if (!schema) return undefined;
  return {
    schemas: [SCHEMA_SCHEMA],
    ...schema,
    meta: { resourceType: "Schema", location: `${call.base}/Schemas/${schema.id}` },
  };
}

export function listOf(resources: readonly Record<string, unknown>[]): Response {
  return json(200, {
    schemas: [LIST_RESPONSE_URN],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  });
}
