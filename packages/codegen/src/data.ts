import type { GenerationModel } from "./load.js";
import { constantCase } from "./names.js";
import type { TypePlan } from "./plan.js";

/**
 * The schema data as `as const` TypeScript for the runtime (validators, filter evaluation, discovery
 * endpoints): a URN constant per schema (`ENTERPRISE_USER_SCHEMA`), `schemas` and `resourceTypes`
 * with every RFC 7643 §2.2 default filled in, and `bundle`, which client and server take.
 *
 * @example
 * const { text, names } = renderSchemaData(model, plan);
 */
export function renderSchemaData(model: GenerationModel, plan: TypePlan): { text: string; names: string[] } {
  const names: string[] = [];
  let text = "";
  for (const schema of model.schemas) {
    const constant = `${constantCase(plan.schemaConstantBase(schema.id))}_SCHEMA`;
    names.push(constant);
    text += `/** ${schema.name} schema URN${schema.description ? `: ${schema.description.replace(/\*\//g, "*\\/")}` : ""} */\n`;
    text += `export const ${constant} = ${JSON.stringify(schema.id)};\n\n`;
  }
  text += "/** Every schema (RFC 7643 §7), with all characteristics present. */\n";
  text += `export const schemas = ${JSON.stringify(model.schemas, null, 2)} as const;\n\n`;
  text += "/** Every resource type (RFC 7643 §6). */\n";
  text += `export const resourceTypes = ${JSON.stringify(model.resourceTypes, null, 2)} as const;\n\n`;
  text +=
    "/** Schemas and resource types together: what @scimkit/client and @scimkit/server take to be typed and to validate. */\n";
  text += "export const bundle = { schemas, resourceTypes } as const;\n";
  names.push("schemas", "resourceTypes", "bundle");
  return { text, names };
}
