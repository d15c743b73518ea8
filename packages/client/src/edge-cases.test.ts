/// <reference types="node" />
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, type Running, rejection } from "./__fixtures__/http.js";
import { createScimClient } from "./index.js";

const json = (response: ServerResponse, status: number, body: unknown): undefined => {
  response.writeHead(status, { "content-type": "application/scim+json" });
  response.end(JSON.stringify(body));
};
const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i) }));

/** Scripted servers that bend RFC 9865 pagination and RFC 7644 bodies in the ways real ones do. */
function script(request: IncomingMessage, response: ServerResponse): undefined {
  const url = new URL(request.url ?? "/", "http://x");
  const all = ids(6);
  const cursor = url.searchParams.get("cursor");
  const count = Number(url.searchParams.get("count") ?? "2");
  const at = cursor === null || cursor === "" ? 0 : Number(cursor);
  const page = all.slice(at, at + count);
  const next = at + count < all.length ? String(at + count) : undefined;
  switch (url.pathname) {
    case "/echoes-start-index/Users": // cursor pages that also say startIndex: 1
      return json(response, 200, {
        totalResults: 6,
        startIndex: 1,
        Resources: page,
        ...(next && { nextCursor: next }),
      });
    case "/empty-cursor-page/Users": // an empty page that is not the last one
      if (at === 0) return json(response, 200, { totalResults: 6, Resources: [], nextCursor: "2" });
      return json(response, 200, { totalResults: 6, Resources: page, ...(next && { nextCursor: next }) });
    case "/cursor-only/Users": // ignores startIndex, pages only by cursor (RFC 9865 §2.3)
      return json(response, 200, { totalResults: 6, Resources: page, ...(next && { nextCursor: next }) });
    case "/null/Users":
      return json(response, 200, null);
    case "/delete-body/Users/1":
      return json(response, 200, { deleted: true, padding: "x".repeat(100_000) });
    case "/hang/Users":
      return; // never answers
    default:
      return json(response, 404, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  }
}

let server: Running;
beforeAll(async () => {
  server = await listen(script);
});
afterAll(() => close(server));

const drain = async (base: string, pagination: "cursor" | "index") => {
  const seen: string[] = [];
  const scim = createScimClient({ baseUrl: `${server.url}/${base}` });
  for await (const u of scim.users.iterate({ count: 2, pagination })) seen.push(u.id);
  return seen;
};

describe("iterate against servers that bend RFC 9865", () => {
  it("follows cursors even when pages also carry startIndex", async () => {
    expect(await drain("echoes-start-index", "cursor")).toStrictEqual(["0", "1", "2", "3", "4", "5"]);
  });

  it("goes on past an empty page that has a nextCursor", async () => {
    expect(await drain("empty-cursor-page", "cursor")).toStrictEqual(["2", "3", "4", "5"]);
  });

  it("switches to cursors when an index request gets a cursor-only answer", async () => {
    expect(await drain("cursor-only", "index")).toStrictEqual(["0", "1", "2", "3", "4", "5"]);
  });
});

describe("bodies that are not what they should be", () => {
  it("a JSON null where a ListResponse belongs is a ScimError 502", async () => {
    const scim = createScimClient({ baseUrl: `${server.url}/null` });
    const error = await rejection(scim.users.list());
    expect(error.status).toBe(502);
    expect(error.detail).toMatch(/not a ListResponse/);
  });

  it("a 200 with a body to a DELETE resolves (and its body is let go)", async () => {
    const scim = createScimClient({ baseUrl: `${server.url}/delete-body` });
    await expect(scim.users.delete("1")).resolves.toBeUndefined();
  });
});

describe("timeouts never carry the token or the query", () => {
  for (const via of ["fetch", "ky"] as const) {
    it(`through ${via}`, async () => {
      const scim = createScimClient({
        baseUrl: `${server.url}/hang`,
        token: "very-secret-token",
        timeout: 100,
        ...(via === "ky" && { ky: {} }),
      });
      const error = (await scim.users
        .list({ filter: 'userName eq "alice@example.com"' })
        .catch((e) => e)) as Error;
      expect(error.name).toBe("TimeoutError");
      expect(error.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/hang\/Users got no answer within 100 ms/);
      const everything = JSON.stringify({ ...error, message: error.message, cause: String(error.cause) });
      expect(everything).not.toContain("very-secret-token");
      expect(everything).not.toContain("alice");
      expect(error).not.toHaveProperty("request");
    });
  }

  it("a token that is not a valid header value fails at once, without retries", async () => {
    let asked = 0;
    const scim = createScimClient({
      baseUrl: `${server.url}/null`,
      token: () => {
        asked++;
        return "bad\u0100token";
      },
    });
    await expect(scim.users.list()).rejects.toThrow(TypeError);
    expect(asked).toBe(1);
  });
});

describe("bulk against a server without a ServiceProviderConfig", () => {
  it("sends one request when the limits cannot be read (404)", async () => {
    const bulkOnly = await listen((request, response) => {
      if (request.url?.endsWith("/Bulk")) {
        json(response, 200, {
          Operations: [{ method: "POST", bulkId: "op1", status: "201", location: "http://x/Users/9" }],
        });
      } else json(response, 404, { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
    });
    try {
      const scim = createScimClient({ baseUrl: bulkOnly.url });
      const result = await scim.bulk([{ method: "POST", path: "/Users", bulkId: "op1", data: {} }]);
      expect(result.operations[0]).toMatchObject({ outcome: "ok", id: "9" });
      expect(bulkOnly.log).toStrictEqual(["GET /ServiceProviderConfig", "POST /Bulk"]);
    } finally {
      await close(bulkOnly);
    }
  });
});
