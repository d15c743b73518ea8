import { type AttributeDefinition, isForbiddenKey } from "@scimkit/core";
import type * as z from "zod";
import { isPlainObject, subAttributesOf } from "../context.js";
import { type NormalizeMode, UNASSIGNED } from "../normalize.js";

/**
 * The fast path of a PATCH value check (issue 16): one closure per attribute and zod node, built once from
 * the attribute's characteristics (type, multiValued, required, canonicalValues, sub-attributes) and the
 * shape of the generated zod `patch` view, that normalizes and checks a value in one pass.
 *
 * It only ever accepts: a value it does not fully understand (a lenient conversion such as "True" or a bare
 * `manager` id, a size limit reached, a blank required string, a value not canonical in strict mode, a
 * leaf zod checks with a refinement or a format such as dateTime or base64, any type mismatch) makes it
 * return {@link FALLBACK}, and the caller runs the generic path (normalize.ts, then zod): that path gives
 * the result or today's error, word for word. When it accepts, its result is the generic path's result:
 * the same normalized value with object keys in the zod shape's order, as zod's output has them
 * (compiled-value.test.ts compares the two over generated values).
 */
export type CompiledCheck = (value: unknown, mode: NormalizeMode) => unknown;

export const FALLBACK: unique symbol = Symbol("fallback");

interface ZodDef {
  readonly type: string;
  readonly innerType?: unknown;
  readonly element?: unknown;
  readonly shape?: Record<string, unknown>;
  readonly checks?: readonly unknown[];
  readonly format?: string;
  readonly check?: string;
}

function defOf(node: unknown): ZodDef | undefined {
  return (node as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def;
}

/** The zod node without its optional wrappers, and whether there was one. */
function unwrapOptional(node: unknown): { node: unknown; optional: boolean } {
  let current = node;
  let optional = false;
  for (let def = defOf(current); def?.type === "optional" && def.innerType; def = defOf(current)) {
    current = def.innerType;
    optional = true;
  }
  return { node: current, optional };
}

/** A node with no checks, refinements or formats beyond its type (`z.string()`, `z.boolean()`, `z.number()`). */
function isBare(def: ZodDef): boolean {
  return (def.checks === undefined || def.checks.length === 0) && def.format === undefined;
}

const always: CompiledCheck = () => FALLBACK;

/**
 * A simple attribute (RFC 7643 §2.3.1–2.3.7): the checks normalizeSingle, zod's leaf, checkRequiredNotBlank and
 * (strict) checkCanonical make on a value that is already of the right type.
 */
function leaf(attribute: AttributeDefinition, node: unknown): CompiledCheck {
  const def = defOf(node);
  if (!def) return always;
  const required = attribute.required === true;
  const canonical = attribute.canonicalValues;
  const canonicalLower = canonical?.map((c) => c.toLowerCase());
  const caseExact = attribute.caseExact === true;
  if (
    (attribute.type === "string" || attribute.type === "reference") &&
    def.type === "string" &&
    isBare(def)
  ) {
    return (value, mode) => {
      if (value === null) return UNASSIGNED;
      if (typeof value !== "string" || value.length > mode.limits.maxStringLength) return FALLBACK;
      if (required && value.trim() === "") return FALLBACK;
      if (mode.strict && canonical !== undefined) {
        const ok = caseExact
          ? canonical.includes(value)
          : (canonicalLower as string[]).includes(value.toLowerCase());
        if (!ok) return FALLBACK;
      }
      return value;
    };
  }
  if (attribute.type === "boolean" && def.type === "boolean" && isBare(def))
    return (value) => (value === null ? UNASSIGNED : typeof value === "boolean" ? value : FALLBACK);
  if (attribute.type === "decimal" && def.type === "number" && isBare(def))
    return (value) =>
      value === null ? UNASSIGNED : typeof value === "number" && Number.isFinite(value) ? value : FALLBACK;
  if (
    attribute.type === "integer" &&
    def.type === "number" &&
    def.format === "safeint" &&
    (def.checks === undefined || def.checks.length === 0)
  )
    return (value) => (value === null ? UNASSIGNED : Number.isSafeInteger(value) ? value : FALLBACK);
  return always;
}

interface SubEntry {
  readonly name: string;
  readonly optional: boolean;
  readonly check: CompiledCheck;
}

/** One complex value (RFC 7643 §2.3.8): normalizeComplex's key handling, then zod's object in shape order. */
function complex(attribute: AttributeDefinition, node: unknown): CompiledCheck {
  const def = defOf(node);
  if (def?.type !== "object" || !def.shape || !isBare(def)) return always;
  const subs = subAttributesOf(attribute);
  const entries: SubEntry[] = [];
  const slotOf = new Map<string, number>();
  // Keys sent in schema case (the usual case) find their slot without lower-casing: writable ones only,
  // as normalizeComplex drops (lenient) or rejects (strict) readOnly sub-attributes.
  // A linear scan of a few names (identity compares of interned keys) beats a Map look-up here.
  const exactNames: (string | undefined)[] = [];
  for (const [name, wrapped] of Object.entries(def.shape)) {
    const sub = subs.get(name.toLowerCase());
    // A shape that does not name the attribute's sub-attributes in schema case is not one this can follow.
    if (!sub || sub.name !== name || sub.multiValued || sub.type === "complex") return always;
    const { node: inner, optional } = unwrapOptional(wrapped);
    slotOf.set(name, entries.length);
    exactNames.push(sub.mutability !== "readOnly" && !isForbiddenKey(name) ? name : undefined);
    entries.push({ name, optional, check: leaf(sub, inner) });
  }
  const count = entries.length;
  // Reused by every call: the closure never runs inside itself (sub-attributes are simple).
  const slots: unknown[] = entries.map(() => UNASSIGNED);
  return (value, mode) => {
    if (!isPlainObject(value)) return FALLBACK;
    for (let i = 0; i < count; i++) slots[i] = UNASSIGNED;
    const keys = Object.keys(value);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      let slot: number | undefined;
      for (let i = 0; i < count; i++)
        if (exactNames[i] === key) {
          slot = i;
          break;
        }
      if (slot === undefined) {
        const sub = isForbiddenKey(key) ? undefined : subs.get(key.toLowerCase());
        if (sub === undefined || sub.mutability === "readOnly") {
          if (mode.strict) return FALLBACK;
          continue;
        }
        slot = slotOf.get(sub.name);
        if (slot === undefined) return FALLBACK;
      }
      const checked = (entries[slot] as SubEntry).check(value[key], mode);
      if (checked === FALLBACK) return FALLBACK;
      // normalizeComplex: a null sub-attribute is left out; a later key of the same name wins.
      if (checked !== UNASSIGNED) slots[slot] = checked;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const entry = entries[i] as SubEntry;
      const checked = slots[i];
      slots[i] = UNASSIGNED;
      if (checked !== UNASSIGNED) out[entry.name] = checked;
      else if (!entry.optional) return FALLBACK;
    }
    return out;
  };
}

/** One value of the attribute (an element, for a multi-valued one): normalizeSingle, then zod's element. */
function single(attribute: AttributeDefinition, node: unknown): CompiledCheck {
  if (attribute.type !== "complex") return leaf(attribute, node);
  const check = complex(attribute, node);
  return (value, mode) => (value === null ? UNASSIGNED : check(value, mode));
}

/**
 * The check of a value for `definition` against its zod node (`zodAt`'s, optional wrappers removed):
 * `element` for one element of a multi-valued attribute (where checkedValue calls normalizeSingle).
 */
export function compileCheck(
  definition: AttributeDefinition,
  node: z.ZodType,
  element: boolean,
): CompiledCheck {
  if (element || !definition.multiValued) return single(definition, node);
  const def = defOf(node);
  if (def?.type !== "array" || !isBare(def)) return always;
  const check = single(definition, unwrapOptional(def.element).node);
  return (value, mode) => {
    if (value === null) return UNASSIGNED;
    let list = value;
    if (!Array.isArray(list)) {
      if (mode.strict) return FALLBACK;
      list = [list];
    }
    const values = list as unknown[];
    const n = values.length;
    if (n === 0) return UNASSIGNED;
    if (n > mode.limits.maxValues) return FALLBACK;
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const checked = check(values[i], mode);
      if (checked === FALLBACK) return FALLBACK;
      if (checked !== UNASSIGNED) out.push(checked);
    }
    return out.length === 0 ? UNASSIGNED : out;
  };
}
