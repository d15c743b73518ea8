// Emits the normalization half of a generated validator: one function per attribute doing, for that
// attribute only, what @scimkit/server's generic normalizeValue does for any (RFC 7643 §2.1 names, §2.5
// unassigned values, readOnly input dropped per RFC 7644 §3.3, the lenient identity-provider forms, limits).
import type { AttributeDefinition } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import {
  byLowerName,
  caseOf,
  type Emitter,
  lowerKey,
  propertiesOf,
  tpl,
  valueNode,
} from "./validators-emit.js";

// biome-ignore lint/suspicious/noTemplateCurlyInString: emitted code, a template literal of the generated file.
const OWN_WHERE = "`${at(w, i)}${s}`";

/**
 * Emits the function normalizing one value of `attribute` (an element, for a multi-valued one) and
 * returns its name. Every emitted function takes `(v, w, i, s, m)`: the value's place is `at(w, i) + s`,
 * built only when an error names it.
 */
function emitSingle(emitter: Emitter, attribute: AttributeDefinition, node: JsonSchema | undefined): string {
  const name = emitter.name("n");
  let body: string;
  switch (attribute.type) {
    case "complex": {
      const complex = emitComplex(emitter, attribute, valueNode(emitter, node));
      const hasValue = byLowerName(attribute.subAttributes ?? []).has("value");
      body = `if (isPlain(v)) return ${complex}(v, w, i, s, m);\n`;
      // Lenient: Entra ID sends the enterprise manager as a bare id string; it is { value: id }.
      if (hasValue)
        body += `if (!m.strict && typeof v === "string") return ${complex}({ value: v }, w, i, s, m);\n`;
      body += "return v;";
      break;
    }
    case "boolean":
      body = `if (!m.strict && typeof v === "string" && TRUE_FALSE.test(v)) return v.toLowerCase() === "true";\nreturn v;`;
      break;
    case "integer":
    case "decimal":
      body = `if (!m.strict && typeof v === "string" && NUMERIC.test(v)) return Number(v);\nreturn v;`;
      break;
    default: {
      const max = attribute.type === "binary" ? "m.maxStringLength * 4" : "m.maxStringLength";
      body = `if (typeof v === "string" && v.length > ${max}) longString(${OWN_WHERE}, v.length, ${max}, m);\nreturn v;`;
    }
  }
  emitter.functions.push(
    `/** One value of "${attribute.name}" (${attribute.type}). */\nfunction ${name}(v: unknown, w: string, i: number, s: string, m: CompiledMode): unknown {\nif (v === null) return U;\n${body}\n}\n`,
  );
  return name;
}

/** Emits the function normalizing a whole attribute value (normalizeValue) and returns its name. */
export function emitAttribute(
  emitter: Emitter,
  attribute: AttributeDefinition,
  node: JsonSchema | undefined,
): string {
  const single = emitSingle(emitter, attribute, node);
  if (!attribute.multiValued && attribute.type !== "complex") return single;
  const name = emitter.name("a");
  let body: string;
  if (attribute.multiValued) {
    body = `let list = v;
if (!Array.isArray(list)) {
  if (m.strict) return list;
  list = [list];
}
const values = list as unknown[];
const n = values.length;
if (n === 0) return U;
const where = ${OWN_WHERE};
if (n > m.maxValues) tooMany(where, n, m);
const out: unknown[] = [];
for (let j = 0; j < n; j++) {
  const one = ${single}(values[j], where, j, "", m);
  if (one !== U) out.push(one);
}
return out.length === 0 ? U : out;`;
  } else {
    // Lenient: Entra ID's documented manager add sends a one-element list for a singular complex attribute.
    body = `if (!m.strict && Array.isArray(v) && v.length === 1) return ${single}(v[0], w, i, s, m);\nreturn ${single}(v, w, i, s, m);`;
  }
  emitter.functions.push(
    `/** The value of "${attribute.name}"${attribute.multiValued ? " (multi-valued)" : ""}. */\nfunction ${name}(v: unknown, w: string, i: number, s: string, m: CompiledMode): unknown {\nif (v === null) return U;\n${body}\n}\n`,
  );
  return name;
}

/**
 * Emits the function normalizing one complex value: sub-attribute names in schema case, readOnly ones
 * dropped, unknown ones dropped (or 400 when strict), and the result built in the order of its JSON
 * Schema, the order zod's parse gave the generic path.
 */
function emitComplex(emitter: Emitter, attribute: AttributeDefinition, node: JsonSchema | undefined): string {
  const name = emitter.name("c");
  const subs = byLowerName(attribute.subAttributes ?? []);
  const listed = [...subs.values()].map((s) => s.name).join(", ");
  const unknown = `if (m.strict) m.invalid(\`"\${at(w, i)}\${s}.\${clip(key)}" is not a sub-attribute of "${tpl(attribute.name)}" (it has: ${tpl(listed)})\`);`;
  const shape = propertiesOf(node);
  const locals = new Map<string, string>();
  let cases = "";
  for (const [lower, sub] of subs) {
    if (sub.mutability === "readOnly") {
      cases += caseOf(lower, "key", "// readOnly input is ignored (RFC 7644 §3.3).", unknown);
      continue;
    }
    const local = `x${locals.size}`;
    locals.set(sub.name, local);
    const fn = emitAttribute(emitter, sub, shape[sub.name]);
    cases += caseOf(
      lower,
      "key",
      `const x = ${fn}(o[key], w, i, s + ${JSON.stringify(`.${sub.name}`)}, m);\nif (x !== U) ${local} = x;`,
      unknown,
    );
  }
  const declarations = [...locals.values()].map((l) => `let ${l}: unknown;`).join("\n");
  let assemble = "const r: Record<string, unknown> = {};\n";
  for (const property of Object.keys(shape)) {
    const local = locals.get(property);
    if (local) assemble += `if (${local} !== undefined) r[${JSON.stringify(property)}] = ${local};\n`;
  }
  emitter.functions.push(
    `/** One complex value of "${attribute.name}". */\nfunction ${name}(o: Record<string, unknown>, w: string, i: number, s: string, m: CompiledMode): Record<string, unknown> {\n${declarations}\nfor (const key of Object.keys(o)) {\n${lowerKey(
      "key",
      "lower",
      [...subs].map(([l, a]) => [a.name, l]),
    )}switch (lower) {\n${cases}default:\n${unknown}\n}\n}\n${assemble}return r;\n}\n`,
  );
  return name;
}
