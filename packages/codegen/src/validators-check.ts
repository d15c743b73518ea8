// Emits the checking half of a generated validator, after normalization: the types of the input view's
// JSON Schema (what zod.gen.ts checks, in the same order and with the same messages), required values not
// blank (RFC 7643 §2.2), one primary (§2.4) and, when strict, canonical values (§7).
import type { AttributeDefinition } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import { type Emitter, tpl } from "./validators-emit.js";

/** A place as errors name it, as template-literal text: `emails[${j1}].value`. */
export type Where = string;

/** The place of a sub-attribute, as `label` in @scimkit/server names it. */
export function child(where: Where, name: string): Where {
  const safe = tpl(name);
  return where === "" ? safe : where.endsWith(":") ? `${where}${safe}` : `${where}.${safe}`;
}

/**
 * Code checking `value` (an expression naming a local) against `node`, raising the first mismatch in
 * the order zod reports it: properties in schema order, elements in index order.
 */
export function emitTypeCheck(emitter: Emitter, node: JsonSchema, value: string, where: Where): string {
  const resolved = emitter.resolve(node);
  const place = `\`${where.endsWith(":") ? where.slice(0, -1) : where}\``;
  switch (resolved.type) {
    case "array": {
      const j = emitter.name("j");
      const e = emitter.name("e");
      const inner = emitTypeCheck(emitter, resolved.items as JsonSchema, e, `${where}[\${${j}}]`);
      return `if (!Array.isArray(${value})) wrongType(${place}, "array", ${value}, m);\nfor (let ${j} = 0; ${j} < ${value}.length; ${j}++) {\nconst ${e}: unknown = ${value}[${j}];\n${inner}}\n`;
    }
    case "object": {
      let code = `if (!isObject(${value})) wrongType(${place}, "object", ${value}, m);\n`;
      code += emitProperties(emitter, resolved, value, where);
      return code;
    }
    case "boolean":
      return `if (typeof ${value} !== "boolean") wrongType(${place}, "boolean", ${value}, m);\n`;
    case "number":
      return `if (typeof ${value} !== "number" || !Number.isFinite(${value})) wrongType(${place}, "number", ${value}, m);\n`;
    case "integer":
      return `if (typeof ${value} !== "number" || !Number.isFinite(${value})) wrongType(${place}, "number", ${value}, m);\ncheckInt(${value}, ${place}, m);\n`;
    case "string": {
      let code = `if (typeof ${value} !== "string") wrongType(${place}, "string", ${value}, m);\n`;
      // RFC 7643 §2.3.5 xsd:dateTime; §2.3.6 base64.
      if (resolved.format === "date-time")
        code += `if (!isDateTime(${value})) m.invalid(\`"\${${place}}": Invalid ISO datetime\`);\n`;
      else if (resolved.contentEncoding === "base64")
        code += `if (!isBase64(${value})) m.invalid(\`"\${${place}}": must be base64 (RFC 4648 §4)\`);\n`;
      return code;
    }
    default:
      throw new Error(`cannot check ${JSON.stringify(resolved.type)}`);
  }
}

/** The properties of an object value, in schema order: a missing required one is "… is required". */
export function emitProperties(emitter: Emitter, node: JsonSchema, value: string, where: Where): string {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((node.required ?? []) as string[]);
  let code = "";
  for (const [name, schema] of Object.entries(properties)) {
    const p = emitter.name("p");
    const at = child(where, name);
    code += `const ${p}: unknown = (${value} as Record<string, unknown>)[${JSON.stringify(name)}];\n`;
    const check = emitTypeCheck(emitter, schema, p, at);
    if (required.has(name)) code += `if (${p} === undefined) m.invalid(\`"${at}" is required\`);\n${check}`;
    else code += `if (${p} !== undefined) {\n${check}}\n`;
  }
  return code;
}

function needsBlank(attribute: AttributeDefinition): boolean {
  return attribute.required || (attribute.subAttributes ?? []).some(needsBlank);
}

/** RFC 7643 §2.2: a required attribute's value may not be an empty or blank string. */
export function emitBlank(
  emitter: Emitter,
  attribute: AttributeDefinition,
  value: string,
  where: Where,
): string {
  if (!needsBlank(attribute)) return "";
  const single = (one: string, at: Where) => {
    let code = "";
    if (attribute.required)
      code += `if (typeof ${one} === "string" && ${one}.trim() === "") blank(\`${at}\`, ${one}, m);\n`;
    if (attribute.type === "complex") {
      let inner = "";
      for (const sub of attribute.subAttributes ?? []) {
        if (!needsBlank(sub)) continue;
        const x = emitter.name("b");
        inner += `if (${JSON.stringify(sub.name)} in ${one}) {\nconst ${x}: unknown = ${one}[${JSON.stringify(sub.name)}];\n${emitBlank(emitter, sub, x, child(at, sub.name))}}\n`;
      }
      if (inner) code += `if (isPlain(${one})) {\n${inner}}\n`;
    }
    return code;
  };
  if (!attribute.multiValued) return single(value, where);
  const j = emitter.name("j");
  const e = emitter.name("e");
  return `if (Array.isArray(${value})) {\nfor (let ${j} = 0; ${j} < ${value}.length; ${j}++) {\nconst ${e}: unknown = ${value}[${j}];\n${single(e, `${where}[\${${j}}]`)}}\n} else {\n${single(value, where)}}\n`;
}

function needsCanonical(attribute: AttributeDefinition): boolean {
  if (attribute.canonicalValues !== undefined) return true;
  return attribute.type === "complex" && (attribute.subAttributes ?? []).some(needsCanonical);
}

/** Strict mode: string values of attributes with canonical values must be one of them (RFC 7643 §7). */
export function emitCanonical(
  emitter: Emitter,
  attribute: AttributeDefinition,
  value: string,
  where: Where,
): string {
  if (!needsCanonical(attribute)) return "";
  const own = (one: string, at: Where) => {
    const canonical = attribute.canonicalValues;
    if (canonical === undefined) return "";
    const list = attribute.caseExact ? canonical : canonical.map((c) => c.toLowerCase());
    const probe = attribute.caseExact ? one : `${one}.toLowerCase()`;
    const accepted = canonical.map((c) => JSON.stringify(c)).join(", ");
    return `if (typeof ${one} === "string" && !${JSON.stringify(list)}.includes(${probe})) m.invalid(\`"${at}" is \${JSON.stringify(${one})}; strict mode accepts only ${tpl(accepted)}\`);\n`;
  };
  const single = (one: string, at: Where) => {
    if (attribute.type !== "complex") return own(one, at);
    let inner = "";
    for (const sub of attribute.subAttributes ?? []) {
      if (!needsCanonical(sub)) continue;
      const x = emitter.name("k");
      inner += `if (${JSON.stringify(sub.name)} in ${one}) {\nconst ${x}: unknown = ${one}[${JSON.stringify(sub.name)}];\n${emitCanonical(emitter, sub, x, child(at, sub.name))}}\n`;
    }
    return `if (isPlain(${one})) {\n${inner}} else {\n${own(one, at)}}\n`;
  };
  if (!attribute.multiValued) return single(value, where);
  const j = emitter.name("j");
  const e = emitter.name("e");
  return `{\nconst list = Array.isArray(${value}) ? ${value} : [${value}];\nfor (let ${j} = 0; ${j} < list.length; ${j}++) {\nconst ${e}: unknown = list[${j}];\n${single(e, `${where}[\${${j}}]`)}}\n}\n`;
}

/** RFC 7643 §2.4, for a multi-valued complex attribute whose values can hold `primary`. */
export function emitPrimary(
  emitter: Emitter,
  attribute: AttributeDefinition,
  node: JsonSchema | undefined,
  value: string,
  where: string,
): string {
  if (!attribute.multiValued || attribute.type !== "complex" || !node) return "";
  const items = emitter.resolve(emitter.resolve(node).items as JsonSchema);
  if (!Object.hasOwn((items.properties ?? {}) as object, "primary")) return "";
  return `primaries(${value}, \`${where}\`, m);\n`;
}
