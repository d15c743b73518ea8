/// <reference types="node" />
// The real `scimkit` binary (@scimkit/codegen's bin/scimkit.js, which loads this package's dist/cli for
// `scimkit test`), spawned as a user's shell does. Both dists are rebuilt first when a source is newer.
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

const CONFORMANCE_DIR = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Makes sure the binary runs the current sources: this package's dist first (codegen builds against
 * it), then codegen's. Under turbo both are built before the tests, so this does nothing there.
 */
export function ensureBuilt(): void {
  ensureScimkitBuilt(CONFORMANCE_DIR, join("cli", "index.js"));
}

/**
 * Starts `node bin/scimkit.js …args` with stdout and stderr as pipes (not a terminal) and an environment
 * of PATH and `env` only, so no SCIM_TOKEN, NO_COLOR or FORCE_COLOR leaks in from the caller.
 */
export function startScimkit(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  cwd: string = CONFORMANCE_DIR,
): BinRun {
  return startIn(args, env, cwd);
}

/** Runs `scimkit …args` to the end. */
export function scimkit(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<BinResult> {
  return startScimkit(args, env).done;
}
