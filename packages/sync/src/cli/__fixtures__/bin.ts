/// <reference types="node" />
// The real `scimkit` binary (@scimkit/codegen's bin/scimkit.js, which loads this package's dist/cli for
// `scimkit sync`), spawned as a user's shell does, with cwd packages/sync: pipes, not a terminal, and an
// environment of PATH and what a test passes only (no SCIM_TOKEN leaks in). Both dists are rebuilt first
// when a source is newer; under turbo they are built before the tests.
import { fileURLToPath } from "node:url";
import { scimkitFor } from "@scimkit/test-fixtures";

export { BIN } from "@scimkit/test-fixtures";

export const SYNC_DIR = fileURLToPath(new URL("../../..", import.meta.url));

export const { ensureBuilt, startScimkit, scimkit } = scimkitFor(SYNC_DIR);
