/// <reference types="node" />
/**
 * Interrupted runs and other stores: a run aborted half-way is finished by running it again (same
 * final state as one uninterrupted run), concurrent single requests and bulk agree, and the whole
 * cycle works on the reference server backed by PGlite (PostgresStore).
 */
import { createScimClient } from "@scimkit/client";
import { PostgresStore } from "@scimkit/server/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, startServer, TOKEN } from "./__fixtures__/servers.js";
import { csvSource, type SyncReport, sync } from "./index.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const rows = (n: number, dept: (i: number) => string) =>
  [
    `userName,name.givenName,active,${ENTERPRISE}:department,groups`,
    ...Array.from(
      { length: n },
      (_, i) => `user${i},Given${i},true,${dept(i)},${i % 2 === 0 ? "Even" : "Odd;All"}`,
    ),
  ].join("\n");

/** The server's users and groups, without ids and meta, for comparing final states. */
async function state(url: string) {
  const client = createScimClient({ baseUrl: url, token: TOKEN });
  const users: Record<string, unknown> = {};
  const names = new Map<string, string>();
  for await (const u of client.users.iterate({ count: 500 })) {
    const { id, meta: _meta, groups: _groups, ...rest } = u as unknown as Record<string, unknown>;
    names.set(String(id), String(rest.userName));
    users[String(rest.userName)] = rest;
  }
  const groups: Record<string, string[]> = {};
  for await (const g of client.groups.iterate({ count: 500 }))
    groups[g.displayName] = (g.members ?? []).map((m) => names.get(m.value ?? "") ?? "?").sort();
  return { users, groups };
}

const total = (r: SyncReport) => r.created + r.updated + r.unchanged + r.deactivated;

describe("resuming and converging", () => {
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    [a, b] = await Promise.all([startServer(), startServer()]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  it("a run aborted half-way, then run again, ends where one uninterrupted run ends", async () => {
    const csv = rows(300, (i) => (i % 3 === 0 ? "Sales" : "Ops"));
    const whole = await sync({ to: { url: a.url, token: TOKEN }, source: csvSource([csv]) });
    expect(whole).toEqual({ created: 300, updated: 0, deactivated: 0, unchanged: 0, failed: [] });

    const controller = new AbortController();
    let applied = 0;
    const interrupted = sync({
      to: { url: b.url, token: TOKEN },
      source: csvSource([csv]),
      bulk: false,
      concurrency: 8,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "action" && e.outcome === "created" && ++applied === 120)
          controller.abort(new Error("stop"));
      },
    });
    await expect(interrupted).rejects.toThrow("stop");
    const part = await state(b.url);
    expect(Object.keys(part.users).length).toBeGreaterThanOrEqual(120);
    expect(Object.keys(part.users).length).toBeLessThan(300);

    const rerun = await sync({ to: { url: b.url, token: TOKEN }, source: csvSource([csv]) });
    expect(rerun.failed).toEqual([]);
    expect(total(rerun)).toBe(300);
    expect(rerun.created).toBe(300 - Object.keys(part.users).length);
    expect(await state(b.url)).toEqual(await state(a.url));

    const third = await sync({ to: { url: b.url, token: TOKEN }, source: csvSource([csv]), bulk: false });
    expect(third).toEqual({ created: 0, updated: 0, deactivated: 0, unchanged: 300, failed: [] });
  });
});

describe("the reference server on PGlite (PostgresStore)", () => {
  let store: PostgresStore;
  let server: Running;
  beforeAll(async () => {
    store = await PostgresStore.open({ memory: true });
    server = await startServer({ store });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it("creates, updates, leaves unchanged and deactivates, counted against the final state", async () => {
    const to = { url: server.url, token: TOKEN };
    expect(await sync({ to, source: csvSource([rows(40, () => "Sales")]) })).toEqual({
      created: 40,
      updated: 0,
      deactivated: 0,
      unchanged: 0,
      failed: [],
    });
    // user0..4 move to Ops, user35..39 leave; 5 of 40 is above 10% (4), so maxDeactivate is raised
    const next = rows(35, (i) => (i < 5 ? "Ops" : "Sales"));
    const report = await sync({ to, source: csvSource([next]), deactivateMissing: true, maxDeactivate: 5 });
    expect(report).toEqual({ created: 0, updated: 5, deactivated: 5, unchanged: 30, failed: [] });
    const { users, groups } = await state(server.url);
    const u = users as Record<string, Record<string, unknown>>;
    expect(
      Object.values(u)
        .filter((x) => x.active === false)
        .map((x) => x.userName)
        .sort(),
    ).toEqual(["user35", "user36", "user37", "user38", "user39"]);
    expect(
      Object.values(u).filter((x) => (x[ENTERPRISE] as { department?: string })?.department === "Ops"),
    ).toHaveLength(5);
    expect(groups.Even).toHaveLength(20);
    expect(groups.All).toHaveLength(20);
    expect(await sync({ to, source: csvSource([next]), deactivateMissing: true })).toEqual({
      created: 0,
      updated: 0,
      deactivated: 0,
      unchanged: 35,
      failed: [],
    });
  });
});
