/** `sync(options)`: plan, then apply (or, with `dryRun`, count what would be done). */
import { plan } from "../plan/plan.js";
import type { SyncOptions, SyncReport } from "../types.js";
import { apply, dryRun } from "./apply.js";

/**
 * Plans and applies in one call; with `dryRun: true` nothing is written and the report counts what
 * would be created, updated, deactivated and left unchanged.
 *
 * @example const report = await sync({ to: { url, token }, source: csvSource("users.csv"), deactivateMissing: true });
 */
export async function sync(options: SyncOptions & { dryRun?: boolean | undefined }): Promise<SyncReport> {
  const p = await plan(options);
  return options.dryRun === true ? dryRun(p, options.signal) : apply(p);
}
