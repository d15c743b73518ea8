import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import {
  coreBundle,
  type LoadedDocuments,
  type Located,
  parseSchemaDocument,
  RESOURCE_TYPE_SCHEMA,
  type ResourceTypeDefinition,
  SCHEMA_SCHEMA,
  type SchemaDefinition,
  SchemaLoadError,
  SchemaRegistry,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from "@scimkit/core";
import { checkCanonicalValues, checkEndpoints } from "./checks.js";

/**
 * What the generators work on: the schemas and resource types to emit, resolved and cross-checked.
 *
 * @example
 * const model = resolveModel(await loadSchemaFolder("./scim-schemas"));
 * model.resourceTypes.map((t) => t.name); // ["Device", "User"]
 */
export interface GenerationModel {
  /** Every schema to emit: the folder's, then the built-in RFC 7643 schemas it needs, sorted by id. */
  readonly schemas: readonly SchemaDefinition[];
  /** Resource types in name order. */
  readonly resourceTypes: readonly ResourceTypeDefinition[];
  /** Case-insensitive lookups over the two lists above. */
  readonly registry: SchemaRegistry;
  /** Ids of schemas taken from the built-in RFC 7643 set because the folder did not define them. */
  readonly builtins: readonly string[];
}

/**
 * Reads every `*.json` file under `dir` (recursively, in path order) as schema definitions (see
 * `parseSchemaDocument` in @scimkit/core). A missing folder, an unreadable file or invalid JSON throws
 * a {@link SchemaLoadError} naming the file.
 *
 * @example
 * const loaded = await loadSchemaFolder("./scim-schemas");
 */
export async function loadSchemaFolder(dir: string): Promise<LoadedDocuments> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dir);
  } catch (cause) {
    throw new SchemaLoadError({
      file: dir,
      pointer: "",
      problem: `cannot read the schema folder (${describeIoError(cause)})`,
      cause,
    });
  }
  if (!info.isDirectory())
    throw new SchemaLoadError({
      file: dir,
      pointer: "",
      problem: "is not a folder; pass the folder holding your schema JSON files",
    });
  const files = (await listJsonFiles(dir)).sort();
  if (files.length === 0)
    throw new SchemaLoadError({ file: dir, pointer: "", problem: "contains no .json files" });
  const out: { schemas: Located<SchemaDefinition>[]; resourceTypes: Located<ResourceTypeDefinition>[] } = {
    schemas: [],
    resourceTypes: [],
  };
  for (const file of files) {
    const label = relative(process.cwd(), file) || file;
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (cause) {
      throw new SchemaLoadError({
        file: label,
        pointer: "",
        problem: `cannot read the file (${describeIoError(cause)})`,
        cause,
      });
    }
    const doc = parseSchemaDocument(text, label);
    out.schemas.push(...doc.schemas);
    out.resourceTypes.push(...doc.resourceTypes);
  }
  return out;
}

/** Every `*.json` file under `dir`, recursively; folders starting with `.` and `node_modules` are skipped. */
export async function listJsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules")
      found.push(...(await listJsonFiles(path)));
    else if (entry.isFile() && entry.name.endsWith(".json")) found.push(path);
  }
  return found;
}

function describeIoError(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "it does not exist";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return cause instanceof Error ? cause.message : String(cause);
}

/** Discovery schemas every SCIM service has (RFC 7644 §4); always emitted so their types exist. */
const DISCOVERY_SCHEMAS = [SERVICE_PROVIDER_CONFIG_SCHEMA, RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA];

/**
 * Options of {@link resolveModel}.
 *
 * @example
 * const options: ResolveOptions = { origin: "the server's /Schemas" };
 */
export interface ResolveOptions {
  /** Where the definitions came from, as error messages name it (default `"the folder"`). */
  readonly origin?: string;
}

/**
 * Cross-checks loaded definitions and fills in the RFC 7643 core schemas (User, Group,
 * EnterpriseUser and the discovery schemas) that resource types name but the folder does not define.
 * Throws {@link SchemaLoadError} pointing at the offending file and JSON pointer when a schema is
 * defined twice, a resource type is defined twice, two resource types share an endpoint (or one takes
 * a reserved endpoint such as `/Schemas`), an attribute that is not string-valued lists
 * `canonicalValues`, or a resource type names a schema or extension that exists nowhere.
 *
 * @example
 * const model = resolveModel(await loadSchemaFolder("./scim-schemas"));
 */
export function resolveModel(loaded: LoadedDocuments, options: ResolveOptions = {}): GenerationModel {
  const origin = options.origin ?? "the folder";
  const byId = new Map<string, Located<SchemaDefinition>>();
  for (const located of loaded.schemas) {
    const key = located.definition.id.toLowerCase();
    const previous = byId.get(key);
    if (previous) {
      throw new SchemaLoadError({
        file: located.file,
        pointer: `${located.pointer}/id`,
        problem: `schema "${located.definition.id}" is already defined in ${previous.file} (schema ids are case-insensitive)`,
      });
    }
    byId.set(key, located);
    checkCanonicalValues(located.definition, located);
  }
  checkEndpoints(loaded.resourceTypes);
  const builtinById = new Map(coreBundle().schemas.map((s) => [s.id.toLowerCase(), s] as const));
  const builtins = new Set<string>();
  const need = (urn: string, where: () => SchemaLoadError) => {
    const key = urn.toLowerCase();
    if (byId.has(key)) return;
    const builtin = builtinById.get(key);
    if (!builtin) throw where();
    builtins.add(builtin.id);
  };

  const typeNames = new Map<string, Located<ResourceTypeDefinition>>();
  for (const located of loaded.resourceTypes) {
    const { definition: type, file, pointer } = located;
    const previous = typeNames.get(type.name.toLowerCase());
    if (previous) {
      throw new SchemaLoadError({
        file,
        pointer: `${pointer}/name`,
        problem: `resource type "${type.name}" is already defined in ${previous.file}`,
      });
    }
    typeNames.set(type.name.toLowerCase(), located);
    need(
      type.schema,
      () =>
        new SchemaLoadError({
          file,
          pointer: `${pointer}/schema`,
          problem: `resource type "${type.name}" names schema "${type.schema}", which is neither in ${origin} nor one of the RFC 7643 core schemas`,
        }),
    );
    type.schemaExtensions.forEach((ext, i) => {
      need(
        ext.schema,
        () =>
          new SchemaLoadError({
            file,
            pointer: `${pointer}/schemaExtensions/${i}/schema`,
            problem: `resource type "${type.name}" names extension "${ext.schema}", which is neither in ${origin} nor one of the RFC 7643 core schemas`,
          }),
      );
    });
  }
  for (const urn of DISCOVERY_SCHEMAS) if (!byId.has(urn.toLowerCase())) builtins.add(urn);

  const schemas = [
    ...[...byId.values()].map((l) => l.definition),
    ...[...builtins].map((id) => builtinById.get(id.toLowerCase()) as SchemaDefinition),
  ].sort((a, b) => compare(a.id, b.id));
  const resourceTypes = [...typeNames.values()]
    .map((l) => l.definition)
    .sort((a, b) => compare(a.name, b.name));
  return {
    schemas,
    resourceTypes,
    registry: new SchemaRegistry({ schemas, resourceTypes }),
    builtins: [...builtins].sort(compare),
  };
}

/** Locale-independent ordering, so output is byte-identical on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
