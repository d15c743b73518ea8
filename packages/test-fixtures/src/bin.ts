// The real `scimkit` binary (@scimkit/codegen's bin/scimkit.js, which loads a command's package from its
// dist) spawned as a user's shell does: pipes, not a terminal, and no variable inherited from the test.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { buildIfStale } from "./fresh-dist.js";
import { ROOT } from "./root.js";

/** @scimkit/codegen's folder, which holds the `scimkit` dispatcher. */
export const CODEGEN_DIR = join(ROOT, "packages", "codegen");
/** The `scimkit` binary. */
export const BIN = join(CODEGEN_DIR, "bin", "scimkit.js");

/**
 * Makes sure the binary runs the current sources: the command's package first (codegen builds against
 * it), then codegen's dispatcher.
 *
 * @example
 * ensureScimkitBuilt(SYNC_DIR, join("cli", "index.js"));
 */
export function ensureScimkitBuilt(packageDir: string, entry: string): void {
  buildIfStale(packageDir, entry);
  buildIfStale(CODEGEN_DIR, "cli.js");
}

/** What a finished run of the binary printed, and how it exited. */
export interface BinResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  readonly err: string;
}

/** A running `scimkit` process: the child, what it printed so far, and its result once it exits. */
export interface BinRun {
  readonly child: ChildProcess;
  output(): { out: string; err: string };
  readonly done: Promise<BinResult>;
}

/**
 * Starts `node bin/scimkit.js …args` in `cwd` with stdout and stderr as pipes and an environment of PATH
 * and `env` only, so no SCIM_TOKEN, NO_COLOR or FORCE_COLOR leaks in from the caller.
 */
export function startScimkit(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
): BinRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const done = new Promise<BinResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, out, err }));
  });
  return { child, output: () => ({ out, err }), done };
}

/** The `scimkit` binary as the tests of one command's package run it. */
export interface PackageScimkit {
  /** Makes sure the binary runs the current sources (under turbo they are built first: nothing to do). */
  ensureBuilt(): void;
  /** Starts `scimkit …args` in the package's folder (see {@link startScimkit}). */
  startScimkit(args: readonly string[], env?: Readonly<Record<string, string>>): BinRun;
  /** Runs `scimkit …args` in the package's folder to the end. */
  scimkit(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<BinResult>;
}

/**
 * The binary for the tests of the package in `packageDir` whose command `scimkit` loads from
 * `dist/<entry>`: built from that package's sources, run with that folder as its working directory.
 *
 * @example
 * export const { ensureBuilt, startScimkit, scimkit } = scimkitFor(SYNC_DIR);
 */
export function scimkitFor(packageDir: string, entry: string = join("cli", "index.js")): PackageScimkit {
  const start = (args: readonly string[], env: Readonly<Record<string, string>> = {}): BinRun =>
    startScimkit(args, env, packageDir);
  return {
    ensureBuilt: () => ensureScimkitBuilt(packageDir, entry),
    startScimkit: start,
    scimkit: (args, env) => start(args, env).done,
  };
}
