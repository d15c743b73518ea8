import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LoadedDocuments } from "@scimkit/core";
import { renderSchemaData } from "./data.js";
import { formatJson, GENERATED_HEADER, indentDeclarations } from "./format.js";
import { buildJsonSchemas } from "./json-schema.js";
import { type GenerationModel, loadSchemaFolder, resolveModel } from "./load.js";
import { buildOpenApi, type OpenApiDocument } from "./openapi.js";
import { startOpenApiTypes } from "./openapi-types.js";
import { renderPathMaps } from "./paths.js";
import { planTypes } from "./plan.js";
import { renderTypes } from "./typescript.js";
import { renderZod } from "./zod.js";

/**
 * Options of {@link generate}.
 *
 * @example
 * const options: GenerateOptions = { schemas: "./scim-schemas", out: "./src/scim" };
 */
export interface GenerateOptions {
  /** Folder of schema and resource type JSON files (RFC 7643 §6, §7), read recursively. */
  schemas: string;
  /** Output folder; created when missing. Files scimkit writes are overwritten, others are left alone. */
  out: string;
  /** Title of the OpenAPI document. */
  title?: string;
  /** Also write `zod.gen.ts`: zod 4 schemas per type and view, and `validators` (needs `zod` installed). */
  zod?: boolean;
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
  options: { title?: string; zod?: boolean } = {},
): Promise<{ path: string; contents: string }[]> {
  const openapiTypes = startOpenApiTypes();
  try {
    return await renderAll(model, options, openapiTypes.render);
  } finally {
    openapiTypes.close();
  }
}

async function renderAll(
  model: GenerationModel,
  options: { title?: string; zod?: boolean },
  toPathTypes: (document: object) => Promise<string>,
): Promise<{ path: string; contents: string }[]> {
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
  const index = [
    header,
    reexport("export type", [...typeNames, "ResourceTypeModels"], "./models.gen.js"),
    reexport("export type", paths.names, "./paths.gen.js"),
    reexport("export", data.names, "./schema-data.gen.js"),
    reexport("export", ["jsonSchema"], "./json-schema.gen.js"),
    reexport(
      "export type",
      ["components as OpenApiComponents", "operations as OpenApiOperations", "paths as OpenApiPaths"],
      "./openapi.gen.js",
    ),
  ].join("");
  const zod = options.zod ? renderZod(plan, $defs) : undefined;

  return [
    { path: "models.gen.ts", contents: header + modelsImport + models },
    { path: "paths.gen.ts", contents: header + pathsImport + paths.text },
    { path: "schema-data.gen.ts", contents: header + data.text },
    {
      path: "json-schema.gen.ts",
      contents: `${header}/** JSON Schema 2020-12 definitions of every generated type (views: resource, input, patch). */\nexport const jsonSchema = ${JSON.stringify({ $schema, $defs }, null, 2)};\n`,
    },
    { path: "openapi.json", contents: formatJson(openapi satisfies OpenApiDocument) },
    { path: "openapi.gen.ts", contents: header + (await pendingPathTypes) },
    ...(zod ? [{ path: "zod.gen.ts", contents: header + zod.text }] : []),
    { path: "index.ts", contents: zod ? index + reexport("export", zod.names, "./zod.gen.js") : index },
  ];
}

/**
 * `scimkit generate` as a function: loads a folder of SCIM schema JSON, resolves it (RFC 7643 core
 * schemas are built in and used when referenced but absent), renders every output and writes the
 * files whose contents changed. Deterministic: the same input gives byte-identical output.
 *
 * @example
 * await generate({ schemas: "./scim-schemas", out: "./src/scim" });
 */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const loaded: LoadedDocuments = await loadSchemaFolder(options.schemas);
  const model = resolveModel(loaded);
  const rendered = await render(model, {
    ...(options.title !== undefined && { title: options.title }),
    ...(options.zod !== undefined && { zod: options.zod }),
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
  return { files, model };
}
