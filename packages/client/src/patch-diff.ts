/**
 * `diff(before, after)`: the PatchOp operations (RFC 7644 §3.5.2) that turn one resource into another,
 * computed the way an identity provider computes updates.
 */

import { deepEqual, isObject, type Json } from "./json.js";
import type { PatchOperation } from "./patch-operation.js";

/** Options of {@link diff}. */
export interface DiffOptions {
  /**
   * Top-level attributes never compared, in addition to the readOnly/common ones that are always
   * ignored (`id`, `meta`, `schemas`, `groups`). Compared case-sensitively.
   */
  ignore?: readonly string[];
}

/** Attributes a client never sends in a PATCH: readOnly or common attributes. */
const ALWAYS_IGNORED: readonly string[] = ["id", "meta", "schemas", "groups"];

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** A filter literal: strings as JSON strings (RFC 7644 §3.4.2.2), numbers and booleans bare. */
function literal(value: string | number | boolean): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

type Key = string | number | boolean;

interface Identified {
  key: string;
  /** The value filter selecting exactly this element. */
  filter: string;
  element: Json;
}

function isKey(value: unknown): value is Key {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Identifies each element by `value` (and `type` when present). Undefined when the elements cannot be
 * identified: a non-object element, a missing or non-primitive `value`, or two elements whose `value`
 * is equal ignoring case (a server's `eq` may compare case-insensitively, so the filter would not be
 * exact).
 */
function identify(elements: readonly unknown[]): Identified[] | undefined {
  const seen = new Set<string>();
  const result: Identified[] = [];
  for (const element of elements) {
    if (!isObject(element)) return undefined;
    const value = element.value;
    if (!isKey(value)) return undefined;
    const folded = typeof value === "string" ? `s${value.toLowerCase()}` : `${typeof value}${String(value)}`;
    if (seen.has(folded)) return undefined;
    seen.add(folded);
    const type = element.type;
    if (!absent(type) && !isKey(type)) return undefined;
    const hasType = isKey(type);
    result.push({
      key: JSON.stringify([value, hasType ? type : null]),
      filter: `value eq ${literal(value)}${hasType ? ` and type eq ${literal(type)}` : ""}`,
      element,
    });
  }
  return result;
}

interface Collector {
  removes: PatchOperation[];
  writes: PatchOperation[];
}

function diffMultiValued(
  path: string,
  before: readonly unknown[],
  after: readonly unknown[],
  out: Collector,
): void {
  if (after.length === 0) {
    out.removes.push({ op: "remove", path });
    return;
  }
  const left = identify(before);
  const right = identify(after);
  if (left === undefined || right === undefined) {
    out.writes.push({ op: "replace", path, value: after });
    return;
  }
  const kept = new Map(right.map((item) => [item.key, item]));
  const old = new Map(left.map((item) => [item.key, item]));
  for (const item of left) {
    const next = kept.get(item.key);
    if (next === undefined || !deepEqual(item.element, next.element))
      out.removes.push({ op: "remove", path: `${path}[${item.filter}]` });
  }
  const added = right.filter((item) => {
    const previous = old.get(item.key);
    return previous === undefined || !deepEqual(previous.element, item.element);
  });
  if (added.length > 0) out.writes.push({ op: "add", path, value: added.map((item) => item.element) });
}

function diffValue(
  path: string,
  before: unknown,
  after: unknown,
  complexAllowed: boolean,
  out: Collector,
): void {
  if (absent(after)) {
    if (!absent(before)) out.removes.push({ op: "remove", path });
    return;
  }
  if (absent(before)) {
    if (Array.isArray(after) && after.length === 0) return;
    if (isObject(after) && Object.values(after).every(absent)) return;
    out.writes.push({ op: Array.isArray(after) ? "add" : "replace", path, value: after });
    return;
  }
  if (deepEqual(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    diffMultiValued(path, before, after, out);
    return;
  }
  if (complexAllowed && isObject(before) && isObject(after)) {
    for (const key of union(before, after)) diffValue(`${path}.${key}`, before[key], after[key], false, out);
    return;
  }
  out.writes.push({ op: "replace", path, value: after });
}

function union(a: Json, b: Json): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** True for a schema URN key such as `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
function isUrn(key: string): boolean {
  return key.toLowerCase().startsWith("urn:");
}

/**
 * Computes a minimal PatchOp operation list (RFC 7644 §3.5.2) turning `before` into `after`:
 *
 * - a changed simple attribute → `replace` with its path; a removed one → `remove`;
 * - a single complex attribute → per sub-attribute `replace`/`remove` (`name.givenName`);
 * - a multi-valued attribute whose elements are identified by `value` (and `type` when present) →
 *   `remove` of dropped or changed elements with a value filter (`emails[value eq "a@example.com"]`,
 *   strings escaped as JSON strings per RFC 7644 §3.4.2.2), then one `add` of new or changed
 *   elements; when the elements cannot be identified, a whole-attribute `replace` (or `remove` when
 *   `after` has none). Element order is not preserved (multi-valued attributes are unordered,
 *   RFC 7643 §2.4);
 * - extension attributes under their URN key → URN-qualified paths
 *   (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`);
 * - `id`, `meta`, `schemas`, `groups` and `options.ignore` are never compared.
 *
 * Attribute names are compared case-sensitively as given (SCIM names are case-insensitive, so pass
 * both resources with the server's spelling, e.g. both as returned by `get`). `null` counts as
 * absent. Removals come first, then adds and replaces. An empty list means nothing changed.
 *
 * @example
 * const ops = diff(user, { ...user, displayName: "Babs", emails: [{ value: "babs@example.com" }] });
 * await client.users.patch(user.id, ops);
 */
export function diff<T extends object>(before: T, after: T, options: DiffOptions = {}): PatchOperation[] {
  const ignored = new Set([...ALWAYS_IGNORED, ...(options.ignore ?? [])]);
  const a = before as Json;
  const b = after as Json;
  const out: Collector = { removes: [], writes: [] };
  for (const key of union(a, b)) {
    if (ignored.has(key)) continue;
    const left = a[key];
    const right = b[key];
    if (isUrn(key) && (isObject(left) || isObject(right)) && !Array.isArray(left) && !Array.isArray(right)) {
      const l = isObject(left) ? left : {};
      const r = isObject(right) ? right : {};
      for (const sub of union(l, r)) diffValue(`${key}:${sub}`, l[sub], r[sub], true, out);
      continue;
    }
    diffValue(key, left, right, true, out);
  }
  return [...out.removes, ...out.writes];
}
