import type { JsonSchema, ScimAnnotation } from "./json-schema.js";
import type { TypePlan } from "./plan.js";
import { canonicalUnion } from "./typescript.js";

const REF = "#/$defs/";

function zodOf(node: JsonSchema, indent: string): string {
  if (typeof node.$ref === "string") {
    if (!node.$ref.startsWith(REF)) throw new Error(`unsupported $ref ${node.$ref}`);
    return `${node.$ref.slice(REF.length)}Schema`;
  }
  const scim = node["x-scim"] as ScimAnnotation | undefined;
  switch (node.type) {
    case "array":
      return `z.array(${zodOf(node.items as JsonSchema, indent)})`;
    case "object":
      return objectOf(node, indent);
    case "boolean":
      return "z.boolean()";
    case "number":
      return "z.number()";
    case "integer":
      return "z.int()";
    case "string": {
      // RFC 7643 §2.3.5: xsd:dateTime, whose time zone is optional; §2.3.6: base64.
      if (node.format === "date-time") return "z.iso.datetime({ offset: true, local: true })";
      // Base64 (RFC 4648 §4, padded), checked by one linear regular expression rather than by decoding.
      if (node.contentEncoding === "base64")
        return "z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)";
      if (scim?.type === "string" && scim.canonicalValues?.length) {
        // Canonical values are suggestions (RFC 7643 §7, schemas/README.md D4): any string passes, typed as the widened union.
        return `(z.string() as z.ZodType<${canonicalUnion(scim.canonicalValues)}>)`;
      }
      return "z.string()";
    }
    default:
      throw new Error(`cannot express ${JSON.stringify(node.type)} in zod`);
  }
}

function objectOf(node: JsonSchema, indent: string): string {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((node.required ?? []) as string[]);
  const inner = `${indent}  `;
  const lines = Object.entries(properties).map(([name, schema]) => {
    const value = zodOf(schema, inner);
    return `${inner}${JSON.stringify(name)}: ${value}${required.has(name) ? "" : ".exactOptional()"},`;
  });
  return lines.length === 0 ? "z.object({})" : `z.object({\n${lines.join("\n")}\n${indent}})`;
}

/** Definitions in an order where every `$ref` points at an earlier one. */
function dependencyOrder(defs: Record<string, JsonSchema>): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new Error(`circular $ref through ${name}`);
    state.set(name, "visiting");
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === "object" && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === "$ref" && typeof value === "string" && value.startsWith(REF))
            visit(value.slice(REF.length));
          else walk(value);
        }
      }
    };
    walk(defs[name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of Object.keys(defs)) visit(name);
  return order;
}

/**
 * zod 4 schemas for every generated type (`--zod`): `UserSchema` (as returned), `UserInputSchema`
 * (create/replace), `UserPatchSchema` (PATCH values), a schema per complex value type (`UserEmailSchema`),
 * and `validators`, the per-resource-type map that @scimkit/server validates with. Each schema's inferred
 * type is exactly the interface of the same name (optional attributes use `.exactOptional()`).
 *
 * @example
 * const { text, names } = renderZod(plan, $defs);
 */
export function renderZod(
  plan: TypePlan,
  defs: Record<string, JsonSchema>,
): { text: string; names: string[] } {
  const names: string[] = [];
  let text = 'import * as z from "zod";\n\n';
  for (const name of dependencyOrder(defs)) {
    const def = defs[name] as JsonSchema;
    const description =
      typeof def.description === "string"
        ? def.description.split("\n")[0]?.replace(/\*\//g, "*\\/")
        : undefined;
    text += `/** Validates {@link ${name}}${description ? `: ${description}` : ""} */\n`;
    text += `export const ${name}Schema = ${zodOf(def, "")};\n\n`;
    names.push(`${name}Schema`);
  }
  text +=
    "/** The zod schemas of each resource type, per view: what @scimkit/server validates requests and PATCH values with. */\n";
  text += "export const validators = {\n";
  for (const t of plan.resourceTypes) {
    text += `  ${JSON.stringify(t.definition.name)}: { resource: ${t.names.resource}Schema, input: ${t.names.input}Schema, patch: ${t.names.patch}Schema },\n`;
  }
  text += "} as const;\n";
  names.push("validators");
  return { text, names };
}
