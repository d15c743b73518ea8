/// <reference types="node" />
// `scimkit sync`: parse, check the target (and a SCIM source) answers, then either print the plan
// (--dry-run) or apply it with progress, and end with the summary table, the --report file and the exit
// code DESIGN.md gives.
import { stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { apply, plan, sourceFrom } from "../index.js";
import type { PlannedAction, SyncEvent, SyncFailure, SyncOptions, SyncReport } from "../types.js";
import { parseSyncArgs, type SyncArgs, USAGE, UsageError } from "./args.js";
import { estimateRows } from "./estimate.js";
import type { SyncIo } from "./io.js";
import { processIo } from "./io.js";
import { preflight, UnreachableError } from "./preflight.js";
import { decimal, failureLine, formatReport, summaryLines } from "./summary.js";

/**
 * Exit codes of `scimkit sync` (DESIGN.md; 130 is the shell's 128 + SIGINT). A deactivation refused by the
 * `--max-deactivate` guard is 2, like a usage error: the run needs a decision (`--force`, a larger
 * `--max-deactivate`, a narrower `--scope`) before it can converge, which no retry would bring.
 *
 * @example
 * if ((await runSyncCommand(argv)) === EXIT.failed) process.stderr.write("some rows failed\n");
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

class Interrupted extends Error {
  override name = "Interrupted" as const;
}
class StopError extends Error {}

/**
 * Runs `scimkit sync` with `argv` (the arguments after `sync`) and resolves to its exit code: 0 when every
 * row was applied (or, with `--dry-run`, could be), 1 when some failed (each is listed with its row number
 * or key), 2 on a usage error, an unreachable or refusing server, or a refused deactivation, 130 when
 * interrupted. Without `io` it uses the process: stdout, stderr, a progress bar on a terminal, SIGINT.
 *
 * @example
 * process.exitCode = await runSyncCommand(["--from", "users.csv", "--to", "http://127.0.0.1:8080/scim/v2"]);
 */
export async function runSyncCommand(argv: readonly string[], io: SyncIo = processIo()): Promise<number> {
  let args: SyncArgs;
  try {
    args = parseSyncArgs(argv, io.env ?? process.env);
    if (args.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (args.from.kind === "file") await checkSourceFile(args.from.path);
    if (args.report !== undefined) await checkReportFile(args.report);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`scimkit sync: ${error.message}`);
    return EXIT.usage;
  }

  const controller = new AbortController();
  const stopListening = io.onInterrupt?.(() => {
    io.progress?.stop();
    io.err("scimkit sync: interrupted; waiting for the requests in flight (Ctrl-C again to exit at once)");
    controller.abort(new Interrupted("interrupted"));
  });
  const started = performance.now();
  try {
    await preflight("target", args.to, args.token, controller.signal);
    if (args.from.kind === "scim")
      await preflight("source", args.from.url, args.from.token, controller.signal);
    const total =
      args.from.kind === "file" ? await estimateRows(args.from.path, args.from.format) : undefined;
    const progress = trackProgress(io, args.dryRun, total);
    const options: SyncOptions = {
      to: { url: args.to, token: args.token },
      source: sourceFrom(
        args.from.kind === "scim" ? args.from.url : args.from.path,
        args.from.kind === "scim" ? { token: args.from.token } : {},
      ),
      key: args.key,
      deactivateMissing: args.deactivateMissing,
      scope: args.scope,
      maxDeactivate: args.maxDeactivate,
      force: args.force,
      concurrency: args.concurrency,
      signal: controller.signal,
      onEvent: progress.onEvent,
    };
    const planned = await plan(options);
    const report = args.dryRun ? await printPlan(planned, io) : await apply(planned, options);
    io.progress?.stop();
    for (const line of summaryLines(report, {
      dryRun: args.dryRun,
      groupsCreated: planned.counts.createGroup,
      seconds: (performance.now() - started) / 1000,
    }))
      io.out(line);
    if (args.report !== undefined) await writeReport(args.report, report);
    if (progress.refused !== undefined) {
      const { wouldDeactivate, maxDeactivate, inScope } = progress.refused;
      io.err(
        `scimkit sync: refused to deactivate ${wouldDeactivate} of the ${inScope} users in scope: more than --max-deactivate ${maxDeactivate}${args.maxDeactivate === undefined ? " (10% of the scope)" : ""}; nothing was deactivated. Check --from and --scope, then rerun with --force (or a larger --max-deactivate) to deactivate them`,
      );
      return EXIT.usage;
    }
    return report.failed.length > 0 ? EXIT.failed : EXIT.ok;
  } catch (error) {
    io.progress?.stop();
    if (controller.signal.aborted && controller.signal.reason instanceof Interrupted) {
      io.err(
        "scimkit sync: interrupted; run the same command again to finish (it picks up where this one stopped)",
      );
      return EXIT.interrupted;
    }
    if (error instanceof UnreachableError || error instanceof StopError || error instanceof UsageError) {
      io.err(`scimkit sync: ${error.message}`);
      return EXIT.usage;
    }
    // plan() rejects when the source cannot be read at all or the target's schema cannot be had.
    io.err(`scimkit sync: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  } finally {
    stopListening?.();
  }
}

/** Progress from the library's events, and what the CLI needs to remember of them. */
interface Tracker {
  readonly onEvent: (event: SyncEvent) => void;
  refused: Extract<SyncEvent, { type: "refused" }> | undefined;
}

function trackProgress(io: SyncIo, dryRun: boolean, total: number | undefined): Tracker {
  let done = 0;
  let failed = 0;
  const tracker: Tracker = {
    refused: undefined,
    onEvent(event) {
      if (event.type === "indexed") {
        io.err(
          `scimkit sync: the target has ${event.users} users (${event.inScope} in scope) and ${event.groups} groups`,
        );
        io.progress?.start(dryRun ? "planning" : "applying", total);
      } else if (event.type === "action") {
        if (event.kind === "createGroup" || event.kind === "members") return;
        done += 1;
        if (event.outcome === "failed") failed += 1;
        io.progress?.update(done, failed);
      } else if (event.type === "refused") {
        tracker.refused = event;
      }
    },
  };
  return tracker;
}

/** --dry-run: one line per change the plan holds (not the unchanged rows), and the would-be report. */
async function printPlan(planned: AsyncIterable<PlannedAction>, io: SyncIo): Promise<SyncReport> {
  const report: SyncReport = { created: 0, updated: 0, deactivated: 0, unchanged: 0, failed: [] };
  let done = 0;
  for await (const action of planned) {
    const line = planLine(action);
    if (line !== undefined) {
      io.out(line);
      // a reader slower than the plan (a pipe into a pager) holds the plan, not this process's memory
      const drained = io.drained?.();
      if (drained !== undefined) await drained;
    }
    switch (action.kind) {
      case "create":
        report.created += 1;
        break;
      case "update":
        report.updated += 1;
        break;
      case "unchanged":
        report.unchanged += 1;
        break;
      case "deactivate":
        report.deactivated += 1;
        break;
      case "error":
        report.failed.push(action.failure);
        break;
      case "createGroup":
      case "members":
        continue;
      default:
        return unreachable(action);
    }
    done += 1;
    io.progress?.update(done, report.failed.length);
  }
  return report;
}

/** The dry run's line for one planned action; none for an unchanged row. Row numbers: see `decimal`. */
export function planLine(action: PlannedAction): string | undefined {
  switch (action.kind) {
    case "create":
      return `create      row ${decimal(action.row)}: ${action.key}${action.groups?.length ? ` (groups: ${action.groups.join(", ")})` : ""}`;
    case "update":
      return `update      row ${decimal(action.row)}: ${action.key}: ${action.operations.map((op) => `${op.op}${op.path === undefined ? "" : ` ${op.path}`}`).join(", ")}`;
    case "unchanged":
      return undefined;
    case "deactivate":
      return `deactivate  ${action.key}`;
    case "createGroup":
      return `create      group ${action.group.displayName}`;
    case "members":
      return `members     group ${action.group.displayName}: +${action.add.length} -${action.remove.length}`;
    case "error":
      return `cannot      ${failureLine(action.failure as SyncFailure)}`;
    default:
      return unreachable(action);
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected planned action ${JSON.stringify(value)}`);
}

/** Refuses a --from file that is missing or a folder before anything is sent. */
async function checkSourceFile(path: string): Promise<void> {
  const found = await stat(resolve(path)).catch(() => undefined);
  if (found === undefined) throw new UsageError(`--from ${path}: no such file`);
  if (!found.isFile()) throw new UsageError(`--from ${path} is not a file`);
}

/** Refuses a --report that cannot be written before the run starts, not after it. */
async function checkReportFile(report: string): Promise<void> {
  const path = resolve(report);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory())
    throw new UsageError(
      `--report ${report} is a directory; name a file, e.g. ${report.replace(/\/$/, "")}/sync-report.json`,
    );
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(`--report ${report}: the folder ${dirname(report)} does not exist; create it first`);
}

async function writeReport(path: string, report: SyncReport): Promise<void> {
  try {
    await writeFile(path, formatReport(report));
  } catch (error) {
    throw new StopError(`cannot write --report ${path}: ${(error as Error).message}`);
  }
}
