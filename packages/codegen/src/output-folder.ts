// The output folder is checked before anything is read or written: it must be a folder (or creatable
// as one) and must not be inside a folder of schema JSON that a later run reads back.
import { realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";

/**
 * `out` cannot be used as the output folder: it is a file, it cannot be created, or it is (inside) the
 * schema folder. `scimkit generate` reports it as a usage error.
 *
 * @example
 * try { await generate({ schemas: "./scim", out: "./scim/out" }); } catch (e) { if (e instanceof OutputFolderError) console.error(e.message); }
 */
export class OutputFolderError extends Error {
  override name = "OutputFolderError" as const;
}

/** The real path of `path`, following symbolic links in the part of it that exists. */
function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}

/** True when `inner` is `outer` or inside it. */
function within(inner: string, outer: string): boolean {
  const rel = relative(realPath(outer), realPath(inner));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Throws {@link OutputFolderError} when `out` is an existing file, lies under a file (so it cannot be
 * created), or is the same as or inside a folder of schema JSON (`--schemas`, `--save-schemas`): every
 * `.json` file there is read as a schema, so the next run would read the generated `openapi.json`.
 *
 * @example
 * checkOutputFolder("./src/scim", [{ flag: "--schemas", dir: "./scim-schemas" }]);
 */
export function checkOutputFolder(
  out: string,
  schemaFolders: readonly { flag: string; dir: string }[],
): void {
  for (let at = resolve(out); ; at = dirname(at)) {
    let isFile = false;
    try {
      isFile = !statSync(at).isDirectory();
    } catch {
      // Missing: created later, with its missing parents.
    }
    if (isFile)
      throw new OutputFolderError(
        at === resolve(out)
          ? `--out ${out} is a file; pass a folder (it is created when missing)`
          : `--out ${out} cannot be created: ${relative(process.cwd(), at) || at} is a file`,
      );
    if (dirname(at) === at) break;
  }
  for (const { flag, dir } of schemaFolders) {
    if (!within(out, dir)) continue;
    const same = realPath(out) === realPath(dir);
    throw new OutputFolderError(
      same
        ? `${flag} and --out must be different folders: ${flag} is read as schema JSON, so the generated openapi.json would be read back as a schema; write the output elsewhere, e.g. --out src/scim`
        : `--out ${out} is inside ${flag} ${dir}: every .json file there is read as a schema, so the next run would read the generated openapi.json; put the output folder outside it`,
    );
  }
}
