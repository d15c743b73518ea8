/** The public types of @scimkit/sync: a leaf module every part (sources, plan, apply) imports. */
import type { PatchOperation, ScimClient } from "@scimkit/client";

/** A JSON object as read from a source or a server. */
export type JsonObject = { [key: string]: unknown };

/** The attribute users are matched by (RFC 7643 §4.1: `userName` is unique; `externalId` is the source's id). */
export type SyncKey = "userName" | "externalId";

/**
 * One failed row, user or group, as it appears in the report (`failed[]`). `row` for a source row
 * (CSV: the spreadsheet row, header = 1; JSON: the element's 1-based index; NDJSON: the line), `key`
 * for what has no row (a deactivation, a group). `status` is the HTTP status the target answered, or
 * the one the RFC gives the problem (400 for a bad cell).
 *
 * @example { row: 7, status: 400, scimType: "invalidValue", detail: 'column "active": "yes" is not a boolean (true or false)' }
 */
export interface SyncFailure {
  row?: number;
  key?: string;
  status: number;
  scimType?: string;
  detail: string;
}

/**
 * What a run did (or, for a dry run, would do): the `--report` object of `scimkit sync`.
 *
 * @example { created: 3, updated: 1, deactivated: 0, unchanged: 96, failed: [] }
 */
export interface SyncReport {
  created: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  failed: SyncFailure[];
}

/** One record a source yields: a SCIM User body (attribute names in schema case) and its groups. */
export interface SourceUser {
  kind: "user";
  /** Where the record came from (see {@link SyncFailure.row}). */
  row: number;
  /** The attributes the source sets: top-level names, or paths for CSV columns (`name.givenName`). */
  assignments: readonly Assignment[];
  /** Group displayNames the user belongs to; `undefined` when the source says nothing about groups. */
  groups: readonly string[] | undefined;
}

/** A source row that could not be read (a bad cell, invalid JSON): reported, and the rest proceed. */
export interface SourceRowError {
  kind: "error";
  row: number;
  failure: SyncFailure;
  /** The cells of the row that could be read: when they hold the key, that user is not "missing". */
  assignments?: readonly Assignment[] | undefined;
}

/** What a source yields, in order. */
export type SourceItem = SourceUser | SourceRowError;

/**
 * One attribute a source sets. `path` is resolved against the target's schema (schema case):
 * `{ attribute: "userName" }`, `{ attribute: "name", sub: "givenName" }`,
 * `{ attribute: "emails", where: { type: "work" }, sub: "value" }`, `{ urn, attribute: "department" }`.
 * `value` `undefined` clears the attribute (an empty CSV cell).
 */
export interface Assignment {
  urn?: string;
  attribute: string;
  sub?: string;
  /** For a multi-valued complex attribute: the sub-attribute values that select one element. */
  where?: Readonly<Record<string, string>>;
  value: unknown;
}

/** The target's User schema as a source needs it to map and convert values (from its /Schemas). */
export interface UserSchemaInfo {
  /** Resolves a path (`emails[type eq "work"].value`, case-insensitive) to an assignment template or an error message. */
  readonly resolve: (path: string) => ResolvedPath | { error: string };
}

/** A CSV column resolved against the schema, with the converter for its cells. */
export interface ResolvedPath {
  /** The path as the target spells it (schema case). */
  readonly canonical: string;
  /** Builds the assignment for one cell's text, or throws a message naming the reason. */
  readonly assign: (cell: string) => Assignment;
}

/** What a source is given when it is opened: the target's schema, and the run's AbortSignal. */
export interface SourceContext {
  schema: UserSchemaInfo;
  signal?: AbortSignal | undefined;
}

/**
 * Where users come from: CSV, JSON, NDJSON, another SCIM server, or your own records. `open` is
 * called once per plan and streams; nothing is read before it is iterated.
 *
 * @example const source = csvSource("./users.csv");
 */
export interface SyncSource {
  /** A short description for messages and events (`users.csv`, `https://source/scim/v2`). */
  readonly description: string;
  open(context: SourceContext): AsyncIterable<SourceItem>;
}

/** A SCIM server to read from or write to. */
export interface ServerTarget {
  url: string;
  token?: string | undefined;
}

/**
 * Options of {@link plan} and {@link sync}.
 *
 * @example { to: { url: "http://localhost:8080/scim/v2", token }, source: csvSource("users.csv"), deactivateMissing: true, scope: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"' }
 */
export interface SyncOptions {
  /** The target server, or a client made with `createScimClient` (its retry settings then apply). */
  to: ServerTarget | ScimClient;
  source: SyncSource;
  /** Match users by `userName` (default) or `externalId`. */
  key?: SyncKey | undefined;
  /** Set `active: false` on target users in `scope` that the source does not have. */
  deactivateMissing?: boolean | undefined;
  /** A SCIM filter (RFC 7644 §3.4.2.2) selecting the target users `deactivateMissing` may touch; default all. */
  scope?: string | undefined;
  /** The most users `deactivateMissing` may deactivate without `force`; default 10% of the scope, rounded up. */
  maxDeactivate?: number | undefined;
  /** Deactivate even above `maxDeactivate`. */
  force?: boolean | undefined;
  /** Requests in flight at once (default 4); bulk requests in flight when the target supports bulk. */
  concurrency?: number | undefined;
  /** Use bulk when the target advertises it (default `true`); `false` sends one request per change. */
  bulk?: boolean | undefined;
  /** Stops reading and sending; the promise rejects with the signal's reason once in-flight requests end. */
  signal?: AbortSignal | undefined;
  /** Progress events. A throwing listener does not stop the run. */
  onEvent?: ((event: SyncEvent) => void) | undefined;
}

/** A group as the plan knows it; `id` is filled in by apply when the group is created. */
export interface GroupRef {
  displayName: string;
  id: string | undefined;
}

/** One planned change (or non-change), in the order apply handles them. */
export type PlannedAction =
  | {
      kind: "create";
      row: number;
      key: string;
      body: JsonObject;
      /** What the source sets: applied to the existing user if the create meets one (409 uniqueness). */
      assignments: readonly Assignment[];
      groups: readonly string[] | undefined;
    }
  | {
      kind: "update";
      row: number;
      key: string;
      id: string;
      /** The minimal PATCH (the client's `diff`). */
      operations: PatchOperation[];
      /** The full resource after the change, for targets without PATCH (sent with PUT). */
      replacement: JsonObject;
    }
  | { kind: "unchanged"; row: number; key: string; id: string }
  | { kind: "deactivate"; key: string; id: string; replacement: JsonObject }
  | { kind: "createGroup"; group: GroupRef }
  | {
      kind: "members";
      group: GroupRef;
      /** Users to add: by id when they exist, by key when this run creates them. */
      add: readonly { key: string; id: string | undefined }[];
      /** Member ids to remove. */
      remove: readonly string[];
    }
  | { kind: "error"; failure: SyncFailure };

/** Running totals of a plan, final once it has been iterated to the end. */
export interface PlanCounts {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  deactivate: number;
  /** Deactivations withheld because they exceed `maxDeactivate` without `force`. */
  deactivateRefused: number;
  createGroup: number;
  memberChanges: number;
  errors: number;
}

/**
 * A streamed plan: iterate it once (or hand it to {@link apply}). Reading the source happens while
 * it is iterated, so a dry run of a million rows keeps memory flat.
 */
export interface SyncPlan extends AsyncIterable<PlannedAction> {
  readonly counts: Readonly<PlanCounts>;
  /** What was read from the target before planning. */
  readonly target: { users: number; groups: number; inScope: number; bulk: boolean; patch: boolean };
}

/** Progress events, in order: `indexed`, then `action` per applied (or planned) change, then `done`. */
export type SyncEvent =
  | { type: "indexed"; users: number; groups: number; inScope: number }
  | {
      type: "action";
      kind: PlannedAction["kind"];
      outcome:
        | "created"
        | "updated"
        | "unchanged"
        | "deactivated"
        | "groupCreated"
        | "members"
        | "failed"
        | "planned";
      row?: number;
      key?: string;
      failure?: SyncFailure;
    }
  | { type: "refused"; wouldDeactivate: number; maxDeactivate: number; inScope: number }
  | { type: "done"; report: SyncReport };
