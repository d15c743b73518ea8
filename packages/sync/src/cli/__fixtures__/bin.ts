/// <reference types="node" />
// The real `scimkit` binary (@scimkit/codegen's bin/scimkit.js, which loads this package's dist/cli for
// `scimkit sync`), spawned as a user's shell does, with cwd packages/sync. Both dists are rebuilt first
// when a source is newer (under turbo they are built before the tests, so this does nothing there).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const SYNC_DIR = fileURLToPath(new URL("../../..", import.meta.url));
const CODEGEN_DIR = join(SYNC_DIR, "..", "codegen");
export const BIN = join(CODEGEN_DIR, "bin", "scimkit.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith("__")) newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith(".ts") && !/\.test(-d)?\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function buildIfStale(dir: string, entry: string): void {
  const built = join(dir, "dist", entry);
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(dir, "src"))) return;
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
}

/** Makes sure the binary runs the current sources: this package's dist, then codegen's. */
export function ensureBuilt(): void {
  buildIfStale(SYNC_DIR, join("cli", "index.js"));
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
 * Starts `node bin/scimkit.js …args` in packages/sync with pipes (not a terminal) and an environment of
 * PATH and `env` only, so no SCIM_TOKEN leaks in from the caller.
 */
export function startScimkit(args: readonly string[], env: Readonly<Record<string, string>> = {}): BinRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: SYNC_DIR,
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

/** Runs `scimkit …args` to the end. */
export function scimkit(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<BinResult> {
  return startScimkit(args, env).done;
}
