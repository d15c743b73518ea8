/**
 * Group membership planning: groups named by the source that the target lacks are created, and each
 * source user that carries `groups` gets exactly those memberships among the groups the source names
 * anywhere (added where missing, removed from the other named groups); groups the source never names
 * (managed by other means) are left alone. Changes are batched per group in chunks.
 */
import type { PlannedAction } from "../types.js";
import { PendingAdds } from "./pending-adds.js";
import type { IndexedGroup, TargetIndex } from "./target-index.js";

/** Member changes per PATCH of one group. */
export const MEMBER_CHUNK = 1000;

interface Pending {
  add: PendingAdds;
  remove: string[];
}

export class MembershipPlanner {
  private readonly pending = new Map<IndexedGroup, Pending>();
  /** Each group's add store, emptied by a flush and reused by its next chunk (see ./pending-adds.ts). */
  private readonly stores = new Map<IndexedGroup, PendingAdds>();
  /** Lower-cased displayNames the source has named so far: the groups it manages. */
  private readonly named = new Set<string>();
  /** Removals from groups not (yet) named: applied at the end only if some later row names the group. */
  private readonly deferred = new Map<IndexedGroup, string[]>();

  constructor(private readonly index: TargetIndex) {}

  private pendingOf(group: IndexedGroup): Pending {
    let p = this.pending.get(group);
    if (p === undefined) {
      let add = this.stores.get(group);
      if (add === undefined) {
        add = new PendingAdds();
        this.stores.set(group, add);
      }
      p = { add, remove: [] };
      this.pending.set(group, p);
    }
    return p;
  }

  /** The actions for one user: group creations now, member changes when a group's chunk is full. */
  *user(key: string, id: string | undefined, wanted: readonly string[]): Iterable<PlannedAction> {
    const wantedLower = new Set(wanted.map((g) => g.toLowerCase()));
    const full: IndexedGroup[] = [];
    for (const displayName of wanted) {
      const lower = displayName.toLowerCase();
      this.named.add(lower);
      let group = this.index.groups.get(lower);
      if (group === undefined) {
        group = { ref: { displayName, id: undefined }, members: new Set() };
        this.index.groups.set(lower, group);
        yield { kind: "createGroup", group: group.ref };
      }
      if (id !== undefined && group.members.has(id)) continue;
      if (id !== undefined) group.members.add(id);
      const p = this.pendingOf(group);
      if (!p.add.add(key, id)) continue;
      if (p.add.count + p.remove.length >= MEMBER_CHUNK) full.push(group);
    }
    if (id !== undefined)
      for (const lower of this.index.memberOf.get(id) ?? []) {
        if (wantedLower.has(lower)) continue;
        const group = this.index.groups.get(lower);
        if (group === undefined || !group.members.has(id)) continue;
        if (!this.named.has(lower)) {
          const later = this.deferred.get(group);
          if (later === undefined) this.deferred.set(group, [id]);
          else later.push(id);
          continue;
        }
        group.members.delete(id);
        const p = this.pendingOf(group);
        p.remove.push(id);
        if (p.add.count + p.remove.length >= MEMBER_CHUNK) full.push(group);
      }
    for (const group of full) yield* this.flush(group);
  }

  private *flush(group: IndexedGroup): Iterable<PlannedAction> {
    const p = this.pending.get(group);
    if (p === undefined || p.add.count + p.remove.length === 0) return;
    this.pending.delete(group);
    const add = p.add.take();
    const remove = p.remove;
    // at most MEMBER_CHUNK changes per PATCH, also for the removals gathered at the end
    for (let i = 0; i < Math.max(add.length, remove.length); i += MEMBER_CHUNK)
      yield {
        kind: "members",
        group: group.ref,
        add: add.slice(i, i + MEMBER_CHUNK),
        remove: remove.slice(i, i + MEMBER_CHUNK),
      };
  }

  /** Every change still pending, with the deferred removals from groups the source named after all. */
  *finish(): Iterable<PlannedAction> {
    for (const [group, ids] of this.deferred) {
      if (!this.named.has(group.ref.displayName.toLowerCase())) continue;
      const p = this.pendingOf(group);
      for (const id of ids) if (group.members.delete(id)) p.remove.push(id);
    }
    this.deferred.clear();
    for (const group of [...this.pending.keys()]) yield* this.flush(group);
    this.stores.clear();
  }

  /** What the pending chunks hold (for tests and diagnostics): keys and their characters. */
  footprint(): { groups: number; keys: number; chars: number; removals: number } {
    const total = { groups: this.pending.size, keys: 0, chars: 0, removals: 0 };
    for (const p of this.pending.values()) {
      const f = p.add.footprint();
      total.keys += f.keys;
      total.chars += f.chars;
      total.removals += p.remove.length;
    }
    return total;
  }
}
