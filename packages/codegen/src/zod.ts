import type { JsonSchema, ScimAnnotation } from "./json-schema.js";
import type { TypePlan } from "./plan.js";
import { canonicalUnion } from "./typescript.js";

const REF = "#/$defs/";

/** Emitted into zod.gen.ts: a linear base64 check (RFC 4648 §4, padded), faster than decoding or a regex. */
const BASE64_CHECK = `/** True for padded base64 (RFC 4648 §4), the encoding of SCIM binary values (RFC 7643 §2.3.6). */
function isBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const letterOrDigit = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (letterOrDigit) continue;
    // "=" pads only the last one or two characters.
    if (c === 61 && (i === n - 1 || (i === n - 2 && text.charCodeAt(n - 1) === 61))) continue;
    return false;
  }
  return true;
}

`;

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
      if (node.contentEncoding === "base64")
        return 'z.string().refine(isBase64, "must be base64 (RFC 4648 §4)")';
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
  text += BASE64_CHECK;
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
