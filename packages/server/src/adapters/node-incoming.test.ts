/// <reference types="node" />
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createScimHandler } from "../http/handler.js";
import type { ScimHandlerOptions } from "../http/options.js";
import { MemoryStore } from "../stores/memory-store.js";
import { toNodeListener } from "./node.js";

const TOKEN = "node-incoming-test-token-0123456789";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/**
 * GET and HEAD reach createScimHandler's handlers through toNodeListener without a WHATWG Request
 * (node-incoming.ts): what the handler's hooks and answers see must not change for it.
 */
describe("toNodeListener: GET and HEAD without building a Request", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function start(options: Partial<ScimHandlerOptions> = {}) {
    const store = new MemoryStore();
    const handle = createScimHandler({ store, auth: { tokens: [TOKEN] }, ...options });
    const created = await handle(
      new Request("http://127.0.0.1/scim/v2/Users", {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ schemas: [USER], userName: "bjensen" }),
      }),
    );
    const id = ((await created.json()) as { id: string }).id;
    server = createServer(toNodeListener(handle));
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return { id, base: `http://127.0.0.1:${port}/scim/v2`, port, store };
  }

  it("gives hooks a Request with the URL, method and headers sent", async () => {
    const seen: Request[] = [];
    let armed = false;
    const { id, base } = await start({
      auth: {
        verify: (token, request) => {
          // Not the seeding POST, which start() sends straight to the handler.
          if (armed) seen.push(request);
          return token === TOKEN ? { tenant: "default", subject: "bjensen" } : undefined;
        },
      },
      me: (_principal, request) => {
        seen.push(request);
        return id;
      },
    });
    armed = true;
    const r = await fetch(`${base}/Me?attributes=userName`, {
      headers: { authorization: `Bearer ${TOKEN}`, "x-trace": "abc" },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ id, userName: "bjensen" });
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request).toBeInstanceOf(Request);
      expect(request.method).toBe("GET");
      expect(request.url).toBe(`${base}/Me?attributes=userName`);
      expect(request.headers.get("x-trace")).toBe("abc");
    }
    // One Request per request: the hooks see the same object.
    expect(seen[0]).toBe(seen[1]);
  });

  it("answers GET with the resource's headers and HEAD with GET's headers and no body", async () => {
    const { id, port } = await start();
    const get = await fetch(`http://127.0.0.1:${port}/scim/v2/Users/${id}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const text = await get.text();
    expect(get.status).toBe(200);
    expect(get.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    expect(get.headers.get("etag")).toMatch(/^W\/"/);
    expect(get.headers.get("content-location")).toBe(`http://127.0.0.1:${port}/scim/v2/Users/${id}`);
    expect(get.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    const head = await new Promise<{ status: number; length?: string; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "HEAD",
          path: `/scim/v2/Users/${id}`,
          headers: { authorization: `Bearer ${TOKEN}` },
        },
        (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              ...(res.headers["content-length"] !== undefined && { length: res.headers["content-length"] }),
              body,
            }),
          );
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(head).toEqual({ status: 200, length: String(Buffer.byteLength(text)), body: "" });
  });

  it("aborts the Request's signal when the client goes away before the answer", async () => {
    let aborted: Promise<unknown> | undefined;
    let armed = false;
    const { port } = await start({
      rateLimit: (_principal, request) => {
        if (!armed) return undefined;
        aborted = new Promise((resolve) =>
          request.signal.addEventListener("abort", () => resolve(request.signal.reason)),
        );
        // Answered only once the client has gone.
        return aborted.then(() => undefined);
      },
    });
    armed = true;
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/scim/v2/Users",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    req.on("error", () => undefined);
    req.end();
    for (let i = 0; i < 100 && aborted === undefined; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(aborted).toBeDefined();
    req.destroy();
    const reason = await aborted;
    expect((reason as DOMException).name).toBe("AbortError");
  });

  it("answers a Host header that makes no URL with 400, as the general path does", async () => {
    const { port } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/scim/v2/Users",
          headers: { host: "bad host:x", authorization: `Bearer ${TOKEN}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});
