// `--emit validators`: validators.gen.ts, one straight-line validator per resource type and view, so a
// request body is checked by code written for its schemas instead of a walk over zod schemas at run time.
import { type AttributeDefinition, COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import type { PlannedResourceType, TypePlan } from "./plan.js";
import { emitBlank, emitCanonical, emitPrimary, emitTypeCheck } from "./validators-check.js";
import { byLowerName, caseOf, Emitter, lowerKey, propertiesOf, tpl } from "./validators-emit.js";
import { FAST_RUNTIME } from "./validators-fast.js";
import { emitFastInput, fastName } from "./validators-fast-input.js";
import { emitAttribute } from "./validators-normalize.js";
import { BASE64_FUNCTION, VALIDATOR_RUNTIME } from "./validators-runtime.js";

/** The exported validator: the one-pass fast path, else the full path (exact errors and repairs). */
function emitEntry(t: PlannedResourceType): string {
  return `/**
 * Validates and normalizes a ${t.definition.name} create (POST) or replace (PUT) body (RFC 7644 §3.3, §3.5.1),
 * exactly as @scimkit/server's generic path does: names in schema case (RFC 7643 §2.1), readOnly input
 * dropped, unassigned values removed (§2.5), types as in the ${t.names.input} JSON Schema. A body in
 * schema spelling that needs no repair takes one pass (${fastName(t)}); any other the full path.
 */
export function validate${t.names.input}(body: Record<string, unknown>, m: CompiledMode): Record<string, unknown> {
return ${fastName(t)}(body, m) ?? full${t.names.input}(body, m);
}
`;
}

interface Slot {
  readonly local: string;
  readonly attribute: AttributeDefinition;
}

/** The create/replace body validator of one resource type (RFC 7644 §3.3, §3.5.1). */
function emitInput(emitter: Emitter, t: PlannedResourceType): string {
  const name = `full${t.names.input}`;
  const def = emitter.defs[t.names.input];
  if (!def) throw new Error(`no JSON Schema for ${t.names.input}`);
  const shape = propertiesOf(def);
  const attributes = byLowerName([SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES, ...t.base.attributes]);
  const extensions = new Map(t.extensions.map((e) => [e.schema.id.toLowerCase(), e] as const));
  const typeName = t.definition.name;
  const unknownTop = `if (m.strict) m.invalid(\`"\${clip(key)}" is not an attribute of ${tpl(typeName)} (schema ${tpl(t.base.id)}) or of its extensions; extension attributes go under their schema URN (RFC 7643 §3.3)\`);`;

  const slots = new Map<string, Slot>();
  const extLocals = new Map<string, string>();
  let cases = "";
  for (const [lower, attribute] of attributes) {
    if (attribute.name === "schemas") {
      cases += caseOf(lower, "key", "given = body[key];", unknownTop);
      continue;
    }
    if (attribute.mutability === "readOnly") {
      cases += caseOf(lower, "key", "// readOnly input is ignored (RFC 7644 §3.3).", unknownTop);
      continue;
    }
    const local = `a${slots.size}`;
    slots.set(attribute.name, { local, attribute });
    const fn = emitAttribute(emitter, attribute, shape[attribute.name]);
    cases += caseOf(
      lower,
      "key",
      `const x = ${fn}(body[key], ${JSON.stringify(attribute.name)}, -1, "", m);\nif (x !== U) ${local} = x;`,
      unknownTop,
    );
  }
  for (const [lower, ext] of extensions) {
    if (attributes.has(lower)) continue;
    const id = ext.schema.id;
    const local = `e${extLocals.size}`;
    extLocals.set(id, local);
    const extNode = shape[id] ? emitter.resolve(shape[id]) : undefined;
    const extShape = propertiesOf(extNode);
    const subs = byLowerName(ext.schema.attributes);
    const unknownSub = `if (m.strict) m.invalid(\`"${tpl(id)}:\${clip(sub)}" is not an attribute of the ${tpl(ext.schema.name)} extension\`);`;
    const subLocals = new Map<string, string>();
    let subCases = "";
    for (const [subLower, attribute] of subs) {
      if (attribute.mutability === "readOnly") {
        subCases += caseOf(subLower, "sub", "// readOnly input is ignored (RFC 7644 §3.3).", unknownSub);
        continue;
      }
      const y = `y${subLocals.size}`;
      subLocals.set(attribute.name, y);
      const fn = emitAttribute(emitter, attribute, extShape[attribute.name]);
      subCases += caseOf(
        subLower,
        "sub",
        `const x = ${fn}(raw[sub], ${JSON.stringify(`${id}:${attribute.name}`)}, -1, "", m);\nif (x !== U) {\n${y} = x;\nany = true;\n}`,
        unknownSub,
      );
    }
    let assemble = "const o: Record<string, unknown> = {};\n";
    for (const property of Object.keys(extShape)) {
      const y = subLocals.get(property);
      if (y) assemble += `if (${y} !== undefined) o[${JSON.stringify(property)}] = ${y};\n`;
    }
    const body = `const raw = body[key];
if (raw === null) break;
if (!isPlain(raw)) m.invalid(${JSON.stringify(`"${id}" must be an object holding the extension's attributes`)});
${[...subLocals.values()].map((y) => `let ${y}: unknown;`).join("\n")}
let any = false;
for (const sub of Object.keys(raw)) {
${lowerKey(
  "sub",
  "lower",
  [...subs].map(([l, a]) => [a.name, l]),
)}switch (lower) {
${subCases}default:
${unknownSub}
}
}
if (any) {
${assemble}${local} = o;
present.add(${JSON.stringify(id)});
}`;
    cases += caseOf(lower, "key", body, unknownTop);
  }

  // Types in the order of the input view's JSON Schema, assembling the result in that order.
  let check = "const r: Record<string, unknown> = {};\n";
  const required = new Set((def.required ?? []) as string[]);
  for (const [property, node] of Object.entries(shape)) {
    const isExt = extLocals.has(property);
    const local =
      property === "schemas" ? "schemas" : isExt ? extLocals.get(property) : slots.get(property)?.local;
    if (!local) continue;
    const where = isExt ? `${tpl(property)}:` : tpl(property);
    const test = emitTypeCheck(emitter, node as JsonSchema, local, where);
    if (required.has(property))
      check += `if (${local} === undefined) m.invalid(\`"${tpl(property)}" is required\`);\n${test}r[${JSON.stringify(property)}] = ${local};\n`;
    else check += `if (${local} !== undefined) {\n${test}r[${JSON.stringify(property)}] = ${local};\n}\n`;
  }

  // The checks the generic path runs on zod's output, attribute by attribute in the server's order.
  let blanks = "";
  let primaries = "";
  let canonical = "";
  for (const attribute of attributes.values()) {
    const key = JSON.stringify(attribute.name);
    const v = emitter.name("v");
    const b = emitBlank(emitter, attribute, v, tpl(attribute.name));
    if (b) blanks += `if (${key} in r) {\nconst ${v}: unknown = r[${key}];\n${b}}\n`;
    primaries += emitPrimary(emitter, attribute, shape[attribute.name], `r[${key}]`, tpl(attribute.name));
    const c = emitCanonical(emitter, attribute, v, tpl(attribute.name));
    if (c) canonical += `if (${key} in r) {\nconst ${v}: unknown = r[${key}];\n${c}}\n`;
  }
  for (const ext of extensions.values()) {
    const id = ext.schema.id;
    const extShape = propertiesOf(shape[id] ? emitter.resolve(shape[id]) : undefined);
    const x = emitter.name("x");
    let b = "";
    let p = "";
    let c = "";
    for (const attribute of ext.schema.attributes) {
      const key = JSON.stringify(attribute.name);
      const where = `${tpl(id)}:${tpl(attribute.name)}`;
      const v = emitter.name("v");
      const blank = emitBlank(emitter, attribute, v, where);
      if (blank) b += `if (${key} in ${x}) {\nconst ${v}: unknown = ${x}[${key}];\n${blank}}\n`;
      p += emitPrimary(emitter, attribute, extShape[attribute.name], `${x}[${key}]`, where);
      const canon = emitCanonical(emitter, attribute, v, where);
      if (canon) c += `if (${key} in ${x}) {\nconst ${v}: unknown = ${x}[${key}];\n${canon}}\n`;
    }
    const wrap = (inner: string) =>
      inner ? `{\nconst ${x} = r[${JSON.stringify(id)}];\nif (isPlain(${x})) {\n${inner}}\n}\n` : "";
    blanks += wrap(b);
    primaries += wrap(p);
    canonical += wrap(c);
  }

  const locals = [...[...slots.values()].map((s) => s.local), ...extLocals.values()];
  return `/**
 * The full path of {@link validate${t.names.input}}: normalize every value, then check, raising the first
 * error in the order @scimkit/server's generic path does.
 */
function ${name}(body: Record<string, unknown>, m: CompiledMode): Record<string, unknown> {
let given: unknown;
${locals.map((l) => `let ${l}: unknown;`).join("\n")}
const present = new Set<string>();
for (const key of Object.keys(body)) {
${lowerKey("key", "lower", [...[...attributes].map(([l, a]) => [a.name, l] as [string, string]), ...[...extensions].filter(([l]) => !attributes.has(l)).map(([l, e]) => [e.schema.id, l] as [string, string])])}switch (lower) {
${cases}default:
${unknownTop}
}
}
const schemas = m.schemas(given, present);
${check}${blanks}${primaries}${canonical ? `if (m.strict) {\n${canonical}}\n` : ""}return r;
}
`;
}

/**
 * validators.gen.ts: `compiledValidators`, per resource type the generated validators @scimkit/server
 * uses instead of walking the zod schemas (RFC 7643 semantics unchanged). Self-contained: it imports
 * nothing.
 *
 * @example
 * const { text, names } = renderValidators(plan, $defs);
 */
export function renderValidators(
  plan: TypePlan,
  defs: Record<string, JsonSchema>,
): { text: string; names: string[] } {
  const emitter = new Emitter(defs);
  const mains = plan.resourceTypes.map(
    (t) => `${emitInput(emitter, t)}\n${emitFastInput(emitter, t)}\n${emitEntry(t)}`,
  );
  let text = VALIDATOR_RUNTIME + BASE64_FUNCTION + FAST_RUNTIME;
  text += emitter.functions.join("\n");
  text += `\n${mains.join("\n")}\n`;
  text +=
    "/** The generated validators of each resource type, per view: what @scimkit/server validates bodies with. */\n";
  text += "export const compiledValidators = {\n";
  for (const t of plan.resourceTypes)
    text += `  ${JSON.stringify(t.definition.name)}: { input: validate${t.names.input} },\n`;
  text += "} as const;\n";
  text +=
    "\n/** The fast paths alone (undefined: the body needs the full path), for tests that check they are taken. */\n";
  text += "export const compiledFastPaths = {\n";
  for (const t of plan.resourceTypes) text += `  ${JSON.stringify(t.definition.name)}: ${fastName(t)},\n`;
  text += "} as const;\n";
  return { text, names: ["compiledValidators"] };
}
