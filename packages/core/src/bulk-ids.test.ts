import { describe, expect, it } from "vitest";
import { BULK_ID_PATH, bulkIdReferences, replaceBulkIds } from "./bulk-ids.js";

describe("bulkId references (RFC 7644 §3.7.2)", () => {
  const data = {
    displayName: "Eng",
    members: [{ value: "bulkId:u1" }, { value: "bulkId:u2" }, { value: "42" }],
  };

  it("collects the bulkIds a value refers to", () => {
    expect([...bulkIdReferences(data, new Set(), 32)].sort()).toStrictEqual(["u1", "u2"]);
  });

  it("replaces them through the resolver, leaving other values and the input alone", () => {
    const before = structuredClone(data);
    const out = replaceBulkIds(data, (id, text) => (id === "u1" ? "id-1" : text), 32);
    expect(out).toStrictEqual({
      displayName: "Eng",
      members: [{ value: "id-1" }, { value: "bulkId:u2" }, { value: "42" }],
    });
    expect(data).toStrictEqual(before);
  });

  it("stops at the depth limit and never copies keys that reach a prototype", () => {
    expect(bulkIdReferences({ a: { b: "bulkId:deep" } }, new Set(), 1).size).toBe(0);
    const hostile = JSON.parse('{"__proto__": {"polluted": "bulkId:x"}, "ok": "bulkId:y"}') as unknown;
    expect([...bulkIdReferences(hostile, new Set(), 32)]).toStrictEqual(["y"]);
    const copied = replaceBulkIds(hostile, () => "id", 32) as Record<string, unknown>;
    expect(Object.keys(copied)).toStrictEqual(["ok"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reads a bulkId in an operation path", () => {
    expect(BULK_ID_PATH.exec("/Groups/bulkId:g1")?.slice(1)).toStrictEqual(["/Groups/", "g1"]);
    expect(BULK_ID_PATH.exec("/Groups/g1")).toBeNull();
  });
});
