import { describe, expect, it } from "vitest";
import { keyHash, PendingAdds } from "./pending-adds.js";

describe("PendingAdds", () => {
  it("gives back every key and id in the order added, once, and is empty after", () => {
    const adds = new PendingAdds();
    expect(adds.add("ada", undefined)).toBe(true);
    expect(adds.add("bjensen", "2819c223")).toBe(true);
    expect(adds.add("ada", "other")).toBe(false);
    expect(adds.add("Ada", undefined)).toBe(true); // exact keys, as the { key, id } list compared them
    expect(adds.count).toBe(3);
    expect(adds.take()).toEqual([
      { key: "ada", id: undefined },
      { key: "bjensen", id: "2819c223" },
      { key: "Ada", id: undefined },
    ]);
    expect(adds.count).toBe(0);
    expect(adds.take()).toEqual([]);
    expect(adds.add("ada", undefined)).toBe(true); // a taken key may come back in the next chunk
  });

  it("keeps any text exactly: empty, non-ASCII, astral, lone surrogates, past its capacity", () => {
    const keys = ["", "zoë@example.com", "😀 user", "\ud800half", "x".repeat(10_000), "ü".repeat(5000)];
    for (let i = 0; i < 300; i++) keys.push(`user-${i.toFixed(0)}@例え.jp`);
    const adds = new PendingAdds();
    for (const key of keys) expect(adds.add(key, key.length % 2 === 0 ? undefined : key)).toBe(true);
    for (const key of keys) expect(adds.add(key, undefined)).toBe(false);
    const taken = adds.take();
    expect(taken.map((a) => a.key)).toEqual(keys);
    expect(taken.map((a) => a.id)).toEqual(keys.map((k) => (k.length % 2 === 0 ? undefined : k)));
    const { charCapacity } = adds.footprint();
    // the next chunk reuses the storage instead of growing it again
    for (const key of keys) adds.add(key, undefined);
    expect(adds.footprint().charCapacity).toBe(charCapacity);
  });

  it("tells two keys with the same hash apart by their characters", () => {
    // found by search: FNV-1a 32-bit gives both 1688982530
    expect(keyHash("user449599")).toBe(keyHash("user612382"));
    const adds = new PendingAdds();
    expect(adds.add("user449599", undefined)).toBe(true);
    expect(adds.add("user612382", undefined)).toBe(true);
    expect(adds.add("user612382", undefined)).toBe(false);
    expect(adds.take().map((a) => a.key)).toEqual(["user449599", "user612382"]);
  });
});
