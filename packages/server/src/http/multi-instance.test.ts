/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH_OP, startServer, type TestServer } from "../replays/__fixtures__/server.js";
import type { ScimStore } from "../stores/store.js";
import { user } from "./__fixtures__/handler.js";
import { DATABASE_URL, LONG_TOKEN, pgliteStore, postgresStore } from "./__fixtures__/stores.js";

const SECRET = "multi-instance-cursor-secret-0123456789";

/** The store's methods without `close`, so servers sharing one store do not close it under each other. */
function withoutClose(store: ScimStore): ScimStore {
  return {
    get: (...args) => store.get(...args),
    create: (...args) => store.create(...args),
    update: (...args) => store.update(...args),
    delete: (...args) => store.delete(...args),
    query: (...args) => store.query(...args),
  };
}

/**
 * Two handlers (two `createScimHandler` instances on two ports, as two processes behind a load balancer
 * would be) on one database. PGlite is one process's database, so both share one PostgresStore; on
 * PostgreSQL each has its own store and pool, as separate processes would.
 */
const CASES: readonly { name: string; stores: () => Promise<ScimStore[]> }[] = [
  {
    name: "one PostgresStore on PGlite shared by both",
    stores: async () => {
      const store = await pgliteStore();
      return [store, store];
    },
  },
  ...(DATABASE_URL === undefined
    ? []
    : [
        {
          name: "two PostgresStores with their own pools on PostgreSQL",
          stores: async () => [await postgresStore("scim_multi_", 5), await postgresStore("scim_multi_", 5)],
        },
      ]),
];

describe.each(CASES)("two instances: $name", ({ stores }) => {
  let a: TestServer;
  let b: TestServer;
  let c: TestServer;
  let owned: ScimStore[] = [];
  beforeAll(async () => {
    owned = await stores();
    const [first, second] = owned as [ScimStore, ScimStore];
    // One tenant per run: PostgreSQL keeps the tables between runs.
    const auth = { tokens: { [LONG_TOKEN]: `multi-${randomUUID()}` } };
    const common = { token: LONG_TOKEN, auth, defaultPageSize: 3 };
    a = await startServer({ ...common, store: withoutClose(first), cursorSecret: SECRET });
    b = await startServer({
      ...common,
      store: withoutClose(second),
      cursorSecret: new TextEncoder().encode(SECRET),
    });
    c = await startServer({ ...common, store: withoutClose(first), cursorSecret: `another-${SECRET}` });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a, b, c].map((s) => s?.close()));
    for (const store of new Set(owned)) await store.close?.();
  });

  it("a cursor issued by A pages on B and back; one sealed with another secret is 400 invalidCursor", {
    timeout: 30_000,
  }, async () => {
    const names = Array.from({ length: 8 }, (_, i) => `paged-${i}`);
    for (const [i, name] of names.entries()) {
      const r = await (i % 2 === 0 ? a : b).request("/Users", { body: user(name) });
      expect(r.status, r.text).toBe(201);
    }
    const query = `filter=${encodeURIComponent('userName sw "paged-"')}&sortBy=userName&count=3`;
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const r = await (page % 2 === 0 ? a : b).request(`/Users?${query}&cursor=${cursor}`);
      expect(r.status, r.text).toBe(200);
      seen.push(...r.body.Resources.map((u: { userName: string }) => u.userName));
      if (r.body.nextCursor === undefined) break;
      cursor = r.body.nextCursor;
      const foreign = await c.request(`/Users?${query}&cursor=${cursor}`);
      expect(foreign.status, foreign.text).toBe(400);
      expect(foreign.body.scimType).toBe("invalidCursor");
    }
    expect(seen).toEqual(names);
  });

  it("ETags hold across instances: If-Match with a version read on B fails after a change via A", {
    timeout: 30_000,
  }, async () => {
    const created = await a.request("/Users", { body: user("etag-user") });
    const id = created.body.id as string;
    const read = await b.request(`/Users/${id}`);
    const etag = read.headers.get("etag") as string;
    expect(etag).toBe(created.headers.get("etag"));
    const changed = await a.request(`/Users/${id}`, {
      method: "PATCH",
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "changed on A" }] },
    });
    expect(changed.status, changed.text).toBe(200);
    const stale = await b.request(`/Users/${id}`, {
      method: "PUT",
      headers: { "if-match": etag },
      body: user("etag-user", { title: "lost update from B" }),
    });
    expect(stale.status, stale.text).toBe(412);
    const current = await b.request(`/Users/${id}`, {
      headers: { "if-none-match": changed.headers.get("etag") as string },
    });
    expect(current.status).toBe(304);
    const fresh = await b.request(`/Users/${id}`, {
      method: "PUT",
      headers: { "if-match": changed.headers.get("etag") as string },
      body: user("etag-user", { title: "from B, on the latest version" }),
    });
    expect(fresh.status, fresh.text).toBe(200);
    expect((await a.request(`/Users/${id}`)).body.title).toBe("from B, on the latest version");
    expect((await a.request(`/Users/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await b.request(`/Users/${id}`)).status).toBe(404);
  });

  it("uniqueness holds across instances: concurrent creates of one userName on A and B, exactly one 201", {
    timeout: 30_000,
  }, async () => {
    for (const round of [0, 1, 2]) {
      const spellings = [`race-${round}`, `RACE-${round}`, `Race-${round}`];
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? a : b).request("/Users", { body: user(spellings[i % 3] as string) }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(
        statuses.filter((s) => s === 201),
        JSON.stringify(statuses),
      ).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(11);
      for (const r of answers.filter((x) => x.status === 409)) expect(r.body.scimType).toBe("uniqueness");
    }
  });
});
