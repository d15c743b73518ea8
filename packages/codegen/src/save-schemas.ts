import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { FetchedDefinition, FetchedSchemas } from "./fetch-schemas.js";
import { formatJson } from "./format.js";
import { compare, listJsonFiles } from "./load.js";

/**
 * What {@link saveSchemas} wrote.
 *
 * @example
 * const { files, others } = await saveSchemas(fetched, "./scim-schemas");
 */
export interface SavedSchemas {
  /** One file per schema and resource type, relative to the folder, in name order; `changed` when written. */
  readonly files: readonly { readonly path: string; readonly changed: boolean }[];
  /** Other `.json` files already in the folder (relative paths): `--schemas` on the folder reads them too. */
  readonly others: readonly string[];
}

/**
 * Writes fetched definitions into `dir`, one file per schema (`user.schema.json`) and resource type
 * (`user.resource-type.json`), named after its `name` in kebab case, so a team can commit them and run
 * `scimkit generate --schemas dir` offline with the same result. Each file holds the definition as
 * {@link fetchSchemas} returned it (no `meta`, no nulls, no common attributes in base schemas), as JSON with
 * 2-space indentation and the server's key order. Names are decided from the sorted definitions, so the
 * same server gives the same files; when two schemas' names agree, their URN namespace is put in front
 * (`acme-user.schema.json`), and then a number. Files whose contents did not change are not rewritten;
 * other files in `dir` are left alone.
 *
 * @example
 * await saveSchemas(await fetchSchemas({ url: "http://localhost:8080/scim/v2" }), "./scim-schemas");
 */
export async function saveSchemas(fetched: FetchedSchemas, dir: string): Promise<SavedSchemas> {
  const planned = [
    ...fileNames(fetched.schemas, "id", ".schema.json"),
    ...fileNames(fetched.resourceTypes, "name", ".resource-type.json"),
  ].sort((a, b) => compare(a.path, b.path));
  await mkdir(dir, { recursive: true });
  const files = [];
  for (const { path, value } of planned) {
    const target = join(dir, path);
    const contents = formatJson(value);
    const previous = await readFile(target, "utf8").catch(() => undefined);
    const changed = previous !== contents;
    if (changed) await writeFile(target, contents);
    files.push({ path, changed });
  }
  const written = new Set(planned.map((p) => p.path));
  const others = (await listJsonFiles(dir))
    .map((f) => relative(dir, f).split("\\").join("/"))
    .filter((f) => !written.has(f))
    .sort(compare);
  return { files, others };
}

/** `"Service Provider Configuration"` → `service-provider-configuration`, `"EnterpriseUser"` → `enterprise-user`. */
export function kebabCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The file name of each definition: kebab-case name, then URN namespace, then a number, until unique. */
function fileNames(
  items: readonly FetchedDefinition[],
  key: "id" | "name",
  suffix: string,
): { path: string; value: unknown }[] {
  const text = (value: unknown, member: string) =>
    isRecord(value) && typeof value[member] === "string" ? value[member] : "";
  const sorted = [...items].sort(
    (a, b) => compare(text(a.value, key), text(b.value, key)) || compare(a.pointer, b.pointer),
  );
  const stemOf = (value: unknown) => {
    const id = text(value, "id");
    const name = text(value, "name") || id.slice(id.lastIndexOf(":") + 1);
    return kebabCase(name) || (suffix === ".schema.json" ? "schema" : "resource-type");
  };
  const stems = sorted.map((item) => stemOf(item.value));
  const counts = new Map<string, number>();
  for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  const used = new Set<string>();
  return sorted.map((item, i) => {
    let stem = stems[i] as string;
    if ((counts.get(stem) ?? 0) > 1 && key === "id") {
      // urn:acme:params:scim:… → "acme", the namespace that tells two schemas named User apart.
      const namespace = kebabCase(text(item.value, "id").split(":")[1] ?? "");
      if (namespace !== "") stem = `${namespace}-${stem}`;
    }
    let unique = stem;
    for (let n = 2; used.has(unique); n++) unique = `${stem}-${n}`;
    used.add(unique);
    return { path: `${unique}${suffix}`, value: item.value };
  });
}
