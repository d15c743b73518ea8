/**
 * The members a group's next PATCH will add, held compactly while its chunk fills.
 *
 * Why (measured, packages/sync README "Memory"): a pending add used to be a `{ key, id }` object
 * plus the row's key string, alive until the group's chunk of MEMBER_CHUNK changes was full. With a
 * few groups that is thousands of rows, long enough for both to survive two young-generation
 * collections and be promoted, so a million-row dry run promoted ~35 MB of them to the old
 * generation, where they waited for a full collection and V8 grew the heap to hold them. Here a
 * key's characters go into a reused `Uint16Array` (outside the V8 heap) and an add costs one slot in
 * a reused array of ids (ids are the target index's own strings, or `undefined` for a user this run
 * creates); the `{ key, id }` objects of a members action are made only when the chunk is sent.
 */

/** FNV-1a (32-bit) over UTF-16 code units: a cheap filter before the exact comparison. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** One pending member to add: by id when the user exists, by key when this run creates it. */
export interface PendingAdd {
  key: string;
  id: string | undefined;
}

export class PendingAdds {
  /** The keys' UTF-16 code units, back to back. */
  private chars = new Uint16Array(256);
  /** Where each key's characters end in `chars`. */
  private ends = new Uint32Array(16);
  private hashes = new Uint32Array(16);
  /** Reused slots (never shortened, so no new backing store per chunk); valid below `count`. */
  private readonly ids: (string | undefined)[] = [];
  private used = 0;
  /** Keys held. */
  count = 0;

  /**
   * Holds `key` (and its id) unless the same key is already pending; returns whether it was added.
   * Duplicates are found by hash and then confirmed by comparing every character, so two keys that
   * share a hash are never taken for one another.
   *
   * @example
   * const adds = new PendingAdds();
   * adds.add("ada", undefined); // true
   * adds.add("ada", undefined); // false
   */
  add(key: string, id: string | undefined): boolean {
    const hash = keyHash(key);
    for (let i = 0; i < this.count; i++) if (this.hashes[i] === hash && this.equals(i, key)) return false;
    if (this.count === this.ends.length) {
      this.ends = grown(this.ends, this.count * 2);
      this.hashes = grown(this.hashes, this.count * 2);
    }
    if (this.used + key.length > this.chars.length)
      this.chars = grown(this.chars, Math.max(this.chars.length * 2, this.used + key.length));
    for (let c = 0; c < key.length; c++) this.chars[this.used + c] = key.charCodeAt(c);
    this.used += key.length;
    this.ends[this.count] = this.used;
    this.hashes[this.count] = hash;
    if (this.count < this.ids.length) this.ids[this.count] = id;
    else this.ids.push(id);
    this.count++;
    return true;
  }

  /**
   * Every pending add in the order added, as `{ key, id }` objects, and empties the store (keeping
   * its capacity for the group's next chunk).
   *
   * @example
   * const adds = new PendingAdds();
   * adds.add("ada", "2819c223");
   * adds.take(); // [{ key: "ada", id: "2819c223" }]
   */
  take(): PendingAdd[] {
    const out: PendingAdd[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = { key: this.keyAt(i), id: this.ids[i] };
    this.ids.fill(undefined, 0, this.count);
    this.count = 0;
    this.used = 0;
    return out;
  }

  /** Characters of the keys held and the capacity reserved for them (for tests and diagnostics). */
  footprint(): { keys: number; chars: number; charCapacity: number } {
    return { keys: this.count, chars: this.used, charCapacity: this.chars.length };
  }

  private start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] ?? 0);
  }

  private equals(i: number, key: string): boolean {
    const start = this.start(i);
    if ((this.ends[i] ?? 0) - start !== key.length) return false;
    for (let c = 0; c < key.length; c++) if (this.chars[start + c] !== key.charCodeAt(c)) return false;
    return true;
  }

  private keyAt(i: number): string {
    const start = this.start(i);
    const end = this.ends[i] ?? start;
    let key = "";
    // in pieces: String.fromCharCode takes its arguments on the stack
    for (let at = start; at < end; at += 4096)
      key += String.fromCharCode(...this.chars.subarray(at, Math.min(end, at + 4096)));
    return key;
  }
}

function grown<T extends Uint16Array | Uint32Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
