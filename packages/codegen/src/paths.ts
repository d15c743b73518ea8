import type { AttributeDefinition, ResolvedAttribute } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import type { TypePlan } from "./plan.js";
import { canonicalUnion, characteristics } from "./typescript.js";

function scalarType(attribute: AttributeDefinition): string {
  switch (attribute.type) {
    case "boolean":
      return "boolean";
    case "decimal":
    case "integer":
      return "number";
    case "string":
      return attribute.canonicalValues?.length ? canonicalUnion(attribute.canonicalValues) : "string";
    case "dateTime":
    case "binary":
    case "reference":
      return "string";
    case "complex":
      return "Record<string, unknown>";
    default: {
      const never: never = attribute.type;
      throw new Error(`unknown attribute type ${String(never)}`);
    }
  }
}

/** TypeScript type of one value at a path: a named complex type where one was generated. */
function valueType(plan: TypePlan, defs: Record<string, JsonSchema>, resolved: ResolvedAttribute): string {
  const { attribute, parent } = resolved;
  if (attribute.type === "complex" && parent === undefined) {
    const name = plan.complexName(resolved.schemaId, attribute.name);
    if (name in defs) return name;
  }
  return scalarType(attribute);
}

function jsDoc(lines: string[], indent: string): string {
  const body = lines
    .flatMap((l) => l.split("\n"))
    .map((l) => `${indent} * ${l.replace(/\*\//g, "*\\/")}`.trimEnd());
  return `${indent}/**\n${body.join("\n")}\n${indent} */\n`;
}

/**
 * Attribute-path maps for the typed filter and PATCH builders: per resource type an interface whose
 * keys are every valid attribute path (RFC 7644 §3.10: common attributes, base-schema attributes and
 * sub-attributes bare and URN-qualified, extension attributes URN-qualified) and whose values describe
 * the attribute (`type`, `multiValued`, `caseExact`, `mutability`) and the TypeScript type of one value.
 *
 * @example
 * const text = renderPathMaps(plan, $defs); // export interface UserAttributePaths { userName: {...}; ... }
 */
export function renderPathMaps(
  plan: TypePlan,
  defs: Record<string, JsonSchema>,
  registry: {
    paths(t: string): readonly string[];
    resolve(t: string, p: string): ResolvedAttribute | undefined;
  },
): {
  text: string;
  names: string[];
} {
  let text = "";
  const names: string[] = [];
  for (const t of plan.resourceTypes) {
    const name = `${t.names.resource}AttributePaths`;
    names.push(name);
    text += jsDoc(
      [
        `Every attribute path of the ${t.definition.name} resource type (endpoint ${t.definition.endpoint}), with its SCIM type and value type.`,
      ],
      "",
    );
    text += `export interface ${name} {\n`;
    for (const path of registry.paths(t.definition.name)) {
      const resolved = registry.resolve(t.definition.name, path);
      if (!resolved) throw new Error(`path "${path}" of ${t.definition.name} does not resolve`);
      const a = resolved.attribute;
      const notes = characteristics(a);
      const doc = [
        a.description ?? a.name,
        ...(notes.length ? ["", `@remarks SCIM: ${notes.join(" · ")}`] : []),
      ];
      text += jsDoc(doc, "  ");
      text += `  ${JSON.stringify(path)}: { type: ${JSON.stringify(a.type)}; multiValued: ${a.multiValued}; caseExact: ${a.caseExact}; mutability: ${JSON.stringify(a.mutability)}; value: ${valueType(plan, defs, resolved)} };\n`;
    }
    text += "}\n\n";
  }
  text += jsDoc(["Attribute-path maps by resource type name."], "");
  text += "export interface ResourceTypeAttributePaths {\n";
  for (const t of plan.resourceTypes)
    text += `  ${JSON.stringify(t.definition.name)}: ${t.names.resource}AttributePaths;\n`;
  text += "}\n";
  names.push("ResourceTypeAttributePaths");
  return { text, names };
}
