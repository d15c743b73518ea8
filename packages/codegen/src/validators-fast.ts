// Emits the fast path of a generated validator: ONE pass over a body that needs none of the lenient
// repairs, normalizing, copying and checking each value as it is read, with no error text built. It
// returns undefined ("bail") as soon as anything is unusual (another spelling of a name, a value to
// coerce or drop, anything the full validator would reject); the caller then runs the full two-pass
// validator (validators.ts), which gives the exact error or repair. Bailing is always correct, so every
// case this path does not handle simply bails: when it does not bail, its result is the full path's.
import type { AttributeDefinition } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import { byLowerName, type Emitter, propertiesOf } from "./validators-emit.js";

const BAIL = "return undefined;";
/** Keys the full path never reads as attributes in their lower-case spelling (validators-emit.ts caseOf). */
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** Helpers of the fast paths, emitted once after the shared runtime. */
export const FAST_RUNTIME = `/** JSON objects have this prototype; objects with another take the full path. */
const OBJECT_PROTO = Object.prototype;
const NO_EXTENSIONS: ReadonlySet<string> = new Set<string>();

/** Not empty or blank (RFC 7643 §2.2); a printable ASCII first character settles it without trim(). */
function filled(text: string): boolean {
  const c = text.charCodeAt(0);
  return (c > 32 && c < 127) || text.trim() !== "";
}

`;

/**
 * Not a JSON object (a plain object with Object.prototype), written out at each place: each then has its own type feedback, so V8
 * folds the prototype look-up for the one object shape a place sees instead of calling a shared helper.
 */
export function notJsonObject(x: string): string {
  return `typeof ${x} !== "object" || ${x} === null || Object.getPrototypeOf(${x}) !== OBJECT_PROTO`;
}

/** Unique lower-cased names, or undefined when two attributes share one (the full path handles that). */
function lowers(attributes: readonly AttributeDefinition[]): Map<string, AttributeDefinition> | undefined {
  const map = byLowerName(attributes);
  return map.size === attributes.length ? map : undefined;
}

/** A function telling whether a key, in any spelling, names one of `names`: then the fast path bails. */
function emitKnown(emitter: Emitter, names: Iterable<string>): string {
  const name = emitter.name("known");
  const unique = [...new Set(names)];
  const body =
    unique.length === 0
      ? "return false;"
      : `switch (key.toLowerCase()) {\n${unique.map((l) => `case ${JSON.stringify(l)}:`).join("\n")}\nreturn true;\ndefault:\nreturn false;\n}`;
  emitter.functions.push(
    `/** Whether \`key\`, in any case, names an attribute here (RFC 7643 §2.1). */\nfunction ${name}(key: string): boolean {\n${body}\n}\n`,
  );
  return name;
}

/** The condition a scalar value meets when the full path keeps it unchanged and accepts it, or undefined. */
function scalarTest(attribute: AttributeDefinition, node: JsonSchema, x: string): string | undefined {
  switch (node.type) {
    case "string": {
      if (["complex", "boolean", "integer", "decimal"].includes(attribute.type)) return undefined;
      const max = attribute.type === "binary" ? "m.maxStringLength * 4" : "m.maxStringLength";
      let test = `typeof ${x} === "string" && ${x}.length <= ${max}`;
      // RFC 7643 §2.3.5 xsd:dateTime; §2.3.6 base64 (as validators-check.ts tests them).
      if (node.format === "date-time") test += ` && isDateTime(${x})`;
      else if (node.contentEncoding === "base64") test += ` && isBase64(${x})`;
      return test;
    }
    case "boolean":
      return attribute.type === "boolean" ? `typeof ${x} === "boolean"` : undefined;
    case "integer":
      return attribute.type === "integer" || attribute.type === "decimal"
        ? `typeof ${x} === "number" && Number.isSafeInteger(${x})`
        : undefined;
    case "number":
      return attribute.type === "integer" || attribute.type === "decimal"
        ? `typeof ${x} === "number" && Number.isFinite(${x})`
        : undefined;
    default:
      return undefined;
  }
}

/** Strict mode's canonical values (RFC 7643 §7), as a module constant the check reads. */
function canonicalTest(emitter: Emitter, attribute: AttributeDefinition, x: string): string {
  const canonical = attribute.canonicalValues;
  if (canonical === undefined) return "";
  const list = emitter.name("CANONICAL");
  const values = attribute.caseExact ? canonical : canonical.map((c) => c.toLowerCase());
  emitter.functions.push(`const ${list}: readonly string[] = ${JSON.stringify(values)};\n`);
  const probe = attribute.caseExact ? x : `${x}.toLowerCase()`;
  return `if (m.strict && !${list}.includes(${probe})) ${BAIL}\n`;
}

/** Code checking one value `x` (an element, for a multi-valued attribute) and assigning it to `out`. */
function emitSingle(
  emitter: Emitter,
  attribute: AttributeDefinition,
  node: JsonSchema,
  x: string,
  out: string,
): string {
  const resolved = emitter.resolve(node);
  if (attribute.type === "complex") {
    if (resolved.type !== "object") return BAIL;
    const fn = emitComplex(emitter, attribute, resolved);
    const c = emitter.name("c");
    return `if (${notJsonObject(x)}) ${BAIL}\nconst ${c} = ${fn}(${x} as Record<string, unknown>, m);\nif (${c} === undefined) ${BAIL}\n${out} = ${c};\n`;
  }
  const test = scalarTest(attribute, resolved, x);
  if (test === undefined) return BAIL;
  let code = `if (!(${test})) ${BAIL}\n`;
  if (attribute.required && resolved.type === "string") code += `if (!filled(${x})) ${BAIL}\n`;
  if (resolved.type === "string") code += canonicalTest(emitter, attribute, x);
  return `${code}${out} = ${x};\n`;
}

/**
 * Code normalizing the non-null value `x` of `attribute` into `out` (left undefined for an empty list,
 * unassigned per RFC 7643 §2.5). `top`: a top-level or extension attribute, whose `primary` values the
 * full path counts (§2.4).
 */
export function emitFastValue(
  emitter: Emitter,
  attribute: AttributeDefinition,
  node: JsonSchema | undefined,
  x: string,
  out: string,
  top: boolean,
): string {
  if (!node) return BAIL;
  if (!attribute.multiValued) return emitSingle(emitter, attribute, node, x, out);
  const resolved = emitter.resolve(node);
  if (resolved.type !== "array" || !resolved.items) return BAIL;
  const items = resolved.items as JsonSchema;
  const n = emitter.name("n");
  const j = emitter.name("j");
  const list = emitter.name("list");
  const e = emitter.name("e");
  const v = emitter.name("v");
  const one = emitSingle(emitter, attribute, items, e, v);
  const counts =
    top &&
    attribute.type === "complex" &&
    Object.hasOwn(propertiesOf(emitter.resolve(items)), "primary") &&
    one !== BAIL;
  const count = emitter.name("primary");
  return `if (!Array.isArray(${x})) ${BAIL}
const ${n} = ${x}.length;
if (${n} !== 0) {
if (${n} > m.maxValues) ${BAIL}
const ${list}: unknown[] = [];
${counts ? `let ${count} = 0;\n` : ""}for (let ${j} = 0; ${j} < ${n}; ${j}++) {
const ${e}: unknown = ${x}[${j}];
let ${v}: unknown;
${one}${counts ? `if ((${v} as Record<string, unknown>).primary === true) ${count}++;\n` : ""}${list}.push(${v});
}
${counts ? `if (${count} > 1) ${BAIL}\n` : ""}${out} = ${list};
}
`;
}

/**
 * The cases of a switch over a JSON object's keys in schema spelling, one per writable attribute, and
 * the assembly of the result in the order of `shape` (the JSON Schema's, which the full path keeps).
 */
export function emitMembers(
  emitter: Emitter,
  attributes: Map<string, AttributeDefinition>,
  shape: Record<string, JsonSchema>,
  source: string,
  top: boolean,
  prefix: string,
): { cases: Case[]; locals: Map<string, string>; assemble: (target: string) => string } {
  const locals = new Map<string, string>();
  const cases: Case[] = [];
  for (const [lower, attribute] of attributes) {
    if (FORBIDDEN.has(lower)) continue;
    const key = JSON.stringify(attribute.name);
    if (attribute.mutability === "readOnly") {
      // readOnly input is ignored (RFC 7644 §3.3).
      cases.push([attribute.name, ""]);
      continue;
    }
    const local = `${prefix}${locals.size}`;
    locals.set(attribute.name, local);
    const x = emitter.name("x");
    const code = emitFastValue(emitter, attribute, shape[attribute.name], x, local, top);
    cases.push([
      attribute.name,
      `const ${x}: unknown = ${source}[${key}];\nif (${x} === null) break;\n${code}`,
    ]);
  }
  const assemble = (target: string) => {
    let code = "";
    for (const property of Object.keys(shape)) {
      const local = locals.get(property);
      if (local) code += `if (${local} !== undefined) ${target}[${JSON.stringify(property)}] = ${local};\n`;
    }
    return code;
  };
  return { cases, locals, assemble };
}

/** One case of a key switch: the key as the schema spells it, and the code run for it. */
export type Case = readonly [name: string, body: string];

/**
 * A switch over `keyVar` running the body of the case spelt exactly so, else `otherwise`. The key is
 * matched by its length first (a jump table), then compared with the few names of that length: a plain
 * switch over strings compares the key with every case before its own.
 */
export function emitSwitch(
  emitter: Emitter,
  keyVar: string,
  cases: readonly Case[],
  otherwise: string,
): string {
  const slot = emitter.name("slot");
  const byLength = new Map<number, string>();
  cases.forEach(([name], i) => {
    const line = `if (key === ${JSON.stringify(name)}) return ${i};\n`;
    byLength.set(name.length, (byLength.get(name.length) ?? "") + line);
  });
  let fn = "switch (key.length) {\n";
  for (const [length, tests] of byLength) fn += `case ${length}:\n${tests}return -1;\n`;
  emitter.functions.push(
    `/** The case number of a key spelt as the schema spells it, or -1. */\nfunction ${slot}(key: string): number {\n${fn}default:\nreturn -1;\n}\n}\n`,
  );
  let code = `switch (${slot}(${keyVar})) {\n`;
  cases.forEach(([, body], i) => {
    code += `case ${i}: {\n${body}break;\n}\n`;
  });
  return `${code}default:\n${otherwise}\n}\n`;
}

/** Bails when a property the JSON Schema requires is missing (the full path says "… is required"). */
export function emitRequired(node: JsonSchema, locals: Map<string, string>): string {
  let code = "";
  for (const property of (node.required ?? []) as string[]) {
    const local = locals.get(property);
    code += local ? `if (${local} === undefined) ${BAIL}\n` : `${BAIL}\n`;
  }
  return code;
}

/** Emits the fast function of one complex value: the object built in schema order, or undefined. */
function emitComplex(emitter: Emitter, attribute: AttributeDefinition, node: JsonSchema): string {
  const name = emitter.name("fast");
  const subs = lowers(attribute.subAttributes ?? []);
  if (!subs) {
    emitter.functions.push(
      `function ${name}(_o: Record<string, unknown>, _m: CompiledMode): undefined {\n${BAIL}\n}\n`,
    );
    return name;
  }
  const known = emitKnown(emitter, subs.keys());
  const shape = propertiesOf(node);
  const { cases, locals, assemble } = emitMembers(emitter, subs, shape, "o", false, "s");
  emitter.functions.push(`/** One complex value of "${attribute.name}", or undefined to take the full path. */
function ${name}(o: Record<string, unknown>, m: CompiledMode): Record<string, unknown> | undefined {
${[...locals.values()].map((l) => `let ${l}: unknown;`).join("\n")}
for (const key of Object.keys(o)) {
${emitSwitch(emitter, "key", cases, `if (m.strict || ${known}(key)) ${BAIL}`)}}
${emitRequired(node, locals)}const r: Record<string, unknown> = {};
${assemble("r")}return r;
}
`);
  return name;
}

export { BAIL, emitKnown, lowers };
