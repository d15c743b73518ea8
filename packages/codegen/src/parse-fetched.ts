// Fetched definitions checked as schema files are: the same parser and checks, with pointers into the
// server's answer.
import {
  type LoadedDocuments,
  parseResourceTypeDefinition,
  parseSchemaDefinition,
  SchemaLoadError,
} from "@scimkit/core";
import { checkCanonicalValues } from "./checks.js";
import type { FetchedDefinition, FetchedSchemas } from "./fetch-schemas.js";

/**
 * Checks fetched definitions with the same rules as schema files (`parseSchemaDefinition` and
 * `parseResourceTypeDefinition` of `@scimkit/core`); a fault throws `SchemaLoadError` naming the URL
 * and the JSON pointer in the server's answer.
 *
 * @example
 * const model = resolveModel(parseFetched(await fetchSchemas({ url })), { origin: "the server's /Schemas" });
 */
export function parseFetched(fetched: FetchedSchemas): LoadedDocuments {
  const out: LoadedDocuments = { schemas: [], resourceTypes: [] };
  for (const item of fetched.resourceTypes) {
    const where = { file: item.file, pointer: item.pointer };
    out.resourceTypes.push({ definition: parseResourceTypeDefinition(item.value, where), ...where });
  }
  for (const item of fetched.schemas) {
    const where = { file: item.file, pointer: item.pointer };
    try {
      const definition = parseSchemaDefinition(item.value, where);
      checkCanonicalValues(definition, where);
      out.schemas.push({ definition, ...where });
    } catch (e) {
      throw item.attributeIndexes && e instanceof SchemaLoadError ? repoint(e, item) : e;
    }
  }
  return out;
}

/** The same fault with its pointer into the server's answer, where the common attributes are still listed. */
function repoint(error: SchemaLoadError, item: FetchedDefinition): SchemaLoadError {
  const prefix = `${item.pointer}/attributes/`;
  if (!error.pointer.startsWith(prefix)) return error;
  const [index = "", ...rest] = error.pointer.slice(prefix.length).split("/");
  const original = item.attributeIndexes?.[Number(index)];
  if (original === undefined) return error;
  return new SchemaLoadError({
    file: error.file,
    pointer: [`${prefix}${original}`, ...rest].join("/"),
    problem: error.problem,
    cause: error,
  });
}
