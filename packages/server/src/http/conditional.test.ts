/// <reference types="node" />
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR, type TestServer } from "../replays/__fixtures__/server.js";
import { patch, server, user } from "./__fixtures__/handler.js";

describe("ETags (RFC 7644 §3.14)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server();
  });

  it("ETag header = meta.version; If-None-Match → 304", async () => {
    const created = await s.request("/Users", { body: user("etag-user") });
    expect(created.headers.get("etag")).toBe(created.body.meta.version);
    expect(created.headers.get("location")).toBe(created.body.meta.location);
    const id = created.body.id as string;
    const got = await s.request(`/Users/${id}`);
    const tag = got.headers.get("etag") as string;
    expect(tag).toBe(got.body.meta.version);
    expect(tag).toMatch(/^W\/".+"$/);
    const notModified = await s.request(`/Users/${id}`, { headers: { "if-none-match": tag } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    expect(notModified.headers.get("etag")).toBe(tag);
    const changed = await s.request(`/Users/${id}`, { headers: { "if-none-match": 'W/"999"' } });
    expect(changed.status).toBe(200);
  });

  it("If-Match mismatch on PUT/PATCH/DELETE → 412, match → success with a new version", async () => {
    const created = await s.request("/Users", { body: user("etag-writes") });
    const id = created.body.id as string;
    const v1 = created.body.meta.version as string;
    const stale = 'W/"12345"';
    const put = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-writes"),
      headers: { "if-match": stale },
    });
    expect(put.status).toBe(412);
    expect(put.body).toMatchObject({ schemas: [ERROR], status: "412" });
    const p = await s.request(`/Users/${id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "x" }),
      headers: { "if-match": stale },
    });
    expect(p.status).toBe(412);
    const del = await s.request(`/Users/${id}`, { method: "DELETE", headers: { "if-match": stale } });
    expect(del.status).toBe(412);
    // nothing changed
    expect((await s.request(`/Users/${id}`)).body.meta.version).toBe(v1);

    const ok = await s.request(`/Users/${id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "x" }),
      headers: { "if-match": v1 },
    });
    expect(ok.status).toBe(200);
    const v2 = ok.headers.get("etag") as string;
    expect(v2).not.toBe(v1);
    expect(ok.body.meta.version).toBe(v2);
    const reuse = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-writes"),
      headers: { "if-match": v1 },
    });
    expect(reuse.status).toBe(412);
    const put2 = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-writes"),
      headers: { "if-match": v2 },
    });
    expect(put2.status).toBe(200);
    const star = await s.request(`/Users/${id}`, { method: "DELETE", headers: { "if-match": "*" } });
    expect(star.status).toBe(204);
  });

  it("If-Match on a resource that does not exist → 412, not 404 (RFC 9110 §13.1.1); without it → 404", async () => {
    const created = await s.request("/Users", { body: user("etag-gone") });
    const id = created.body.id as string;
    const v1 = created.body.meta.version as string;
    expect((await s.request(`/Users/${id}`, { method: "DELETE" })).status).toBe(204);
    for (const ifMatch of [v1, "*", `${v1}, W/"77"`]) {
      for (const [method, body] of [
        ["PUT", user("etag-gone")],
        ["PATCH", patch({ op: "replace", path: "nickName", value: "x" })],
        ["DELETE", undefined],
      ] as const) {
        const r = await s.request(`/Users/${id}`, { method, body, headers: { "if-match": ifMatch } });
        expect(r.status, `${method} If-Match: ${ifMatch}`).toBe(412);
        expect(r.body).toMatchObject({ schemas: [ERROR], status: "412" });
      }
    }
    const plain = await s.request(`/Users/${id}`, { method: "PUT", body: user("etag-gone") });
    expect(plain.status).toBe(404);
  });

  it("If-Match: * or a list that holds the current version lets a write through", async () => {
    const created = await s.request("/Users", { body: user("etag-star") });
    const id = created.body.id as string;
    const v1 = created.body.meta.version as string;
    const star = await s.request(`/Users/${id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "star" }),
      headers: { "if-match": "*" },
    });
    expect(star.status).toBe(200);
    const v2 = star.headers.get("etag") as string;
    const listed = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-star"),
      headers: { "if-match": `W/"999", ${v2}` },
    });
    expect(listed.status).toBe(200);
    const stale = await s.request(`/Users/${id}`, {
      method: "DELETE",
      headers: { "if-match": `${v1}, ${v2}` },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.detail).toMatch(/has changed/);
  });
});
