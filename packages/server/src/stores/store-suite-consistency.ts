import { coreBundle, isScimError, SchemaRegistry, type ScimError } from "@scimkit/core";
import { parseFilter } from "@scimkit/filter";
import { describe, expect, it } from "vitest";
import type { ScimStore, StoredResource, StoreScope } from "./store.js";
import { uniqueValues } from "./store.js";

const registry = new SchemaRegistry(coreBundle());
const MEMBER_TYPES = ["User", "Group"] as const;

function freshTenant(): string {
  return `c-${Math.random().toString(36).slice(2, 12)}`;
}

async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error("expected a ScimError");
}

/**
 * The consistency half of the store contract (issue 10): memberships (RFC 7643 §4.2) checked, indexed
 * and cascaded atomically, Unicode-folded uniqueness, If-Match on a deleted resource, and strings no
 * store can keep. Run by {@link storeSuite} inside its describe block.
 */
export function consistencySuite(store: () => ScimStore): void {
  const users = (tenant: string): StoreScope => ({ tenant, resourceType: "User", registry });
  const groups = (tenant: string): StoreScope => ({ tenant, resourceType: "Group", registry });
  const create = (scope: StoreScope, data: Record<string, unknown>) =>
    store().create(scope, data, uniqueValues(registry, scope.resourceType, data), {
      ...(scope.resourceType === "Group" && { memberTypes: MEMBER_TYPES }),
    });
  const setMembers = (scope: StoreScope, id: string, members: string[], ifVersion?: number) =>
    store().update(
      scope,
      id,
      (current) => {
        const data = { ...current.data, members: members.map((value) => ({ value })) };
        return { data, unique: uniqueValues(registry, "Group", data) };
      },
      { memberTypes: MEMBER_TYPES, ...(ifVersion !== undefined && { ifVersion }) },
    );
  const memberIds = async (scope: StoreScope, id: string) =>
    (((await store().get(scope, id))?.data.members ?? []) as { value: string }[]).map((m) => m.value);

  describe("memberships (RFC 7643 §4.2)", () => {
    it("rejects an unknown member with 400 invalidValue naming it, on create and on update", async () => {
      const t = freshTenant();
      const alice = await create(users(t), { userName: "alice" });
      let error = await rejection(
        create(groups(t), { displayName: "G", members: [{ value: alice.id }, { value: "ghost-1" }] }),
      );
      expect(error).toMatchObject({ status: 400, scimType: "invalidValue" });
      expect(error.detail).toContain('"ghost-1"');
      expect(error.detail).toContain("members");
      expect((await store().query(groups(t), { count: 10 })).totalResults).toBe(0);
      const g = await create(groups(t), { displayName: "G", members: [{ value: alice.id }] });
      error = await rejection(setMembers(groups(t), g.id, [alice.id, "ghost-2"]));
      expect(error).toMatchObject({ status: 400, scimType: "invalidValue" });
      expect(error.detail).toContain('"ghost-2"');
      expect((await store().get(groups(t), g.id))?.version).toBe(1);
      // Another tenant's user is unknown here.
      const other = await create(users(freshTenant()), { userName: "bob" });
      expect((await rejection(setMembers(groups(t), g.id, [other.id]))).detail).toContain(other.id);
      // An entry whose type contradicts the resource is unknown as that type.
      const carol = await create(users(t), { userName: "carol" });
      const typed = await rejection(
        store().update(
          groups(t),
          g.id,
          (c) => ({ data: { ...c.data, members: [{ value: carol.id, type: "Group" }] }, unique: [] }),
          { memberTypes: MEMBER_TYPES },
        ),
      );
      expect(typed.detail).toContain(carol.id);
      expect(typed.detail).toContain("type Group");
      // Nested groups are members too; without memberTypes nothing is checked.
      const nested = await setMembers(groups(t), g.id, [alice.id, g.id]);
      expect(nested.version).toBe(2);
      const unchecked = await store().create(groups(t), { displayName: "U", members: [{ value: "x" }] }, []);
      expect(unchecked.data.members).toEqual([{ value: "x" }]);
    });

    it("deletes a member and removes it from every group in one change, bumping their versions", async () => {
      const t = freshTenant();
      const alice = await create(users(t), { userName: "alice", displayName: "Alice A" });
      const bob = await create(users(t), { userName: "bob" });
      const g1 = await create(groups(t), {
        displayName: "G1",
        members: [{ value: alice.id }, { value: bob.id }],
      });
      const g2 = await create(groups(t), { displayName: "G2", members: [{ value: alice.id }] });
      const parent = await create(groups(t), { displayName: "P", members: [{ value: g1.id }] });
      await store().delete(users(t), alice.id, { cascade: true });
      const after1 = await store().get(groups(t), g1.id);
      expect(after1?.data.members).toEqual([{ value: bob.id }]);
      expect(after1?.version).toBe(2);
      expect(after1 && after1.lastModified > g1.lastModified).toBe(true);
      const after2 = await store().get(groups(t), g2.id);
      expect(after2?.data.members).toBeUndefined();
      expect(after2?.data.displayName).toBe("G2");
      // A deleted group leaves its parents too.
      await store().delete(groups(t), g1.id);
      expect((await store().get(groups(t), parent.id))?.data.members).toBeUndefined();
      if (store().membershipsOf) {
        expect(await store().membershipsOf?.(users(t), [alice.id, bob.id])).toEqual(new Map());
        expect(await store().membersOf?.(groups(t), [g1.id, g2.id, parent.id])).toEqual(new Map());
      }
      // The freed member can no longer be added.
      expect((await rejection(setMembers(groups(t), g2.id, [alice.id]))).status).toBe(400);
    });

    it("answers membershipsOf and membersOf for a whole page at once, with current names", async () => {
      const s = store();
      if (!s.membershipsOf || !s.membersOf) return;
      const t = freshTenant();
      const [a, b, c] = [
        await create(users(t), { userName: "a", displayName: "Ann" }),
        await create(users(t), { userName: "b" }),
        await create(users(t), { userName: "c" }),
      ] as [StoredResource, StoredResource, StoredResource];
      const g1 = await create(groups(t), { displayName: "One", members: [{ value: a.id }, { value: b.id }] });
      const g2 = await create(groups(t), {
        displayName: "Two",
        members: [{ value: a.id }, { value: g1.id }],
      });
      const of = await s.membershipsOf(users(t), [a.id, b.id, c.id, "missing", a.id]);
      expect([...of.keys()].sort()).toEqual([a.id, b.id].sort());
      expect(of.get(a.id)).toEqual([
        { id: g1.id, resourceType: "Group", display: "One" },
        { id: g2.id, resourceType: "Group", display: "Two" },
      ]);
      expect(of.get(b.id)).toEqual([{ id: g1.id, resourceType: "Group", display: "One" }]);
      expect((await s.membershipsOf(groups(t), [g1.id])).get(g1.id)).toEqual([
        { id: g2.id, resourceType: "Group", display: "Two" },
      ]);
      const byId = (x: { id: string }, y: { id: string }) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
      const members = await s.membersOf(groups(t), [g1.id, g2.id]);
      expect(members.get(g1.id)).toEqual(
        [
          { id: a.id, resourceType: "User", display: "Ann" },
          { id: b.id, resourceType: "User", display: "b" },
        ].sort(byId),
      );
      expect(members.get(g2.id)).toEqual(
        [
          { id: a.id, resourceType: "User", display: "Ann" },
          { id: g1.id, resourceType: "Group", display: "One" },
        ].sort(byId),
      );
      // Names are read when asked, so a rename shows at once; removing a member un-indexes it.
      await s.update(users(t), a.id, (cur) => ({ data: { ...cur.data, displayName: "Anna" }, unique: [] }));
      await setMembers(groups(t), g1.id, [b.id]);
      expect((await s.membershipsOf(users(t), [a.id])).get(a.id)).toEqual([
        { id: g2.id, resourceType: "Group", display: "Two" },
      ]);
      expect((await s.membersOf(groups(t), [g2.id])).get(g2.id)).toContainEqual({
        id: a.id,
        resourceType: "User",
        display: "Anna",
      });
      // A group's rename shows in its members' groups at once.
      await s.update(groups(t), g2.id, (cur) => ({ data: { ...cur.data, displayName: "Deux" }, unique: [] }));
      expect((await s.membershipsOf(users(t), [a.id])).get(a.id)).toEqual([
        { id: g2.id, resourceType: "Group", display: "Deux" },
      ]);
      expect((await s.membershipsOf(groups(t), [g1.id])).get(g1.id)).toEqual([
        { id: g2.id, resourceType: "Group", display: "Deux" },
      ]);
    });

    it("never leaves a deleted user in a group when the delete races an add (20 trials)", async () => {
      const t = freshTenant();
      for (let trial = 0; trial < 20; trial++) {
        const u = await create(users(t), { userName: `u${trial}` });
        const keep = await create(users(t), { userName: `k${trial}` });
        const g = await create(groups(t), { displayName: `G${trial}`, members: [{ value: keep.id }] });
        const add = setMembers(groups(t), g.id, [keep.id, u.id]).then(
          () => "added",
          (e: unknown) => (isScimError(e) && e.status === 400 ? "refused" : Promise.reject(e)),
        );
        const [outcome] = await Promise.all([add, store().delete(users(t), u.id)]);
        expect(["added", "refused"]).toContain(outcome);
        expect(await memberIds(groups(t), g.id)).toEqual([keep.id]);
        expect(await store().membershipsOf?.(users(t), [u.id])).toEqual(store().membershipsOf && new Map());
      }
    });
  });

  describe("uniqueness after Unicode folding (RFC 8265 §3.3)", () => {
    it.each([
      ["NFC and NFD", "Jos\u00e9", "Jose\u0301"],
      ["sharp s and SS", "stra\u00dfe", "STRASSE"],
      ["capital sharp s", "STRA\u1e9eE", "strasse"],
      ["full-width letters", "\uff42\uff4a\uff45\uff4e\uff53\uff45\uff4e", "BJensen"],
      ["final sigma", "\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2"],
    ])("%s are the same userName (409), stored as sent", async (_, first, second) => {
      const t = freshTenant();
      const created = await create(users(t), { userName: first });
      expect(created.data.userName).toBe(first);
      const error = await rejection(create(users(t), { userName: second }));
      expect(error).toMatchObject({ status: 409, scimType: "uniqueness" });
      // A rename onto the folded form is taken too, and the owner may re-spell its own name.
      const other = await create(users(t), { userName: "other" });
      const rename = (userName: string) => (current: StoredResource) => {
        const data = { ...current.data, userName };
        return { data, unique: uniqueValues(registry, "User", data) };
      };
      expect((await rejection(store().update(users(t), other.id, rename(second)))).status).toBe(409);
      expect((await store().update(users(t), created.id, rename(second))).data.userName).toBe(second);
      await store().delete(users(t), created.id);
      expect((await create(users(t), { userName: first })).data.userName).toBe(first);
    });

    it("keeps caseExact values exact", async () => {
      const t = freshTenant();
      const data = (externalId: string) => ({ userName: externalId, externalId });
      await store().create(users(t), data("x1"), [
        { path: "externalId", value: "Stra\u00dfe", caseExact: true, scope: "server" },
      ]);
      await store().create(users(t), data("x2"), [
        { path: "externalId", value: "STRASSE", caseExact: true, scope: "server" },
      ]);
      expect((await store().query(users(t), { count: 10 })).totalResults).toBe(2);
    });
  });

  describe("preconditions and unstorable strings", () => {
    it("answers 412 for If-Match on a resource that no longer exists, 404 without (RFC 9110 §13.1.1)", async () => {
      const t = freshTenant();
      const u = await create(users(t), { userName: "gone" });
      await store().delete(users(t), u.id);
      const keep = (current: StoredResource) => ({ data: current.data, unique: [] });
      expect((await rejection(store().update(users(t), u.id, keep, { ifVersion: 1 }))).status).toBe(412);
      expect((await rejection(store().delete(users(t), u.id, { ifVersion: 1 }))).status).toBe(412);
      expect((await rejection(store().update(users(t), u.id, keep))).status).toBe(404);
      expect((await rejection(store().delete(users(t), u.id))).status).toBe(404);
      const never = await rejection(store().delete(users(t), "never-existed", { ifVersion: 3 }));
      expect(never.status).toBe(412);
      expect(never.detail).toContain("never-existed");
    });

    it.each([
      ["a NUL in userName", { userName: "a\u0000b" }, "userName"],
      ["a lone high surrogate", { userName: "ok", displayName: "x\ud800" }, "displayName"],
      [
        "a lone low surrogate in a sub-attribute",
        { userName: "ok", name: { givenName: "\udc00" } },
        "name.givenName",
      ],
      [
        "a NUL in a multi-valued value",
        { userName: "ok", emails: [{ value: "a@b\u0000" }] },
        "emails[0].value",
      ],
      ["a NUL in an attribute name", { userName: "ok", "bad\u0000name": "x" }, "attribute name"],
    ])("rejects %s with 400 invalidValue naming it, on create and update", async (_, data, where) => {
      const t = freshTenant();
      const error = await rejection(create(users(t), data));
      expect(error).toMatchObject({ status: 400, scimType: "invalidValue" });
      expect(error.detail).toContain(where);
      const u = await create(users(t), { userName: "fine" });
      const update = await rejection(
        store().update(users(t), u.id, (c) => ({ data: { ...c.data, ...data }, unique: [] })),
      );
      expect(update).toMatchObject({ status: 400, scimType: "invalidValue" });
      expect((await store().get(users(t), u.id))?.version).toBe(1);
      expect((await store().query(users(t), { count: 10 })).totalResults).toBe(1);
    });

    it("keeps an emoji (a surrogate pair), and answers ids and filters with NUL without a 500", async () => {
      const t = freshTenant();
      const u = await create(users(t), { userName: "smile\ud83d\ude00" });
      expect((await store().get(users(t), u.id))?.data.userName).toBe("smile\ud83d\ude00");
      expect(await store().get(users(t), "a\u0000b")).toBeUndefined();
      expect(await store().get(users(t), "\ud800")).toBeUndefined();
      expect((await rejection(store().delete(users(t), "a\u0000b"))).status).toBe(404);
      const filter = await rejection(
        store().query(users(t), { count: 5, filter: parseFilter('userName eq "x\\u0000"') }),
      );
      expect(filter).toMatchObject({ status: 400, scimType: "invalidFilter" });
      const surrogate = await rejection(
        store().query(users(t), { count: 5, filter: parseFilter('displayName sw "\\ud800"') }),
      );
      expect(surrogate).toMatchObject({ status: 400, scimType: "invalidFilter" });
    });
  });
}
