// Tests that run a built binary (bin/scimkit.js → dist/…) rebuild a package's dist first when one of its
// sources is newer. Under turbo the build runs before the tests, so this does nothing there; it matters
// for `npx vitest run` in a package right after an edit.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** The newest modification time of a non-test `.ts` file under `dir`, skipping `__…__` folders. */
export function newestSource(dir: string): number {
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

/**
 * Builds the package at `dir` (`tsc -p tsconfig.build.json`) when `dist/<entry>` is missing or older than
 * a source file under `dir/src`. Returns whether it built.
 *
 * @example
 * buildIfStale(CODEGEN_DIR, "cli.js");
 */
export function buildIfStale(dir: string, entry: string): boolean {
  const built = join(dir, "dist", entry);
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(join(dir, "src"))) return false;
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir, stdio: "inherit" });
  return true;
}
