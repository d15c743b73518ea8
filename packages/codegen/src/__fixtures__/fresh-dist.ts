// vitest globalSetup: the CLI tests run the real binary (bin/scimkit.js → dist/cli.js), so rebuild dist
// when a source file is newer than it. Under turbo, codegen's test task depends on its build, so this is
// a no-op there; it matters for `npx vitest run` after an edit.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

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

/** Builds the package at `dir` when `dist/<entry>` is missing or older than a source file. */
function buildIfStale(dir: string, entry: string): void {
  const built = join(dir, "dist", entry);
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(dir, "src"))) return;
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
}

export default function setup(): void {
  buildIfStale(PACKAGE_DIR, "cli.js");
}
