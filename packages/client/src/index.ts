/**
 * @scimkit/client: a typed SCIM 2.0 client (RFC 7644) on fetch, with ky for hooks.
 */

export type { ScimBundle, ScimType } from "@scimkit/core";
// What a client user writes requests with, so that `@scimkit/client` alone is enough: the core schema
// URNs (three strings) and the RFC 7643 model types (type-only, nothing at run time).
export { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, isScimError, ScimError, USER_SCHEMA } from "@scimkit/core";
export type {
  EnterpriseUser,
  EnterpriseUserInput,
  EnterpriseUserManager,
  EnterpriseUserPatch,
  Group,
  GroupAttributePaths,
  GroupInput,
  GroupMember,
  GroupPatch,
  Meta,
  ResourceType,
  ResourceTypeAttributePaths,
  ResourceTypeModels,
  Schema,
  SchemaAttribute,
  User,
  UserAddress,
  UserAttributePaths,
  UserEmail,
  UserEntitlement,
  UserGroup,
  UserIm,
  UserInput,
  UserName,
  UserPatch,
  UserPhoneNumber,
  UserPhoto,
  UserRole,
  UserX509Certificate,
} from "@scimkit/models";
export type {
  BulkHandle,
  BulkOperation,
  BulkOperationResult,
  BulkOptions,
  BulkResult,
} from "./bulk.js";
export { createScimClient } from "./client.js";
export { filterText } from "./list-query.js";
export type { PutFallback, RetryOptions, ScimClientOptions, TokenSource } from "./options.js";
export type {
  FilterablePath,
  PatchBuilder,
  PatchBuilderOptions,
  PatchPathValue,
  ValueSelection,
  WritablePath,
} from "./patch-builder.js";
export { patchBuilder } from "./patch-builder.js";
export type { DiffOptions } from "./patch-diff.js";
export { diff } from "./patch-diff.js";
export type { PatchOperation } from "./patch-operation.js";
export type { ProbeOptions, ScimProbeResult } from "./probe.js";
export { PROBE_TIMEOUT_MS, probeScimServer } from "./probe.js";
export type { Projected, Returned, Unknown, WithAttributes, WithoutAttributes } from "./projected.js";
export { versionOf } from "./response.js";
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
  PatchRequest,
  PathsOf,
  ProjectionQuery,
  ResourceClient,
  ResourceModel,
  ResourceOptions,
  ScimClient,
  ServiceProviderConfig,
  UntypedModel,
  WriteOptions,
} from "./types.js";
