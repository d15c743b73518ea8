// @scimkit/conformance/cli: the `scimkit test` command. The `scimkit` bin (@scimkit/codegen) imports this
// entry only when the command is `test`, and calls `run` with the arguments after it.
import { USAGE } from "./args.js";
import { runTestCommand } from "./command.js";

export type { ReportFormat, TestArgs } from "./args.js";
export { FORMATS, PROFILES, parseTestArgs, SYNOPSIS, UsageError } from "./args.js";
export { EXIT, runTestCommand } from "./command.js";
export type { TestIo } from "./terminal.js";
export { processIo, useColor } from "./terminal.js";

/**
 * The usage text of `scimkit test` (`scimkit test --help`, `scimkit help test`).
 *
 * @example
 * process.stdout.write(`${usage}\n`);
 */
export const usage: string = USAGE;

/**
 * `scimkit test` as the `scimkit` dispatcher runs it: the same as {@link runTestCommand}.
 *
 * @example
 * process.exitCode = await run(["--url", "https://example.com/scim/v2", "--read-only"]);
 */
export const run: typeof runTestCommand = runTestCommand;
