import { type AttributeDefinition, ScimError } from "@scimkit/core";
import type * as z from "zod";
import { isPlainObject } from "../context.js";
import {
  checkCanonicalDeep,
  checkRequiredNotBlank,
  normalizeSingle,
  normalizeValue,
  UNASSIGNED,
} from "../normalize.js";
import { zodFailure } from "../validate.js";
import { type CompiledCheck, compileCheck, FALLBACK } from "./compiled-value.js";
import { copyValue } from "./copy.js";
import type { Op, Run, Target } from "./run.js";

/** The zod schema of a target's value in the PATCH view (walks the generated schema's shape). */
export function zodAt(run: Run, target: Target, element: boolean): z.ZodType {
  let schema = unwrap(run.context.validators.patch);
  if (target.extension) schema = unwrap(shapeOf(schema)[target.extension.schema.id]);
  schema = unwrap(shapeOf(schema)[target.attribute.name]);
  if (target.sub) {
    if (target.attribute.multiValued) schema = unwrap((schema as unknown as { element: z.ZodType }).element);
    return unwrap(shapeOf(schema)[target.sub.name]);
  }
  if (element && target.attribute.multiValued)
    return unwrap((schema as unknown as { element: z.ZodType }).element);
  return schema;
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (!shape)
    throw new TypeError(
      "the PATCH validator is not an object schema; regenerate it with `scimkit generate --zod`",
    );
  return shape;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType {
  let current = schema as unknown as { _zod: { def: { type: string; innerType?: unknown } } } | undefined;
  while (current && current._zod.def.type === "optional" && current._zod.def.innerType) {
    current = current._zod.def.innerType as typeof current;
  }
  if (!current)
    throw new TypeError(
      "attribute missing from the PATCH validator; regenerate it with `scimkit generate --zod`",
    );
  return current as unknown as z.ZodType;
}

/** zod schemas per target: [whole value, one element]. Resolved targets are cached per context, so this lives as long. */
const zodCache = new WeakMap<Target, [z.ZodType | undefined, z.ZodType | undefined]>();

const ALWAYS_GENERIC: CompiledCheck = () => FALLBACK;

/** Compiled checks per target: [whole value, one element] (see compiled-value.ts). */
const checkCache = new WeakMap<Target, [CompiledCheck | undefined, CompiledCheck | undefined]>();

/** The compiled check of a target (cached), which {@link checkedValue} tries before the generic path. */
export function compiledAt(run: Run, target: Target, element: boolean): CompiledCheck {
  const memo = target.memo;
  if (memo !== undefined) {
    const known = element ? memo.element : memo.whole;
    if (known !== undefined) return known;
  }
  let entry = checkCache.get(target);
  if (!entry) {
    entry = [undefined, undefined];
    checkCache.set(target, entry);
  }
  const slot = element ? 1 : 0;
  let check = entry[slot];
  if (!check) {
    const definition = target.sub ?? target.attribute;
    let node: z.ZodType | undefined;
    try {
      node = cachedZodAt(run, target, element && !target.sub);
    } catch {
      // Not in the PATCH view (readOnly targets, rejected before any value check): the generic path decides.
    }
    check =
      node === undefined ? ALWAYS_GENERIC : compileCheck(definition, node, element && definition.multiValued);
    entry[slot] = check;
  }
  if (memo !== undefined) {
    if (element) memo.element = check;
    else memo.whole = check;
  }
  return check;
}

function cachedZodAt(run: Run, target: Target, element: boolean): z.ZodType {
  let entry = zodCache.get(target);
  if (!entry) {
    entry = [undefined, undefined];
    zodCache.set(target, entry);
  }
  const slot = element ? 1 : 0;
  let schema = entry[slot];
  if (!schema) {
    schema = zodAt(run, target, element);
    entry[slot] = schema;
  }
  return schema;
}

/** Whether an attribute or any of its sub-attributes has a property a check looks for (cached per definition). */
function deepHas(
  cache: WeakMap<AttributeDefinition, boolean>,
  attribute: AttributeDefinition,
  has: (a: AttributeDefinition) => boolean,
): boolean {
  let found = cache.get(attribute);
  if (found === undefined) {
    found = has(attribute) || (attribute.subAttributes ?? []).some((sub) => deepHas(cache, sub, has));
    cache.set(attribute, found);
  }
  return found;
}
const requiredInside = new WeakMap<AttributeDefinition, boolean>();
const canonicalInside = new WeakMap<AttributeDefinition, boolean>();
const isRequired = (a: AttributeDefinition) => a.required === true;
const hasCanonical = (a: AttributeDefinition) => a.canonicalValues !== undefined;

/** Normalizes and type-checks a value for a target; `element` for one value of a multi-valued attribute. */
export function checkedValue(run: Run, target: Target, value: unknown, element: boolean): unknown {
  const fast = compiledAt(run, target, element)(value, run.mode);
  return fast === FALLBACK ? checkedValueGeneric(run, target, value, element) : fast;
}

/** The generic path of {@link checkedValue}: normalize.ts, the zod `patch` view, then the required and canonical checks. */
export function checkedValueGeneric(run: Run, target: Target, value: unknown, element: boolean): unknown {
  const definition = target.sub ?? target.attribute;
  const normalized =
    element && definition.multiValued
      ? normalizeSingle(definition, value, target.where, run.mode)
      : normalizeValue(definition, value, target.where, run.mode);
  if (normalized === UNASSIGNED) return UNASSIGNED;
  const parsed = cachedZodAt(run, target, element && !target.sub).safeParse(normalized);
  if (!parsed.success) throw zodFailure(parsed.error, normalized, target.where);
  // Both checks below can only fail where the schema has required attributes or canonical values.
  if (deepHas(requiredInside, definition, isRequired))
    checkRequiredNotBlank(
      element && definition.multiValued ? { ...definition, multiValued: false } : definition,
      parsed.data,
      target.where,
    );
  if (run.strict && deepHas(canonicalInside, definition, hasCanonical))
    checkCanonicalDeep(
      element && definition.multiValued ? { ...definition, multiValued: false } : definition,
      parsed.data,
      target.where,
    );
  return parsed.data;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || typeof a !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isPlainObject(value) && Object.keys(value).length === 0)
  );
}

/** RFC 7644 §3.5.2: a readOnly target (or a sub-attribute of a readOnly attribute) is never written, present or not. */
export function rejectReadOnly(target: Target, op: Op): void {
  if (target.attribute.mutability === "readOnly" || target.sub?.mutability === "readOnly")
    throw ScimError.mutability(
      `"${target.where}" is readOnly (RFC 7643 §7); it cannot be ${op === "remove" ? "removed" : "set"}`,
    );
}

/** RFC 7644 §3.5.2: readOnly never changes; immutable may only be added while unassigned. */
export function checkMutability(target: Target, op: Op, current: unknown, next: unknown): void {
  const definition = target.sub ?? target.attribute;
  const mutability =
    definition.mutability === "readOnly" || target.attribute.mutability === "readOnly"
      ? "readOnly"
      : definition.mutability;
  if (mutability === "readOnly")
    throw ScimError.mutability(
      `"${target.where}" is readOnly (RFC 7643 §7); it cannot be ${op === "remove" ? "removed" : "set"}`,
    );
  if (mutability === "immutable" && !isEmpty(current) && !(op !== "remove" && deepEqual(current, next))) {
    throw ScimError.mutability(
      `"${target.where}" is immutable: it already has a value, so it cannot be ${op === "remove" ? "removed" : "changed"} (RFC 7644 §3.5.2)`,
    );
  }
}

/** Immutable sub-attributes of a complex value (e.g. Group `members.value`) keep the value they have. */
export function checkSubMutability(
  target: Target,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): void {
  for (const sub of target.attribute.subAttributes ?? []) {
    if (!(sub.name in after)) continue;
    const was = before[sub.name];
    if (
      sub.mutability === "readOnly" ||
      (sub.mutability === "immutable" && !isEmpty(was) && !deepEqual(was, after[sub.name]))
    ) {
      throw ScimError.mutability(
        `"${target.where}.${sub.name}" is ${sub.mutability}; it cannot be changed (RFC 7644 §3.5.2)`,
      );
    }
  }
}

export function withoutSub(target: Target): Target {
  const { sub: _sub, ...rest } = target;
  return rest;
}

export function withSub(
  value: Record<string, unknown>,
  sub: AttributeDefinition,
  next: unknown,
): Record<string, unknown> {
  const copy = copyValue(value);
  if (next === UNASSIGNED) delete copy[sub.name];
  else copy[sub.name] = next;
  return copy;
}

/** Two values of a multi-valued attribute are the same value: equal simple values, or complex values equal in every sub-attribute. */
export function sameValue(attribute: AttributeDefinition, a: unknown, b: unknown): boolean {
  if (attribute.type === "complex" && isPlainObject(a) && isPlainObject(b)) {
    // Members and similar are identified by "value" when both have one.
    if ("value" in a && identifiedByValue(b)) {
      return (
        deepEqual(a.value, b.value) && (a.type === undefined || b.type === undefined || a.type === b.type)
      );
    }
    return deepEqual(a, b);
  }
  if (typeof a === "string" && typeof b === "string" && !attribute.caseExact)
    return a.toLowerCase() === b.toLowerCase();
  return deepEqual(a, b);
}

/** Sorted-key JSON: equal for {@link deepEqual} values. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "undefined";
}

/** Whether {@link sameValue} identifies `b` by its "value" (and "type") rather than by every sub-attribute. */
export function identifiedByValue(b: Record<string, unknown>): boolean {
  return (
    "value" in b &&
    Object.keys(b).every((k) => k === "value" || k === "display" || k === "$ref" || k === "type")
  );
}

/**
 * Finds values {@link sameValue} would call equal without comparing every pair (50,000 members added to
 * 50,000 would otherwise be 10⁹ comparisons). `stored` values play `a`, `given` values play `b`.
 */
export class ValueIndex {
  readonly #buckets = new Map<string, unknown[]>();
  constructor(
    readonly attribute: AttributeDefinition,
    readonly role: "stored" | "given",
  ) {}

  #keys(value: unknown, role: "stored" | "given"): string[] {
    const { attribute } = this;
    if (attribute.type === "complex" && isPlainObject(value)) {
      if (role === "given")
        return [identifiedByValue(value) ? `v:${canonical(value.value)}` : `f:${canonical(value)}`];
      return "value" in value
        ? [`v:${canonical(value.value)}`, `f:${canonical(value)}`]
        : [`f:${canonical(value)}`];
    }
    if (typeof value === "string" && !attribute.caseExact) return [`s:${value.toLowerCase()}`];
    return [`f:${canonical(value)}`];
  }

  add(value: unknown): void {
    for (const key of this.#keys(value, this.role)) {
      const bucket = this.#buckets.get(key);
      if (bucket) bucket.push(value);
      else this.#buckets.set(key, [value]);
    }
  }

  /** Whether an indexed value is the same value as `value` (which plays the other role). */
  has(value: unknown): boolean {
    const other = this.role === "stored" ? "given" : "stored";
    for (const key of this.#keys(value, other)) {
      for (const candidate of this.#buckets.get(key) ?? []) {
        if (
          this.role === "stored"
            ? sameValue(this.attribute, candidate, value)
            : sameValue(this.attribute, value, candidate)
        )
          return true;
      }
    }
    return false;
  }
}

/**
 * RFC 7644 §3.5.2: a value newly set as primary makes every other value non-primary. Two new primaries
 * in one operation contradict each other (RFC 7643 §2.4) and are rejected.
 */
export function resetPrimary(values: unknown[], newlySet: readonly unknown[], where: string): unknown[] {
  const winners = newlySet.filter((v) => isPlainObject(v) && v.primary === true);
  if (winners.length > 1)
    throw ScimError.invalidValue(
      `"${where}": ${winners.length} values are set as primary; at most one may be (RFC 7643 §2.4)`,
    );
  const winner = winners[0];
  if (winner === undefined) return values;
  return values.map((v) =>
    v !== winner && isPlainObject(v) && v.primary === true ? { ...v, primary: false } : v,
  );
}
