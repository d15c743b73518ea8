export type { Group, GroupInput, GroupPatch, User, UserInput, UserPatch } from "@scimkit/models";
export type { Limits, ResourceValidators, SchemaOptions } from "./context.js";
export {
  EnterpriseUserSchema,
  GroupInputSchema,
  GroupPatchSchema,
  GroupSchema,
  UserInputSchema,
  UserPatchSchema,
  UserSchema,
  validators,
} from "./generated/index.js";
export type { AuditEvent, AuthOptions, Principal, ScimHandlerOptions } from "./handler.js";
export { constantTimeEqual, createScimHandler } from "./handler.js";
export { MemoryStore } from "./memory-store.js";
export type { PatchOptions } from "./patch.js";
export { applyPatch } from "./patch.js";
export type { ProjectionOptions } from "./projection.js";
export { projectResource } from "./projection.js";
export type {
  ScimStore,
  StoredResource,
  StoreQuery,
  StoreQueryResult,
  StoreScope,
  UniqueValue,
  WriteOptions,
} from "./store.js";
export { uniqueValues } from "./store.js";
export type { ValidateOptions } from "./validate.js";
export { validateResource } from "./validate.js";
