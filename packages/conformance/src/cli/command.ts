/// <reference types="node" />
// `scimkit test`: parse, check the target answers, run the checks with progress and Ctrl-C, write the
// report, and turn it into the exit code DESIGN.md gives.
import { stat, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { formatFailures, formatJson, formatJunit, formatText, mustFailures } from "../format.js";
import { runConformance } from "../run.js";
import type { ConformanceReport } from "../types.js";
import { parseTestArgs, type TestArgs, USAGE, UsageError } from "./args.js";
import { preflight, UnreachableError } from "./preflight.js";
import { processIo, type TestIo } from "./terminal.js";

/**
 * Exit codes of `scimkit test` (DESIGN.md; 130 is the shell's 128 + SIGINT).
 *
 * @example
 * if ((await runTestCommand(argv)) === EXIT.mustFailed) process.stderr.write("not conformant\n");
 */
export const EXIT = { ok: 0, mustFailed: 1, usage: 2, interrupted: 130 } as const;

/** The reason a run is aborted with on Ctrl-C. */
class Interrupted extends Error {
  override name = "Interrupted" as const;
}

/**
 * Runs `scimkit test` with `argv` (the arguments after `test`) and resolves to its exit code: 0 when no
 * MUST check failed, 1 when one did, 2 on a usage error or a server that cannot be reached or refuses the
 * token (one line on `err`), 130 when interrupted. Without `io` it uses the process: stdout, stderr,
 * colour on a terminal, a progress line on a terminal's stderr, and SIGINT.
 *
 * @example
 * process.exitCode = await runTestCommand(["--url", "http://127.0.0.1:8080/scim/v2", "--format", "json"]);
 */
export async function runTestCommand(argv: readonly string[], io: TestIo = processIo()): Promise<number> {
  let args: TestArgs;
  try {
    args = parseTestArgs(argv, io.env ?? process.env);
    if (args.help) {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (args.out !== undefined) await checkOutFile(args.out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`scimkit test: ${error.message}`);
    return EXIT.usage;
  }

  const controller = new AbortController();
  const stopListening = io.onInterrupt?.(() => {
    io.progress?.(undefined);
    io.err("scimkit test: interrupted; deleting what this run created (Ctrl-C again to exit at once)");
    controller.abort(new Interrupted("interrupted"));
  });
  let done = 0;
  let total = 0;
  const started = performance.now();
  try {
    io.progress?.(`connecting to ${args.url} …`);
    await preflight(args.url, args.token, controller.signal);
    let failed = 0;
    const report = await runConformance({
      url: args.url,
      token: args.token,
      profile: args.profile,
      readOnly: args.readOnly,
      signal: controller.signal,
      onProgress: (result, count, of) => {
        [done, total] = [count, of];
        if (result.status === "failed") failed += 1;
        io.progress?.(`[${count}/${of}] ${result.id}${failed > 0 ? ` (${failed} failed)` : ""}`);
      },
    });
    io.progress?.(undefined);
    const durationMs = performance.now() - started;
    await writeReport(report, args, io, durationMs);
    return mustFailures(report) > 0 ? EXIT.mustFailed : EXIT.ok;
  } catch (error) {
    io.progress?.(undefined);
    if (controller.signal.aborted && controller.signal.reason instanceof Interrupted) {
      const ran = total === 0 ? "before the first check finished" : `after ${done} of ${total} checks`;
      io.err(`scimkit test: interrupted ${ran}; the resources the run created were deleted`);
      return EXIT.interrupted;
    }
    if (error instanceof UnreachableError || error instanceof OutFileError) {
      io.err(`scimkit test: ${error.message}`);
      return EXIT.usage;
    }
    // runConformance rejects only when the target cannot be reached at all (RFC 7644 §4 discovery).
    io.err(`scimkit test: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.usage;
  } finally {
    stopListening?.();
  }
}

class OutFileError extends Error {}

/** Refuses an --out that cannot be written before the run starts, not after it. */
async function checkOutFile(out: string): Promise<void> {
  const path = resolve(out);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory())
    throw new UsageError(
      `--out ${out} is a directory; name a file, e.g. ${out.replace(/\/$/, "")}/conformance.xml`,
    );
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory())
    throw new UsageError(`--out ${out}: the folder ${dirname(out)} does not exist; create it first`);
}

async function writeReport(
  report: ConformanceReport,
  args: TestArgs,
  io: TestIo,
  durationMs: number,
): Promise<void> {
  const color = io.color === true;
  const rendered =
    args.format === "json"
      ? formatJson(report)
      : args.format === "junit"
        ? formatJunit(report, { durationMs })
        : formatText(report, { durationMs, color: color && args.out === undefined });
  if (args.out === undefined) {
    for (const line of rendered.replace(/\n$/, "").split("\n")) io.out(line);
    return;
  }
  try {
    await writeFile(args.out, rendered);
  } catch (error) {
    throw new OutFileError(`cannot write --out ${args.out}: ${(error as Error).message}`);
  }
  for (const line of formatFailures(report, { durationMs, color }).replace(/\n$/, "").split("\n"))
    io.out(line);
  io.out(`${args.format} report written to ${args.out}`);
}
