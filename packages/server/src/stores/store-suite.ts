import {
  coreBundle,
  ENTERPRISE_USER_SCHEMA,
  isScimError,
  SchemaRegistry,
  type ScimError,
} from "@scimkit/core";
import { parseFilter } from "@scimkit/filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScimStore, StoredResource, StoreQuery, StoreScope } from "./store.js";
import { uniqueValues } from "./store.js";
import { consistencySuite } from "./store-suite-consistency.js";
import { createManySuite } from "./store-suite-create-many.js";

const registry = new SchemaRegistry(coreBundle());
let tenants = 0;

/** A tenant no other test uses, so every test starts from an empty store without truncating tables. */
function freshTenant(): string {
  tenants += 1;
  return `t${tenants}-${Math.random().toString(36).slice(2, 10)}`;
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

const USERS: readonly Record<string, unknown>[] = [
  {
    userName: "bjensen",
    externalId: "BJ-1",
    name: { givenName: "Barbara", familyName: "Jensen" },
    displayName: "Babs Jensen",
    title: "Tour Guide",
    active: true,
    emails: [
      { value: "bjensen@example.com", type: "work", primary: true },
      { value: "babs@jensen.org", type: "home" },
    ],
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: "701984", manager: { value: "mgr-1" } },
  },
  {
    userName: "JSmith",
    name: { givenName: "John", familyName: "Smith" },
    title: "",
    active: false,
    emails: [
      { value: "john@EXAMPLE.com", type: "home" },
      { value: "js@work.net", type: "work" },
    ],
  },
  { userName: "alice", nickName: "Al", name: { familyName: "Zed" } },
  { userName: "carol", emails: [], title: "Engineer", [ENTERPRISE_USER_SCHEMA]: { employeeNumber: "9" } },
  { userName: "dave", emails: [{ value: "dave@example.com", type: "work" }], active: true, title: "Analyst" },
];

/**
 * The conformance suite every {@link ScimStore} passes: CRUD, uniqueness, tenancy, preconditions,
 * compileFilter's filter semantics, sorting, index and cursor pagination, concurrent updates, and
 * (store-suite-consistency.ts) memberships, Unicode-folded uniqueness and unstorable strings.
 *
 * @example
 * storeSuite("MemoryStore", async () => new MemoryStore());
 */
export function storeSuite(name: string, open: () => Promise<ScimStore>, close?: () => Promise<void>): void {
  describe(`${name}: the ScimStore contract`, () => {
    let store: ScimStore;
    beforeAll(async () => {
      store = await open();
    }, 60_000);
    afterAll(async () => {
      await close?.();
    });

    const scopeOf = (tenant: string, resourceType = "User"): StoreScope => ({
      tenant,
      resourceType,
      registry,
    });
    const create = (scope: StoreScope, data: Record<string, unknown>) =>
      store.create(scope, data, uniqueValues(registry, scope.resourceType, data));
    const seed = async (scope: StoreScope) => {
      const byName = new Map<string, StoredResource>();
      for (const user of USERS) byName.set(user.userName as string, await create(scope, user));
      return byName;
    };
    const names = async (scope: StoreScope, query: Partial<StoreQuery>) => {
      const result = await store.query(scope, { count: 100, ...query });
      return result.resources.map((r) => r.data.userName as string);
    };

    describe("create, get, update, delete", () => {
      it("creates with version 1 and equal ISO timestamps, and gets it back", async () => {
        const scope = scopeOf(freshTenant());
        const created = await create(scope, { userName: "bjensen", emails: [{ value: "b@example.com" }] });
        expect(created.version).toBe(1);
        expect(created.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(created.lastModified).toBe(created.created);
        expect(await store.get(scope, created.id)).toEqual(created);
        expect(await store.get(scope, "no-such-id")).toBeUndefined();
        expect(await store.get(scopeOf(scope.tenant, "Group"), created.id)).toBeUndefined();
      });

      it("updates atomically, bumping version and lastModified; undefined keeps the resource", async () => {
        const scope = scopeOf(freshTenant());
        const created = await create(scope, { userName: "bjensen", title: "a" });
        const updated = await store.update(scope, created.id, (current) => {
          const data = { ...current.data, title: "b" };
          return { data, unique: uniqueValues(registry, "User", data) };
        });
        expect(updated).toMatchObject({
          id: created.id,
          version: 2,
          created: created.created,
          data: { title: "b" },
        });
        expect(updated.lastModified > created.lastModified).toBe(true);
        expect(await store.get(scope, created.id)).toEqual(updated);
        const same = await store.update(scope, created.id, () => undefined);
        expect(same.version).toBe(2);
      });

      it("answers 404 for a missing id and 412 for a version mismatch", async () => {
        const scope = scopeOf(freshTenant());
        const created = await create(scope, { userName: "bjensen" });
        const keep = (current: StoredResource) => ({ data: current.data, unique: [] });
        expect((await rejection(store.update(scope, "missing", keep))).status).toBe(404);
        expect((await rejection(store.delete(scope, "missing"))).status).toBe(404);
        expect((await rejection(store.update(scope, created.id, keep, { ifVersion: 7 }))).status).toBe(412);
        expect((await rejection(store.delete(scope, created.id, { ifVersion: 2 }))).status).toBe(412);
        expect(
          (
            await store.update(
              scope,
              created.id,
              (c) => ({ data: { ...c.data, title: "x" }, unique: uniqueValues(registry, "User", c.data) }),
              { ifVersion: 1 },
            )
          ).version,
        ).toBe(2);
        await store.delete(scope, created.id, { ifVersion: 2 });
        expect(await store.get(scope, created.id)).toBeUndefined();
        expect((await rejection(store.delete(scope, created.id))).status).toBe(404);
      });
    });

    describe("uniqueness and tenancy", () => {
      it("keeps userName unique per tenant, case-insensitively (409 uniqueness naming the value)", async () => {
        const scope = scopeOf(freshTenant());
        await create(scope, { userName: "bjensen" });
        const error = await rejection(create(scope, { userName: "BJensen" }));
        expect(error.status).toBe(409);
        expect(error.scimType).toBe("uniqueness");
        expect(error.detail).toContain("userName");
        expect(error.detail).toContain("BJensen");
        expect((await store.query(scope, { count: 10 })).totalResults).toBe(1);
      });

      it("isolates tenants completely", async () => {
        const a = scopeOf(freshTenant());
        const b = scopeOf(freshTenant());
        const inA = await create(a, { userName: "bjensen" });
        const inB = await create(b, { userName: "BJENSEN" });
        expect(inB.id).not.toBe(inA.id);
        expect(await names(b, {})).toEqual(["BJENSEN"]);
        expect(await names(b, { filter: parseFilter('userName eq "bjensen"') })).toEqual(["BJENSEN"]);
        expect(await store.get(b, inA.id)).toBeUndefined();
        expect((await rejection(store.delete(b, inA.id))).status).toBe(404);
        expect((await rejection(store.update(b, inA.id, () => undefined))).status).toBe(404);
        expect(await names(a, {})).toEqual(["bjensen"]);
      });

      it("frees a unique value on rename and on delete, and rejects a rename onto a taken value", async () => {
        const scope = scopeOf(freshTenant());
        const one = await create(scope, { userName: "one" });
        const two = await create(scope, { userName: "two" });
        const rename = (userName: string) => (current: StoredResource) => {
          const data = { ...current.data, userName };
          return { data, unique: uniqueValues(registry, "User", data) };
        };
        const error = await rejection(store.update(scope, two.id, rename("ONE")));
        expect(error.status).toBe(409);
        expect((await store.get(scope, two.id))?.data.userName).toBe("two");
        expect((await store.update(scope, two.id, rename("Two"))).data.userName).toBe("Two");
        await store.update(scope, one.id, rename("uno"));
        await create(scope, { userName: "one" });
        await store.delete(scope, two.id);
        await create(scope, { userName: "two" });
        expect((await store.query(scope, { count: 10 })).totalResults).toBe(3);
      });

      it("keeps uniqueness per resource type for server scope", async () => {
        const scope = scopeOf(freshTenant());
        await create(scope, { userName: "x", externalId: "E" });
        await create(scopeOf(scope.tenant, "Group"), { displayName: "x" });
        expect((await store.query(scopeOf(scope.tenant, "Group"), { count: 10 })).totalResults).toBe(1);
      });
    });

    describe("filters (compileFilter semantics)", () => {
      const U = ENTERPRISE_USER_SCHEMA;
      const cases: readonly [string, string[]][] = [
        ['userName eq "BJENSEN"', ["bjensen"]],
        ['USERNAME eq "jsmith"', ["JSmith"]],
        ['userName ne "bjensen"', ["JSmith", "alice", "carol", "dave"]],
        ['externalId eq "bj-1"', []],
        ['externalId eq "BJ-1"', ["bjensen"]],
        ['title ne "Tour Guide"', ["JSmith", "carol", "dave"]],
        ['userName sw "J"', ["JSmith"]],
        ['userName ew "N"', ["bjensen"]],
        ['userName co "A"', ["alice", "carol", "dave"]],
        ['userName gt "c"', ["carol", "dave", "JSmith"]],
        ['userName le "bjensen"', ["alice", "bjensen"]],
        ['emails co "EXAMPLE.COM"', ["bjensen", "JSmith", "dave"]],
        ['emails.value ew ".org"', ["bjensen"]],
        ['emails[type eq "work" and value co "example.com"]', ["bjensen", "dave"]],
        ['emails[type eq "work" and value co "john"]', []],
        ['emails.type eq "work" and emails.value co "john"', ["JSmith"]],
        ['emails[not (type eq "work")]', ["bjensen", "JSmith"]],
        ['emails[type eq "work"] and emails[value co "jensen.org"]', ["bjensen"]],
        ["emails[primary eq true]", ["bjensen"]],
        ["emails pr", ["bjensen", "JSmith", "dave"]],
        ["not (emails pr)", ["alice", "carol"]],
        ["title pr", ["bjensen", "carol", "dave"]],
        ["nickName eq null", ["bjensen", "JSmith", "carol", "dave"]],
        ["nickName ne null", ["alice"]],
        ["active eq true", ["bjensen", "dave"]],
        ["active ne true", ["JSmith"]],
        ["not (active eq true)", ["JSmith", "alice", "carol"]],
        ['name.familyName co "EN"', ["bjensen"]],
        ['name.givenName sw "b" or name.familyName eq "zed"', ["bjensen", "alice"]],
        ['(userName eq "alice" or userName eq "carol") and not (title pr)', ["alice"]],
        [`${U}:employeeNumber eq "701984"`, ["bjensen"]],
        [`${U}:employeeNumber pr`, ["bjensen", "carol"]],
        [`${U}:manager.value eq "MGR-1"`, ["bjensen"]],
        [`${U}:manager[value sw "mgr"]`, ["bjensen"]],
        ['meta.resourceType eq "User"', ["bjensen", "JSmith", "alice", "carol", "dave"]],
        ['meta.created lt "2000-01-01T00:00:00Z"', []],
        ['meta.lastModified gt "2000-01-01T00:00:00+02:00"', ["bjensen", "JSmith", "alice", "carol", "dave"]],
        ["meta pr", ["bjensen", "JSmith", "alice", "carol", "dave"]],
      ];
      let scope: StoreScope;
      let users: Map<string, StoredResource>;
      beforeAll(async () => {
        scope = scopeOf(freshTenant());
        users = await seed(scope);
      });
      it.each(cases)("%s", async (filter, expected) => {
        expect((await names(scope, { filter: parseFilter(filter) })).sort()).toEqual([...expected].sort());
      });

      it("compares id, meta.created and meta.lastModified exactly", async () => {
        const jsmith = users.get("JSmith") as StoredResource;
        expect(await names(scope, { filter: parseFilter(`id eq "${jsmith.id}"`) })).toEqual(["JSmith"]);
        expect(await names(scope, { filter: parseFilter(`meta.created eq "${jsmith.created}"`) })).toEqual([
          "JSmith",
        ]);
        const after = (
          await names(scope, { filter: parseFilter(`meta.created gt "${jsmith.created}"`) })
        ).sort();
        expect(after).toEqual(["alice", "carol", "dave"]);
        expect(
          (await names(scope, { filter: parseFilter(`meta.created ge "${jsmith.created}"`) })).length,
        ).toBe(4);
        expect(await names(scope, { filter: parseFilter(`meta.version eq "W/\\"1\\""`) })).toHaveLength(5);
      });

      it("matches groups by members (a complex multi-valued attribute compares its value)", async () => {
        const groups = scopeOf(scope.tenant, "Group");
        const b = users.get("bjensen") as StoredResource;
        await create(groups, { displayName: "Admins", members: [{ value: b.id, display: "Babs" }] });
        await create(groups, { displayName: "Empty", members: [] });
        const display = async (filter: string) =>
          (await store.query(groups, { count: 10, filter: parseFilter(filter) })).resources.map(
            (r) => r.data.displayName,
          );
        expect(await display(`members eq "${b.id}"`)).toEqual(["Admins"]);
        expect(await display(`members[value eq "${b.id}" and display eq "babs"]`)).toEqual(["Admins"]);
        expect(await display('displayName eq "admins"')).toEqual(["Admins"]);
        expect(await display("not (members pr)")).toEqual(["Empty"]);
      });

      it("rejects unknown attributes and forbidden comparisons with 400 invalidFilter", async () => {
        for (const filter of ['foo eq "x"', "active gt true", 'name eq "x"']) {
          const error = await rejection(store.query(scope, { count: 10, filter: parseFilter(filter) }));
          expect(error.status).toBe(400);
          expect(error.scimType).toBe("invalidFilter");
        }
        const error = await rejection(
          store.query(scopeOf(scope.tenant, "Group"), { count: 10, filter: parseFilter('userName eq "x"') }),
        );
        expect(error.scimType).toBe("invalidFilter");
      });

      it("sorts ascending and descending with missing values last ascending and first descending (RFC 7644 §3.4.2.3), ties by id", async () => {
        expect(await names(scope, { sortBy: "userName" })).toEqual([
          "alice",
          "bjensen",
          "carol",
          "dave",
          "JSmith",
        ]);
        expect(await names(scope, { sortBy: "userName", sortOrder: "descending" })).toEqual([
          "JSmith",
          "dave",
          "carol",
          "bjensen",
          "alice",
        ]);
        const byTitle = await names(scope, { sortBy: "title" });
        expect(byTitle.slice(0, 4)).toEqual(["JSmith", "dave", "carol", "bjensen"]);
        expect(byTitle[4]).toBe("alice");
        const byTitleDown = await names(scope, { sortBy: "title", sortOrder: "descending" });
        expect(byTitleDown).toEqual(["alice", "bjensen", "carol", "dave", "JSmith"]);
        // Multi-valued: the primary value, else the first.
        expect(await names(scope, { sortBy: "emails.value", filter: parseFilter("emails pr") })).toEqual([
          "bjensen",
          "dave",
          "JSmith",
        ]);
        expect(await names(scope, { sortBy: `${U}:employeeNumber` })).toEqual([
          "bjensen",
          "carol",
          ...(await names(scope, { sortBy: "id", filter: parseFilter(`not (${U}:employeeNumber pr)`) })),
        ]);
        expect(await names(scope, { sortBy: "meta.created" })).toEqual(USERS.map((u) => u.userName));
        expect(await names(scope, {})).toEqual(USERS.map((u) => u.userName));
        expect(await names(scope, { sortOrder: "descending" })).toEqual(
          USERS.map((u) => u.userName).reverse(),
        );
        // Booleans: false before true, missing last (first when descending), ties by id.
        const byId = (...n: string[]) =>
          n
            .map((x) => users.get(x) as StoredResource)
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .map((r) => r.data.userName);
        expect(await names(scope, { sortBy: "active" })).toEqual([
          "JSmith",
          ...byId("bjensen", "dave"),
          ...byId("alice", "carol"),
        ]);
        expect(await names(scope, { sortBy: "active", sortOrder: "descending" })).toEqual([
          ...byId("alice", "carol"),
          ...byId("bjensen", "dave"),
          "JSmith",
        ]);
      });
    });

    describe("pagination", () => {
      let scope: StoreScope;
      let all: string[];
      beforeAll(async () => {
        scope = scopeOf(freshTenant());
        for (let i = 0; i < 25; i++) {
          const data: Record<string, unknown> = { userName: `user${String(i).padStart(2, "0")}` };
          if (i % 3 !== 0) data.title = `T${i % 4}`;
          await create(scope, data);
        }
        all = (await store.query(scope, { count: 100 })).resources.map((r) => r.id);
      });

      it("pages by index: startIndex is 1-based, count 0 gives only totalResults", async () => {
        const page = await store.query(scope, { count: 4, startIndex: 3, sortBy: "userName" });
        expect(page.totalResults).toBe(25);
        expect(page.resources.map((r) => r.data.userName)).toEqual(["user02", "user03", "user04", "user05"]);
        expect(await store.query(scope, { count: 0 })).toEqual({ resources: [], totalResults: 25 });
        const filtered = await store.query(scope, {
          count: 2,
          startIndex: 2,
          filter: parseFilter('userName sw "user1"'),
          sortBy: "userName",
        });
        expect(filtered.totalResults).toBe(10);
        expect(filtered.resources.map((r) => r.data.userName)).toEqual(["user11", "user12"]);
        expect((await store.query(scope, { count: 5, startIndex: 30 })).resources).toEqual([]);
      });

      const walk = async (query: Omit<StoreQuery, "cursor" | "count">, size: number) => {
        const seen: string[] = [];
        let cursor = "";
        for (let guard = 0; guard < 100; guard++) {
          const page = await store.query(scope, { ...query, count: size, cursor });
          expect(page.totalResults).toBe(query.filter ? page.totalResults : 25);
          seen.push(...page.resources.map((r) => r.id));
          if (page.nextCursor === undefined) return seen;
          expect(page.resources).toHaveLength(size);
          cursor = page.nextCursor;
        }
        throw new Error("the cursor never ended");
      };

      it.each([
        ["default order", {}],
        ["userName ascending", { sortBy: "userName" }],
        ["title ascending (missing last)", { sortBy: "title" }],
        ["title descending (missing first)", { sortBy: "title", sortOrder: "descending" as const }],
        ["created descending", { sortOrder: "descending" as const }],
      ])("walks every page by cursor without duplicates or gaps: %s", async (_, query) => {
        const expected = (await store.query(scope, { ...query, count: 100 })).resources.map((r) => r.id);
        expect([...expected].sort()).toEqual([...all].sort());
        for (const size of [1, 4, 7, 25, 30]) expect(await walk(query, size)).toEqual(expected);
      });

      it("walks a filtered set by cursor", async () => {
        const filter = parseFilter("title pr");
        const expected = (await store.query(scope, { filter, sortBy: "title", count: 100 })).resources.map(
          (r) => r.id,
        );
        expect(expected).toHaveLength(16);
        expect(await walk({ filter, sortBy: "title" }, 3)).toEqual(expected);
      });

      it("rejects a cursor it did not issue with 400 invalidCursor", async () => {
        for (const cursor of ["garbage!", "bm90IGpzb24", "WzEsMiwzXQ"]) {
          const error = await rejection(store.query(scope, { count: 5, cursor }));
          expect(error.status).toBe(400);
          expect(error.scimType).toBe("invalidCursor");
        }
      });
    });

    describe("concurrency", () => {
      it("loses no member when 20 updates of one group run at once", async () => {
        const scope = scopeOf(freshTenant(), "Group");
        const group = await create(scope, { displayName: "Everyone", members: [] });
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.update(scope, group.id, (current) => {
              const members = [...((current.data.members as unknown[]) ?? []), { value: `member-${i}` }];
              const data = { ...current.data, members };
              return { data, unique: uniqueValues(registry, "Group", data) };
            }),
          ),
        );
        const final = await store.get(scope, group.id);
        expect(final?.version).toBe(21);
        const values = ((final?.data.members ?? []) as { value: string }[]).map((m) => m.value).sort();
        expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `member-${i}`).sort());
      });

      it("lets exactly one of 10 concurrent creates of one userName win", async () => {
        const scope = scopeOf(freshTenant());
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => create(scope, { userName: i % 2 ? "Same" : "same" })),
        );
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const r of results)
          if (r.status === "rejected") expect((r.reason as ScimError).status).toBe(409);
      });
    });

    consistencySuite(() => store);
    createManySuite(() => store);
  });
}
