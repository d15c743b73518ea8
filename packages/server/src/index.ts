export type { Group, GroupInput, GroupPatch, User, UserInput, UserPatch } from "@scimkit/models";
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
export { constantTimeEqual } from "./http/auth.js";
export { createScimHandler, type ScimHandler } from "./http/handler.js";
export type { AuditEvent, AuthOptions, Principal, ScimHandlerOptions } from "./http/options.js";
export { idpOf } from "./recording/idp.js";
export { MemoryRecordings } from "./recording/memory-recordings.js";
export type { RecordingOptions } from "./recording/options.js";
export type {
  ChangeRecord,
  IdpName,
  NewRequestRecord,
  RecordingStore,
  RequestPage,
  RequestQuery,
  RequestRecord,
  RequestStats,
  RequestSummary,
  ResourceChange,
  Retention,
  StatusClass,
} from "./recording/types.js";
export type { Limits, ResourceValidators, SchemaOptions } from "./resource/context.js";
export type { PatchOptions } from "./resource/patch/apply-patch.js";
export { applyPatch } from "./resource/patch/apply-patch.js";
export type { ProjectionOptions } from "./resource/projection.js";
export { projectResource } from "./resource/projection.js";
export type { ValidateOptions } from "./resource/validate.js";
export { validateResource } from "./resource/validate.js";
export type {
  CoreBundle,
  CoreValidators,
  ResourceTypeName,
  ValidatedResource,
  ValidatorsRecord,
} from "./resource/validate-types.js";
export { MemoryStore } from "./stores/memory-store.js";
export type {
  CreateItem,
  CreateManyOptions,
  CreateOptions,
  CreateOutcome,
  DeleteOptions,
  ResourceRef,
  ScimStore,
  StoredResource,
  StoreQuery,
  StoreQueryResult,
  StoreScope,
  UniqueValue,
  WriteOptions,
} from "./stores/store.js";
export { uniqueValues } from "./stores/store.js";
export { foldUnique } from "./stores/unique.js";
