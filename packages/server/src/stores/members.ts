import { ScimError } from "@scimkit/core";
import type { StoreScope } from "./store.js";

/**
 * The `members` attribute (RFC 7643 §4.2) as stores read it: a JSON array of objects whose `value` is
 * the id of a member and whose optional `type` names its resource type. Stores index these values so
 * that a member's groups (§4.1.2 `groups`), cascading deletes and member checks need no scan.
 */
export const MEMBERS = "members";

/** The member ids of `data.members` with the `type` each entry gives (first entry wins on duplicates). */
export function memberValues(data: Record<string, unknown> | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const members = data?.[MEMBERS];
  if (!Array.isArray(members)) return out;
  for (const entry of members) {
    if (typeof entry !== "object" || entry === null) continue;
    const { value, type } = entry as { value?: unknown; type?: unknown };
    if (typeof value === "string" && !out.has(value))
      out.set(value, typeof type === "string" ? type : undefined);
  }
  return out;
}

/** What a write changes in a resource's members: ids new to it (with their `type` hints) and ids gone. */
export function memberChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): { added: Map<string, string | undefined>; removed: string[] } {
  const old = memberValues(before);
  const next = memberValues(after);
  const added = new Map<string, string | undefined>();
  for (const [id, type] of next) if (!old.has(id)) added.set(id, type);
  const removed = [...old.keys()].filter((id) => !next.has(id));
  return { added, removed };
}

/** The resource types a lookup of new members searches: the write's `memberTypes`, else every type. */
export function candidateTypes(scope: StoreScope, memberTypes: readonly string[] | undefined): string[] {
  const all = scope.registry.bundle.resourceTypes.map((t) => t.name);
  if (memberTypes === undefined) return all;
  return memberTypes
    .map((name) => scope.registry.resourceType(name)?.name ?? name)
    .filter((name, i, list) => list.indexOf(name) === i);
}

/**
 * Resolves new members against the resources found: each id's type is the one its entry names (when
 * that is a candidate type, compared case-insensitively) or else the first candidate type that has
 * it. With `memberTypes` given, an id no candidate has is a 400 `invalidValue` naming it (RFC 7643
 * §4.2: `value` is the id of a SCIM resource); without, such ids are simply not indexed.
 */
export function resolveMembers(
  scope: StoreScope,
  added: ReadonlyMap<string, string | undefined>,
  found: ReadonlyMap<string, ReadonlySet<string>>,
  types: readonly string[],
  checked: boolean,
): [id: string, type: string][] {
  const resolved: [string, string][] = [];
  const unknown: { id: string; type: string | undefined }[] = [];
  for (const [id, hint] of added) {
    const have = found.get(id);
    const named = hint === undefined ? undefined : types.find((t) => t.toLowerCase() === hint.toLowerCase());
    const type =
      named !== undefined ? (have?.has(named) ? named : undefined) : types.find((t) => have?.has(t));
    if (type !== undefined) resolved.push([id, type]);
    else unknown.push({ id, type: named });
  }
  if (checked && unknown.length > 0) throw unknownMembers(scope, unknown, types);
  return resolved;
}

function unknownMembers(
  scope: StoreScope,
  unknown: readonly { id: string; type: string | undefined }[],
  types: readonly string[],
): ScimError {
  const shown = unknown.slice(0, 5).map((u) => `"${u.id}"${u.type === undefined ? "" : ` (type ${u.type})`}`);
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : "";
  const kinds = types.length === 0 ? "resource" : types.join(" or ");
  return ScimError.invalidValue(
    `"members" value ${shown.join(", ")}${more} is not the id of a ${kinds} of this tenant; a ${scope.resourceType}'s members must exist (RFC 7643 §4.2)`,
  );
}

/**
 * `data` without the member `id` (`undefined` when it was not a member); an emptied list is removed,
 * as a PATCH removing the last member leaves it.
 */
export function withoutMember(
  data: Record<string, unknown>,
  id: string,
): Record<string, unknown> | undefined {
  const members = data[MEMBERS];
  if (!Array.isArray(members)) return undefined;
  const kept = members.filter(
    (m) => !(typeof m === "object" && m !== null && (m as { value?: unknown }).value === id),
  );
  if (kept.length === members.length) return undefined;
  const next = { ...data };
  if (kept.length === 0) delete next[MEMBERS];
  else next[MEMBERS] = kept;
  return next;
}

/**
 * The name a membership shows as `display` (RFC 7643 §4.1.2, §4.2): the resource's `displayName`, or
 * its `userName` when it has none. Derived when rendered, so a rename shows at once.
 */
export function displayOf(data: Record<string, unknown>): string | undefined {
  if (typeof data.displayName === "string") return data.displayName;
  if (typeof data.userName === "string") return data.userName;
  return undefined;
}
