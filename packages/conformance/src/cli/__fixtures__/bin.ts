/// <reference types="node" />
// The real `scimkit` binary (@scimkit/codegen's bin/scimkit.js, which loads this package's dist/cli for
// `scimkit test`), spawned as a user's shell does, with cwd packages/conformance: pipes, not a terminal,
// and an environment of PATH and what a test passes only (no SCIM_TOKEN, NO_COLOR or FORCE_COLOR leaks
// in). Both dists are rebuilt first when a source is newer; under turbo they are built before the tests.
import { fileURLToPath } from "node:url";
import { scimkitFor } from "@scimkit/test-fixtures";

export { BIN } from "@scimkit/test-fixtures";

const CONFORMANCE_DIR = fileURLToPath(new URL("../../..", import.meta.url));

export const { ensureBuilt, startScimkit, scimkit } = scimkitFor(CONFORMANCE_DIR);
