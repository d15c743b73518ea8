/**
 * MemoryStore's membership index (RFC 7643 §4.2 `members`): for each resource, the existing resources
 * its `members` list (id → type); for each member, the resources listing it. Kept in step with the
 * stored data by every write, so lookups by member never scan.
 */
export class MemoryMemberships {
  /** `tenant\0type\0id` of a resource with members → member id → member type. */
  readonly #members = new Map<string, Map<string, string>>();
  /** `tenant\0type\0id` of a member → `type\0id` of each resource listing it. */
  readonly #listedIn = new Map<string, Set<string>>();

  /** Records a write of one resource: `added` members (with their types) in, `removed` ids out. */
  apply(
    tenant: string,
    type: string,
    id: string,
    added: readonly [string, string][],
    removed: readonly string[],
  ): void {
    const key = `${tenant}\u0000${type}\u0000${id}`;
    let members = this.#members.get(key);
    for (const memberId of removed) {
      const memberType = members?.get(memberId);
      if (memberType === undefined) continue;
      members?.delete(memberId);
      this.#unlist(`${tenant}\u0000${memberType}\u0000${memberId}`, `${type}\u0000${id}`);
    }
    if (added.length > 0 && !members) {
      members = new Map();
      this.#members.set(key, members);
    }
    for (const [memberId, memberType] of added) {
      if (members?.has(memberId)) continue;
      members?.set(memberId, memberType);
      const memberKey = `${tenant}\u0000${memberType}\u0000${memberId}`;
      let listed = this.#listedIn.get(memberKey);
      if (!listed) {
        listed = new Set();
        this.#listedIn.set(memberKey, listed);
      }
      listed.add(`${type}\u0000${id}`);
    }
    if (members?.size === 0) this.#members.delete(key);
  }

  #unlist(memberKey: string, holder: string): void {
    const listed = this.#listedIn.get(memberKey);
    listed?.delete(holder);
    if (listed?.size === 0) this.#listedIn.delete(memberKey);
  }

  /** The `[type, id]` of every resource whose members list this one. */
  listing(tenant: string, type: string, id: string): [string, string][] {
    const listed = this.#listedIn.get(`${tenant}\u0000${type}\u0000${id}`);
    return [...(listed ?? [])].map((holder) => holder.split("\u0000") as [string, string]);
  }

  /** The indexed members of one resource: id → type. */
  membersOf(tenant: string, type: string, id: string): ReadonlyMap<string, string> {
    return this.#members.get(`${tenant}\u0000${type}\u0000${id}`) ?? new Map();
  }

  /** Forgets a deleted resource, as a holder of members and as a member. */
  forget(tenant: string, type: string, id: string): void {
    const key = `${tenant}\u0000${type}\u0000${id}`;
    for (const [memberId, memberType] of this.#members.get(key) ?? [])
      this.#unlist(`${tenant}\u0000${memberType}\u0000${memberId}`, `${type}\u0000${id}`);
    this.#members.delete(key);
    for (const [holderType, holderId] of this.listing(tenant, type, id))
      this.#members.get(`${tenant}\u0000${holderType}\u0000${holderId}`)?.delete(id);
    this.#listedIn.delete(key);
  }
}
