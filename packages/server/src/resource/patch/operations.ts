import { type AttributeDefinition, isForbiddenKey, ScimError } from "@scimkit/core";
import { type ExtensionContext, isPlainObject } from "../context.js";
import { clip, UNASSIGNED } from "../normalize.js";
import { checkNotOtherResourceType } from "../schemas-list.js";
import { setFiltered } from "./filtered.js";
import { remove } from "./remove.js";
import { type Op, type Operation, type Run, type Target, touch } from "./run.js";
import { checkSchemasOperation, isSchemas } from "./schemas-operation.js";
import { deleteAttribute, holder, lookupTarget, read, readTarget, resolveTarget } from "./target.js";
import {
  checkedValue,
  checkMutability,
  checkSubMutability,
  deepEqual,
  identifiedByValue,
  rejectReadOnly,
  resetPrimary,
  sameValue,
  ValueIndex,
  withSub,
} from "./values.js";

export function applyOperation(run: Run, operation: Operation): void {
  if (operation.path === undefined) {
    if (operation.op === "remove") throw ScimError.noTarget('"remove" needs a "path" (RFC 7644 §3.5.2.2)');
    applyPathless(run, operation.op, operation.value);
    return;
  }
  if (operation.op !== "remove" && operation.value === undefined) {
    throw ScimError.invalidValue(`"${operation.op}" needs a "value" (RFC 7644 §3.5.2.1)`);
  }
  const target = resolveTarget(run, operation.path);
  if ("extensionOnly" in target) {
    applyToExtension(run, operation.op, target.extensionOnly, operation.value);
    return;
  }
  if (operation.op === "remove") {
    remove(run, target, operation.value);
    return;
  }
  set(run, operation.op, target, operation.value);
  return;
}

/** Path-less add/replace: every key of the value is applied as if it were the path (RFC 7644 §3.5.2.1, §3.5.2.3). */
export function applyPathless(run: Run, op: "add" | "replace", value: unknown): void {
  if (!isPlainObject(value))
    throw ScimError.invalidValue(
      `a path-less "${op}" needs an object of attributes as its "value" (RFC 7644 §3.5.2.1)`,
    );
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key)) {
      if (run.strict)
        throw ScimError.invalidValue(`"${key}" is not an attribute of ${run.context.type.name}`);
      continue;
    }
    const lower = key.toLowerCase();
    const extension = run.context.extensions.get(lower);
    if (extension) {
      applyToExtension(run, op, extension, value[key]);
      continue;
    }
    const attribute = run.context.attributes.get(lower);
    if (lower === "schemas") {
      // Kept in step with the attributes present (RFC 7644 §3.5.2); lenient mode ignores what is sent,
      // unless it names another resource type: that is the wrong endpoint, not a quirk.
      if (run.strict)
        checkSchemasOperation(
          run,
          op,
          { attribute: attribute as AttributeDefinition, where: "schemas" },
          value[key],
        );
      else checkNotOtherResourceType(run.context, value[key]);
      continue;
    }
    if (!attribute && run.strict)
      throw ScimError.invalidValue(
        `"${clip(key)}" is not an attribute of ${run.context.type.name}; a path-less value holds attributes by name, extension attributes under their schema URN (RFC 7644 §3.5.2.1)`,
      );
    // Lenient: Entra ID sends {"name.givenName": "x"} and URN-qualified keys in path-less values. A key
    // that names no attribute is ignored, as an unknown attribute of a create or replace body is.
    const target = attribute ? resolveTarget(run, key) : lookupTarget(run, key);
    if (target instanceof ScimError) continue;
    if ("extensionOnly" in target) {
      applyToExtension(run, op, target.extensionOnly, value[key]);
      continue;
    }
    if (!run.strict && (target.sub ?? target.attribute).mutability === "readOnly") {
      // Okta sends the unchanged "id" (and sometimes meta) back in a path-less replace.
      const current = readTarget(run, target);
      if (current === undefined || deepEqual(current, value[key])) continue;
    }
    set(run, op, target, value[key]);
  }
}

/** add/replace/remove whose path is an extension URN: the value holds the extension's attributes. */
export function applyToExtension(run: Run, op: Op, extension: ExtensionContext, value: unknown): void {
  if (op === "remove") {
    const h = holder(run, extension, false);
    if (!h) return;
    for (const attribute of extension.attributes.values()) {
      if (attribute.name in h)
        remove(run, { attribute, extension, where: `${extension.schema.id}:${attribute.name}` }, undefined);
    }
    return;
  }
  if (!isPlainObject(value))
    throw ScimError.invalidValue(`"${extension.schema.id}" needs an object of the extension's attributes`);
  for (const key of Object.keys(value)) {
    const attribute = isForbiddenKey(key) ? undefined : extension.attributes.get(key.toLowerCase());
    if (!attribute) {
      if (run.strict)
        throw ScimError.invalidValue(
          `"${extension.schema.id}:${clip(key)}" is not an attribute of the ${extension.schema.name} extension`,
        );
      continue;
    }
    set(run, op, { attribute, extension, where: `${extension.schema.id}:${attribute.name}` }, value[key]);
  }
}

/** Whether `values` holds one {@link sameValue} calls equal to `value`; what depends on `value` alone is computed once. */
function includesSame(attribute: AttributeDefinition, values: readonly unknown[], value: unknown): boolean {
  if (attribute.type === "complex" && isPlainObject(value)) {
    const byValue = identifiedByValue(value);
    for (const existing of values) {
      if (byValue && isPlainObject(existing) && "value" in existing) {
        if (
          deepEqual(existing.value, value.value) &&
          (existing.type === undefined || value.type === undefined || existing.type === value.type)
        )
          return true;
      } else if (deepEqual(existing, value)) return true;
    }
    return false;
  }
  for (const existing of values) if (sameValue(attribute, existing, value)) return true;
  return false;
}

export function set(run: Run, op: "add" | "replace", target: Target, value: unknown): void {
  if (isSchemas(target)) {
    checkSchemasOperation(run, op, target, value);
    return;
  }
  rejectReadOnly(target, op);
  touch(run, target);
  if (target.filter !== undefined) {
    setFiltered(run, op, target, value);
    return;
  }
  const h = holder(run, target.extension, true) as Record<string, unknown>;
  const { attribute, sub } = target;
  const current = read(h, attribute);

  if (sub) {
    // attr.sub: on a single complex attribute, set the sub-attribute; on a multi-valued one, on every value.
    const next = checkedValue(run, target, value, false);
    if (attribute.multiValued) {
      if (!Array.isArray(current) || current.length === 0) {
        throw ScimError.noTarget(
          `"${target.where}": "${attribute.name}" has no values to set "${sub.name}" on; use a value filter or add whole values`,
        );
      }
      checkMutability(
        target,
        op,
        current.map((v) => (isPlainObject(v) ? v[sub.name] : undefined)).find((v) => v !== undefined),
        next,
      );
      h[attribute.name] = current.map((v) => (isPlainObject(v) ? withSub(v, sub, next) : v));
      if (sub.name === "primary" && next === true && current.length > 1) {
        throw ScimError.invalidValue(
          `"${target.where}": setting "primary" on every value of "${attribute.name}" would make more than one primary`,
        );
      }
      return;
    }
    const object = isPlainObject(current) ? current : undefined;
    checkMutability(target, op, object === undefined ? undefined : object[sub.name], next);
    h[attribute.name] = withSub(object ?? {}, sub, next);
    return;
  }

  if (attribute.multiValued) {
    const values = checkedValue(run, target, value, false);
    checkMutability(target, op, current, values);
    if (values === UNASSIGNED) {
      if (op === "replace" && current !== undefined) deleteAttribute(run, h, target);
      return;
    }
    const incoming = values as unknown[];
    if (op === "replace" || !Array.isArray(current)) {
      h[attribute.name] = resetPrimary(incoming, incoming, target.where);
      return;
    }
    // add: append values not already present (RFC 7644 §3.5.2.1: adding a value already there changes nothing).
    // Spread, not slice(): slice() of a frozen array (a frozen stored resource) takes V8's slow path.
    const merged = [...current];
    if (current.length * incoming.length <= 64) {
      // Few values: compare pairwise; the index (below) pays off only for large lists.
      for (const v of incoming) if (!includesSame(attribute, merged, v)) merged.push(v);
    } else {
      const index = new ValueIndex(attribute, "stored");
      for (const existing of merged) index.add(existing);
      for (const v of incoming) {
        if (index.has(v)) continue;
        merged.push(v);
        index.add(v);
      }
    }
    h[attribute.name] = resetPrimary(merged, incoming, target.where);
    return;
  }

  const next = checkedValue(run, target, value, false);
  checkMutability(target, op, current, next);
  if (next === UNASSIGNED) {
    if (op === "replace" && current !== undefined) deleteAttribute(run, h, target);
    return;
  }
  if (attribute.type === "complex" && isPlainObject(current) && isPlainObject(next))
    checkSubMutability(target, current, next);
  // A complex value merges: sub-attributes not given are left unchanged (RFC 7644 §3.5.2.1, §3.5.2.3).
  h[attribute.name] =
    attribute.type === "complex" && isPlainObject(current) && isPlainObject(next)
      ? { ...current, ...next }
      : next;
}
