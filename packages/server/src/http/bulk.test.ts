/// <reference types="node" />
import { beforeAll, describe, expect, it } from "vitest";
import {
  BULK_REQUEST,
  BULK_RESPONSE,
  ERROR,
  type TestServer,
  USER_SCHEMA,
} from "../replays/__fixtures__/server.js";
import { create, group, patch, server, user } from "./__fixtures__/handler.js";

describe("/Bulk (RFC 7644 §3.7)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({ maxBulkOperations: 5 });
  });
  const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({
    schemas: [BULK_REQUEST],
    ...extra,
    Operations,
  });

  it("resolves bulkId references from a POSTed User into a Group POST and PATCH", async () => {
    const r = await s.request("/Bulk", {
      body: bulk([
        // listed before the User it references: the server orders them
        { method: "POST", path: "/Groups", bulkId: "g1", data: group("bulk-group", ["bulkId:u1"]) },
        { method: "POST", path: "/Users", bulkId: "u1", data: user("bulk-user-1") },
        { method: "POST", path: "/Users", bulkId: "u2", data: user("bulk-user-2") },
        {
          method: "PATCH",
          path: "/Groups/bulkId:g1",
          data: patch({ op: "add", path: "members", value: [{ value: "bulkId:u2" }] }),
        },
      ]),
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.schemas).toEqual([BULK_RESPONSE]);
    const ops = r.body.Operations as Record<string, string>[];
    expect(ops.map((o) => [o.method, o.bulkId, o.status])).toEqual([
      ["POST", "g1", "201"],
      ["POST", "u1", "201"],
      ["POST", "u2", "201"],
      ["PATCH", undefined, "200"],
    ]);
    for (const op of ops) {
      expect(op.location).toMatch(new RegExp(`^${s.base}/(Users|Groups)/[0-9a-f-]+$`));
      expect(op.version).toMatch(/^W\/"\d+"$/);
    }
    const [groupOp, u1Op, u2Op, patchOp] = ops as [
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
    ];
    const u1 = u1Op.location?.split("/").pop();
    const u2 = u2Op.location?.split("/").pop();
    expect(patchOp.location).toBe(groupOp.location);
    const g = await s.request(String(groupOp.location).slice(s.base.length));
    expect(g.body.members.map((m: { value: string }) => m.value).sort()).toEqual([u1, u2].sort());
    expect(g.headers.get("etag")).toBe(patchOp.version);
  });

  it("a failed operation answers its error in place", async () => {
    await create(s, "/Users", user("taken"));
    const r = await s.request("/Bulk", {
      body: bulk([
        { method: "POST", path: "/Users", bulkId: "dup", data: user("taken") },
        { method: "DELETE", path: "/Users/no-such-id" },
      ]),
    });
    expect(r.status).toBe(200);
    expect(r.body.Operations[0]).toMatchObject({
      method: "POST",
      bulkId: "dup",
      status: "409",
      response: { schemas: [ERROR], status: "409", scimType: "uniqueness" },
    });
    // RFC 7644 §3.7.3: location is required except for a failed POST
    expect(r.body.Operations[0].location).toBeUndefined();
    expect(r.body.Operations[1]).toMatchObject({
      method: "DELETE",
      status: "404",
      location: `${s.base}/Users/no-such-id`,
      response: { schemas: [ERROR], status: "404" },
    });
  });

  it("failOnErrors stops after that many errors", async () => {
    const bad = { schemas: [USER_SCHEMA] }; // no userName → 400
    const ops = (n: string) => [
      { method: "POST", path: "/Users", bulkId: `a${n}`, data: bad },
      { method: "POST", path: "/Users", bulkId: `b${n}`, data: user(`foe-b-${n}`) },
      { method: "POST", path: "/Users", bulkId: `c${n}`, data: bad },
      { method: "POST", path: "/Users", bulkId: `d${n}`, data: user(`foe-d-${n}`) },
    ];
    const statuses = (r: { body: { Operations: { status: string }[] } }) =>
      r.body.Operations.map((o) => o.status);
    const one = await s.request("/Bulk", { body: bulk(ops("1"), { failOnErrors: 1 }) });
    expect(statuses(one)).toEqual(["400"]);
    const two = await s.request("/Bulk", { body: bulk(ops("2"), { failOnErrors: 2 }) });
    expect(statuses(two)).toEqual(["400", "201", "400"]);
    const all = await s.request("/Bulk", { body: bulk(ops("3")) });
    expect(statuses(all)).toEqual(["400", "201", "400", "201"]);
    // the users before the stop exist, the ones after it do not
    const list = await s.request('/Users?filter=userName sw "foe-d"');
    expect(list.body.Resources.map((u: { userName: string }) => u.userName).sort()).toEqual(["foe-d-3"]);
    const bs = await s.request('/Users?filter=userName sw "foe-b"');
    expect(bs.body.totalResults).toBe(2);
  });

  it("circular bulkId references → 409 (RFC 7644 §3.7.1), nothing created", async () => {
    const before = (await s.request("/Groups?count=0")).body.totalResults;
    const r = await s.request("/Bulk", {
      body: bulk([
        { method: "POST", path: "/Groups", bulkId: "qwerty", data: group("Group A", ["bulkId:ytrewq"]) },
        { method: "POST", path: "/Groups", bulkId: "ytrewq", data: group("Group B", ["bulkId:qwerty"]) },
      ]),
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "409" });
    expect(r.body.detail).toMatch(/circular/);
    const self = await s.request("/Bulk", {
      body: bulk([{ method: "POST", path: "/Groups", bulkId: "me", data: group("Self", ["bulkId:me"]) }]),
    });
    expect(self.status).toBe(409);
    expect((await s.request("/Groups?count=0")).body.totalResults).toBe(before);
  });

  it("a bulkId used twice → 400 invalidValue naming it and both operations, before anything runs", async () => {
    const before = (await s.request('/Users?filter=userName sw "twice-"')).body.totalResults;
    const r = await s.request("/Bulk", {
      body: bulk([
        { method: "POST", path: "/Users", bulkId: "u1", data: user("twice-a") },
        { method: "POST", path: "/Users", bulkId: "other", data: user("twice-b") },
        { method: "POST", path: "/Users", bulkId: "u1", data: user("twice-c") },
      ]),
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidValue" });
    expect(r.body.detail).toBe(
      'Operations[0] and Operations[2] have the same bulkId "u1"; each bulkId must be unique within a bulk request (RFC 7644 §3.7)',
    );
    expect((await s.request('/Users?filter=userName sw "twice-"')).body.totalResults).toBe(before);
    // A PATCH that echoes a POST's bulkId is a duplicate too: the references would be ambiguous.
    const u = await create(s, "/Users", user("twice-target"));
    const echoed = await s.request("/Bulk", {
      body: bulk([
        {
          method: "PATCH",
          path: `/Users/${u.id}`,
          bulkId: "p",
          data: patch({ op: "replace", path: "title", value: "x" }),
        },
        { method: "POST", path: "/Users", bulkId: "p", data: user("twice-d") },
      ]),
    });
    expect(echoed.status).toBe(400);
    expect(echoed.body.detail).toMatch(/^Operations\[0\] and Operations\[1\] have the same bulkId "p"/);
    expect((await s.request(`/Users/${u.id}`)).body.title).toBeUndefined();
  });

  it("a NUL or a lone surrogate in an operation's path or bulkId → 400 invalidValue, not 500", async () => {
    for (const [op, where] of [
      [{ method: "DELETE", path: "/Users/a\u0000b" }, "Operations[0].path"],
      [{ method: "POST", path: "/Users\u0000", bulkId: "n1", data: user("nul-path") }, "Operations[0].path"],
      [
        { method: "POST", path: "/Users", bulkId: "n\u0000", data: user("nul-bulkid") },
        "Operations[0].bulkId",
      ],
      [{ method: "PUT", path: "/Users/\ud800", data: user("lone") }, "Operations[0].path"],
      [
        { method: "POST", path: "/Users", bulkId: "\udc00x", data: user("lone-bulkid") },
        "Operations[0].bulkId",
      ],
    ] as const) {
      const r = await s.request("/Bulk", { body: bulk([op]) });
      expect(r.status, where).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidValue" });
      expect(r.body.detail).toContain(where);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the detail must not carry the bad characters back
      expect(r.body.detail).not.toMatch(/[\u0000\ud800-\udfff]/);
    }
    expect((await s.request('/Users?filter=userName eq "nul-bulkid"')).body.totalResults).toBe(0);
  });

  it("more than maxBulkOperations → 413", async () => {
    const ops = Array.from({ length: 6 }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `m${i}`,
      data: user(`max-${i}`),
    }));
    const r = await s.request("/Bulk", { body: bulk(ops) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "413" });
    expect(r.body.detail).toMatch(/5/);
    expect((await s.request('/Users?filter=userName sw "max-"')).body.totalResults).toBe(0);
  });

  it("PUT and DELETE with version; malformed requests", async () => {
    const u = await create(s, "/Users", user("bulk-put"));
    const r = await s.request("/Bulk", {
      body: bulk([
        {
          method: "PUT",
          path: `/Users/${u.id}`,
          version: u.meta.version,
          data: user("bulk-put", { title: "x" }),
        },
        { method: "DELETE", path: `/Users/${u.id}`, version: u.meta.version },
      ]),
    });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(["200", "412"]);
    const del = await s.request("/Bulk", { body: bulk([{ method: "DELETE", path: `/Users/${u.id}` }]) });
    expect(del.body.Operations).toEqual([
      { method: "DELETE", status: "204", location: `${s.base}/Users/${u.id}` },
    ]);
    expect((await s.request(`/Users/${u.id}`)).status).toBe(404);
    expect((await s.request("/Bulk", { body: { schemas: [BULK_REQUEST] } })).status).toBe(400);
    const noBulkId = await s.request("/Bulk", {
      body: bulk([{ method: "POST", path: "/Users", data: user("nb") }]),
    });
    expect(noBulkId.status).toBe(400);
    const badPath = await s.request("/Bulk", {
      body: bulk([{ method: "POST", path: "/Nope", bulkId: "x", data: {} }]),
    });
    expect(badPath.body.Operations[0].status).toBe("400");
  });
});
