// @scimkit/sync/cli: the `scimkit sync` command. The `scimkit` bin (@scimkit/codegen) imports this entry
// only when the command is `sync`, and calls `run` with the arguments after it.
import { USAGE } from "./args.js";
import { runSyncCommand } from "./command.js";

export type { SyncArgs, SyncSourceArg } from "./args.js";
export { DEFAULT_CONCURRENCY, KEYS, MAX_CONCURRENCY, parseSyncArgs, SYNOPSIS, UsageError } from "./args.js";
export { EXIT, planLine, runSyncCommand } from "./command.js";
export type { Progress, SyncIo } from "./io.js";
export { barProgress, plainProgress, processIo } from "./io.js";
export { formatReport, summaryLines } from "./summary.js";

/**
 * The usage text of `scimkit sync` (`scimkit sync --help`, `scimkit help sync`).
 *
 * @example
 * process.stdout.write(`${usage}\n`);
 */
export const usage: string = USAGE;

/**
 * `scimkit sync` as the `scimkit` dispatcher runs it: the same as {@link runSyncCommand}.
 *
 * @example
 * process.exitCode = await run(["--from", "users.csv", "--to", "https://example.com/scim/v2", "--dry-run"]);
 */
export const run: typeof runSyncCommand = runSyncCommand;
