/**
 * The target as planning needs it, read once and paged (RFC 7644 §3.4.2.4): users by key (without
 * `meta` and `groups`, which matching and diffing do not use), groups by displayName with their member
 * ids, and, for deactivateMissing, the ids inside the scope filter (evaluated by the server).
 */
import type { ScimClient } from "@scimkit/client";
import { copyOf } from "../copy.js";
import type { GroupRef, JsonObject, SyncKey } from "../types.js";

/** A target user; `seen` is the source row that matched it. */
export interface IndexedUser {
  id: string;
  user: JsonObject;
  seen: number | undefined;
}

/** A target group (or one this run creates) and its members' ids. */
export interface IndexedGroup {
  ref: GroupRef;
  members: Set<string>;
}

export interface TargetIndex {
  users: Map<string, IndexedUser>;
  /** Groups by lower-cased displayName (RFC 7643 §4.2: displayName is caseExact false). */
  groups: Map<string, IndexedGroup>;
  /** Lower-cased displayNames of the groups each user id belongs to. */
  memberOf: Map<string, string[]>;
  /** Ids of users within the scope; `undefined` unless deactivateMissing. */
  inScope: Set<string> | undefined;
  userCount: number;
}

const PAGE = 500;

/** Normalizes a key value for matching: `caseExact` false compares case-insensitively (RFC 7643 §2.5). */
export const normalizeKey = (value: string, caseExact: boolean) => (caseExact ? value : value.toLowerCase());

export async function readTarget(
  client: ScimClient,
  options: {
    key: SyncKey;
    caseExact: boolean;
    scope: string | undefined;
    deactivateMissing: boolean;
    groups: boolean;
  },
): Promise<TargetIndex> {
  const users = new Map<string, IndexedUser>();
  let userCount = 0;
  for await (const resource of client.users.iterate({
    count: PAGE,
    excludedAttributes: ["meta", "groups"],
  })) {
    userCount++;
    const user = copyOf(resource as JsonObject, ["meta", "groups"]);
    const value = user[options.key];
    if (typeof value !== "string" || typeof user.id !== "string") continue;
    users.set(normalizeKey(value, options.caseExact), { id: user.id, user, seen: undefined });
  }
  const groups = new Map<string, IndexedGroup>();
  const memberOf = new Map<string, string[]>();
  if (options.groups) await readGroups(client, groups, memberOf);
  let inScope: Set<string> | undefined;
  if (options.deactivateMissing) {
    inScope = new Set();
    const query = {
      count: PAGE,
      attributes: ["id"],
      ...(options.scope === undefined ? {} : { filter: options.scope }),
    };
    for await (const u of client.users.iterate(query)) {
      const id = (u as JsonObject).id;
      if (typeof id === "string") inScope.add(id);
    }
  }
  return { users, groups, memberOf, inScope, userCount };
}

async function readGroups(
  client: ScimClient,
  groups: Map<string, IndexedGroup>,
  memberOf: Map<string, string[]>,
): Promise<void> {
  for await (const group of client.groups.iterate({ count: PAGE, attributes: ["displayName", "members"] })) {
    const g = group as JsonObject;
    if (typeof g.displayName !== "string" || typeof g.id !== "string") continue;
    const lower = g.displayName.toLowerCase();
    const members = new Set<string>();
    for (const m of Array.isArray(g.members) ? g.members : [])
      if (m !== null && typeof m === "object" && typeof (m as JsonObject).value === "string") {
        const id = (m as JsonObject).value as string;
        members.add(id);
        const list = memberOf.get(id);
        if (list === undefined) memberOf.set(id, [lower]);
        else list.push(lower);
      }
    groups.set(lower, { ref: { displayName: g.displayName, id: g.id }, members });
  }
}
