/**
 * @scimkit/client: a typed SCIM 2.0 client (RFC 7644) on ky.
 */

export type { ScimType } from "@scimkit/core";
export { isScimError, ScimError } from "@scimkit/core";
export type {
  BulkHandle,
  BulkOperation,
  BulkOperationResult,
  BulkOptions,
  BulkResult,
} from "./bulk.js";
export type {
  BulkBuilder,
  FilterInput,
  GetOptions,
  IterateQuery,
  ListQuery,
  ListResponse,
  MeClient,
  ModelMap,
  PaginationConfig,
  PatchInput,
  PatchOperation,
  PatchRequest,
  PathsOf,
  ProjectionQuery,
  PutFallback,
  ResourceClient,
  ResourceModel,
  ResourceOptions,
  RetryOptions,
  ScimClient,
  ScimClientOptions,
  ServiceProviderConfig,
  TokenSource,
  UntypedModel,
  WriteOptions,
} from "./client.js";
export { createScimClient, filterText, versionOf } from "./client.js";
export type {
  FilterablePath,
  PatchBuilder,
  PatchPathValue,
  ValueSelection,
  WritablePath,
} from "./patch-builder.js";
export { patchBuilder } from "./patch-builder.js";
export type { DiffOptions } from "./patch-diff.js";
export { diff } from "./patch-diff.js";
export type { Projected, Unknown, WithAttributes, WithoutAttributes } from "./projected.js";
