// Shared by the validator emitters: unique names, JSON Schema look-ups and quoting for template literals.
import type { AttributeDefinition } from "@scimkit/core";
import type { JsonSchema } from "./json-schema.js";

const REF = "#/$defs/";
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/** The functions of one generated file, named in the order they are emitted. */
export class Emitter {
  readonly functions: string[] = [];
  private count = 0;
  constructor(readonly defs: Record<string, JsonSchema>) {}

  name(prefix: string): string {
    this.count += 1;
    return `${prefix}${this.count}`;
  }

  /** A node with its `$ref` followed (definitions are acyclic: zod.ts refuses circular ones too). */
  resolve(node: JsonSchema): JsonSchema {
    let at = node;
    while (typeof at.$ref === "string") {
      if (!at.$ref.startsWith(REF)) throw new Error(`unsupported $ref ${at.$ref}`);
      const next = this.defs[at.$ref.slice(REF.length)];
      if (!next) throw new Error(`unresolved $ref ${at.$ref}`);
      at = next;
    }
    return at;
  }
}

/** The object schema one value of a complex attribute is checked against, or undefined. */
export function valueNode(emitter: Emitter, node: JsonSchema | undefined): JsonSchema | undefined {
  if (!node) return undefined;
  const resolved = emitter.resolve(node);
  if (resolved.type === "array") return emitter.resolve(resolved.items as JsonSchema);
  return resolved;
}

export function propertiesOf(node: JsonSchema | undefined): Record<string, JsonSchema> {
  return ((node?.properties ?? {}) as Record<string, JsonSchema>) ?? {};
}

/** Attributes by lower-cased name as the server's lookups hold them: the last of a name wins its slot. */
export function byLowerName(attributes: readonly AttributeDefinition[]): Map<string, AttributeDefinition> {
  return new Map(attributes.map((a) => [a.name.toLowerCase(), a] as const));
}

/**
 * The lower-cased key to switch on: an attribute name spelt as the schema spells it (what clients
 * nearly always send) maps to its lower-case literal without calling toLowerCase (RFC 7643 §2.1 makes
 * names case-insensitive; only other spellings pay for the conversion).
 */
export function lowerKey(keyVar: string, target: string, names: Iterable<[string, string]>): string {
  let code = `let ${target}: string;\nswitch (${keyVar}) {\n`;
  const seen = new Set<string>();
  for (const [name, lower] of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    code += `case ${JSON.stringify(name)}: ${target} = ${JSON.stringify(lower)}; break;\n`;
  }
  return `${code}default: ${target} = ${keyVar}.toLowerCase();\n}\n`;
}

/** Text safe inside a template literal. */
export function tpl(text: string): string {
  return text.replace(/[`\\]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${");
}

/** A `case` of a switch over lower-cased keys; keys the server never reads as attributes go to `otherwise`. */
export function caseOf(lower: string, keyVar: string, body: string, otherwise: string): string {
  if (!FORBIDDEN.has(lower)) return `case ${JSON.stringify(lower)}: {\n${body}\nbreak;\n}\n`;
  return `case ${JSON.stringify(lower)}: {\nif (${keyVar} === ${JSON.stringify(lower)}) {\n${otherwise}\n} else {\n${body}\n}\nbreak;\n}\n`;
}
