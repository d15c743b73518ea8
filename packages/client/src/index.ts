/**
 * @scimkit/client: a typed SCIM 2.0 client (RFC 7644) on ky.
 */

export type { ScimType } from "@scimkit/core";
export { isScimError, ScimError } from "@scimkit/core";
export type {
  IterateQuery,
  ListQuery,
  ListResponse,
  ModelMap,
  PatchOperation,
  PatchRequest,
  ProjectionQuery,
  ResourceClient,
  ResourceModel,
  ResourceOptions,
  ScimClient,
  ScimClientOptions,
  TokenSource,
  UntypedModel,
  WriteOptions,
} from "./client.js";
export { createScimClient } from "./client.js";
