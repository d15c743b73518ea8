import { type AttributeDefinition, isForbiddenKey, ScimError } from "@scimkit/core";
import { isPlainObject, type ResolvedLimits, subAttributesOf } from "./context.js";

/** What a value is being normalized for: which readOnly rules apply and how lenient to be. */
export interface NormalizeMode {
  /** create/replace drop readOnly input (RFC 7644 §3.3, §3.5.1); patch rejects it elsewhere. */
  readonly operation: "create" | "replace" | "patch";
  readonly strict: boolean;
  readonly limits: ResolvedLimits;
}

/** Returned for a value that is unassigned: null, or an empty array (RFC 7643 §2.5). */
export const UNASSIGNED: unique symbol = Symbol("unassigned");

/** `emails[1].value`, `urn:…:User:manager.value`: how errors name a place in a body. */
export function label(parent: string, name: string | number): string {
  if (typeof name === "number") return `${parent}[${name}]`;
  if (parent === "") return name;
  return parent.endsWith(":") ? `${parent}${name}` : `${parent}.${name}`;
}

/** A client-supplied name or path as errors quote it: cut to 100 characters so a 1 MB key stays out of the detail. */
export function clip(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 100)}… (${text.length} characters)`;
}

const TRUE_FALSE = /^(?:true|false)$/i;
const NUMERIC = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Normalizes one attribute's value: null and [] become {@link UNASSIGNED}; complex values get their
 * sub-attribute names in schema case (RFC 7643 §2.1), readOnly sub-attributes dropped (rejected with 400
 * `mutability` by a strict PATCH), unknown sub-attributes dropped (or rejected when strict); when lenient, a single value of a
 * multi-valued attribute is wrapped in an array, "True"/"False" become booleans (Entra ID sends them)
 * a bare string for a complex attribute with a `value` sub-attribute becomes `{ value }` (Entra's
 * `manager`), and a one-element list for a singular complex attribute becomes its element (Entra's
 * documented `manager` add).
 * Types are checked afterwards by the generated zod schemas; this enforces size limits.
 */
export function normalizeValue(
  attribute: AttributeDefinition,
  value: unknown,
  where: string,
  mode: NormalizeMode,
): unknown {
  if (value === null) return UNASSIGNED;
  if (attribute.multiValued) {
    let list = value;
    if (!Array.isArray(list)) {
      if (mode.strict) return list;
      list = [list];
    }
    const values = list as unknown[];
    if (values.length === 0) return UNASSIGNED;
    if (values.length > mode.limits.maxValues) {
      throw ScimError.invalidValue(
        `"${where}" has ${values.length} values; at most ${mode.limits.maxValues} are accepted in one request`,
      );
    }
    const out: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const one = normalizeSingle(attribute, values[i], label(where, i), mode);
      if (one !== UNASSIGNED) out.push(one);
    }
    return out.length === 0 ? UNASSIGNED : out;
  }
  // Lenient: Entra ID's documentation sends {"op":"Add","path":"manager","value":[{"value":"…"}]}, a
  // one-element list for a singular complex attribute; the element is the value.
  if (!mode.strict && attribute.type === "complex" && Array.isArray(value) && value.length === 1)
    return normalizeSingle(attribute, value[0], where, mode);
  return normalizeSingle(attribute, value, where, mode);
}

/** One value of an attribute (an element, for a multi-valued one). */
export function normalizeSingle(
  attribute: AttributeDefinition,
  value: unknown,
  where: string,
  mode: NormalizeMode,
): unknown {
  if (value === null) return UNASSIGNED;
  switch (attribute.type) {
    case "complex":
      if (isPlainObject(value)) return normalizeComplex(attribute, value, where, mode);
      // Lenient: Entra ID sends the enterprise `manager` as a bare id string; it is `{ value: id }`.
      if (!mode.strict && typeof value === "string" && subAttributesOf(attribute).has("value"))
        return normalizeComplex(attribute, { value }, where, mode);
      return value;
    case "boolean":
      if (!mode.strict && typeof value === "string" && TRUE_FALSE.test(value))
        return value.toLowerCase() === "true";
      return value;
    case "integer":
    case "decimal":
      if (!mode.strict && typeof value === "string" && NUMERIC.test(value)) return Number(value);
      return value;
    default:
      if (typeof value === "string") {
        const max =
          attribute.type === "binary" ? mode.limits.maxStringLength * 4 : mode.limits.maxStringLength;
        if (value.length > max) {
          throw ScimError.invalidValue(
            `"${where}" is ${value.length} characters long; at most ${max} are accepted`,
          );
        }
      }
      return value;
  }
}

function normalizeComplex(
  attribute: AttributeDefinition,
  value: Record<string, unknown>,
  where: string,
  mode: NormalizeMode,
): unknown {
  const subs = subAttributesOf(attribute);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const sub = isForbiddenKey(key) ? undefined : subs.get(key.toLowerCase());
    if (!sub) {
      if (mode.strict) {
        throw ScimError.invalidValue(
          `"${label(where, clip(key))}" is not a sub-attribute of "${attribute.name}" (it has: ${[...subs.values()].map((s) => s.name).join(", ")})`,
        );
      }
      continue;
    }
    if (sub.mutability === "readOnly") {
      // create/replace ignore readOnly input (RFC 7644 §3.3); a strict PATCH may not write it (§3.5.2).
      if (mode.operation === "patch" && mode.strict)
        throw ScimError.mutability(`"${label(where, sub.name)}" is readOnly (RFC 7643 §7); it cannot be set`);
      continue;
    }
    const normalized = normalizeValue(sub, value[key], label(where, sub.name), mode);
    if (normalized !== UNASSIGNED) out[sub.name] = normalized;
  }
  return out;
}

/**
 * RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once." Checks every
 * multi-valued complex attribute of `object` that has a `primary` sub-attribute.
 */
export function checkSinglePrimary(
  attributes: Iterable<AttributeDefinition>,
  object: Record<string, unknown>,
  prefix: string,
): void {
  for (const attribute of attributes) {
    if (!attribute.multiValued || attribute.type !== "complex") continue;
    const values = object[attribute.name];
    if (!Array.isArray(values)) continue;
    let primaries = 0;
    for (const v of values) if (isPlainObject(v) && v.primary === true) primaries++;
    if (primaries > 1) {
      throw ScimError.invalidValue(
        `"${label(prefix, attribute.name)}" has ${primaries} values with "primary": true; at most one may be primary (RFC 7643 §2.4)`,
      );
    }
  }
}

/**
 * Strict mode: string values of attributes with canonical values must be one of them (RFC 7643 §7).
 * Comparison follows caseExact. By default canonical values are suggestions (schemas/README.md D4).
 */
export function checkCanonical(attribute: AttributeDefinition, value: unknown, where: string): void {
  const canonical = attribute.canonicalValues;
  if (canonical === undefined || typeof value !== "string") return;
  const ok = attribute.caseExact
    ? canonical.includes(value)
    : canonical.some((c) => c.toLowerCase() === value.toLowerCase());
  if (!ok)
    throw ScimError.invalidValue(
      `"${where}" is ${JSON.stringify(value)}; strict mode accepts only ${canonical.map((c) => JSON.stringify(c)).join(", ")}`,
    );
}

/** Applies {@link checkCanonical} to an attribute value and, for complex values, to their sub-attributes. */
export function checkCanonicalDeep(attribute: AttributeDefinition, value: unknown, where: string): void {
  const values = attribute.multiValued && Array.isArray(value) ? value : [value];
  values.forEach((one, i) => {
    const at = attribute.multiValued ? label(where, i) : where;
    if (attribute.type === "complex" && isPlainObject(one)) {
      for (const sub of attribute.subAttributes ?? [])
        if (sub.name in one) checkCanonicalDeep(sub, one[sub.name], label(at, sub.name));
    } else {
      checkCanonical(attribute, one, at);
    }
  });
}

/**
 * A required attribute (RFC 7643 §2.2 "required") holds a value: an empty or blank string for one
 * (`"userName": ""`) is 400 `invalidValue` in both modes, as a missing one is. Checks required
 * sub-attributes of complex values too.
 */
export function checkRequiredNotBlank(attribute: AttributeDefinition, value: unknown, where: string): void {
  const values = attribute.multiValued && Array.isArray(value) ? value : [value];
  values.forEach((one, i) => {
    const at = attribute.multiValued && Array.isArray(value) ? label(where, i) : where;
    if (attribute.required && typeof one === "string" && one.trim() === "")
      throw ScimError.invalidValue(
        `"${at}" is required, so it cannot be ${one === "" ? "an empty string" : "blank"} (RFC 7643 §2.2)`,
      );
    if (attribute.type === "complex" && isPlainObject(one))
      for (const sub of attribute.subAttributes ?? [])
        if (sub.name in one) checkRequiredNotBlank(sub, one[sub.name], label(at, sub.name));
  });
}
