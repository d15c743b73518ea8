/** The SCIM media type (RFC 7644 §8.1). @example headers.set("accept", SCIM_MEDIA_TYPE); */
export const SCIM_MEDIA_TYPE = "application/scim+json";

/** Core User schema (RFC 7643 §4.1). @example resource.schemas.includes(USER_SCHEMA); */
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
/** Core Group schema (RFC 7643 §4.2). @example { schemas: [GROUP_SCHEMA], displayName: "Admins" } */
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
/** Enterprise User extension (RFC 7643 §4.3). @example user[ENTERPRISE_USER_SCHEMA]?.employeeNumber */
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** ServiceProviderConfig schema (RFC 7643 §5). @example config.schemas[0] === SERVICE_PROVIDER_CONFIG_SCHEMA */
export const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/** ResourceType schema (RFC 7643 §6). @example resourceType.schemas[0] === RESOURCE_TYPE_SCHEMA */
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/** Schema schema (RFC 7643 §7). @example schema.schemas[0] === SCHEMA_SCHEMA */
export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/** ListResponse message (RFC 7644 §3.4.2). @example { schemas: [LIST_RESPONSE_URN], totalResults: 0, Resources: [] } */
export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/** SearchRequest message (RFC 7644 §3.4.3). @example { schemas: [SEARCH_REQUEST_URN], filter: 'userName eq "bjensen"' } */
export const SEARCH_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
/** PatchOp message (RFC 7644 §3.5.2). @example { schemas: [PATCH_OP_URN], Operations: [{ op: "remove", path: "title" }] } */
export const PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** BulkRequest message (RFC 7644 §3.7). @example { schemas: [BULK_REQUEST_URN], Operations: [] } */
export const BULK_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
/** BulkResponse message (RFC 7644 §3.7). @example body.schemas[0] === BULK_RESPONSE_URN */
export const BULK_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
/** Error message (RFC 7644 §3.12). @example { schemas: [ERROR_MESSAGE_URN], status: "404" } */
export const ERROR_MESSAGE_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/**
 * True when `text` is a URN (`urn:` prefix, case-insensitive, RFC 8141), the form every SCIM schema id takes.
 *
 * @example
 * isUrn("urn:ietf:params:scim:schemas:core:2.0:User"); // true
 */
export function isUrn(text: string): boolean {
  return /^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$/i.test(text);
}
