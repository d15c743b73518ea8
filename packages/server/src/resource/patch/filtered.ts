import { isScimError, ScimError } from "@scimkit/core";
import { compileFilter, type Filter, type FilterPredicate } from "@scimkit/filter";
import { isPlainObject } from "../context.js";
import { UNASSIGNED } from "../normalize.js";
import type { Run, Target } from "./run.js";
import { holder, read } from "./target.js";
import {
  checkedValue,
  checkMutability,
  checkSubMutability,
  resetPrimary,
  withoutSub,
  withSub,
} from "./values.js";

/** Conditions of an `and` of `eq` comparisons on sub-attributes: what an element created through the filter gets. */
function impliedValues(filter: Filter): Record<string, unknown> | undefined {
  const inner = filter.op === "valuePath" ? filter.filter : filter;
  const parts = inner.op === "and" ? inner.filters : [inner];
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    if (
      part.op !== "eq" ||
      part.path.uri !== undefined ||
      part.path.subAttribute !== undefined ||
      part.value === null
    )
      return undefined;
    out[part.path.attribute] = part.value;
  }
  return out;
}

/** Compiled value filters per resolved target (targets are cached per context, so this lives as long). */
const predicates = new WeakMap<Target, (element: unknown) => boolean>();

export function predicateFor(run: Run, target: Target): (element: unknown) => boolean {
  const memo = target.memo;
  if (memo?.predicate !== undefined) return memo.predicate;
  let cached = predicates.get(target);
  if (!cached) {
    cached = compilePredicate(run, target);
    predicates.set(target, cached);
  }
  if (memo !== undefined) memo.predicate = cached;
  return cached;
}

function compilePredicate(run: Run, target: Target): (element: unknown) => boolean {
  let predicate: FilterPredicate;
  try {
    predicate = compileFilter(target.filter as Filter, {
      resourceType: run.context.type.name,
      ...(run.options.bundle !== undefined && { bundle: run.context.registry }),
    });
  } catch (error) {
    if (isScimError(error)) throw ScimError.invalidPath(`"${target.filterText}": ${error.detail}`);
    throw error;
  }
  const key = target.attribute.name;
  const urn = target.extension?.schema.id;
  // The compiled filter tests a resource; give it one holding just this element.
  return (element) => predicate(urn === undefined ? { [key]: [element] } : { [urn]: { [key]: [element] } });
}

export function setFiltered(run: Run, op: "add" | "replace", target: Target, value: unknown): void {
  const h = holder(run, target.extension, true) as Record<string, unknown>;
  const { attribute, sub } = target;
  const current = read(h, attribute);
  const list = Array.isArray(current) ? current : [];
  const matches = predicateFor(run, target);
  const next = sub ? checkedValue(run, target, value, false) : checkedValue(run, target, value, true);
  const out: unknown[] = [];
  let matched = 0;
  for (const element of list) {
    if (!matches(element) || !isPlainObject(element)) {
      out.push(element);
      continue;
    }
    matched++;
    if (sub) {
      checkMutability(target, op, element[sub.name], next);
      out.push(withSub(element, sub, next));
    } else {
      checkMutability(target, op, element, next);
      if (isPlainObject(next)) checkSubMutability(target, element, next);
      if (!isPlainObject(next))
        throw ScimError.invalidValue(
          `"${target.where}" selects values of "${attribute.name}"; the value must be an object of its sub-attributes`,
        );
      // Strict: "all matching record values SHALL be replaced" (RFC 7644 §3.5.2.3); lenient: sub-attributes merge.
      out.push(run.strict && op === "replace" ? next : { ...element, ...next });
    }
  }
  if (matched === 0) {
    const implied = run.strict ? undefined : impliedValues(target.filter as Filter);
    if (implied === undefined) {
      throw ScimError.noTarget(
        `"${target.filterText}" matches no value of "${attribute.name}" (RFC 7644 §3.5.2.3)`,
      );
    }
    // Lenient: Entra ID adds `addresses[type eq "work"].streetAddress` to users without a work address.
    if (!sub && !isPlainObject(next))
      throw ScimError.invalidValue(
        `"${target.where}" selects values of "${attribute.name}"; the value must be an object of its sub-attributes`,
      );
    const created = sub
      ? { ...implied, ...(next === UNASSIGNED ? {} : { [sub.name]: next }) }
      : { ...implied, ...(next as object) };
    const checked = checkedValue(run, withoutSub(target), created, true) as unknown;
    // The new value must be one the filter selects: `ims[value eq "bogus"]` replaced with "other" would
    // otherwise append a value the request never named (RFC 7644 §3.5.2.3: no match is noTarget).
    if (!matches(checked)) {
      throw ScimError.noTarget(
        `"${target.filterText}" matches no value of "${attribute.name}", and the value given contradicts the filter, so no value can be added in its place (RFC 7644 §3.5.2.3)`,
      );
    }
    out.push(checked);
  }
  const freshPrimary = out.filter((v, i) => v !== list[i] && isPlainObject(v) && v.primary === true);
  h[attribute.name] = resetPrimary(out, freshPrimary, target.where);
}
