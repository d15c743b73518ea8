import { isScimError } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BulkChunk, type BulkOperation, dependencyOrder, runBulk } from "./bulk.js";

const post = (bulkId: string, data: unknown = {}): BulkOperation => ({
  method: "POST",
  path: "/Users",
  bulkId,
  data,
});

describe("dependencyOrder", () => {
  it("moves a POST before the operations that refer to its bulkId, keeping the rest in order", () => {
    const ops: BulkOperation[] = [
      { method: "POST", path: "/Groups", bulkId: "g", data: { members: [{ value: "bulkId:u" }] } },
      { method: "DELETE", path: "/Users/x" },
      post("u"),
      { method: "PATCH", path: "/Users/bulkId:v", data: {} },
      post("v"),
    ];
    expect(dependencyOrder(ops)).toStrictEqual([2, 0, 1, 4, 3]);
  });

  it("terminates on circular references (the server answers those with 409)", () => {
    const ops = [post("a", { manager: "bulkId:b" }), post("b", { manager: "bulkId:a" })];
    expect(dependencyOrder(ops).sort()).toStrictEqual([0, 1]);
  });

  it("is a permutation in which every referenced POST comes first (references acyclic, pointing anywhere)", () => {
    // each operation has a rank and refers only to operations of lower rank: acyclic, but forward or backward
    const opArb = fc.array(fc.tuple(fc.boolean(), fc.nat(20), fc.array(fc.nat(9), { maxLength: 3 })), {
      maxLength: 10,
    });
    fc.assert(
      fc.property(opArb, (spec) => {
        const refsOf = (i: number) =>
          (spec[i]?.[2] ?? []).filter((r) => r < spec.length && (spec[r]?.[1] ?? 0) < (spec[i]?.[1] ?? 0));
        const ops = spec.map(
          ([isPost], i): BulkOperation => ({
            method: isPost ? "POST" : "PUT",
            path: isPost ? "/Users" : "/Users/x",
            ...(isPost && { bulkId: `b${i}` }),
            data: { refs: refsOf(i).map((r) => `bulkId:b${r}`) },
          }),
        );
        const order = dependencyOrder(ops);
        expect([...order].sort((a, b) => a - b)).toStrictEqual(ops.map((_, i) => i));
        const position = new Map(order.map((index, at) => [index, at]));
        ops.forEach((_, i) => {
          for (const target of refsOf(i)) {
            if (ops[target]?.method === "POST")
              expect(position.get(target)).toBeLessThan(position.get(i) as number);
          }
        });
      }),
    );
  });
});

describe("runBulk", () => {
  /** A server that answers in reverse order (RFC 7644 §3.7 lets it reorder) and assigns ids. */
  const reversing = (sent: BulkChunk[]) => async (chunk: BulkChunk) => {
    sent.push(structuredClone(chunk));
    return {
      Operations: chunk.body.Operations.map((op) => ({
        method: op.method,
        ...(op.bulkId !== undefined && { bulkId: op.bulkId }),
        status: op.method === "POST" ? "201" : "200",
        location: `https://x/scim/v2${op.method === "POST" ? `${op.path}/id-${op.bulkId}` : op.path}`,
      })).reverse(),
    };
  };

  it("matches results by bulkId, replaces references resolved by earlier requests and splits by count", async () => {
    const sent: BulkChunk[] = [];
    const result = await runBulk(
      [post("a"), post("b"), { method: "PATCH", path: "/Users/bulkId:a", data: { value: "bulkId:b" } }],
      { maxOperations: 2, maxPayloadSize: 10_000 },
      reversing(sent),
    );
    expect(sent.map((c) => c.indexes)).toStrictEqual([[0, 1], [2]]);
    expect(sent[1]?.body.Operations[0]).toStrictEqual({
      method: "PATCH",
      path: "/Users/id-a",
      data: { value: "id-b" },
    });
    expect(result.operations.map((o) => (o.outcome === "ok" ? o.id : o.outcome))).toStrictEqual([
      "id-a",
      "id-b",
      "id-a",
    ]);
    expect(result.requests).toBe(2);
  });

  it("keeps every request within maxPayloadSize bytes (UTF-8)", async () => {
    const sent: BulkChunk[] = [];
    const ops = Array.from({ length: 12 }, (_, i) =>
      post(`é${i}`, { displayName: "ü".repeat(40 * (i % 4)) }),
    );
    await runBulk(ops, { maxOperations: 100, maxPayloadSize: 600 }, reversing(sent));
    for (const chunk of sent)
      expect(new TextEncoder().encode(JSON.stringify(chunk.body)).length).toBeLessThanOrEqual(600);
    expect(sent.flatMap((c) => c.indexes).sort((a, b) => a - b)).toStrictEqual(ops.map((_, i) => i));
  });

  it("turns an error result without a SCIM body into a ScimError with its status", async () => {
    const result = await runBulk([post("a")], { maxOperations: 1, maxPayloadSize: 1000 }, async () => ({
      Operations: [{ method: "POST", bulkId: "a", status: "503" }],
    }));
    const [first] = result.operations;
    expect(first?.outcome === "failed" && isScimError(first.error) && first.error.status).toBe(503);
  });

  it("reports later operations as skipped when a later request fails as a whole", async () => {
    let calls = 0;
    const result = await runBulk(
      [post("a"), post("b"), post("c")],
      { maxOperations: 1, maxPayloadSize: 1000 },
      async (chunk) => {
        calls++;
        if (calls === 2) throw new Error("socket hang up");
        return {
          Operations: [
            {
              method: "POST",
              bulkId: chunk.body.Operations[0]?.bulkId,
              status: "201",
              location: "https://x/Users/1",
            },
          ],
        };
      },
    );
    expect(result.operations.map((o) => o.outcome)).toStrictEqual(["ok", "skipped", "skipped"]);
    const skipped = result.operations[1];
    expect(skipped?.outcome === "skipped" && skipped.reason).toMatch(/socket hang up/);
  });

  it("rejects when the first request fails as a whole (nothing applied)", async () => {
    await expect(
      runBulk([post("a")], { maxOperations: 1, maxPayloadSize: 1000 }, async () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
  });
});

describe("runBulk after the first request", () => {
  const okAnswer = async (chunk: BulkChunk) => ({
    Operations: chunk.body.Operations.map((op) => ({
      method: op.method,
      bulkId: op.bulkId,
      status: "201",
      location: "https://x/Users/100%",
    })),
  });

  it("rejects an operation too large for any request before sending anything", async () => {
    let sent = 0;
    const error = await runBulk(
      [post("a"), post("b", { title: "x".repeat(500) })],
      { maxOperations: 1, maxPayloadSize: 300 },
      async (chunk) => {
        sent++;
        return okAnswer(chunk);
      },
    ).catch((e: unknown) => e);
    expect(isScimError(error) && error.status).toBe(413);
    expect(sent).toBe(0);
  });

  it("reports a malformed later answer as skipped operations, keeping what was applied", async () => {
    let calls = 0;
    const result = await runBulk(
      [post("a"), post("b")],
      { maxOperations: 1, maxPayloadSize: 1000 },
      async (chunk) => {
        calls++;
        return calls === 1 ? okAnswer(chunk) : { nothing: true };
      },
    );
    expect(result.operations.map((o) => o.outcome)).toStrictEqual(["ok", "skipped"]);
    // "100%" is not valid percent-encoding: no id rather than a URIError
    const first = result.operations[0];
    expect(first?.outcome === "ok" && first.id).toBeUndefined();
  });
});

it("counts references to failed POSTs against failOnErrors before sending the next request", async () => {
  const sent: BulkChunk[] = [];
  const result = await runBulk(
    [post("dup"), { method: "PATCH", path: "/Users/bulkId:dup", data: {} }, post("c")],
    { maxOperations: 1, maxPayloadSize: 1000, failOnErrors: 2 },
    async (chunk) => {
      sent.push(chunk);
      return {
        Operations: [
          {
            method: "POST",
            bulkId: "dup",
            status: "409",
            response: {
              schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
              status: "409",
              scimType: "uniqueness",
            },
          },
        ],
      };
    },
  );
  expect(sent).toHaveLength(1);
  expect(result.operations.map((o) => o.outcome)).toStrictEqual(["failed", "failed", "skipped"]);
  expect(result.errors).toBe(2);
});
