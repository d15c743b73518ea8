/**
 * @scimkit/sync: provision users and groups from CSV, JSON, NDJSON or another SCIM server into any
 * SCIM 2.0 server (RFC 7644), planned, streamed and resumable. The engine of `scimkit sync`.
 *
 * Functions (see README): `plan(options)` → a streamed {@link SyncPlan}; `apply(plan, options)` →
 * {@link SyncReport}; `sync(options & { dryRun })` does both; sources `csvSource`, `jsonSource`,
 * `scimSource`, `recordsSource`, and `sourceFrom(from, { token })` picking one from a CLI argument.
 */
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
