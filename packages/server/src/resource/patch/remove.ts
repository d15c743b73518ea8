import { type AttributeDefinition, ScimError } from "@scimkit/core";
import { isPlainObject, subAttributesOf } from "../context.js";
import { UNASSIGNED } from "../normalize.js";
import { predicateFor } from "./filtered.js";
import { type Run, type Target, touch } from "./run.js";
import { checkSchemasOperation, isSchemas } from "./schemas-operation.js";
import { deleteAttribute, holder, read } from "./target.js";
import {
  checkedValue,
  checkMutability,
  deepEqual,
  identifiedByValue,
  rejectReadOnly,
  ValueIndex,
  withSub,
} from "./values.js";

export function remove(run: Run, target: Target, value: unknown): void {
  if (isSchemas(target)) {
    checkSchemasOperation(run, "remove", target, value);
    return;
  }
  rejectReadOnly(target, "remove");
  touch(run, target);
  const h = holder(run, target.extension, false);
  if (!h) return;
  const { attribute, sub } = target;
  const current = read(h, attribute);
  if (current === undefined) return;

  if (target.filter !== undefined) {
    if (!Array.isArray(current)) return;
    const matches = predicateFor(run, target);
    const out: unknown[] = [];
    for (let i = 0; i < current.length; i++) {
      const element: unknown = current[i];
      if (!matches(element)) {
        out.push(element);
        continue;
      }
      if (sub) {
        if (!isPlainObject(element) || !(sub.name in element)) {
          out.push(element);
          continue;
        }
        checkMutability(target, "remove", element[sub.name], undefined);
        out.push(withSub(element, sub, UNASSIGNED));
      } else {
        checkMutability(target, "remove", element, undefined);
      }
    }
    // No match: nothing to remove, success (RFC 7644 §3.5.2.2 example: "If the user was not a member ... no changes").
    if (out.length === 0) deleteAttribute(run, h, target);
    else h[attribute.name] = out;
    return;
  }

  if (value !== undefined && attribute.multiValued && !sub) {
    if (run.strict)
      throw ScimError.invalidSyntax(
        `"remove" of "${target.where}" takes no "value"; select values with a filter, e.g. ${attribute.name}[value eq "…"] (RFC 7644 §3.5.2.2)`,
      );
    // Lenient: Entra ID removes group members with {"op":"Remove","path":"members","value":[{"value":"id"}]}.
    const listed = checkedValue(run, target, value, false);
    if (listed === UNASSIGNED)
      throw ScimError.invalidValue(
        `"remove" of "${target.where}" with a "value" needs the values to remove; to remove every value, send no "value" (RFC 7644 §3.5.2.2)`,
      );
    if (!Array.isArray(current)) return;
    // Values identified by `value` go through an index (50,000 members removed from 50,000 stay linear).
    const index = new ValueIndex(attribute, "given");
    const partial: Record<string, unknown>[] = [];
    for (const v of listed as unknown[]) {
      if (attribute.type !== "complex" || !isPlainObject(v) || identifiedByValue(v)) index.add(v);
      else if (Object.keys(v).length > 0) partial.push(v);
      else
        throw ScimError.invalidValue(
          `"remove" of "${target.where}": a value names none of the sub-attributes of "${attribute.name}", so it selects nothing to remove`,
        );
    }
    const out = current.filter(
      (existing) =>
        !index.has(existing) && !partial.some((v) => selectsBySubAttributes(attribute, v, existing)),
    );
    if (out.length === current.length) return;
    checkMutability(target, "remove", current, undefined);
    if (out.length === 0) deleteAttribute(run, h, target);
    else h[attribute.name] = out;
    return;
  }

  if (sub) {
    if (attribute.multiValued) {
      if (!Array.isArray(current)) return;
      h[attribute.name] = current.map((v) => {
        if (!isPlainObject(v) || !(sub.name in v)) return v;
        checkMutability(target, "remove", v[sub.name], undefined);
        return withSub(v, sub, UNASSIGNED);
      });
      return;
    }
    if (!isPlainObject(current) || !(sub.name in current)) return;
    checkMutability(target, "remove", current[sub.name], undefined);
    const next = withSub(current, sub, UNASSIGNED);
    if (Object.keys(next).length === 0) deleteAttribute(run, h, target);
    else h[attribute.name] = next;
    return;
  }
  checkMutability(target, "remove", current, undefined);
  deleteAttribute(run, h, target);
}

/**
 * Whether a complex value given to a lenient `remove` selects a stored value by every sub-attribute it
 * gives (`{ "type": "home" }` selects each home email), compared with each sub-attribute's caseExact.
 * Member-like values (`value` with `type`, `display`, `$ref`) are matched by the index instead, as
 * `add` matches them.
 */
function selectsBySubAttributes(
  attribute: AttributeDefinition,
  given: Record<string, unknown>,
  stored: unknown,
): boolean {
  if (!isPlainObject(stored)) return false;
  const keys = Object.keys(given);
  const subs = subAttributesOf(attribute);
  return keys.every((key) => {
    const a = stored[key];
    const b = given[key];
    if (typeof a === "string" && typeof b === "string" && subs.get(key.toLowerCase())?.caseExact === false)
      return a.toLowerCase() === b.toLowerCase();
    return deepEqual(a, b);
  });
}
