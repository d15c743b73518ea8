/// <reference types="node" />
import { describe, expect, it } from "vitest";
import { BULK_REQUEST, ERROR, USER_SCHEMA } from "../replays/__fixtures__/server.js";
import { create, group, patch, server, user } from "./__fixtures__/handler.js";
import type { AuditEvent, Principal } from "./options.js";

describe("/Me (RFC 7644 §3.11)", () => {
  it("501 without a hook", async () => {
    const s = await server();
    const r = await s.request("/Me");
    expect(r.status).toBe(501);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "501" });
  });

  it("with a hook: the principal's user; 404 when the hook returns undefined", async () => {
    const seen: Principal[] = [];
    let meId: string | undefined;
    const s = await server({
      me: (principal) => {
        seen.push(principal);
        return meId;
      },
    });
    const missing = await s.request("/Me");
    expect(missing.status).toBe(404);
    const u = await create(s, "/Users", user("me-user"));
    meId = u.id;
    const r = await s.request("/Me");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, userName: "me-user" });
    const patched = await s.request("/Me", {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "me" }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.nickName).toBe("me");
    expect(seen[0]).toMatchObject({ tenant: "default" });
  });
});

describe("User.groups derived from the groups' members", () => {
  it("shows a user's groups and cleans members when a user is deleted", async () => {
    const s = await server();
    const alice = await create(s, "/Users", user("g-alice"));
    const bob = await create(s, "/Users", user("g-bob"));
    expect((await s.request(`/Users/${alice.id}`)).body.groups).toBeUndefined();
    const g1 = await create(s, "/Groups", group("Admins", [alice.id, bob.id]));
    const g2 = await create(s, "/Groups", group("Staff"));
    const added = await s.request(`/Groups/${g2.id}`, {
      method: "PATCH",
      body: patch({ op: "add", path: "members", value: [{ value: alice.id }] }),
    });
    expect(added.status).toBe(200);
    const a = await s.request(`/Users/${alice.id}`);
    expect(a.body.groups).toEqual(
      expect.arrayContaining([
        { value: g1.id, $ref: `${s.base}/Groups/${g1.id}`, display: "Admins", type: "direct" },
        { value: g2.id, $ref: `${s.base}/Groups/${g2.id}`, display: "Staff", type: "direct" },
      ]),
    );
    expect(a.body.groups).toHaveLength(2);
    // groups is readOnly: a client cannot set it
    const ignored = await s.request(`/Users/${bob.id}`, {
      method: "PUT",
      body: user("g-bob", { groups: [{ value: g2.id }] }),
    });
    expect(ignored.status).toBe(200);
    expect(ignored.body.groups).toEqual([expect.objectContaining({ value: g1.id })]);
    const listed = await s.request(`/Users?filter=userName eq "g-alice"`);
    expect(listed.body.Resources[0].groups).toHaveLength(2);

    expect((await s.request(`/Users/${alice.id}`, { method: "DELETE" })).status).toBe(204);
    const after1 = await s.request(`/Groups/${g1.id}`);
    expect(after1.body.members).toEqual([
      { value: bob.id, $ref: `${s.base}/Users/${bob.id}`, type: "User", display: "g-bob" },
    ]);
    const after2 = await s.request(`/Groups/${g2.id}`);
    expect(after2.body.members).toBeUndefined();
  });
});

describe("audit events", () => {
  it("one per create/replace/patch/delete, with outcome and status, failures too", async () => {
    const events: AuditEvent[] = [];
    const s = await server({ audit: (e) => void events.push(e) });
    const u = await create(s, "/Users", user("audited"));
    await s.request(`/Users/${u.id}`, { method: "PUT", body: user("audited", { title: "t" }) });
    await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "title", value: "u" }),
    });
    await s.request(`/Users/${u.id}`, { method: "DELETE" });
    await s.request("/Users", { body: { schemas: [USER_SCHEMA] } }); // no userName
    await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "title", value: "v" }),
    });
    await s.request("/Users"); // reads are not audited
    expect(events.map((e) => [e.action, e.resourceType, e.outcome, e.status])).toEqual([
      ["create", "User", "success", 201],
      ["replace", "User", "success", 200],
      ["patch", "User", "success", 200],
      ["delete", "User", "success", 204],
      ["create", "User", "failure", 400],
      ["patch", "User", "failure", 404],
    ]);
    for (const e of events) {
      expect(e.tenant).toBe("default");
      expect(e.subject).toBe("token:default");
      expect(Date.parse(e.time)).not.toBeNaN();
    }
    expect(events.slice(0, 4).every((e) => e.id === u.id)).toBe(true);
    expect(events[4]?.detail).toMatch(/userName/);
    expect(events[5]?.id).toBe(u.id);
  });

  it("bulk operations carry their bulkId; a throwing hook does not fail the request", async () => {
    const events: AuditEvent[] = [];
    const s = await server({ audit: (e) => void events.push(e) });
    await s.request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [{ method: "POST", path: "/Users", bulkId: "b1", data: user("ab") }],
      },
    });
    expect(events).toEqual([expect.objectContaining({ action: "create", bulkId: "b1", status: 201 })]);
    const errors: unknown[] = [];
    const t = await server({
      audit: () => {
        throw new Error("log sink down");
      },
      onError: (e) => void errors.push(e),
    });
    expect((await t.request("/Users", { body: user("still-created") })).status).toBe(201);
    expect(errors).toHaveLength(1);
  });
});

describe("consistency under concurrency", () => {
  it("concurrent PATCHes of one group's members lose nothing", async () => {
    const s = await server();
    const g = await create(s, "/Groups", group("busy"));
    const users = await Promise.all(
      Array.from({ length: 25 }, (_, i) => create(s, "/Users", user(`c-${i}`))),
    );
    const results = await Promise.all(
      users.map((u) =>
        s.request(`/Groups/${g.id}`, {
          method: "PATCH",
          body: patch({ op: "add", path: "members", value: [{ value: u.id }] }),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
    const after = await s.request(`/Groups/${g.id}`);
    expect(after.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      users.map((u) => u.id).sort(),
    );
    expect(after.body.meta.version).toBe('W/"26"');
  });

  it("concurrent creates of one userName: exactly one wins", async () => {
    const s = await server();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => s.request("/Users", { body: user("race") })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it("a User's groups cannot be written; PATCH is all-or-nothing", async () => {
    const s = await server();
    const u = await create(s, "/Users", user("ro"));
    const g = await create(s, "/Groups", group("ro-group"));
    const r = await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "add", path: "groups", value: [{ value: g.id }] }),
    });
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("mutability");
    const partial = await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch(
        { op: "replace", path: "nickName", value: "set" },
        { op: "add", path: "groups", value: [{ value: g.id }] },
      ),
    });
    expect(partial.status).toBe(400);
    expect(partial.body.detail).toMatch(/Operations\[1\]/);
    const got = await s.request(`/Users/${u.id}`);
    expect(got.body.nickName).toBeUndefined();
    expect(got.body.meta.version).toBe(u.meta.version);
  });
});

describe("a PATCH that changes nothing (RFC 7644 §3.5.2.1)", () => {
  it("answers 200 and keeps meta.lastModified and meta.version; a real change still moves them", async () => {
    const s = await server();
    const email = { value: "same@example.com", type: "work" };
    const u = await create(s, "/Users", user("no-op", { emails: [email] }));
    const g = await create(s, "/Groups", group("no-op-group", [u.id]));
    for (const [path, body] of [
      [`/Users/${u.id}`, patch({ op: "add", path: "emails", value: [email] })],
      [`/Groups/${g.id}`, patch({ op: "add", path: "members", value: [{ value: u.id }] })],
    ] as const) {
      const before = await s.request(path);
      const again = await s.request(path, { method: "PATCH", body });
      expect(again.status).toBe(200);
      expect(again.body.meta.version).toBe(before.body.meta.version);
      expect(again.body.meta.lastModified).toBe(before.body.meta.lastModified);
    }
    const changed = await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "changed" }),
    });
    expect(changed.body.meta.version).not.toBe(u.meta.version);
  });
});
