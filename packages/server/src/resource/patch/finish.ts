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

export function planOf(context: TypeContext): Plan {
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
  return plan;
}

/** After every operation: `schemas` lists the extensions present (RFC 7644 §3.5.2), primary is single. */
export function finish(run: Run, plan: Plan = planOf(run.context)): void {
  const { context, resource } = run;
  const present: string[] = [];
  for (const { ext, primaryAttributes } of plan.extensions) {
    const value = resource[ext.schema.id];
    if (isPlainObject(value) && hasOwnKey(value)) {
      present.push(ext.schema.id);
      checkPrimaries(primaryAttributes, value, `${ext.schema.id}:`);
    } else if (value !== undefined) {
      delete resource[ext.schema.id];
    }
  }
  checkPrimaries(plan.primaryAttributes, resource, "");
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

/** Whether `schemas` is exactly the base URN then the present extensions: nothing to change (the usual case). */
function isCanonicalSchemas(schemas: unknown, baseId: string, present: readonly string[]): boolean {
  if (!Array.isArray(schemas) || schemas.length !== present.length + 1 || schemas[0] !== baseId) return false;
  for (let i = 0; i < present.length; i++) if (schemas[i + 1] !== present[i]) return false;
  return true;
}

/**
 * Frozen lists of frozen values already found to hold at most one primary: neither the list nor a value's
 * `primary` (a data property, as JSON has) nor its prototype can change, so an unchanged list of a frozen
 * stored resource is checked once.
 */
const singlePrimary = new WeakSet<readonly unknown[]>();

/**
 * RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once", checked over every
 * multi-valued complex attribute (the same rule and message as validation's check). `primary` is read
 * before the plain-object test, so values that are not primary cost one property read.
 */
function checkPrimaries(
  attributes: readonly AttributeDefinition[],
  object: Record<string, unknown>,
  prefix: string,
): void {
  for (const attribute of attributes) {
    const values = object[attribute.name];
    if (!Array.isArray(values)) continue;
    if (singlePrimary.has(values)) continue;
    let primaries = 0;
    let immutable = Object.isFrozen(values);
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (typeof v !== "object" || v === null) continue;
      if (immutable && !Object.isFrozen(v)) immutable = false;
      if ((v as { primary?: unknown }).primary === true && isPlainObject(v)) primaries++;
    }
    if (primaries <= 1 && immutable) singlePrimary.add(values);
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
