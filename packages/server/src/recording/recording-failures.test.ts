/// <reference types="node" />
import { describe, expect, it } from "vitest";
import { server, user } from "../http/__fixtures__/handler.js";
import { createScimHandler } from "../http/handler.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { ScimStore } from "../stores/store.js";
import { consoleGet, waitForRequests } from "./__fixtures__/console.js";
import { MemoryRecordings } from "./memory-recordings.js";
import type { RecordingStore } from "./types.js";

/** A MemoryStore whose recordings fail (a database that is down) or never answer (a stuck one). */
function storeWith(recordings: RecordingStore): ScimStore {
  const store = new MemoryStore();
  return {
    get: (...args) => store.get(...args),
    create: (...args) => store.create(...args),
    update: (...args) => store.update(...args),
    delete: (...args) => store.delete(...args),
    query: (...args) => store.query(...args),
    recordings,
  };
}

describe("recording never fails or holds up a SCIM request", () => {
  it("answers as usual when the recording store throws, and reports the error to onError", async () => {
    const failing = new MemoryRecordings();
    failing.append = async () => {
      throw new Error("recording database is down");
    };
    const errors: unknown[] = [];
    const requests: Request[] = [];
    const s = await server({
      store: storeWith(failing),
      onError: (error, request) => {
        errors.push(error);
        requests.push(request);
      },
    });
    const created = await s.request("/Users", { body: user("still-works") });
    expect(created.status).toBe(201);
    const bad = await s.request("/Users?filter=bad");
    expect(bad.status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors.map((e) => (e as Error).message)).toEqual([
      "recording database is down",
      "recording database is down",
    ]);
    // The request is named as sent (method, URL, headers), though the recorder no longer holds it.
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`)).toEqual([
      "POST /scim/v2/Users",
      "GET /scim/v2/Users?filter=bad",
    ]);
    expect(requests[1]?.headers.get("authorization")).toMatch(/^Bearer /);
  });

  it("drops records beyond maxPending when the store never answers, and says so once", async () => {
    const stuck = new MemoryRecordings();
    stuck.append = () => new Promise(() => undefined);
    const errors: unknown[] = [];
    const s = await server({
      store: storeWith(stuck),
      recording: { maxPending: 2 },
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 5; i++) expect((await s.request("/Users")).status).toBe(200);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toMatch(/recording\.maxPending/);
  });

  it("records nothing with recording: false, and the read API says recording is off", async () => {
    const store = new MemoryStore();
    const s = await server({ store, recording: false });
    await s.request("/Users");
    const r = await consoleGet(s, "/requests");
    expect(r.status).toBe(404);
    expect(r.body.detail).toMatch(/recording is off/);
    expect((await store.recordings.list("default", { limit: 10 })).items).toEqual([]);
  });

  it("refuses a recording option on a store without recordings, and a bad option value", () => {
    const plain = storeWith(new MemoryRecordings());
    const { recordings: _, ...withoutRecordings } = plain;
    expect(() => createScimHandler({ store: withoutRecordings, recording: {} })).toThrow(
      /needs a store with `recordings`/,
    );
    expect(() => createScimHandler({ store: new MemoryStore(), recording: { maxCount: 0 } })).toThrow(
      /maxCount/,
    );
    // A value plain JavaScript could pass.
    const bodies = "some" as unknown as "all";
    expect(() => createScimHandler({ store: new MemoryStore(), recording: { bodies } })).toThrow(/bodies/);
  });

  it("keeps successful bodies with bodies: all, and records 401s for the single tenant", async () => {
    const s = await server({ recording: { bodies: "all" } });
    const created = await s.request("/Users", { body: user("kept-body", { password: "Hunter2-all" }) });
    expect(created.status).toBe(201);
    expect((await s.request("/Users", { token: "wrong-token-wrong-token" })).status).toBe(401);
    const items = await waitForRequests(s, "", (found) => found.some((f) => f.status === 401));
    expect(items[0]).toMatchObject({ status: 401, tenant: "default" });
    expect(items[0]?.subject).toBeUndefined();
    const post = items.find((i) => i.status === 201);
    const detail = await consoleGet(s, `/requests/${post?.id}`);
    expect(detail.body.requestBody).toMatchObject({ userName: "kept-body", password: "[redacted]" });
    expect(detail.body.responseBody).toMatchObject({ userName: "kept-body", id: created.body.id });
    expect(detail.text).not.toContain("Hunter2");
  });
});
