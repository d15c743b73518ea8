/// <reference types="node" />
// Shared by the registry test files: the schemas/examples bundle, its URNs, and a small schema builder.
import { readdirSync, readFileSync } from "node:fs";
import { coreBundle } from "../core-bundle.js";
import { parseSchemaDocument } from "../schema-loader.js";
import type { SchemaDefinition, ScimBundle } from "../schema-types.js";

export const ACME = "urn:acme:params:scim:schemas:extension:2.0:User";
export const DEVICE = "urn:acme:params:scim:schemas:core:2.0:Device";
const EXAMPLES_DIR = new URL("../../../../schemas/examples/", import.meta.url);

/** The RFC core schemas plus schemas/examples: User (enterprise + Acme extensions) and Device. */
export function examplesBundle(): ScimBundle {
  const schemas: SchemaDefinition[] = [...coreBundle().schemas];
  const resourceTypes = [];
  for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".json"))) {
    const doc = parseSchemaDocument(readFileSync(new URL(file, EXAMPLES_DIR), "utf8"), file);
    schemas.push(...doc.schemas.map((s) => s.definition));
    resourceTypes.push(...doc.resourceTypes.map((r) => r.definition));
  }
  return { schemas, resourceTypes };
}

/** A schema named "Thing" with the given id and attributes. */
export const thing = (id: string, attributes: SchemaDefinition["attributes"] = []): SchemaDefinition => ({
  id,
  name: "Thing",
  attributes,
});
