import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, rejection } from "./__fixtures__/http.js";
import { GROUP, type Reference, startReference, TOKEN, user } from "./__fixtures__/reference-server.js";
import { createScimClient } from "./index.js";

let reference: Reference;
let baseUrl: string;
const client = () => createScimClient({ baseUrl, token: TOKEN });

beforeAll(async () => {
  reference = await startReference({ maxBulkOperations: 4, maxPayloadSize: 64 * 1024 });
  baseUrl = reference.baseUrl;
});

afterAll(() => close(reference));

describe("bulk", () => {
  it("creates a user and a group that refers to it by bulkId, typed results per operation", async () => {
    const scim = client();
    const result = await scim.bulk((b) => {
      const alice = b.create("User", user("bulk-alice"));
      const admins = b.create("Group", {
        schemas: [GROUP],
        displayName: "bulk-admins",
        members: [{ value: alice.ref }],
      });
      b.patch("User", alice, (p) => [p.replace("displayName", "Alice")]);
      return admins;
    });
    expect(result.errors).toBe(0);
    expect(result.requests).toBe(1);
    expect(result.operations.map((o) => o.outcome)).toStrictEqual(["ok", "ok", "ok"]);
    const [aliceResult, groupResult] = result.operations;
    if (aliceResult?.outcome !== "ok" || groupResult?.outcome !== "ok") throw new Error("expected ok");
    const group = await scim.groups.get(groupResult.id as string);
    expect(group.members?.map((m) => m.value)).toStrictEqual([aliceResult.id]);
    expect((await scim.users.get(aliceResult.id as string)).displayName).toBe("Alice");
  });

  it("splits by the server's maxOperations and resolves bulkIds created by an earlier request", async () => {
    const scim = client();
    const start = reference.log.length;
    const result = await scim.bulk((b) => {
      const members = Array.from({ length: 6 }, (_, i) => b.create("User", user(`split-${i}`)));
      b.create("Group", {
        schemas: [GROUP],
        displayName: "split-group",
        members: members.map((m) => ({ value: m.ref })),
      });
    });
    expect(reference.log.slice(start).filter((l) => l === "POST /scim/v2/Bulk")).toHaveLength(2);
    expect(result.requests).toBe(2);
    expect(result.errors).toBe(0);
    const last = result.operations.at(-1);
    if (last?.outcome !== "ok") throw new Error("expected the group to be created");
    const group = await scim.groups.get(last.id as string);
    const ids = result.operations.slice(0, 6).map((o) => (o.outcome === "ok" ? o.id : undefined));
    expect(group.members?.map((m) => m.value).sort()).toStrictEqual([...ids].sort());
  });

  it("splits by maxPayloadSize", async () => {
    const scim = client();
    const big = "x".repeat(1000);
    const result = await scim.bulk(
      (b) => {
        for (let i = 0; i < 3; i++) b.create("User", user(`payload-${i}`, { title: big }));
      },
      { maxOperations: 10, maxPayloadSize: 2500 },
    );
    expect(result.requests).toBe(2);
    expect(result.operations.every((o) => o.outcome === "ok")).toBe(true);
  });

  it("rejects an operation larger than maxPayloadSize on its own with 413, before sending", async () => {
    const scim = client();
    const start = reference.log.length;
    const error = await rejection(
      scim.bulk((b) => void b.create("User", user("too-big", { title: "y".repeat(5000) })), {
        maxOperations: 10,
        maxPayloadSize: 1000,
      }),
    );
    expect(error.status).toBe(413);
    expect(error.detail).toMatch(/maxPayloadSize of 1000 bytes/);
    expect(reference.log.length).toBe(start);
  });

  it("reports failures as ScimErrors, counts failOnErrors across requests and skips the rest", async () => {
    const scim = client();
    await scim.users.create(user("dup-1"));
    const result = await scim.bulk(
      (b) => {
        b.create("User", user("dup-1")); // 409 uniqueness
        b.create("User", user("fine-1"));
        b.delete("User", "no-such-id"); // 404
        b.create("User", user("fine-2"));
        b.create("User", user("fine-3")); // second request
        b.create("User", user("fine-4"));
      },
      { failOnErrors: 2 },
    );
    const outcomes = result.operations.map((o) => o.outcome);
    expect(outcomes.slice(0, 3)).toStrictEqual(["failed", "ok", "failed"]);
    expect(outcomes.slice(3).every((o) => o === "skipped")).toBe(true);
    expect(result.errors).toBe(2);
    expect(result.requests).toBe(1);
    const first = result.operations[0];
    expect(first?.outcome === "failed" && [first.error.status, first.error.scimType]).toStrictEqual([
      409,
      "uniqueness",
    ]);
    const third = result.operations[2];
    expect(third?.outcome === "failed" && third.error.status).toBe(404);
  });

  it("does not send an operation that refers to a bulkId whose POST failed", async () => {
    const scim = client();
    await scim.users.create(user("dup-2"));
    const result = await scim.bulk(
      (b) => {
        const dup = b.create("User", user("dup-2"));
        b.create("User", user("filler-a"));
        b.create("User", user("filler-b"));
        b.create("User", user("filler-c"));
        b.create("Group", { schemas: [GROUP], displayName: "dead-ref", members: [{ value: dup.ref }] });
      },
      { maxOperations: 4, maxPayloadSize: 1_000_000 },
    );
    const last = result.operations.at(-1);
    expect(last?.outcome).toBe("failed");
    expect(last?.outcome === "failed" && last.error.detail).toMatch(/bulkId "op1", whose POST failed/);
    expect(result.requests).toBe(1);
  });

  it("takes raw operations, as they go on the wire", async () => {
    const scim = client();
    const result = await scim.bulk([
      { method: "POST", path: "/Users", bulkId: "raw", data: user("bulk-raw") },
      {
        method: "PATCH",
        path: "/Users/bulkId:raw",
        data: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "title", value: "Raw" }],
        },
      },
    ]);
    expect(result.operations.map((o) => o.outcome)).toStrictEqual(["ok", "ok"]);
  });
});
