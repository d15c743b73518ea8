// What `scimkit sync` shows at the end: a summary table of the counts, each failed row with its row number
// (or key) and the server's answer, and the `--report` JSON (DESIGN.md: created, updated, deactivated,
// unchanged, failed[{row|key, status, scimType, detail}]).
import type { SyncFailure, SyncReport } from "../types.js";

/**
 * The report as `--report` writes it: exactly DESIGN.md's keys, in its order, and `row` or `key` first in
 * each failure.
 *
 * @example
 * formatReport({ created: 1, updated: 0, deactivated: 0, unchanged: 2, failed: [] });
 */
export function formatReport(report: SyncReport): string {
  const failed = report.failed.map((f) => ({
    ...(f.row !== undefined ? { row: f.row } : { key: f.key ?? "" }),
    status: f.status,
    ...(f.scimType !== undefined ? { scimType: f.scimType } : {}),
    detail: f.detail,
  }));
  const ordered = {
    created: report.created,
    updated: report.updated,
    deactivated: report.deactivated,
    unchanged: report.unchanged,
    failed,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Longest failure list printed; the rest are counted (all of them are in `--report`). */
export const MAX_FAILURES_SHOWN = 50;

/**
 * The summary table and the failures, as lines. `verb` is "would be" for a dry run's plan.
 *
 * @example
 * summaryLines({ created: 2, updated: 1, deactivated: 0, unchanged: 7, failed: [] }, { dryRun: false });
 */
export function summaryLines(
  report: SyncReport,
  options: { readonly dryRun: boolean; readonly groupsCreated?: number; readonly seconds?: number },
): string[] {
  const rows: [string, number][] = [
    [options.dryRun ? "to create" : "created", report.created],
    [options.dryRun ? "to update" : "updated", report.updated],
    [options.dryRun ? "to deactivate" : "deactivated", report.deactivated],
    ["unchanged", report.unchanged],
    [options.dryRun ? "cannot apply" : "failed", report.failed.length],
  ];
  if (options.groupsCreated !== undefined && options.groupsCreated > 0)
    rows.push([options.dryRun ? "groups to create" : "groups created", options.groupsCreated]);
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const numberWidth = Math.max(5, ...rows.map(([, n]) => String(n).length));
  const rule = `+${"-".repeat(labelWidth + 2)}+${"-".repeat(numberWidth + 2)}+`;
  const lines = [
    rule,
    `| ${"users".padEnd(labelWidth)} | ${"count".padStart(numberWidth)} |`,
    rule,
    ...rows.map(([label, n]) => `| ${label.padEnd(labelWidth)} | ${String(n).padStart(numberWidth)} |`),
    rule,
  ];
  for (const failure of report.failed.slice(0, MAX_FAILURES_SHOWN)) lines.push(failureLine(failure));
  if (report.failed.length > MAX_FAILURES_SHOWN)
    lines.push(
      `… and ${report.failed.length - MAX_FAILURES_SHOWN} more failures (--report FILE lists them all)`,
    );
  if (options.seconds !== undefined) lines.push(`took ${options.seconds.toFixed(1)} s`);
  return lines;
}

/**
 * A whole number in decimal, as `String(n)` writes it, without V8's number-to-string cache.
 *
 * Why (measured, README "Memory"): `String(n)`, `${n}` and `n.toString()` keep the string they make in
 * that cache until another number takes its slot, so a row number of every line of a million-row dry
 * run lived through young-generation collections and was promoted (~22 MB per 1,000,000 lines,
 * `--trace-gc-nvp`), which V8 answered by growing the heap. `toFixed(0)` makes the same text for a
 * safe integer and caches nothing.
 *
 * @example decimal(1048576) // "1048576"
 */
export function decimal(n: number): string {
  return Number.isSafeInteger(n) ? n.toFixed(0) : String(n);
}

/** "row 7: 400 invalidValue: …" or "user bjensen: 404: …". */
export function failureLine(failure: SyncFailure): string {
  const where = failure.row !== undefined ? `row ${decimal(failure.row)}` : `user ${failure.key ?? "?"}`;
  return `${where}: ${failure.status}${failure.scimType ? ` ${failure.scimType}` : ""}: ${failure.detail}`;
}
