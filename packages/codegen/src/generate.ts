import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type LoadedDocuments, SchemaLoadError } from "@scimkit/core";
import { renderSchemaData } from "./data.js";
import { type FetchedSchemas, fetchSchemas } from "./fetch-schemas.js";
import { formatJson, GENERATED_HEADER, indentDeclarations } from "./format.js";
import { buildJsonSchemas } from "./json-schema.js";
import { type GenerationModel, loadSchemaFolder, resolveModel } from "./load.js";
import { buildOpenApi, type OpenApiDocument } from "./openapi.js";
import { startOpenApiTypes } from "./openapi-types.js";
import { checkOutputFolder } from "./output-folder.js";
import { parseFetched } from "./parse-fetched.js";
import { renderPathMaps } from "./paths.js";
import { planTypes } from "./plan.js";
import { type SavedSchemas, saveSchemas } from "./save-schemas.js";
import { renderTypes } from "./typescript.js";
import { renderValidators } from "./validators.js";
import { renderZod } from "./zod.js";

/**
 * Options of {@link generate}: where the schemas come from (a folder with `schemas`, or a SCIM server
 * with `fromUrl`; exactly one) and what to write.
 *
 * @example
 * const fromFolder: GenerateOptions = { schemas: "./scim-schemas", out: "./src/scim" };
 * const fromServer: GenerateOptions = { fromUrl: "http://localhost:8080/scim/v2", token: "secret", out: "./src/scim" };
 */
export type GenerateOptions = OutputOptions & (FolderSource | ServerSource);

/** Schemas from a folder (`scimkit generate --schemas`). @example const source: FolderSource = { schemas: "./scim-schemas" }; */
export interface FolderSource {
  /** Folder of schema and resource type JSON files (RFC 7643 §6, §7), read recursively. */
  schemas: string;
  fromUrl?: undefined;
}

/**
 * Schemas from a SCIM server's `/Schemas` and `/ResourceTypes` (`scimkit generate --from-url`), read
 * by {@link fetchSchemas}.
 *
 * @example
 * const source: ServerSource = { fromUrl: "http://localhost:8080/scim/v2", saveSchemas: "./scim-schemas" };
 */
export interface ServerSource {
  /** The SCIM service root, e.g. `http://localhost:8080/scim/v2`. */
  fromUrl: string;
  /** Bearer token sent with both requests. */
  token?: string;
  /** Also write the fetched definitions into this folder (see {@link saveSchemas}), before generating. */
  saveSchemas?: string;
  /** Time limit of each request in milliseconds (default 30 s). */
  timeoutMs?: number;
  schemas?: undefined;
}

/** What to write, wherever the schemas come from. @example const o: OutputOptions = { out: "./src/scim", zod: true }; */
export interface OutputOptions {
  /** Output folder; created when missing. Files scimkit writes are overwritten, others are left alone. */
  out: string;
  /** Title of the OpenAPI document. */
  title?: string;
  /** Also write `zod.gen.ts`: zod 4 schemas per type and view, and `validators` (needs `zod` installed). */
  zod?: boolean;
  /** Write only these outputs (default: all but `zod`; `zod: true` adds it). See {@link GENERATED_OUTPUTS}. */
  emit?: readonly GeneratedOutput[];
}

/**
 * The groups of files `scimkit generate` can write (`--emit`):
 * - `types`: `models.gen.ts` and `paths.gen.ts` (they refer to each other);
 * - `data`: `schema-data.gen.ts`;
 * - `json-schema`: `json-schema.gen.ts`;
 * - `openapi`: `openapi.json` and `openapi.gen.ts`;
 * - `zod`: `zod.gen.ts` (it imports zod, and validators.gen.ts when both are written);
 * - `validators`: `validators.gen.ts`, straight-line validators per resource type (self-contained).
 *
 * @example
 * await generate({ schemas: "./schemas", out: "./src/generated", emit: ["zod"] });
 */
export const GENERATED_OUTPUTS = ["types", "data", "json-schema", "openapi", "zod", "validators"] as const;

/** One of {@link GENERATED_OUTPUTS}. @example const o: GeneratedOutput = "openapi"; */
export type GeneratedOutput = (typeof GENERATED_OUTPUTS)[number];

interface RenderOptions {
  title?: string;
  zod?: boolean;
  emit?: readonly GeneratedOutput[];
}

function outputsOf(options: RenderOptions): ReadonlySet<GeneratedOutput> {
  const chosen = options.emit ?? GENERATED_OUTPUTS.filter((o) => o !== "zod");
  const set = new Set<GeneratedOutput>(chosen);
  if (options.zod) set.add("zod");
  return set;
}

/**
 * What {@link generate} produced.
 *
 * @example
 * const { files, model } = await generate({ schemas: "./scim-schemas", out: "./src/scim" });
 */
export interface GenerateResult {
  /** Paths written (or that would be written), relative to `out`, with their contents. */
  readonly files: readonly { readonly path: string; readonly contents: string; readonly changed: boolean }[];
  readonly model: GenerationModel;
  /** With `fromUrl`: what the server returned. */
  readonly fetched?: FetchedSchemas;
  /** With `saveSchemas`: the definition files written. */
  readonly saved?: SavedSchemas;
}

/**
 * Renders every output file for a resolved model, in memory:
 * - `models.gen.ts`: interfaces per resource type and schema, per view (`User`, `UserInput`, `UserPatch`);
 * - `paths.gen.ts`: attribute-path maps (`UserAttributePaths`);
 * - `schema-data.gen.ts`: URN constants and `as const` schema data (`bundle`);
 * - `json-schema.gen.ts`: the JSON Schema 2020-12 definitions;
 * - `openapi.json` and `openapi.gen.ts`: the OpenAPI 3.1 document and its path types (openapi-typescript);
 * - `index.ts`: named re-exports of all of the above.
 *
 * @example
 * const files = await render(resolveModel(loaded));
 */
export async function render(
  model: GenerationModel,
  options: RenderOptions = {},
): Promise<{ path: string; contents: string }[]> {
  if (!outputsOf(options).has("openapi")) return renderAll(model, options, async () => "");
  const openapiTypes = startOpenApiTypes();
  try {
    return await renderAll(model, options, openapiTypes.render);
  } finally {
    openapiTypes.close();
  }
}

async function renderAll(
  model: GenerationModel,
  options: RenderOptions,
  toPathTypes: (document: object) => Promise<string>,
): Promise<{ path: string; contents: string }[]> {
  const outputs = outputsOf(options);
  const plan = planTypes(model);
  const { $schema, $defs } = buildJsonSchemas(plan);
  const openapi = buildOpenApi(plan, $defs, options);
  const pendingPathTypes = toPathTypes(openapi);
  pendingPathTypes.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  const header = `${GENERATED_HEADER}\n\n`;

  const typeNames = Object.keys($defs);
  let models = indentDeclarations(await renderTypes($defs));
  models +=
    "\n/** The generated types of each resource type, by name: what client and server methods are typed with. */\n";
  models += "export interface ResourceTypeModels {\n";
  for (const t of plan.resourceTypes) {
    models += `  ${JSON.stringify(t.definition.name)}: { resource: ${t.names.resource}; input: ${t.names.input}; patch: ${t.names.patch}; paths: ${t.names.resource}AttributePaths };\n`;
  }
  models += "}\n";
  const pathNames = plan.resourceTypes.map((t) => `${t.names.resource}AttributePaths`);
  const modelsImport = pathNames.length
    ? `import type { ${pathNames.join(", ")} } from "./paths.gen.js";\n\n`
    : "";

  const paths = renderPathMaps(plan, $defs, model.registry);
  const complexUsed = [
    ...new Set([...paths.text.matchAll(/value: ([A-Z]\w*) \}/g)].map((m) => m[1] as string)),
  ]
    .filter((n) => typeNames.includes(n))
    .sort();
  const pathsImport = complexUsed.length
    ? `import type { ${complexUsed.join(", ")} } from "./models.gen.js";\n\n`
    : "";

  const data = renderSchemaData(model, plan);

  const reexport = (keyword: string, names: readonly string[], from: string) =>
    `${keyword} {\n${names.map((n) => `  ${n},\n`).join("")}} from "${from}";\n`;
  const validators = outputs.has("validators") ? renderValidators(plan, $defs) : undefined;
  const zod = outputs.has("zod") ? renderZod(plan, $defs, validators !== undefined) : undefined;
  const files: { path: string; contents: string }[] = [];
  const index: string[] = [header];
  if (outputs.has("types")) {
    files.push({ path: "models.gen.ts", contents: header + modelsImport + models });
    files.push({ path: "paths.gen.ts", contents: header + pathsImport + paths.text });
    index.push(reexport("export type", [...typeNames, "ResourceTypeModels"], "./models.gen.js"));
    index.push(reexport("export type", paths.names, "./paths.gen.js"));
  }
  if (outputs.has("data")) {
    files.push({ path: "schema-data.gen.ts", contents: header + data.text });
    index.push(reexport("export", data.names, "./schema-data.gen.js"));
  }
  if (outputs.has("json-schema")) {
    files.push({
      path: "json-schema.gen.ts",
      contents: `${header}/** JSON Schema 2020-12 definitions of every generated type (views: resource, input, patch). */\nexport const jsonSchema = ${JSON.stringify({ $schema, $defs }, null, 2)};\n`,
    });
    index.push(reexport("export", ["jsonSchema"], "./json-schema.gen.js"));
  }
  if (outputs.has("openapi")) {
    files.push({ path: "openapi.json", contents: formatJson(openapi satisfies OpenApiDocument) });
    files.push({ path: "openapi.gen.ts", contents: header + (await pendingPathTypes) });
    index.push(
      reexport(
        "export type",
        ["components as OpenApiComponents", "operations as OpenApiOperations", "paths as OpenApiPaths"],
        "./openapi.gen.js",
      ),
    );
  }
  if (zod) {
    files.push({ path: "zod.gen.ts", contents: header + zod.text });
    index.push(reexport("export", zod.names, "./zod.gen.js"));
  }
  if (validators) {
    files.push({ path: "validators.gen.ts", contents: header + validators.text });
    index.push(reexport("export", validators.names, "./validators.gen.js"));
  }
  files.push({ path: "index.ts", contents: index.join("") });
  return files;
}

/**
 * `scimkit generate` as a function: loads a folder of SCIM schema JSON (`schemas`) or asks a SCIM
 * server for its `/Schemas` and `/ResourceTypes` (`fromUrl`, see {@link fetchSchemas}), resolves the
 * definitions (RFC 7643 core schemas are built in and used when referenced but absent), renders every
 * output and writes the files whose contents changed. Both sources go through the same pipeline, so the
 * same definitions give byte-identical output. Before reading anything it throws
 * {@link OutputFolderError} when `out` is a file or is (inside) `schemas` or `saveSchemas`.
 *
 * @example
 * await generate({ schemas: "./scim-schemas", out: "./src/scim" });
 * await generate({ fromUrl: "http://localhost:8080/scim/v2", token: process.env.SCIM_TOKEN, out: "./src/scim" });
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  checkOutputFolder(
    options.out,
    options.fromUrl !== undefined
      ? options.saveSchemas !== undefined
        ? [{ flag: "--save-schemas", dir: options.saveSchemas }]
        : []
      : [{ flag: "--schemas", dir: options.schemas }],
  );
  let loaded: LoadedDocuments;
  let fetched: FetchedSchemas | undefined;
  let saved: SavedSchemas | undefined;
  if (options.fromUrl !== undefined) {
    fetched = await fetchSchemas({
      url: options.fromUrl,
      ...(options.token !== undefined && { token: options.token }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    });
    if (options.saveSchemas !== undefined) saved = await saveSchemas(fetched, options.saveSchemas);
    loaded = parseFetched(fetched);
  } else {
    loaded = await loadSchemaFolder(options.schemas);
  }
  const model = resolveModel(loaded, fetched ? { origin: "the server's /Schemas" } : {});
  // As fetchSchemas does for a server whose /ResourceTypes is empty: there is no resource to type, and
  // the bundle would serve nothing.
  if (options.fromUrl === undefined && model.resourceTypes.length === 0)
    throw new SchemaLoadError({
      file: options.schemas,
      pointer: "",
      problem: `defines no resource types, so there is nothing to generate: add a resource type (RFC 7643 §6) for each endpoint, e.g. a user.resource-type.json holding {"name": "User", "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}`,
    });
  const rendered = await render(model, {
    ...(options.title !== undefined && { title: options.title }),
    ...(options.zod !== undefined && { zod: options.zod }),
    ...(options.emit !== undefined && { emit: options.emit }),
  });
  await mkdir(options.out, { recursive: true });
  const files = [];
  for (const file of rendered) {
    const target = join(options.out, file.path);
    const previous = await readFile(target, "utf8").catch(() => undefined);
    const changed = previous !== file.contents;
    if (changed) await writeFile(target, file.contents);
    files.push({ ...file, changed });
  }
  return { files, model, ...(fetched && { fetched }), ...(saved && { saved }) };
}
