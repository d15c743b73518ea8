/**
 * `apply(plan)`: carries a plan out — bulk when the target supports it, otherwise up to `concurrency`
 * requests at once — reporting each failed row while the rest proceed. Membership changes wait for
 * the user writes before them (the ids of new users are needed).
 */
import { SyncUsageError } from "../errors.js";
import { stateOf } from "../plan/plan.js";
import type { Assignment, PlannedAction, SyncEvent, SyncOptions, SyncPlan, SyncReport } from "../types.js";
import { sendBulk, single, type UserAction } from "./bulk-writer.js";
import { Pool } from "./pool.js";
import { Writer } from "./writer.js";

/** Options of {@link apply} that override the plan's. */
export type ApplyOptions = Pick<SyncOptions, "concurrency" | "signal" | "onEvent" | "bulk">;

/** Operations per /Bulk call when the server gives no maxOperations, and the most per call. */
const DEFAULT_BATCH = 100;
const MAX_BATCH = 1000;
/** Membership actions (each up to MEMBER_CHUNK changes) held before they are sent. */
const HELD_MEMBER_CHANGES = 16;

const aborted = (signal: AbortSignal | undefined) => signal?.aborted === true;

/**
 * Applies the plan and resolves to the report (DESIGN.md's `--report` shape). Rejects with the
 * signal's reason when aborted (after the requests in flight end); what was applied stays applied and
 * a rerun finishes the job.
 *
 * @example
 * const p = await plan({ to: { url, token }, source: csvSource("users.csv") });
 * const report = await apply(p, { onEvent: (e) => e.type === "action" && console.log(e.outcome, e.row) });
 */
export async function apply(plan: SyncPlan, overrides: ApplyOptions = {}): Promise<SyncReport> {
  const state = stateOf(plan);
  const options = { ...state.options, ...overrides };
  const emit =
    overrides.onEvent === undefined
      ? state.emit
      : (event: SyncEvent) => {
          try {
            overrides.onEvent?.(event);
          } catch {
            // see emitter(): a listener cannot break the run
          }
        };
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new SyncUsageError(`concurrency must be a whole number of at least 1, got ${String(concurrency)}`);
  const { connected } = state;
  const report: SyncReport = { created: 0, updated: 0, deactivated: 0, unchanged: 0, failed: [] };
  const neverReturned = connected.schema.neverReturned();
  const forUpdate = (assignments: readonly Assignment[]) =>
    assignments.filter((a) => !neverReturned.some((n) => n.urn === a.urn && n.name === a.attribute));
  const useBulk = connected.bulk.supported && options.bulk !== false;
  const writer = new Writer(
    connected.client,
    connected.patch,
    options.key ?? "userName",
    report,
    emit,
    forUpdate,
    useBulk && connected.patch,
  );
  const pool = new Pool(concurrency);
  const batchSize = Math.min(
    MAX_BATCH,
    connected.bulk.maxOperations > 0 ? connected.bulk.maxOperations : DEFAULT_BATCH,
  );
  let batch: UserAction[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const b = batch;
    batch = [];
    await pool.run(() => sendBulk(writer, b));
  };
  // Membership changes wait for the user writes before them; they are held (a bounded number) so the
  // user writes are not stalled by a barrier per chunk, then sent per group in order (one group's
  // PATCHes never race each other), different groups concurrently.
  let held: Extract<PlannedAction, { kind: "members" }>[] = [];
  const release = async () => {
    if (held.length === 0) return;
    await flush();
    await pool.drain();
    const byGroup = new Map<object, typeof held>();
    for (const m of held) byGroup.set(m.group, [...(byGroup.get(m.group) ?? []), m]);
    held = [];
    for (const chain of byGroup.values())
      await pool.run(async () => {
        for (const m of chain) await writer.members(m);
      });
    await pool.drain();
  };
  const user = async (action: UserAction) => {
    if (!useBulk) return pool.run(() => single(writer, action));
    batch.push(action);
    if (batch.length >= batchSize) await flush();
  };
  const handle = async (action: PlannedAction) => {
    switch (action.kind) {
      case "create":
      case "update":
      case "deactivate":
        return user(action);
      case "unchanged":
        return writer.done(action, "unchanged");
      case "error":
        return writer.fail(undefined, action);
      case "createGroup":
        return pool.run(() => writer.createGroup(action));
      case "members":
        held.push(action);
        if (held.length >= HELD_MEMBER_CHANGES) await release();
        return;
      default: {
        const never: never = action;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  };
  try {
    for await (const action of plan) {
      if (aborted(options.signal)) break;
      await handle(action);
    }
    if (!aborted(options.signal)) {
      await flush();
      await release();
    }
  } finally {
    await pool.drain();
  }
  if (aborted(options.signal)) throw options.signal?.reason ?? new DOMException("aborted", "AbortError");
  emit({ type: "done", report });
  return report;
}

/** A dry run's report: what apply would do, counted from the plan without a single write. */
export async function dryRun(plan: SyncPlan, signal?: AbortSignal): Promise<SyncReport> {
  const { emit } = stateOf(plan);
  const report: SyncReport = { created: 0, updated: 0, deactivated: 0, unchanged: 0, failed: [] };
  for await (const action of plan) {
    if (aborted(signal)) throw signal?.reason ?? new DOMException("aborted", "AbortError");
    const at =
      "row" in action ? { row: action.row, key: action.key } : "key" in action ? { key: action.key } : {};
    if (action.kind === "error") {
      report.failed.push(action.failure);
      const { row, key } = action.failure;
      emit({
        type: "action",
        kind: action.kind,
        outcome: "failed",
        ...(row === undefined ? {} : { row }),
        ...(key === undefined ? {} : { key }),
        failure: action.failure,
      });
      continue;
    }
    if (action.kind === "create") report.created++;
    else if (action.kind === "update") report.updated++;
    else if (action.kind === "unchanged") report.unchanged++;
    else if (action.kind === "deactivate") report.deactivated++;
    emit({ type: "action", kind: action.kind, outcome: "planned", ...at });
  }
  emit({ type: "done", report });
  return report;
}
