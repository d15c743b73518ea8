import { coreBundle, GROUP_SCHEMA, SchemaRegistry } from "@scimkit/core";
import { describe, expect, it } from "vitest";
import type { CreateItem, CreateOutcome, ScimStore, StoreScope } from "./store.js";
import { uniqueValues } from "./store.js";

const registry = new SchemaRegistry(coreBundle());
let tenants = 0;

const scopeOf = (resourceType = "User"): StoreScope => {
  tenants += 1;
  return { tenant: `cm${tenants}-${Math.random().toString(36).slice(2, 10)}`, resourceType, registry };
};
const item = (scope: StoreScope, data: Record<string, unknown>): CreateItem => ({
  data,
  unique: uniqueValues(registry, scope.resourceType, data),
});
/** Each outcome as `201 <userName>` or `<status> <scimType>`. */
const summary = (outcomes: readonly CreateOutcome[]) =>
  outcomes.map((o) =>
    "stored" in o
      ? `201 ${String(o.stored.data.userName ?? o.stored.data.displayName)}`
      : `${o.error.status} ${o.error.scimType}`,
  );

/**
 * `ScimStore.createMany` (RFC 7644 §3.7 bulk POSTs): the outcome of every item is the one `create` would
 * have given it one after another, a failure undoes nothing, and `maxFailures` stops where asked.
 */
export function createManySuite(store: () => ScimStore): void {
  describe("createMany (bulk creates)", () => {
    it("creates every item on its own: a taken value, a duplicate in the batch and an unstorable value fail in place", async () => {
      const s = store();
      if (!s.createMany) return;
      const scope = scopeOf();
      await s.create(scope, { userName: "taken" }, item(scope, { userName: "taken" }).unique);
      const outcomes = await s.createMany(scope, [
        item(scope, { userName: "first" }),
        item(scope, { userName: "TAKEN" }), // RFC 7643 §4.1: userName is case-insensitive
        item(scope, { userName: "second" }),
        item(scope, { userName: "First" }), // taken by the first item of this call
        item(scope, { userName: "bad", title: "nul\u0000" }),
        item(scope, { userName: "third" }),
      ]);
      expect(summary(outcomes)).toEqual([
        "201 first",
        "409 uniqueness",
        "201 second",
        "409 uniqueness",
        "400 invalidValue",
        "201 third",
      ]);
      const all = await s.query(scope, { count: 100 });
      expect(all.resources.map((r) => r.data.userName).sort()).toEqual(["first", "second", "taken", "third"]);
      for (const o of outcomes)
        if ("stored" in o) {
          expect(o.stored.version).toBe(1);
          expect(await s.get(scope, o.stored.id)).toEqual(o.stored);
        }
      // the created resources keep their order of creation (meta.created, then the default list order)
      const created = outcomes.flatMap((o) => ("stored" in o ? [o.stored.created] : []));
      expect([...created].sort()).toEqual(created);
      expect(new Set(created).size).toBe(created.length);
      // their unique values are held: a later create of one is refused
      const again = await s.createMany(scope, [
        item(scope, { userName: "SECOND" }),
        item(scope, { userName: "x" }),
      ]);
      expect(summary(again)).toEqual(["409 uniqueness", "201 x"]);
    });

    it("stops after maxFailures failures: the outcomes end with that failure, later items are not created", async () => {
      const s = store();
      if (!s.createMany) return;
      const scope = scopeOf();
      await s.create(scope, { userName: "dup" }, item(scope, { userName: "dup" }).unique);
      const items = ["a", "dup", "b", "dup", "c"].map((userName) => item(scope, { userName }));
      expect(summary(await s.createMany(scope, items, { maxFailures: 2 }))).toEqual([
        "201 a",
        "409 uniqueness",
        "201 b",
        "409 uniqueness",
      ]);
      const names = (await s.query(scope, { count: 100 })).resources.map((r) => r.data.userName).sort();
      expect(names).toEqual(["a", "b", "dup"]);
      expect(await s.createMany(scope, [item(scope, { userName: "dup" })], { maxFailures: 0 })).toEqual([]);
    });

    it("checks members like create: unknown members are refused, known ones indexed", async () => {
      const s = store();
      if (!s.createMany || !s.membershipsOf) return;
      const users = scopeOf();
      const groups = { ...users, resourceType: "Group" };
      const u = await s.create(users, { userName: "member" }, item(users, { userName: "member" }).unique);
      const group = (displayName: string, value: string) =>
        item(groups, { schemas: [GROUP_SCHEMA], displayName, members: [{ value }] });
      const outcomes = await s.createMany(
        groups,
        [group("g1", u.id), group("g2", "no-such-user"), group("g3", u.id)],
        {
          memberTypes: ["User", "Group"],
        },
      );
      expect(summary(outcomes)).toEqual(["201 g1", "400 invalidValue", "201 g3"]);
      const of = await s.membershipsOf(users, [u.id]);
      expect(of.get(u.id)?.map((g) => g.display)).toEqual(["g1", "g3"]);
    });

    it("concurrent calls claiming the same values: exactly one winner per value", async () => {
      const s = store();
      if (!s.createMany) return;
      const createMany = s.createMany.bind(s);
      const scope = scopeOf();
      const names = Array.from({ length: 20 }, (_, i) => `racer-${i}`);
      const calls = await Promise.all(
        [0, 1, 2, 3].map((k) =>
          createMany(
            scope,
            // each call in its own order and case, so batches overlap differently
            (k % 2 === 0 ? names : [...names].reverse()).map((n) =>
              item(scope, { userName: k === 3 ? n.toUpperCase() : n }),
            ),
          ),
        ),
      );
      const wins = new Map<string, number>();
      for (const outcomes of calls)
        for (const o of outcomes) {
          if ("stored" in o) {
            const key = String(o.stored.data.userName).toLowerCase();
            wins.set(key, (wins.get(key) ?? 0) + 1);
          } else expect(o.error.status).toBe(409);
        }
      expect([...wins.keys()].sort()).toEqual([...names].sort());
      expect([...wins.values()].every((n) => n === 1)).toBe(true);
      expect((await s.query(scope, { count: 0 })).totalResults).toBe(names.length);
    });
  });
}
