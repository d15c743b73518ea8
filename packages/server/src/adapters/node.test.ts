/// <reference types="node" />
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScimHandler } from "../http/handler.js";
import { MemoryStore } from "../stores/memory-store.js";
import { type FetchHandler, toNodeListener } from "./node.js";

interface Raw {
  status: number;
  headers: IncomingMessage["headers"];
  rawHeaders: string[];
  body: Buffer;
}

/** A raw node:http request, so paths, repeated headers and bodies are sent exactly as given. */
function raw(
  port: number,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string | string[]>;
    body?: Buffer | string;
  },
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

async function listen(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Answers with what it received, so the round trip can be checked. */
const echo: FetchHandler = async (request) => {
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const url = new URL(request.url);
  return Response.json(
    {
      method: request.method,
      url: request.url,
      pathname: url.pathname,
      search: url.search,
      query: [...url.searchParams],
      headers: Object.fromEntries(request.headers),
      body: body?.toString("base64"),
    },
    {
      status: request.headers.get("x-status") ? Number(request.headers.get("x-status")) : 200,
      headers: [
        ["x-single", "one"],
        ["set-cookie", "a=1; Path=/"],
        ["set-cookie", "b=2; Path=/; HttpOnly"],
        ["x-list", "p"],
        ["x-list", "q"],
      ],
    },
  );
};

const servers: Server[] = [];
let port: number;
beforeAll(async () => {
  const started = await listen(toNodeListener(echo));
  servers.push(started.server);
  port = started.port;
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe("toNodeListener", () => {
  it("passes method, URL, query string and headers through", async () => {
    const r = await raw(port, {
      path: "/scim/v2/Users?filter=userName%20eq%20%22a%26b%22&count=2&count=3&empty=&flag",
      headers: { "x-custom": "Value With Spaces", authorization: "Bearer t0k3n", host: `localhost:${port}` },
    });
    expect(r.status).toBe(200);
    const echoed = JSON.parse(r.body.toString());
    expect(echoed.method).toBe("GET");
    expect(echoed.url).toBe(
      `http://localhost:${port}/scim/v2/Users?filter=userName%20eq%20%22a%26b%22&count=2&count=3&empty=&flag`,
    );
    expect(echoed.query).toEqual([
      ["filter", 'userName eq "a&b"'],
      ["count", "2"],
      ["count", "3"],
      ["empty", ""],
      ["flag", ""],
    ]);
    expect(echoed.headers).toMatchObject({ "x-custom": "Value With Spaces", authorization: "Bearer t0k3n" });
    expect(echoed.body).toBeUndefined();
  });

  it("repeated request headers arrive combined; repeated response headers stay separate", async () => {
    const r = await raw(port, {
      path: "/x",
      headers: { "x-multi": ["a", "b"], accept: ["application/scim+json", "application/json"] },
    });
    const echoed = JSON.parse(r.body.toString());
    expect(echoed.headers["x-multi"]).toBe("a, b");
    expect(echoed.headers.accept).toBe("application/scim+json, application/json");
    expect(r.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
    expect(r.headers["x-list"]).toBe("p, q");
    expect(r.headers["x-single"]).toBe("one");
    expect(r.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("round-trips bodies byte for byte (binary, UTF-8, 2 MB, empty)", async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const utf8 = Buffer.from('{"displayName":"Ünïcödé ✓ 𝄞"}');
    const large = Buffer.alloc(2 * 1024 * 1024, "z");
    for (const [method, body] of [
      ["POST", binary],
      ["PUT", utf8],
      ["PATCH", large],
    ] as const) {
      const r = await raw(port, {
        method,
        path: "/echo",
        body,
        headers: { "content-type": "application/octet-stream" },
      });
      const echoed = JSON.parse(r.body.toString());
      expect(echoed.method).toBe(method);
      expect(Buffer.from(echoed.body, "base64").equals(body), method).toBe(true);
    }
    const chunked = await new Promise<Raw>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/chunked" }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: [],
            body: Buffer.concat(chunks),
          }),
        );
      });
      req.on("error", reject);
      req.write("part1-");
      setTimeout(() => req.end("part2"), 20);
    });
    expect(Buffer.from(JSON.parse(chunked.body.toString()).body, "base64").toString()).toBe("part1-part2");
    const empty = await raw(port, { method: "DELETE", path: "/empty" });
    expect(Buffer.from(JSON.parse(empty.body.toString()).body ?? "", "base64").toString()).toBe("");
  });

  it("status codes and empty bodies pass through", async () => {
    const handler: FetchHandler = async (request) =>
      request.method === "DELETE"
        ? new Response(null, { status: 204 })
        : new Response("gone", { status: 410 });
    const { server, port: p } = await listen(toNodeListener(handler));
    servers.push(server);
    const deleted = await raw(p, { method: "DELETE", path: "/a" });
    expect(deleted.status).toBe(204);
    expect(deleted.body.length).toBe(0);
    const gone = await raw(p, { path: "/a" });
    expect(gone.status).toBe(410);
    expect(gone.body.toString()).toBe("gone");
  });

  it("a path starting with // is a path, not another host", async () => {
    const r = await raw(port, {
      path: "//evil.example/scim/v2/Users?x=1",
      headers: { host: "scim.example.com" },
    });
    const echoed = JSON.parse(r.body.toString());
    expect(echoed.url).toBe("http://scim.example.com//evil.example/scim/v2/Users?x=1");
    expect(echoed.pathname).toBe("//evil.example/scim/v2/Users");
  });

  it("honours Express's originalUrl when a mounted router rewrote url", async () => {
    const listener = toNodeListener(echo);
    // What app.use("/scim/v2", listener) does: url loses the mount path, originalUrl keeps it.
    const { server, port: p } = await listen((req, res) => {
      const original = req.url as string;
      Object.assign(req, { originalUrl: original, url: original.replace(/^\/scim\/v2/, "") || "/" });
      listener(req, res);
    });
    servers.push(server);
    const r = await raw(p, { path: "/scim/v2/Users?count=1" });
    const echoed = JSON.parse(r.body.toString());
    expect(echoed.pathname).toBe("/scim/v2/Users");
    expect(echoed.search).toBe("?count=1");
  });

  it("serves the SCIM handler mounted Express-style", async () => {
    const listener = toNodeListener(
      createScimHandler({ store: new MemoryStore(), auth: { tokens: ["node-adapter-token-0123"] } }),
    );
    const { server, port: p } = await listen((req, res) => {
      const original = req.url as string;
      Object.assign(req, { originalUrl: original, url: original.slice("/scim/v2".length) || "/" });
      listener(req, res);
    });
    servers.push(server);
    const body = JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "express",
    });
    const created = await raw(p, {
      method: "POST",
      path: "/scim/v2/Users",
      body,
      headers: {
        authorization: "Bearer node-adapter-token-0123",
        "content-type": "application/scim+json",
        host: "idp.example",
      },
    });
    expect(created.status).toBe(201);
    const user = JSON.parse(created.body.toString());
    expect(created.headers.location).toBe(`http://idp.example/scim/v2/Users/${user.id}`);
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.headers["content-type"]).toMatch(/^application\/scim\+json/);
  });

  it("a handler that throws → 500 SCIM error without details; a bad Host → 400", async () => {
    const { server, port: p } = await listen(
      toNodeListener(async () => {
        throw new Error("secret stack detail");
      }),
    );
    servers.push(server);
    const r = await raw(p, { path: "/x" });
    expect(r.status).toBe(500);
    const body = JSON.parse(r.body.toString());
    expect(body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "500",
      detail: "internal server error",
    });
    expect(r.body.toString()).not.toContain("secret");
    const bad = await raw(port, { path: "/x", headers: { host: "bad host[" } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).status).toBe("400");
  });
});
