// Test helpers: build generation models from inline definitions, and temporary folders.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadedDocuments, parseSchemaDocument } from "@scimkit/core";
import { type GenerationModel, resolveModel } from "../load.js";

/** The repository's schemas/ folder. */
export const SCHEMAS_DIR = fileURLToPath(new URL("../../../../schemas/", import.meta.url));
export const CORE_DIR = join(SCHEMAS_DIR, "core");
export const EXAMPLES_DIR = join(SCHEMAS_DIR, "examples");

export const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ACME_URN = "urn:acme:params:scim:schemas:extension:2.0:User";
export const THING_URN = "urn:example:params:scim:schemas:core:2.0:Thing";
export const THING_EXTRA_URN = "urn:example:params:scim:schemas:extension:2.0:Thing";

/** Every JSON value of `documents` parsed as if it were its own file `docN.json`. */
export function loadedOf(...documents: unknown[]): LoadedDocuments {
  const out: LoadedDocuments = { schemas: [], resourceTypes: [] };
  documents.forEach((doc, i) => {
    const parsed = parseSchemaDocument(JSON.stringify(doc), `doc${i}.json`);
    out.schemas.push(...parsed.schemas);
    out.resourceTypes.push(...parsed.resourceTypes);
  });
  return out;
}

/** A resolved model of inline schema and resource type objects. */
export function modelOf(...documents: unknown[]): GenerationModel {
  return resolveModel(loadedOf(...documents));
}

/** A `Thing` resource type (on /Things) whose schema has `attributes`, with `extensions` (URN → required). */
export function thingModel(
  attributes: unknown[],
  extensions: { schema: string; required: boolean; attributes: unknown[] }[] = [],
): GenerationModel {
  return modelOf(
    { id: THING_URN, name: "Thing", description: "A thing", attributes },
    ...extensions.map((e, i) => ({
      id: e.schema,
      name: `Extra${i === 0 ? "" : i}`,
      attributes: e.attributes,
    })),
    {
      name: "Thing",
      endpoint: "/Things",
      schema: THING_URN,
      schemaExtensions: extensions.map(({ schema, required }) => ({ schema, required })),
    },
  );
}

const created: string[] = [];

/** A fresh temporary folder; `files` maps relative paths to contents (other than strings, written as JSON). */
export async function tempFolder(files: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "scimkit-codegen-"));
  created.push(dir);
  await writeFiles(dir, files);
  return dir;
}

/** Writes `files` (relative path → contents) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, unknown>): Promise<void> {
  for (const [path, contents] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(
      target,
      typeof contents === "string" ? contents : `${JSON.stringify(contents, null, 2)}\n`,
    );
  }
}

/** Removes every folder {@link tempFolder} made; call from `afterAll`. */
export async function removeTempFolders(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}
