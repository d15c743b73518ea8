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
});
