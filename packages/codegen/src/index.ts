export type { CliIo } from "./cli.js";
export { main } from "./cli.js";
export { renderSchemaData } from "./data.js";
export type { FetchedDefinition, FetchedSchemas, FetchSchemasOptions } from "./fetch-schemas.js";
export {
  bearerToken,
  DEFAULT_FETCH_TIMEOUT_MS,
  fetchSchemas,
  SchemaFetchError,
  serviceRoot,
} from "./fetch-schemas.js";
export { formatJson, GENERATED_HEADER, indentDeclarations } from "./format.js";
export type {
  FolderSource,
  GeneratedOutput,
  GenerateOptions,
  GenerateResult,
  OutputOptions,
  ServerSource,
} from "./generate.js";
export { GENERATED_OUTPUTS, generate, render } from "./generate.js";
export type { JsonSchema, ScimAnnotation } from "./json-schema.js";
export { buildJsonSchemas, JSON_SCHEMA_DIALECT } from "./json-schema.js";
export type { GenerationModel, ResolveOptions } from "./load.js";
export { loadSchemaFolder, resolveModel } from "./load.js";
export { constantCase, pascalCase, singular } from "./names.js";
export type { OpenApiDocument } from "./openapi.js";
export { buildOpenApi } from "./openapi.js";
export { OutputFolderError } from "./output-folder.js";
export { parseFetched } from "./parse-fetched.js";
export { renderPathMaps } from "./paths.js";
export type { PlannedResourceType, PlannedSchema, TypePlan, View, ViewNames } from "./plan.js";
export { planTypes } from "./plan.js";
export type { SavedSchemas } from "./save-schemas.js";
export { kebabCase, saveSchemas } from "./save-schemas.js";
export { canonicalUnion, characteristics, renderTypes } from "./typescript.js";
export { renderZod } from "./zod.js";
