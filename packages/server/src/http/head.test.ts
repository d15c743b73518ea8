/// <reference types="node" />
import { request as httpRequest } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTERPRISE, type TestServer, TOKEN } from "../replays/__fixtures__/server.js";
import { create, group, server, user } from "./__fixtures__/handler.js";

/** Headers that describe the connection or the framing, not the resource: GET streams chunked, HEAD sends the length. */
const FRAMING = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);
const resourceHeaders = (headers: Headers) =>
  Object.fromEntries([...headers.entries()].filter(([name]) => !FRAMING.has(name)));

/** The bytes that arrive after a HEAD response's headers, counted on the socket. */
function headBodyBytes(url: string): Promise<{ status: number; bytes: number; length: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "HEAD", headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, bytes, length: res.headers["content-length"] }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("HEAD (RFC 9110 §9.3.2) on every GET endpoint", () => {
  let s: TestServer;
  let userId: string;
  let groupId: string;
  beforeAll(async () => {
    s = await server({ me: () => userId });
    userId = (await create(s, "/Users", user("head-user", { title: "Head" }))).id;
    groupId = (await create(s, "/Groups", group("head-group", [userId]))).id;
  });

  it("answers GET's status and headers, Content-Length of GET's body, and no body", async () => {
    const paths = [
      "/Users",
      '/Users?filter=userName eq "head-user"&attributes=userName',
      "/Users?count=1&cursor=",
      `/Users/${userId}`,
      `/Users/${userId}?excludedAttributes=groups`,
      "/Groups",
      `/Groups/${groupId}`,
      "/Me",
      "/ServiceProviderConfig",
      "/ResourceTypes",
      "/ResourceTypes/User",
      "/Schemas",
      `/Schemas/${ENTERPRISE}`,
    ];
    for (const path of paths) {
      const get = await s.request(path);
      expect(get.status, path).toBe(200);
      const head = await s.request(path, { method: "HEAD" });
      expect(head.status, path).toBe(200);
      expect(head.text, path).toBe("");
      expect(resourceHeaders(head.headers), path).toEqual(resourceHeaders(get.headers));
      expect(head.headers.get("content-length"), path).toBe(String(Buffer.byteLength(get.text)));
    }
    const raw = await headBodyBytes(`${s.base}/Users/${userId}`);
    expect(raw.status).toBe(200);
    expect(raw.bytes).toBe(0);
    expect(Number(raw.length)).toBeGreaterThan(0);
  });

  it("conditional HEAD → 304 with the ETag", async () => {
    const get = await s.request(`/Users/${userId}`);
    const tag = get.headers.get("etag") as string;
    const head = await s.request(`/Users/${userId}`, { method: "HEAD", headers: { "if-none-match": tag } });
    expect(head.status).toBe(304);
    expect(head.headers.get("etag")).toBe(tag);
    expect(head.text).toBe("");
  });

  it("errors keep their status and headers, without the body", async () => {
    const missing = await s.request("/Users/no-such-user", { method: "HEAD" });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(missing.text).toBe("");
    const anonymous = await s.request("/Users", { method: "HEAD", token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="SCIM"');
    expect(anonymous.text).toBe("");
    const filtered = await s.request("/Schemas?filter=x", { method: "HEAD" });
    expect(filtered.status).toBe(403);
    expect(filtered.text).toBe("");
  });

  it("not where GET is not: 405 naming HEAD, Allow without it", async () => {
    for (const path of ["/Bulk", "/.search", "/Users/.search"]) {
      const head = await s.request(path, { method: "HEAD" });
      expect(head.status, path).toBe(405);
      expect(head.headers.get("allow"), path).toBe("POST");
      expect(head.text).toBe("");
      const get = await s.request(path);
      expect(get.body.detail, path).toMatch(/^GET is not allowed on /);
    }
  });
});
