/// <reference types="node" />
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BACKENDS,
  BULK_REQUEST,
  ERROR,
  PATCH_OP,
  startServer,
  type TestServer,
  TOKEN,
  USER_SCHEMA,
} from "../replays/__fixtures__/server.js";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

/** The server still answers an ordinary authenticated request. */
async function stillServing(): Promise<void> {
  const r = await s.request("/ServiceProviderConfig");
  expect(r.status).toBe(200);
  expect(r.body.patch).toEqual({ supported: true });
}

/** Streams `total` bytes of a JSON-ish body in 64 KiB chunks with raw node:http (no Content-Length). */
function streamBody(
  path: string,
  total: number,
  headers: Record<string, string>,
): Promise<{ status: number | "error"; body: string; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let settled = false;
    const req = httpRequest(`${s.base}${path}`, { method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        text += c;
      });
      res.on("end", () => {
        settled = true;
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: text, sent });
      });
    });
    req.on("error", (e) => {
      if (!settled) resolve({ status: "error", body: e.message, sent });
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    req.write('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"');
    const pump = () => {
      while (sent < total && !settled) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!settled) req.end('"}');
    };
    pump();
  });
}

// A hang shows as a timeout; 10 s leaves room for a loaded machine (these answer in milliseconds).
describe("hostile requests", { timeout: 10_000 }, () => {
  it("no token → 401 with WWW-Authenticate and a SCIM error body", async () => {
    const r = await s.request("/Users", { token: null });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "401" });
    await stillServing();
  });

  it("wrong token, a token of another length, and a non-bearer scheme → 401", async () => {
    for (const authorization of ["Bearer wrong-token!", "Bearer x", "Basic czNjcmV0LXRva2Vu", "Bearer "]) {
      const r = await s.request("/Users", { token: null, headers: { authorization } });
      expect(r.status, authorization).toBe(401);
      expect(r.body.detail).not.toContain("s3cret");
    }
    await stillServing();
  });

  it("a 10 MB body with Content-Length → 413 without reading it all", async () => {
    const body = `{"userName":"${"a".repeat(10 * 1024 * 1024)}"}`;
    const r = await s.request("/Users", { body });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "413" });
    await stillServing();
  });

  it("a streamed 10 MB body (chunked, no Content-Length) → 413 before it has all been sent", async () => {
    const total = 10 * 1024 * 1024;
    const r = await streamBody("/Users", total, {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/scim+json",
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ schemas: [ERROR], status: "413" });
    // The server answered once it had seen maxPayloadSize (1 MiB), not after buffering 10 MB.
    expect(r.sent).toBeLessThan(total);
    await stillServing();
  });

  it("a streamed 10 MB body without a token → 401, and the server keeps serving", async () => {
    const r = await streamBody("/Users", 10 * 1024 * 1024, { "content-type": "application/scim+json" });
    expect(r.status).toBe(401);
    await stillServing();
  });

  it("a 10 MB body to /Bulk → 413", async () => {
    const r = await s.request("/Bulk", {
      body: `{"Operations":[${'{"method":"POST"},'.repeat(600_000)}{}]}`,
    });
    expect(r.status).toBe(413);
    await stillServing();
  });

  it.each([
    ["not JSON", "{userName: bjensen}"],
    ["truncated JSON", '{"userName":"bjensen"'],
    ["an empty body", ""],
    ["whitespace", "  \n "],
  ])("%s → 400 invalidSyntax", async (_, body) => {
    const r = await s.request("/Users", {
      method: "POST",
      body,
      headers: { "content-type": "application/scim+json" },
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidSyntax" });
    await stillServing();
  });

  it.each([
    ["a JSON array", "[]"],
    ["a JSON string", '"bjensen"'],
    ["null", "null"],
  ])("%s as a resource → 400", async (_, body) => {
    const r = await s.request("/Users", { method: "POST", body });
    expect(r.status).toBe(400);
    expect(r.body.schemas).toEqual([ERROR]);
    await stillServing();
  });

  it("a 10,000-deep filter → 400 invalidFilter, quickly", async () => {
    const filter = `${"(".repeat(10_000)}userName eq "x"${")".repeat(10_000)}`;
    for (const path of ["/Users/.search", "/.search"]) {
      const started = performance.now();
      const r = await s.request(path, { body: { filter } });
      expect(performance.now() - started).toBeLessThan(5000);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
      expect(r.body.detail).toMatch(/20015 characters/);
    }
    // within the length limit, the depth limit answers
    const hundred = `${"(".repeat(100)}userName eq "x"${")".repeat(100)}`;
    const depth = await s.request("/Users/.search", { body: { filter: hundred } });
    expect(depth.status).toBe(400);
    expect(depth.body).toMatchObject({ scimType: "invalidFilter" });
    expect(depth.body.detail).toMatch(/64 levels/);
    // In a query string node:http's 16 KiB header limit answers first (431); 5,000 levels fit.
    const deep = await s.request(`/Users?filter=${encodeURIComponent(filter)}`);
    expect(deep.status).toBe(431);
    const fits = `${"(".repeat(5_000)}userName eq "x"${")".repeat(5_000)}`;
    const r = await s.request(`/Users?filter=${fits}`);
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidFilter");
    await stillServing();
  });

  it("10,000 nested not( and [ → 400 invalidFilter", async () => {
    for (const filter of [
      `${"not (".repeat(10_000)}userName pr${")".repeat(10_000)}`,
      `emails${"[value eq 1 and emails".repeat(5_000)}`,
    ]) {
      const r = await s.request("/Users/.search", { body: { filter } });
      expect(r.status).toBe(400);
      expect(r.body.scimType).toBe("invalidFilter");
    }
    await stillServing();
  });

  it("a very long filter (100,000 characters) → 400 invalidFilter naming the limit", async () => {
    const filter = Array.from({ length: 5_000 }, (_, i) => `userName eq "user${i}"`).join(" or ");
    expect(filter.length).toBeGreaterThan(100_000);
    const r = await s.request("/Users/.search", { body: { filter } });
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("invalidFilter");
    expect(r.body.detail).toMatch(/8192|long/);
    await stillServing();
  });

  it("a query string of 60,000 characters → an answer, not a crash", async () => {
    const r = await s.request(`/Users?filter=${"a".repeat(60_000)}`);
    expect([400, 414, 431]).toContain(r.status);
    await stillServing();
  });

  it("__proto__, constructor and prototype keys in a POST body → no pollution", async () => {
    const raw = `{"schemas":["${USER_SCHEMA}"],"userName":"proto1","__proto__":{"polluted":"yes","active":true},
      "constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},
      "name":{"__proto__":{"polluted":"yes"},"givenName":"P"},
      "emails":[{"__proto__":{"polluted":"yes"},"value":"p@example.com"}],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"__proto__":{"polluted":"yes"},"department":"D"}}`;
    const r = await s.request("/Users", { method: "POST", body: raw });
    expect(r.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.keys(r.body)).not.toContain("__proto__");
    expect(r.text).not.toContain("polluted");
    expect(r.body.active).toBeUndefined();
    const got = await s.request(`/Users/${r.body.id}`);
    expect(got.text).not.toContain("polluted");
    await stillServing();
  });

  it("__proto__ in PATCH values and paths → no pollution", async () => {
    const created = await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName: "proto2" } });
    const id = created.body.id as string;
    const bodies = [
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":"yes"},"displayName":"P2"}}]}`,
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"__proto__.polluted","value":"yes"}]}`,
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"constructor.prototype.polluted","value":"yes"}]}`,
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"name","value":{"__proto__":{"polluted":"yes"}}}]}`,
      `{"__proto__":{"Operations":[]},"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"nickName","value":"n"}]}`,
    ];
    for (const body of bodies) {
      const r = await s.request(`/Users/${id}`, { method: "PATCH", body });
      expect([200, 400], body).toContain(r.status);
      expect(r.text).not.toContain("polluted");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const got = await s.request(`/Users/${id}`);
    expect(got.status).toBe(200);
    expect(got.text).not.toContain("polluted");
    await stillServing();
  });

  it("__proto__ in bulk, search and list parameters → no pollution", async () => {
    const bulk = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"__proto__":{"failOnErrors":0},
      "Operations":[{"method":"POST","path":"/Users","bulkId":"p","__proto__":{"polluted":"yes"},
      "data":{"schemas":["${USER_SCHEMA}"],"userName":"proto3","__proto__":{"polluted":"yes"}}}]}`;
    const r = await s.request("/Bulk", { method: "POST", body: bulk });
    expect(r.status).toBe(200);
    expect(r.body.Operations[0].status).toBe("201");
    const search = await s.request("/Users/.search", {
      method: "POST",
      body: `{"__proto__":{"filter":"userName eq \\"x\\""},"filter":"userName eq \\"proto3\\""}`,
    });
    expect(search.status).toBe(200);
    expect(search.body.totalResults).toBe(1);
    const list = await s.request("/Users?__proto__[polluted]=yes&constructor=x&attributes=__proto__");
    expect(list.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await stillServing();
  });

  it("deeply nested JSON (100,000 levels) → 400, not a stack overflow", async () => {
    const body = `{"schemas":["${USER_SCHEMA}"],"userName":"deep","name":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const r = await s.request("/Users", { method: "POST", body });
    expect(r.status).toBe(400);
    await stillServing();
  });

  it("an unknown bulkId reference and a malformed ETag → clear 4xx", async () => {
    const created = await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName: "etag1" } });
    const r = await s.request(`/Users/${created.body.id}`, {
      method: "DELETE",
      headers: { "if-match": 'W/"not-a-number"' },
    });
    expect(r.status).toBe(412);
    const bulk = await s.request("/Bulk", {
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [{ method: "PATCH", path: "/Users/bulkId:nope", data: {} }],
      },
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.Operations[0].status).toBe("400");
    await stillServing();
  });

  it("ids with odd characters → 404, not a crash", async () => {
    for (const id of ["%00", "..%2F..%2Fetc", "%E0%A4%A", "a".repeat(5000), "__proto__", "constructor"]) {
      const r = await s.request(`/Users/${id}`);
      expect([400, 404], id).toContain(r.status);
      expect(r.body.schemas).toEqual([ERROR]);
    }
    await stillServing();
  });
});

describe.each(BACKENDS)("NUL and lone surrogates in URL ids on $name → 400, never 500", ({ store }) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startServer({ store: await store() });
  }, 60_000);
  afterAll(() => t.close());

  it("every method on /Users/{id} and /Groups/{id}, and discovery ids", async () => {
    const paths = ["/Users/%00", "/Users/a%00b", "/Groups/%00", "/Users/%ED%A0%80", "/Users/%ED%B0%80x"];
    for (const path of paths)
      for (const [method, body] of [
        ["GET", undefined],
        ["HEAD", undefined],
        ["PUT", { schemas: [USER_SCHEMA], userName: "nul-put" }],
        ["PATCH", { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "x" }] }],
        ["DELETE", undefined],
      ] as const) {
        const r = await t.request(path, { method, body });
        expect(r.status, `${method} ${path}`).toBe(400);
        if (method === "HEAD") continue;
        expect(r.body, `${method} ${path}`).toMatchObject({
          schemas: [ERROR],
          status: "400",
          scimType: "invalidValue",
        });
        expect(r.body.detail).toMatch(/^the URL path segment "/);
      }
    const nul = await t.request("/Users/a%00b");
    expect(nul.body.detail).toBe(
      'the URL path segment "a%00b" contains a NUL character (\\u0000) at position 1; strings must be Unicode text without NUL characters or unpaired surrogates (RFC 7643 §2.3.1, RFC 3629 §3)',
    );
    const surrogate = await t.request("/Users/%ED%A0%80");
    expect(surrogate.body.detail).toBe(
      'the URL path segment "%ED%A0%80" is not valid percent-encoded UTF-8 (RFC 3986 §2.1)',
    );
    for (const path of ["/Schemas/urn%00x", "/ResourceTypes/User%00"]) {
      const r = await t.request(path);
      expect(r.status, path).toBe(400);
      expect(r.body.scimType).toBe("invalidValue");
    }
    const alive = await t.request("/Users?count=1");
    expect(alive.status).toBe(200);
  });

  it("bulk operations whose path or bulkId holds NUL", async () => {
    const r = await t.request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [{ method: "DELETE", path: "/Users/\u0000" }],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidValue" });
  });
});
