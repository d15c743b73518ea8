/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { server } from "../http/__fixtures__/handler.js";
import { DATABASE_URL, LONG_TOKEN, pgliteStore, postgresStore } from "../http/__fixtures__/stores.js";
import type { TestServer } from "../replays/__fixtures__/server.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { ScimStore } from "../stores/store.js";
import { consoleGet, type EventStream, openEvents, waitForRequests } from "./__fixtures__/console.js";

/** The store without `close`, so two servers on one store do not close it under each other. */
function shared(store: ScimStore): ScimStore {
  return {
    get: (...args) => store.get(...args),
    create: (...args) => store.create(...args),
    update: (...args) => store.update(...args),
    delete: (...args) => store.delete(...args),
    query: (...args) => store.query(...args),
    ...(store.recordings !== undefined && { recordings: store.recordings }),
  };
}

/**
 * Two handlers on two ports, as two instances behind a load balancer: on one MemoryStore or one
 * PostgresStore on PGlite (one process), and on PostgreSQL with a store and pool each (as two
 * processes would have), where only LISTEN/NOTIFY can tell instance A what instance B recorded.
 */
const CASES: readonly { name: string; stores: () => Promise<[ScimStore, ScimStore, () => Promise<void>]> }[] =
  [
    {
      name: "one MemoryStore",
      stores: async () => {
        const store = new MemoryStore();
        return [store, store, async () => undefined];
      },
    },
    {
      name: "one PostgresStore on PGlite",
      stores: async () => {
        const store = await pgliteStore();
        return [shared(store), shared(store), async () => store.close?.()];
      },
    },
    ...(DATABASE_URL === undefined
      ? []
      : [
          {
            name: "two PostgresStores on one PostgreSQL",
            stores: async (): Promise<[ScimStore, ScimStore, () => Promise<void>]> => {
              const a = await postgresStore("scim_live_", 4);
              const b = await postgresStore("scim_live_", 4);
              return [a, b, async () => undefined];
            },
          },
        ]),
  ];

describe.each(CASES)("live events: $name", ({ stores }) => {
  let a: TestServer;
  let b: TestServer;
  let closeShared: () => Promise<void>;
  const tenant = `live-${randomUUID()}`;
  const other = `live-other-${randomUUID()}`;
  const otherToken = "another-tenant-token-0123456789";
  beforeAll(async () => {
    const [first, second, close] = await stores();
    closeShared = close;
    const auth = { tokens: { [LONG_TOKEN]: tenant, [otherToken]: other } };
    a = await server({ store: first, token: LONG_TOKEN, auth });
    b = await server({ store: second, token: LONG_TOKEN, auth });
  });
  // The servers (and stores of their own) are closed by the fixture's afterAll.
  afterAll(async () => {
    await closeShared();
  });

  it("streams a failed request handled by either instance within 2 s, only to its tenant", async () => {
    const onA = await openEvents(a, LONG_TOKEN);
    const otherTenant = await openEvents(a, otherToken);
    try {
      for (const [via, label] of [
        [a, "a"],
        [b, "b"],
      ] as const) {
        const started = Date.now();
        const r = await via.request(`/Users?filter=${encodeURIComponent(`userName eq "${label}" and`)}`);
        expect(r.status).toBe(400);
        const event = await onA.next(2000);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(event).toMatchObject({ tenant, status: 400, scimType: "invalidFilter", method: "GET" });
        expect(event.query).toContain(label);
      }
      await expect(otherTenant.next(300)).rejects.toThrow(/no event/);
    } finally {
      onA.close();
      otherTenant.close();
    }
  });

  it("replays what was recorded since Last-Event-ID, oldest first, then goes on live", async () => {
    await a.request("/Users?count=1");
    const [last] = await waitForRequests(a, "", (items) => items[0]?.query === "count=1");
    await b.request("/Groups/missing-1");
    await b.request("/Groups/missing-2");
    await waitForRequests(a, `?after=${last?.id}`, (items) => items.length === 2);
    const events: EventStream = await openEvents(a, LONG_TOKEN, { "last-event-id": String(last?.id) });
    try {
      expect((await events.next()).path).toBe("/scim/v2/Groups/missing-1");
      expect((await events.next()).path).toBe("/scim/v2/Groups/missing-2");
      await a.request("/Groups/missing-3");
      expect((await events.next()).path).toBe("/scim/v2/Groups/missing-3");
    } finally {
      events.close();
    }
  });

  it("refuses the event stream without the token", async () => {
    const r = await fetch(`${a.base}/_console/events`);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const list = await consoleGet(a, "/requests", null);
    expect(list.status).toBe(401);
  });
});
