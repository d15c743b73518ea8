#!/usr/bin/env node
// The repository's main job (`pnpm start`). Until the reference SCIM server lands (issue 5), it runs
// `scimkit generate` on schemas/core and schemas/examples into .data/generated/ and prints what it
// generated: the resource types, their TypeScript types, attribute paths and OpenAPI endpoints.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "@scimkit/codegen";

const root = join(import.meta.dirname, "..");
const out = (line = "") => process.stdout.write(`${line}\n`);

for (const name of ["core", "examples"]) {
  const schemas = join(root, "schemas", name);
  const target = join(root, ".data", "generated", name);
  const started = performance.now();
  const { files, model } = await generate({ schemas, out: target });
  const ms = Math.round(performance.now() - started);
  out(`scimkit generate --schemas schemas/${name} --out .data/generated/${name}   (${ms} ms)`);
  for (const type of model.resourceTypes) {
    const paths = model.registry.paths(type.name);
    const extensions = type.schemaExtensions.map((e) => `${e.schema}${e.required ? " (required)" : ""}`);
    out(`  resource type ${type.name}  ${type.endpoint}  schema ${type.schema}`);
    if (extensions.length) out(`    extensions: ${extensions.join(", ")}`);
    out(`    types: ${type.name}, ${type.name}Input, ${type.name}Patch, ${type.name}AttributePaths (${paths.length} attribute paths)`);
  }
  const openapi = JSON.parse(await readFile(join(target, "openapi.json"), "utf8"));
  out(`  OpenAPI 3.1: ${Object.keys(openapi.paths).length} paths, ${Object.keys(openapi.components.schemas).length} component schemas`);
  for (const file of files) out(`  ${file.changed ? "wrote" : "unchanged"} .data/generated/${name}/${file.path} (${file.contents.length.toLocaleString("en")} bytes)`);
  out();
}
out("Use it from your code:  import type { User, UserInput } from \"@scimkit/models\";");
out("Run it on your own schemas:  npx scimkit generate --schemas ./scim-schemas --out ./src/scim");
