// vitest globalSetup: the CLI tests run the real binary (bin/scimkit.js → dist/cli.js), so rebuild dist
// when a source file is newer than it. Under turbo, codegen's test task depends on its build, so this is
// a no-op there; it matters for `npx vitest run` after an edit.
import { fileURLToPath } from "node:url";
import { buildIfStale } from "@scimkit/test-fixtures";

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export default function setup(): void {
  buildIfStale(PACKAGE_DIR, "cli.js");
}
