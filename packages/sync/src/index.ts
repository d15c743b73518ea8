/**
 * @scimkit/sync: provision users and groups from CSV, JSON, NDJSON or another SCIM server into any
 * SCIM 2.0 server (RFC 7644), planned, streamed and resumable. The engine of `scimkit sync`.
 *
 * Functions (see README): `plan(options)` → a streamed {@link SyncPlan}; `apply(plan, options)` →
 * {@link SyncReport}; `sync(options & { dryRun })` does both; sources `csvSource`, `jsonSource`,
 * `scimSource`, `recordsSource`, and `sourceFrom(from, { token })` picking one from a CLI argument.
 */
export type { ApplyOptions } from "./apply/apply.js";
export { apply, dryRun } from "./apply/apply.js";
export { sync } from "./apply/sync.js";
export { isSyncUsageError, SyncUsageError } from "./errors.js";
export { plan } from "./plan/plan.js";
export { convertCell } from "./schema/convert.js";
export { UserSchema } from "./schema/user-schema.js";
export type { CsvSourceOptions } from "./sources/csv.js";
export { csvSource } from "./sources/csv.js";
export { sourceFrom } from "./sources/from.js";
export type { SourceInput } from "./sources/input.js";
export type { JsonSourceOptions } from "./sources/json.js";
export { jsonSource } from "./sources/json.js";
export { recordsSource } from "./sources/records.js";
export type { ScimSourceOptions } from "./sources/scim.js";
export { scimSource } from "./sources/scim.js";
export type {
  Assignment,
  GroupRef,
  JsonObject,
  PlanCounts,
  PlannedAction,
  ResolvedPath,
  ServerTarget,
  SourceContext,
  SourceItem,
  SourceRowError,
  SourceUser,
  SyncEvent,
  SyncFailure,
  SyncKey,
  SyncOptions,
  SyncPlan,
  SyncReport,
  SyncSource,
  UserSchemaInfo,
} from "./types.js";
