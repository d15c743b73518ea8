import { compile } from "json-schema-to-typescript";
import type { JsonSchema, ScimAnnotation } from "./json-schema.js";

/** Literal union of canonical values, widened so other strings stay allowed (schemas/README.md D4). */
export function canonicalUnion(values: readonly string[]): string {
  return [...values.map((v) => JSON.stringify(v)), "(string & {})"].join(" | ");
}

/** The SCIM characteristics worth a reader's attention, for JSDoc: only what differs from RFC 7643 §2.2 defaults. */
export function characteristics(a: ScimAnnotation): string[] {
  const out: string[] = [];
  if (a.required) out.push("required");
  if (a.mutability !== "readWrite") out.push(a.mutability);
  if (a.returned !== "default") out.push(`returned: ${a.returned}`);
  if (a.uniqueness !== "none") out.push(`unique (${a.uniqueness})`);
  if (a.caseExact) out.push("case-exact");
  if (a.type === "dateTime") out.push("xsd:dateTime");
  if (a.type === "binary") out.push("base64");
  if (a.type === "reference" && a.referenceTypes?.length)
    out.push(`reference: ${a.referenceTypes.join(", ")}`);
  if (a.canonicalValues?.length) out.push(`canonical values: ${a.canonicalValues.join(", ")}`);
  return out;
}

const safeComment = (text: string) => text.replace(/\*\//g, "*\\/");

/** Turns `x-scim` annotations into what json-schema-to-typescript understands: JSDoc text and `tsType`. */
function forTypeScript(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forTypeScript);
  if (typeof node !== "object" || node === null) return node;
  const source = node as JsonSchema;
  // json-schema-to-typescript turns a $ref with sibling keywords into a new numbered copy of the type.
  if (typeof source.$ref === "string") return { $ref: source.$ref };
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "x-scim") continue;
    // "properties" maps attribute names (which may be "$ref") to schemas: keep the keys as they are.
    if (key === "properties" && typeof value === "object" && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, forTypeScript(v)]),
      );
    } else {
      out[key] = forTypeScript(value);
    }
  }
  const scim = source["x-scim"] as ScimAnnotation | undefined;
  if (scim) {
    const notes = characteristics(scim);
    const description = typeof source.description === "string" ? safeComment(source.description) : "";
    if (notes.length > 0)
      out.description = `${description}${description ? "\n\n" : ""}@remarks SCIM: ${notes.join(" · ")}`;
    else if (description) out.description = description;
    if (scim.canonicalValues?.length && scim.type === "string") {
      const union = canonicalUnion(scim.canonicalValues);
      // json-schema-to-typescript appends "[]" to an item tsType as is; parenthesize the union.
      if (out.type === "array") out.items = { ...(out.items as JsonSchema), tsType: `(${union})` };
      else out.tsType = union;
    }
  } else if (typeof out.description === "string") {
    out.description = safeComment(out.description);
  }
  return out;
}

const ROOT = "ScimkitGeneratedModels";

/**
 * Renders JSON Schema definitions (from `buildJsonSchemas`) as TypeScript declarations with
 * json-schema-to-typescript: one exported interface per definition, descriptions and SCIM
 * characteristics as JSDoc, canonical values as widened literal unions.
 *
 * @example
 * const ts = await renderTypes(buildJsonSchemas(plan).$defs);
 */
export async function renderTypes(defs: Record<string, JsonSchema>): Promise<string> {
  const root = { title: ROOT, type: "object", additionalProperties: false, $defs: forTypeScript(defs) };
  const raw = await compile(root as Parameters<typeof compile>[0], ROOT, {
    bannerComment: "",
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    format: false,
    declareExternallyReferenced: true,
    enableConstEnums: false,
  });
  return raw
    .replace(new RegExp(`export interface ${ROOT} \\{\\s*\\}\\n?`), "")
    .replace(
      /\n \* ?\n \* This interface was referenced by `\w+`'s JSON-Schema\n \* via the `definition` "[^"]*"\./g,
      "",
    )
    .replace(
      /\n \* This interface was referenced by `\w+`'s JSON-Schema\n \* via the `definition` "[^"]*"\./g,
      "",
    )
    .replace(/\/\*\*\n \*\/\n/g, "");
}
