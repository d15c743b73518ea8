import { type AttributeDefinition, ScimError } from "@scimkit/core";
import { type ExtensionContext, isPlainObject, type TypeContext } from "../context.js";
import { label } from "../normalize.js";
import type { Run } from "./run.js";
import { deepEqual } from "./values.js";

/** What {@link finish} needs of a resource type, computed once per context. */
export interface Plan {
  readonly baseId: string;
  /** Multi-valued complex attributes of the base schema (the only ones a primary can repeat in). */
  readonly primaryAttributes: readonly AttributeDefinition[];
  readonly extensions: readonly {
    readonly ext: ExtensionContext;
    readonly primaryAttributes: readonly AttributeDefinition[];
  }[];
  readonly required: readonly ExtensionContext[];
  /** Lower-cased URNs of the base schema and the extensions. */
  readonly known: ReadonlySet<string>;
}

const plans = new WeakMap<TypeContext, Plan>();
const multiValuedComplex = (attributes: Iterable<AttributeDefinition>) =>
  [...attributes].filter((a) => a.multiValued && a.type === "complex");

let lastContext: TypeContext | undefined;
let lastPlan: Plan | undefined;

export function planOf(context: TypeContext): Plan {
  // The previous context answers without the WeakMap (one resource type at a time, usually).
  if (context === lastContext && lastPlan !== undefined) return lastPlan;
  let plan = plans.get(context);
  if (!plan) {
    const extensions = [...context.extensions.values()];
    plan = {
      baseId: context.base.id,
      primaryAttributes: multiValuedComplex(context.attributes.values()),
      extensions: extensions.map((ext) => ({
        ext,
        primaryAttributes: multiValuedComplex(ext.attributes.values()),
      })),
      required: extensions.filter((e) => e.required),
      known: new Set([context.base.id.toLowerCase(), ...context.extensions.keys()]),
    };
    plans.set(context, plan);
  }
  lastContext = context;
  lastPlan = plan;
  return plan;
}

/**
 * After every operation: `schemas` lists the extensions present (RFC 7644 §3.5.2), primary is single.
 * The one-primary rule (RFC 7643 §2.4) is checked only on attributes an operation wrote (`run.touched`)
 * and whose list is not the resource's own: the resource given is a stored one, valid when it was written
 * (validateResource or an earlier PATCH), and a value the run left alone is the caller's own object,
 * unchanged (the property tests in resource/properties.test.ts check that every result of a valid
 * resource validates).
 */
export function finish(run: Run, plan: Plan = planOf(run.context)): void {
  const { context, resource, source } = run;
  const present: string[] = [];
  for (const { ext, primaryAttributes } of plan.extensions) {
    const id = ext.schema.id;
    const value = resource[id];
    if (isPlainObject(value) && hasOwnKey(value)) {
      present.push(id);
      const before = source[id];
      if (run.touched.length > 0 && value !== before)
        checkPrimaries(
          primaryAttributes,
          run.touched,
          value,
          isPlainObject(before) ? before : NOTHING,
          `${id}:`,
        );
    } else if (value !== undefined) {
      delete resource[id];
    }
  }
  if (run.touched.length > 0) checkPrimaries(plan.primaryAttributes, run.touched, resource, source, "");
  const schemas = resource.schemas;
  if (!isCanonicalSchemas(schemas, plan.baseId, present)) {
    const before = Array.isArray(schemas)
      ? (schemas as unknown[]).filter((s): s is string => typeof s === "string")
      : [];
    const others = before.filter((s) => !plan.known.has(s.toLowerCase()));
    const next = [plan.baseId, ...present, ...others];
    if (!deepEqual(before, next)) resource.schemas = next;
  }
  for (const ext of plan.required) {
    if (run.hadExtension.has(ext.schema.id) && !present.includes(ext.schema.id)) {
      throw ScimError.mutability(
        `the ${ext.schema.name} extension is required for ${context.type.name}; its attributes cannot all be removed`,
      );
    }
  }
}

const NOTHING: Record<string, unknown> = Object.freeze({});

/** Whether `schemas` is exactly the base URN then the present extensions: nothing to change (the usual case). */
function isCanonicalSchemas(schemas: unknown, baseId: string, present: readonly string[]): boolean {
  if (!Array.isArray(schemas) || schemas.length !== present.length + 1 || schemas[0] !== baseId) return false;
  for (let i = 0; i < present.length; i++) if (schemas[i + 1] !== present[i]) return false;
  return true;
}

/**
 * RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once", checked over the
 * multi-valued complex attributes written (`touched`) whose list is not the one `before` holds (the same rule and message as
 * validation's check). `primary` is read before the plain-object test, so values that are not primary
 * cost one property read.
 */
function checkPrimaries(
  attributes: readonly AttributeDefinition[],
  touched: readonly AttributeDefinition[],
  object: Record<string, unknown>,
  before: Record<string, unknown>,
  prefix: string,
): void {
  // One attribute written (the usual case): no walk over the others.
  const only = touched.length === 1 ? touched[0] : undefined;
  if (only !== undefined && !attributes.includes(only)) return;
  for (const attribute of only === undefined ? attributes : touched) {
    if (only === undefined && !touched.includes(attribute)) continue;
    const values = object[attribute.name];
    if (!Array.isArray(values) || values === before[attribute.name]) continue;
    let primaries = 0;
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (
        typeof v === "object" &&
        v !== null &&
        (v as { primary?: unknown }).primary === true &&
        isPlainObject(v)
      )
        primaries++;
    }
    if (primaries > 1) {
      throw ScimError.invalidValue(
        `"${label(prefix, attribute.name)}" has ${primaries} values with "primary": true; at most one may be primary (RFC 7643 §2.4)`,
      );
    }
  }
}

/** Whether an object has an own enumerable key (Object.keys(value).length > 0, without building the list). */
function hasOwnKey(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
