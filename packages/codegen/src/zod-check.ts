// What `--zod` output needs at run time (zod ≥ 4.1), checked where it is written, so a missing or old zod
// is named when generating instead of surfacing later as an unrelated-looking TypeError.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The oldest zod that `zod.gen.ts` works with: it uses `.exactOptional()`, added in zod 4.1. */
export const ZOD_MINIMUM = { major: 4, minor: 1 } as const;

/**
 * The zod package that code in `dir` would import (Node's `node_modules` lookup, walking up), as its
 * folder and version; `undefined` when there is none.
 *
 * @example
 * findZod("./src/scim"); // { dir: "/app/node_modules/zod", version: "4.1.12" }
 */
export function findZod(dir: string): { dir: string; version: string } | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const manifest = join(at, "node_modules", "zod", "package.json");
    if (existsSync(manifest)) {
      try {
        const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
        return { dir: dirname(manifest), version: typeof version === "string" ? version : "unknown" };
      } catch {
        return { dir: dirname(manifest), version: "unknown" };
      }
    }
    if (dirname(at) === at) return undefined;
  }
}

/**
 * A note for `scimkit generate` when `zod.gen.ts` was written to `out` but the zod it would import is
 * missing or older than 4.1; `undefined` when it is fine.
 *
 * @example
 * zodNote("./src/scim"); // "zod.gen.ts imports zod ≥ 4.1, which is not installed for src/scim: npm install zod"
 */
export function zodNote(out: string): string | undefined {
  const found = findZod(out);
  if (!found)
    return `zod.gen.ts (and index.ts, which re-exports it) imports zod ≥ 4.1, which is not installed for ${out}: npm install zod`;
  const [major = 0, minor = 0] = found.version.split(".").map(Number);
  if (major > ZOD_MINIMUM.major || (major === ZOD_MINIMUM.major && minor >= ZOD_MINIMUM.minor))
    return undefined;
  return `zod.gen.ts needs zod ≥ ${ZOD_MINIMUM.major}.${ZOD_MINIMUM.minor}, but ${out} imports zod ${found.version} (${found.dir}): npm install zod@^${ZOD_MINIMUM.major}.${ZOD_MINIMUM.minor}`;
}
