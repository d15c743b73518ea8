/// <reference types="node" />
// The real `scimkit` binary (@scimkit/codegen's bin/scimkit.js, which loads this package's dist/cli for
// `scimkit sync`), spawned as a user's shell does, with cwd packages/sync. Both dists are rebuilt first
// when a source is newer (under turbo they are built before the tests, so this does nothing there).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BinResult,
  type BinRun,
  ensureScimkitBuilt,
  startScimkit as startIn,
} from "@scimkit/test-fixtures";

export type { BinResult, BinRun } from "@scimkit/test-fixtures";
export { BIN } from "@scimkit/test-fixtures";

export const SYNC_DIR = fileURLToPath(new URL("../../..", import.meta.url));

/** Makes sure the binary runs the current sources: this package's dist, then codegen's. */
export function ensureBuilt(): void {
  ensureScimkitBuilt(SYNC_DIR, join("cli", "index.js"));
}

/**
 * Starts `node bin/scimkit.js …args` in packages/sync with pipes (not a terminal) and an environment of
 * PATH and `env` only, so no SCIM_TOKEN leaks in from the caller.
 */
export function startScimkit(args: readonly string[], env: Readonly<Record<string, string>> = {}): BinRun {
  return startIn(args, env, SYNC_DIR);
}

/** Runs `scimkit …args` to the end. */
export function scimkit(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<BinResult> {
  return startScimkit(args, env).done;
}
