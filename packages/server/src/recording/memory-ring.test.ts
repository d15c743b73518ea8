import { describe, expect, it } from "vitest";
import { MemoryRecordings } from "./memory-recordings.js";
import type { NewRequestRecord } from "./types.js";

const LONG = 86_400_000;

function record(path: string, overrides: Partial<NewRequestRecord> = {}): NewRequestRecord {
  return {
    time: new Date().toISOString(),
    tenant: "t",
    method: "GET",
    path,
    status: 200,
    durationMs: 1.25,
    idp: "okta",
    requestHeaders: { "user-agent": "Okta SCIM Client 1.0.0", accept: "application/scim+json" },
    changes: [],
    ...overrides,
  };
}

async function paths(recordings: MemoryRecordings): Promise<string[]> {
  const page = await recordings.list("t", { limit: 10_000 });
  return page.items.map((item) => item.path).reverse();
}

describe("MemoryRecordings' column ring", () => {
  it("keeps order and contents when it wraps around and then grows with the head mid-ring", async () => {
    const recordings = new MemoryRecordings();
    for (let i = 0; i < 200; i++)
      await recordings.append([record(`/p${i}`)], { maxAgeMs: LONG, maxCount: 100 });
    expect(await paths(recordings)).toEqual(Array.from({ length: 100 }, (_, i) => `/p${i + 100}`));
    // A larger maxCount: the ring (64 → 128 slots, head mid-ring) has to grow again.
    for (let i = 200; i < 400; i++)
      await recordings.append([record(`/p${i}`)], { maxAgeMs: LONG, maxCount: 1000 });
    const kept = await paths(recordings);
    expect(kept).toHaveLength(300);
    expect(kept).toEqual(Array.from({ length: 300 }, (_, i) => `/p${i + 100}`));
    expect((await recordings.stats("t", new Date())).total).toBe(300);
  });

  it("gives back the time, headers and fields as appended, and a copy of the shared header set", async () => {
    const recordings = new MemoryRecordings();
    const [a, b] = await recordings.append(
      [
        record("/a", {
          time: "2026-12-03T10:00:00Z",
          query: "filter=x",
          scimType: "invalidFilter",
          status: 400,
        }),
        record("/b", { time: "2026-12-03T10:00:01.500Z", method: "PATCH", idp: "entra", subject: "s" }),
      ],
      { maxAgeMs: Number.MAX_SAFE_INTEGER, maxCount: 10 },
    );
    const first = await recordings.get("t", a?.id ?? "");
    expect(first).toMatchObject({
      time: "2026-12-03T10:00:00Z",
      query: "filter=x",
      scimType: "invalidFilter",
      status: 400,
      method: "GET",
      idp: "okta",
      durationMs: 1.25,
    });
    const second = await recordings.get("t", b?.id ?? "");
    expect(second).toMatchObject({
      time: "2026-12-03T10:00:01.500Z",
      method: "PATCH",
      idp: "entra",
      subject: "s",
    });
    expect(second).not.toHaveProperty("query");
    (first?.requestHeaders as Record<string, string>).accept = "changed";
    expect((await recordings.get("t", b?.id ?? ""))?.requestHeaders).toEqual({
      "user-agent": "Okta SCIM Client 1.0.0",
      accept: "application/scim+json",
    });
  });

  it("numbers a request's changes right after it, in get and in the history", async () => {
    const recordings = new MemoryRecordings();
    const change = {
      resourceType: "User",
      resourceId: "u1",
      action: "patch",
      outcome: "success",
      status: 200,
    } as const;
    const [first] = await recordings.append(
      [record("/Users/u1", { changes: [change, { ...change, body: "{}" }] })],
      { maxAgeMs: LONG, maxCount: 10 },
    );
    const [second] = await recordings.append([record("/Users/u1", { changes: [change] })], {
      maxAgeMs: LONG,
      maxCount: 10,
    });
    const id = Number(first?.id);
    expect(Number(second?.id)).toBe(id + 3);
    const got = await recordings.get("t", String(id));
    expect(got?.changes.map((c) => (c as { id?: string }).id)).toEqual([String(id + 1), String(id + 2)]);
    const history = await recordings.history("t", "user", "u1", { limit: 2 });
    expect(history.items.map((c) => c.id)).toEqual([String(id + 4), String(id + 2)]);
    expect(history.items[1]).toMatchObject({
      requestId: String(id),
      body: "{}",
      idp: "okta",
      path: "/Users/u1",
    });
    const rest = await recordings.history("t", "User", "u1", { limit: 2, before: history.nextCursor ?? "" });
    expect(rest.items.map((c) => c.id)).toEqual([String(id + 1)]);
  });
});
