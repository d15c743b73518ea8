/// <reference types="node" />
// Shared by the schema-loader test files: the schema folders, small definition builders and loaders.
import { readdirSync, readFileSync } from "node:fs";
import { type LoadedDocuments, parseSchemaDocument, SchemaLoadError } from "../schema-loader.js";
import type { AttributeDefinition, SchemaDefinition } from "../schema-types.js";

export const CORE_DIR = new URL("../../../../schemas/core/", import.meta.url);
export const EXAMPLES_DIR = new URL("../../../../schemas/examples/", import.meta.url);
export const FIXTURES_DIR = new URL("./", import.meta.url);

export const THING = "urn:acme:params:scim:schemas:core:2.0:Thing";
export const FILE = "bad.schema.json";

/** A schema whose attributes are `attributes`. */
export const schema = (attributes: unknown[]): Record<string, unknown> => ({
  id: THING,
  name: "Thing",
  attributes,
});
/** A resource type for `THING`, with `extra` merged in. */
export const resourceType = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "Thing",
  endpoint: "/Things",
  schema: THING,
  ...extra,
});
/** Complex attributes nested `levels` deep. */
export const nested = (levels: number): Record<string, unknown> =>
  levels === 0
    ? { name: "leaf" }
    : { name: `level${levels}`, type: "complex", subAttributes: [nested(levels - 1)] };

export function loadError(text: string, file = FILE): SchemaLoadError {
  try {
    parseSchemaDocument(text, file);
  } catch (e) {
    if (e instanceof SchemaLoadError) return e;
    throw e;
  }
  throw new Error(`expected ${file} to fail to load`);
}

export function readDir(dir: URL): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, text: readFileSync(new URL(file, dir), "utf8") }));
}

export function loadDir(dir: URL): LoadedDocuments {
  const out: LoadedDocuments = { schemas: [], resourceTypes: [] };
  for (const { file, text } of readDir(dir)) {
    const doc = parseSchemaDocument(text, file);
    out.schemas.push(...doc.schemas);
    out.resourceTypes.push(...doc.resourceTypes);
  }
  return out;
}

/** The attribute at a dotted path (`"members.value"`, `"attributes.subAttributes.type"`). */
export function attributeAt(definition: SchemaDefinition, path: string): AttributeDefinition {
  let attributes: readonly AttributeDefinition[] = definition.attributes;
  let found: AttributeDefinition | undefined;
  for (const name of path.split(".")) {
    found = attributes.find((a) => a.name === name);
    if (!found) throw new Error(`${definition.id} has no attribute ${path}`);
    attributes = found.subAttributes ?? [];
  }
  return found as AttributeDefinition;
}

export function* walk(
  attributes: readonly AttributeDefinition[],
  prefix = "",
): Generator<[string, AttributeDefinition]> {
  for (const a of attributes) {
    yield [prefix + a.name, a];
    yield* walk(a.subAttributes ?? [], `${prefix}${a.name}.`);
  }
}
