import type { AttributeDefinition } from "@scimkit/core";
import { isPlainObject, type TypeContext } from "./context.js";

/**
 * The projection of a request without `attributes` or `excludedAttributes` (RFC 7644 §3.4.2.5), which
 * is every GET by id and every write's answer: only the `returned` characteristic of RFC 7643 §2.4
 * applies (`always` and `default` attributes are returned, `request` and `never` ones and writeOnly ones
 * are not), so what to keep is known per resource type before any request. This is
 * {@link projectResource}'s answer for that case computed from a plan made once per {@link TypeContext}:
 * no selection maps, no lower-cased key map per object, no closures per request.
 *
 * The general path matches names case-insensitively and answers with the schema's spelling, in schema
 * order. The plan reads names as the schema spells them (as stored resources hold them: validation
 * writes canonical names) and gives up — returns {@link FALLBACK} — when an object has a key that
 * differs from an attribute's name only in case, so every answer is the general path's, key order
 * included (`projection-default.test.ts` checks this on random resources).
 */

/** One sub-attribute of a complex attribute, as the default projection reads it. */
interface SubPlan {
  readonly name: string;
  /** `returned` is `always` or `default`, and the sub-attribute is not writeOnly. */
  readonly kept: boolean;
}

/** One attribute, as the default projection reads it. */
interface AttributePlan {
  readonly name: string;
  readonly kept: boolean;
  /** Complex: sub-attributes in schema order, and how to recognise a key in another case. */
  readonly subs: ComplexPlan | undefined;
}

interface ComplexPlan {
  readonly subs: readonly SubPlan[];
  /** Every sub-attribute's exact name. */
  readonly exact: ReadonlySet<string>;
  /** Every sub-attribute's lower-cased name. */
  readonly lower: ReadonlySet<string>;
}

interface ExtensionPlan {
  readonly id: string;
  readonly attributes: readonly AttributePlan[];
  readonly exact: ReadonlySet<string>;
  readonly lower: ReadonlySet<string>;
}

interface TypePlan {
  readonly attributes: readonly AttributePlan[];
  readonly extensions: readonly ExtensionPlan[];
  /** Attribute names and extension URNs as spelled by the schemas. */
  readonly exact: ReadonlySet<string>;
  /** The same, lower-cased. */
  readonly lower: ReadonlySet<string>;
}

/** A key differed from a name only in case: take the general path. */
export const FALLBACK: unique symbol = Symbol("projection: general path");

const plans = new WeakMap<TypeContext, TypePlan>();

/** RFC 7643 §2.4 and §7: returned by default (`always`/`default`), and readable (not writeOnly). */
function keptByDefault(attribute: AttributeDefinition): boolean {
  return (
    attribute.returned !== "never" &&
    attribute.mutability !== "writeOnly" &&
    (attribute.returned === "always" || attribute.returned === "default")
  );
}

function complexPlan(attribute: AttributeDefinition): ComplexPlan {
  const subs = (attribute.subAttributes ?? []).map((s) => ({ name: s.name, kept: keptByDefault(s) }));
  return {
    subs,
    exact: new Set(subs.map((s) => s.name)),
    lower: new Set(subs.map((s) => s.name.toLowerCase())),
  };
}

function attributePlans(attributes: Iterable<AttributeDefinition>): AttributePlan[] {
  return [...attributes].map((a) => ({
    name: a.name,
    kept: keptByDefault(a),
    subs: a.type === "complex" ? complexPlan(a) : undefined,
  }));
}

function planOf(context: TypeContext): TypePlan {
  let plan = plans.get(context);
  if (plan) return plan;
  const attributes = attributePlans(context.attributes.values());
  const extensions = [...context.extensions.values()].map((e) => {
    const list = attributePlans(e.attributes.values());
    return {
      id: e.schema.id,
      attributes: list,
      exact: new Set(list.map((a) => a.name)),
      lower: new Set(list.map((a) => a.name.toLowerCase())),
    };
  });
  const names = [...attributes.map((a) => a.name), ...extensions.map((e) => e.id)];
  plan = {
    attributes,
    extensions,
    exact: new Set(names),
    lower: new Set(names.map((n) => n.toLowerCase())),
  };
  plans.set(context, plan);
  return plan;
}

/** Whether a key of `value` names one of `exact` in another case (the general path reads it so). */
function hasCaseVariant(value: object, exact: ReadonlySet<string>, lower: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key) || exact.has(key)) continue;
    if (lower.has(key.toLowerCase())) return true;
  }
  return false;
}

function projectObject(
  value: Record<string, unknown>,
  plan: ComplexPlan,
): Record<string, unknown> | typeof FALLBACK {
  if (hasCaseVariant(value, plan.exact, plan.lower)) return FALLBACK;
  const out: Record<string, unknown> = {};
  for (const sub of plan.subs) {
    if (sub.kept && Object.hasOwn(value, sub.name)) out[sub.name] = value[sub.name];
  }
  return out;
}

/** A complex value (or each of a list's values) projected; FALLBACK when one needs the general path. */
function projectComplex(value: unknown, plan: ComplexPlan): unknown {
  if (!Array.isArray(value)) return isPlainObject(value) ? projectObject(value, plan) : value;
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isPlainObject(item)) {
      out[i] = item;
      continue;
    }
    const projected = projectObject(item, plan);
    if (projected === FALLBACK) return FALLBACK;
    out[i] = projected;
  }
  return out;
}

const NOTHING_ADDED: Record<string, unknown> = Object.freeze({});

/**
 * Copies the kept attributes of `source` (those of `added` in its place, as `{ ...source, ...added }`
 * would have them) into `out`; false when a value needs the general path.
 */
function copyAttributes(
  source: Record<string, unknown>,
  added: Record<string, unknown>,
  attributes: readonly AttributePlan[],
  out: Record<string, unknown>,
): boolean {
  for (const attribute of attributes) {
    if (!attribute.kept) continue;
    const name = attribute.name;
    let value: unknown;
    if (Object.hasOwn(added, name)) value = added[name];
    else if (Object.hasOwn(source, name)) value = source[name];
    else continue;
    if (value === undefined) continue;
    if (attribute.subs === undefined) {
      out[name] = value;
      continue;
    }
    const projected = projectComplex(value, attribute.subs);
    if (projected === FALLBACK) return false;
    if (projected !== undefined) out[name] = projected;
  }
  return true;
}

/**
 * The resource as returned without projection parameters (RFC 7643 §2.4), or {@link FALLBACK} when a
 * key is spelled in another case than the schema's and the general path must resolve it. With `added`
 * (what rendering adds: `id`, `meta`, derived attributes), the answer is that of `{ ...source, ...added }`
 * without making the copy.
 */
export function projectDefault(
  source: Record<string, unknown>,
  context: TypeContext,
  added: Record<string, unknown> = NOTHING_ADDED,
): Record<string, unknown> | typeof FALLBACK {
  const plan = planOf(context);
  if (hasCaseVariant(source, plan.exact, plan.lower) || hasCaseVariant(added, plan.exact, plan.lower))
    return FALLBACK;
  const out: Record<string, unknown> = {};
  if (!copyAttributes(source, added, plan.attributes, out)) return FALLBACK;
  for (const extension of plan.extensions) {
    const id = extension.id;
    const value = Object.hasOwn(added, id) ? added[id] : Object.hasOwn(source, id) ? source[id] : undefined;
    if (!isPlainObject(value)) continue;
    if (hasCaseVariant(value, extension.exact, extension.lower)) return FALLBACK;
    const extOut: Record<string, unknown> = {};
    if (!copyAttributes(value, NOTHING_ADDED, extension.attributes, extOut)) return FALLBACK;
    for (const _ in extOut) {
      out[extension.id] = extOut;
      break;
    }
  }
  return out;
}
