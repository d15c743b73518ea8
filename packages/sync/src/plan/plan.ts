/**
 * `plan(options)`: reads the target once, then streams the source and yields what to do per row —
 * create what is missing, a minimal PATCH for what changed (the client's `diff`, RFC 7644 §3.5.2),
 * nothing for the rest, group creations and memberships, and at the end the deactivations.
 */
import { diff } from "@scimkit/client";
import { parseFilter } from "@scimkit/filter";
import { type Connected, connect } from "../connect.js";
import { copyOf } from "../copy.js";
import { SyncUsageError } from "../errors.js";
import { CORE_USER } from "../schema/user-schema.js";
import type { Assignment, PlanCounts, PlannedAction, SyncEvent, SyncOptions, SyncPlan } from "../types.js";
import { applyAssignments, keyOf, schemasFor } from "./assign.js";
import { MembershipPlanner } from "./memberships.js";
import { normalizeKey, readTarget, type TargetIndex } from "./target-index.js";

/** What apply needs besides the actions: the connection and the run's options. */
export interface PlanState {
  connected: Connected;
  options: SyncOptions;
  emit: (event: SyncEvent) => void;
}

const states = new WeakMap<SyncPlan, PlanState>();

/** The connection and options a plan was made with (for apply). */
export function stateOf(plan: SyncPlan): PlanState {
  const state = states.get(plan);
  if (state === undefined) throw new TypeError("apply() takes a plan made by plan() of @scimkit/sync");
  return state;
}

/** A listener that cannot break the run. */
export function emitter(onEvent: SyncOptions["onEvent"]): (event: SyncEvent) => void {
  return (event) => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch {
      // A progress listener's failure is its own; the run goes on.
    }
  };
}

/** Checks the options that need no server; a bad one is a {@link SyncUsageError}. */
function checkOptions(options: SyncOptions): void {
  const key = options.key ?? "userName";
  if (key !== "userName" && key !== "externalId")
    throw new SyncUsageError(`key must be "userName" or "externalId", got ${JSON.stringify(key)}`);
  const c = options.concurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < 1))
    throw new SyncUsageError(`concurrency must be a whole number of at least 1, got ${String(c)}`);
  const m = options.maxDeactivate;
  if (m !== undefined && (!Number.isInteger(m) || m < 0))
    throw new SyncUsageError(`maxDeactivate must be a whole number of at least 0, got ${String(m)}`);
  if (options.scope !== undefined) {
    if (options.deactivateMissing !== true)
      throw new SyncUsageError("scope applies only with deactivateMissing");
    try {
      parseFilter(options.scope);
    } catch (error) {
      throw new SyncUsageError(
        `scope is not a SCIM filter: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/**
 * Reads the target (its discovery documents and users, paged) and returns the plan, which streams
 * the source while it is iterated. Iterate it once, or pass it to `apply`.
 *
 * @example
 * const p = await plan({ to: { url, token }, source: csvSource("users.csv") });
 * for await (const action of p) if (action.kind !== "unchanged") console.log(action.kind);
 * console.log(p.counts);
 */
export async function plan(options: SyncOptions): Promise<SyncPlan> {
  checkOptions(options);
  const key = options.key ?? "userName";
  const emit = emitter(options.onEvent);
  const connected = await connect(options.to);
  const caseExact = connected.schema.caseExact(key);
  let index: TargetIndex;
  try {
    index = await readTarget(connected.client, {
      key,
      caseExact,
      scope: options.scope,
      deactivateMissing: options.deactivateMissing === true,
      groups: true,
    });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 400 && options.scope !== undefined)
      throw new SyncUsageError(`the target rejected the scope filter: ${(error as Error).message}`);
    throw error;
  }
  const inScope = index.inScope?.size ?? 0;
  emit({ type: "indexed", users: index.userCount, groups: index.groups.size, inScope });
  const counts: PlanCounts = {
    rows: 0,
    create: 0,
    update: 0,
    unchanged: 0,
    deactivate: 0,
    deactivateRefused: 0,
    createGroup: 0,
    memberChanges: 0,
    errors: 0,
  };
  let started = false;
  const result: SyncPlan = {
    counts,
    target: {
      users: index.userCount,
      groups: index.groups.size,
      inScope,
      bulk: connected.bulk.supported && options.bulk !== false,
      patch: connected.patch,
    },
    [Symbol.asyncIterator]() {
      if (started) throw new Error("a plan streams its source once: make a new plan to iterate again");
      started = true;
      return actions(options, connected, index, counts, emit)[Symbol.asyncIterator]();
    },
  };
  states.set(result, { connected, options, emit });
  return result;
}

function count(counts: PlanCounts, action: PlannedAction): PlannedAction {
  switch (action.kind) {
    case "create":
    case "update":
    case "unchanged":
    case "deactivate":
    case "createGroup":
      counts[action.kind]++;
      break;
    case "members":
      counts.memberChanges += action.add.length + action.remove.length;
      break;
    case "error":
      counts.errors++;
      break;
    default: {
      const never: never = action;
      throw new Error(`unknown action ${JSON.stringify(never)}`);
    }
  }
  return action;
}

async function* actions(
  options: SyncOptions,
  connected: Connected,
  index: TargetIndex,
  counts: PlanCounts,
  emit: (event: SyncEvent) => void,
): AsyncIterable<PlannedAction> {
  const key = options.key ?? "userName";
  const { schema } = connected;
  const caseExact = schema.caseExact(key);
  const extensions = schema.extensions.map((e) => e.urn);
  const neverReturned = schema.neverReturned();
  const forUpdate = (assignments: readonly Assignment[]) =>
    assignments.filter((a) => !neverReturned.some((n) => n.urn === a.urn && n.name === a.attribute));
  const members = new MembershipPlanner(index);
  // Rows that failed without a readable key: which target users they stand for is unknown.
  let unknownRows = 0;
  const source = options.source.open({ schema, signal: options.signal });
  for await (const item of source) {
    counts.rows++;
    if (item.kind === "error") {
      const k = item.assignments === undefined ? undefined : keyOf(item.assignments, key);
      const entry = k === undefined ? undefined : index.users.get(normalizeKey(k, caseExact));
      if (entry !== undefined) entry.seen ??= item.row;
      else if (k === undefined) unknownRows++;
      yield count(counts, { kind: "error", failure: item.failure });
      continue;
    }
    const k = keyOf(item.assignments, key);
    if (k === undefined) {
      unknownRows++;
      const detail = `row ${item.row} has no ${key}: it is the key users are matched by`;
      yield count(counts, {
        kind: "error",
        failure: { row: item.row, status: 400, scimType: "invalidValue", detail },
      });
      continue;
    }
    const entry = index.users.get(normalizeKey(k, caseExact));
    if (entry?.seen !== undefined) {
      const detail = `row ${item.row}: ${key} "${k}" is also on row ${entry.seen}; each user must appear once`;
      yield count(counts, {
        kind: "error",
        failure: { row: item.row, key: k, status: 409, scimType: "uniqueness", detail },
      });
      continue;
    }
    if (entry === undefined) {
      const body = applyAssignments({}, item.assignments);
      body.schemas = schemasFor(body, CORE_USER, extensions);
      yield count(counts, {
        kind: "create",
        row: item.row,
        key: k,
        body,
        assignments: item.assignments,
        groups: item.groups,
      });
    } else {
      entry.seen = item.row;
      const after = applyAssignments(entry.user, forUpdate(item.assignments));
      const operations = diff(entry.user, after);
      if (operations.length === 0)
        yield count(counts, { kind: "unchanged", row: item.row, key: k, id: entry.id });
      else {
        const replacement = copyOf(after);
        replacement.schemas = schemasFor(after, CORE_USER, extensions);
        yield count(counts, { kind: "update", row: item.row, key: k, id: entry.id, operations, replacement });
        // The index keeps what the target will hold, so a rerun within this plan compares against it.
        entry.user = after;
      }
    }
    if (item.groups !== undefined)
      for (const action of members.user(k, entry?.id, item.groups)) yield count(counts, action);
  }
  for (const action of members.finish()) yield count(counts, action);
  if (options.deactivateMissing === true && !options.signal?.aborted)
    yield* deactivations(options, index, counts, unknownRows, emit, extensions);
}

function* deactivations(
  options: SyncOptions,
  index: TargetIndex,
  counts: PlanCounts,
  unknownRows: number,
  emit: (event: SyncEvent) => void,
  extensions: readonly string[],
): Iterable<PlannedAction> {
  const scope = index.inScope ?? new Set<string>();
  const missing = [...index.users.values()].filter(
    (u) => u.seen === undefined && scope.has(u.id) && u.user.active !== false,
  );
  if (missing.length === 0) return;
  const max = options.maxDeactivate ?? Math.ceil(scope.size / 10);
  const where = options.scope === undefined ? "" : ` (scope ${options.scope})`;
  if (unknownRows > 0) {
    counts.deactivateRefused = missing.length;
    const detail = `not deactivating ${missing.length} missing user(s)${where}: ${unknownRows} source row(s) could not be read, so which users they hold is unknown; fix those rows and run again`;
    yield count(counts, { kind: "error", failure: { key: "deactivateMissing", status: 412, detail } });
    return;
  }
  if (missing.length > max && options.force !== true) {
    counts.deactivateRefused = missing.length;
    emit({ type: "refused", wouldDeactivate: missing.length, maxDeactivate: max, inScope: scope.size });
    const detail = `refusing to deactivate ${missing.length} of ${scope.size} users in scope${where}: more than maxDeactivate ${max}${options.maxDeactivate === undefined ? " (10% of the scope)" : ""}; raise maxDeactivate or pass force`;
    yield count(counts, { kind: "error", failure: { key: "deactivateMissing", status: 412, detail } });
    return;
  }
  for (const u of missing) {
    const replacement = copyOf(u.user);
    replacement.active = false;
    replacement.schemas = schemasFor(replacement, CORE_USER, extensions);
    const k = String(u.user[options.key ?? "userName"]);
    yield count(counts, { kind: "deactivate", key: k, id: u.id, replacement });
  }
}
