/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_URL, pgliteStore, postgresStore } from "../http/__fixtures__/stores.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { ScimStore } from "../stores/store.js";
import type { NewRequestRecord, RecordingStore } from "./types.js";

const STORES: readonly { name: string; open: () => Promise<ScimStore> }[] = [
  { name: "MemoryStore", open: async () => new MemoryStore() },
  { name: "PostgresStore on PGlite", open: pgliteStore },
  ...(DATABASE_URL === undefined
    ? []
    : [{ name: "PostgresStore on PostgreSQL", open: () => postgresStore("scim_recstore_") }]),
];

const LONG = { maxAgeMs: 86_400_000, maxCount: 1000 };

function record(tenant: string, overrides: Partial<NewRequestRecord> = {}): NewRequestRecord {
  return {
    time: new Date().toISOString(),
    tenant,
    method: "GET",
    path: "/scim/v2/Users",
    status: 200,
    durationMs: 1.5,
    idp: "other",
    requestHeaders: { "user-agent": "test" },
    changes: [],
    ...overrides,
  };
}

describe.each(STORES)("recordings of $name", ({ open }) => {
  let store: ScimStore;
  let recordings: RecordingStore;
  beforeAll(async () => {
    store = await open();
    recordings = store.recordings as RecordingStore;
  });
  afterAll(async () => {
    await store.close?.();
  });

  it("stores a request with its headers, bodies and changes, and keeps tenants apart", async () => {
    const tenant = `t-${randomUUID()}`;
    const [summary] = await recordings.append(
      [
        record(tenant, {
          method: "PATCH",
          path: "/scim/v2/Users/u1",
          status: 400,
          scimType: "invalidPath",
          detail: "bad path\u0000 with a NUL",
          resourceType: "User",
          resourceId: "u1",
          requestBody: '{"Operations":[]}',
          responseBody: '{"status":"400"}',
          changes: [
            {
              resourceType: "User",
              resourceId: "u1",
              action: "patch",
              outcome: "failure",
              status: 400,
              body: "{}",
            },
          ],
        }),
      ],
      LONG,
    );
    expect(summary?.id).toMatch(/^\d+$/);
    const got = await recordings.get(tenant, summary?.id as string);
    expect(got).toMatchObject({
      tenant,
      status: 400,
      scimType: "invalidPath",
      requestHeaders: { "user-agent": "test" },
      requestBody: '{"Operations":[]}',
      responseBody: '{"status":"400"}',
      changes: [{ action: "patch", outcome: "failure", requestId: summary?.id, resourceId: "u1" }],
    });
    expect(got?.detail).toMatch(/^bad path. with a NUL$/);
    expect(await recordings.get(`other-${tenant}`, summary?.id as string)).toBeUndefined();
    expect((await recordings.list(`other-${tenant}`, { limit: 10 })).items).toEqual([]);
  });

  it("keeps at most maxCount requests per tenant, dropping the oldest with their changes", async () => {
    const tenant = `t-${randomUUID()}`;
    const retention = { maxAgeMs: 86_400_000, maxCount: 3 };
    for (let i = 0; i < 7; i++)
      await recordings.append(
        [
          record(tenant, {
            path: `/scim/v2/Users/u${i}`,
            changes: [
              { resourceType: "User", resourceId: "u", action: "replace", outcome: "success", status: 200 },
            ],
          }),
        ],
        retention,
      );
    const page = await recordings.list(tenant, { limit: 10 });
    expect(page.items.map((i) => i.path)).toEqual([
      "/scim/v2/Users/u6",
      "/scim/v2/Users/u5",
      "/scim/v2/Users/u4",
    ]);
    const history = await recordings.history(tenant, "User", "u", { limit: 10 });
    expect(history.items).toHaveLength(3);
    expect((await recordings.stats(tenant, new Date())).total).toBe(3);
  });

  it("drops requests older than maxAgeMs", async () => {
    const tenant = `t-${randomUUID()}`;
    const old = new Date(Date.now() - 2 * 3_600_000).toISOString();
    await recordings.append([record(tenant, { time: old, path: "/old" })], LONG);
    expect((await recordings.list(tenant, { limit: 10 })).items).toHaveLength(1);
    await recordings.append([record(tenant, { path: "/new" })], { maxAgeMs: 3_600_000, maxCount: 1 });
    expect((await recordings.list(tenant, { limit: 10 })).items.map((i) => i.path)).toEqual(["/new"]);
  });

  it("pages a resource's history newest first and filters by time", async () => {
    const tenant = `t-${randomUUID()}`;
    const base = Date.now() - 10 * 60_000;
    for (let i = 0; i < 5; i++)
      await recordings.append(
        [
          record(tenant, {
            time: new Date(base + i * 60_000).toISOString(),
            status: i % 2 === 0 ? 200 : 500,
            changes: [
              {
                resourceType: "Group",
                resourceId: "g",
                action: "patch",
                outcome: "success",
                status: 200,
                detail: `#${i}`,
              },
            ],
          }),
        ],
        LONG,
      );
    const first = await recordings.history(tenant, "Group", "g", { limit: 2 });
    expect(first.items.map((c) => c.detail)).toEqual(["#4", "#3"]);
    const second = await recordings.history(tenant, "Group", "g", {
      limit: 2,
      before: first.nextCursor as string,
    });
    expect(second.items.map((c) => c.detail)).toEqual(["#2", "#1"]);
    const window = await recordings.list(tenant, {
      limit: 10,
      since: new Date(base + 60_000).toISOString(),
      until: new Date(base + 3 * 60_000).toISOString(),
    });
    expect(window.items).toHaveLength(2);
    const stats = await recordings.stats(tenant, new Date());
    const counted = stats.perMinute.reduce((n, m) => n + m.requests, 0);
    const errors = stats.perMinute.reduce((n, m) => n + m.errors, 0);
    expect([counted, errors]).toEqual([5, 2]);
    expect(stats.idps).toMatchObject([{ idp: "other", requests: 5, errors: 2 }]);
    expect(Date.parse(stats.idps[0]?.lastSuccess as string)).toBe(base + 4 * 60_000);
  });

  it("tells subscribers of what it stores", async () => {
    const tenant = `t-${randomUUID()}`;
    const seen: string[] = [];
    const stop = recordings.subscribe((s) => {
      if (s.tenant === tenant) seen.push(s.path);
    });
    await recordings.append([record(tenant, { path: "/a" }), record(tenant, { path: "/b" })], LONG);
    stop();
    await recordings.append([record(tenant, { path: "/c" })], LONG);
    expect(seen).toEqual(["/a", "/b"]);
  });
});
