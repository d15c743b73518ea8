/**
 * @scimkit/client: a typed SCIM 2.0 client (RFC 7644) on ky.
 */

export type { ScimType } from "@scimkit/core";
export { isScimError, ScimError } from "@scimkit/core";
export type {
  GetOptions,
  IterateQuery,
  ListQuery,
  ListResponse,
  MeClient,
  ModelMap,
  PatchOperation,
  PatchRequest,
  ProjectionQuery,
  ResourceClient,
  ResourceModel,
  ResourceOptions,
  RetryOptions,
  ScimClient,
  ScimClientOptions,
  TokenSource,
  UntypedModel,
  WriteOptions,
} from "./client.js";
export { createScimClient, versionOf } from "./client.js";
export type { DiffOptions } from "./patch-diff.js";
export { diff } from "./patch-diff.js";
