// Emits the fast path of one resource type's create/replace validator (see validators-fast.ts): the
// body's keys in schema spelling, extensions inline, `schemas` resolved once by the caller's mode.
import { type AttributeDefinition, COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";
import type { PlannedResourceType } from "./plan.js";
import { byLowerName, type Emitter, propertiesOf } from "./validators-emit.js";
import {
  BAIL,
  type Case,
  emitKnown,
  emitMembers,
  emitRequired,
  emitSwitch,
  lowers,
  notJsonObject,
} from "./validators-fast.js";

/** Up to this many extensions, the `present` sets handed to `m.schemas` are module constants. */
const CONSTANT_SETS = 4;

/** The fast function's name for a resource type's input view. */
export function fastName(t: PlannedResourceType): string {
  return `fast${t.names.input}`;
}

/**
 * The module constant of the `present` sets of a resource type with extensions `ids`: entry `mask`
 * holds the extensions whose bit is set. Only masks with at most one bit are used (two or more
 * extensions take the full path, which hands the set over in body order).
 */
function emitPresentSets(emitter: Emitter, ids: readonly string[]): string {
  const name = emitter.name("PRESENT");
  const sets: string[] = [];
  for (let mask = 0; mask < 2 ** ids.length; mask++)
    sets.push(`new Set<string>(${JSON.stringify(ids.filter((_, i) => mask & (1 << i)))})`);
  emitter.functions.push(
    `/** The extensions present, by bit mask, as \`m.schemas\` takes them. */\nconst ${name}: readonly ReadonlySet<string>[] = [${sets.join(", ")}];\n`,
  );
  return name;
}

/** The fast create/replace body function of one resource type (undefined: take the full path). */
export function emitFastInput(emitter: Emitter, t: PlannedResourceType): string {
  const name = fastName(t);
  const def = emitter.defs[t.names.input] as JsonSchema;
  const shape = propertiesOf(def);
  const all = [SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES, ...t.base.attributes];
  const attributes = byLowerName(all);
  const extensions = [...new Map(t.extensions.map((e) => [e.schema.id.toLowerCase(), e] as const))].filter(
    ([lower]) => !attributes.has(lower),
  );
  const known = emitKnown(emitter, [...attributes.keys(), ...extensions.map(([l]) => l)]);
  const writable = new Map([...attributes].filter(([, a]) => a.name !== "schemas"));
  const { cases, locals } = emitMembers(emitter, writable, shape, "body", true, "a");
  const extCases: Case[] = [];
  const extLocals = new Map<string, string>();
  const tooMany = extensions.length > CONSTANT_SETS;
  const ids = extensions.map(([, e]) => e.schema.id);
  const present = extensions.length > 0 && !tooMany ? emitPresentSets(emitter, ids) : undefined;
  extensions.forEach(([, ext], index) => {
    const id = ext.schema.id;
    const key = JSON.stringify(id);
    const local = `e${index}`;
    extLocals.set(id, local);
    const node = shape[id] ? emitter.resolve(shape[id]) : undefined;
    const subs = lowers(ext.schema.attributes);
    if (node?.type !== "object" || !subs || tooMany) {
      extCases.push([id, `${BAIL}\n`]);
      return;
    }
    const extKnown = emitKnown(emitter, subs.keys());
    const members = emitMembers(emitter, subs, propertiesOf(node), "raw", true, `y${index}_`);
    const assigned = [...members.locals.values()].map((y) => `${y} !== undefined`).join(" || ") || "false";
    extCases.push([
      id,
      `const raw = body[${key}] as Record<string, unknown> | null;
if (raw === null) break;
if (${notJsonObject("raw")}) ${BAIL}
${[...members.locals.values()].map((y) => `let ${y}: unknown;`).join("\n")}
for (const sub of Object.keys(raw)) {
${emitSwitch(emitter, "sub", members.cases, `if (m.strict || ${extKnown}(sub)) ${BAIL}`)}}
if (${assigned}) {
${emitRequired(node, members.locals)}const o: Record<string, unknown> = {};
${members.assemble("o")}${local} = o;
mask |= ${1 << index};
}
`,
    ]);
  });

  // Required properties of the view (the full path checks them after `schemas`; bailing first is the same).
  const required = new Map([...locals, ...extLocals]);
  required.set("schemas", "schemas");
  let requiredCode = "";
  for (const property of (def.required ?? []) as string[]) {
    if (property === "schemas") continue;
    const local = required.get(property);
    requiredCode += local ? `if (${local} === undefined) ${BAIL}\n` : `${BAIL}\n`;
  }

  let result = "const r: Record<string, unknown> = {};\n";
  for (const property of Object.keys(shape)) {
    const key = JSON.stringify(property);
    const local = property === "schemas" ? undefined : (extLocals.get(property) ?? locals.get(property));
    if (property === "schemas") result += `r[${key}] = schemas;\n`;
    else if (local) result += `if (${local} !== undefined) r[${key}] = ${local};\n`;
  }

  const schemasAttribute = attributes.get("schemas") as AttributeDefinition;
  const schemasCheck = `if (!Array.isArray(schemas)) ${BAIL}
for (let i = 0; i < schemas.length; i++) {
const s: unknown = schemas[i];
if (typeof s !== "string"${schemasAttribute.required ? " || !filled(s)" : ""}) ${BAIL}
}
`;
  const topSwitch = emitSwitch(
    emitter,
    "key",
    [["schemas", "given = body.schemas;\n"], ...cases, ...extCases],
    `if (m.strict || ${known}(key)) ${BAIL}`,
  );
  const presentArg = present ? `${present}[mask] as ReadonlySet<string>` : "NO_EXTENSIONS";
  return `/**
 * The fast path of {@link validate${t.names.input}}: one pass over a ${t.definition.name} body in schema
 * spelling; undefined when the body needs the full path (a repair, another spelling, or an error).
 */
export function ${name}(body: Record<string, unknown>, m: CompiledMode): Record<string, unknown> | undefined {
let given: unknown;
${[...locals.values(), ...extLocals.values()].map((l) => `let ${l}: unknown;`).join("\n")}
${extensions.length > 0 ? "let mask = 0;\n" : ""}for (const key of Object.keys(body)) {
${topSwitch}}
${requiredCode}${extensions.length > 1 ? `if ((mask & (mask - 1)) !== 0) ${BAIL}\n` : ""}const schemas = m.schemas(given, ${presentArg});
${schemasCheck}${result}return r;
}
`;
}
