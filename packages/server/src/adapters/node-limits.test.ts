/// <reference types="node" />
import { Agent, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createScimHandler, MemoryStore } from "../index.js";
import { AUTH, createServer, listen, send, shut, sleep, TOKEN, until } from "./__fixtures__/http.js";
import { type FetchHandler, toNodeListener } from "./node.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await shut(server);
});

async function start(handler: FetchHandler, bodyTimeout?: number): Promise<number> {
  const server = createServer(toNodeListener(handler, bodyTimeout === undefined ? {} : { bodyTimeout }));
  servers.push(server);
  return listen(server);
}

const user = (userName: string) =>
  JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName });

describe("a chunked body larger than maxPayloadSize (RFC 7644 §3.7.4)", () => {
  it("is answered with the SCIM 413 body, and the client can send its whole body and read it", async () => {
    const onError = vi.fn();
    const port = await start(
      createScimHandler({
        store: new MemoryStore(),
        auth: { tokens: [TOKEN] },
        maxPayloadSize: 1_048_576,
        onError,
      }),
    );
    // 8 MiB, more than the socket buffers hold: a server that stops reading stalls this client until
    // the keep-alive timeout resets it (what Readable.toWeb's cancel led to).
    const chunks = Array.from({ length: 128 }, () => Buffer.alloc(65_536, "x"));
    const agent = new Agent({ keepAlive: true });
    const seen = await send(port, { headers: AUTH, chunks, agent });
    agent.destroy();
    expect(seen.error).toBeUndefined();
    expect(seen.sent).toBe(true);
    expect(seen.status).toBe(413);
    expect(seen.headers?.["content-type"]).toMatch(/^application\/scim\+json/);
    expect(JSON.parse(seen.body ?? "")).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "413",
    });
    expect(onError).not.toHaveBeenCalled();
  });

  it("a client that sent Connection: close reads the 413 too", async () => {
    const port = await start(
      createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, maxPayloadSize: 1_048_576 }),
    );
    const chunks = Array.from({ length: 32 }, () => Buffer.alloc(65_536, "x"));
    const seen = await send(port, { headers: { ...AUTH, connection: "close" }, chunks });
    expect(seen.status).toBe(413);
    expect(JSON.parse(seen.body ?? "").status).toBe("413");
  });

  it("a handler that cancels the body before reading it still gets its answer out", async () => {
    const port = await start(async (request) => {
      await request.body?.cancel();
      return new Response("refused unread", { status: 413 });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const chunks = Array.from({ length: 32 }, () => Buffer.alloc(65_536, "x"));
      const refused = await send(port, { chunks, agent });
      expect(refused.error).toBeUndefined();
      expect(refused.status).toBe(413);
      expect(refused.body).toBe("refused unread");
      const declared = await send(port, {
        chunks,
        agent,
        headers: { "content-length": String(32 * 65_536) },
      });
      expect(declared.status).toBe(413);
      expect(declared.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it("keeps the connection usable: the next request on it is answered", async () => {
    const port = await start(
      createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, maxPayloadSize: 10_000 }),
    );
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await send(port, { headers: AUTH, chunks: [Buffer.alloc(30_000, "x")], agent });
      expect(refused.status).toBe(413);
      const created = await send(port, { headers: AUTH, chunks: [user("after-413")], agent });
      expect(created.status).toBe(201);
      expect(created.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it("a small chunked body still arrives whole", async () => {
    const port = await start(createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } }));
    const body = user("chunked@example.com");
    const seen = await send(port, { headers: AUTH, chunks: [body.slice(0, 10), body.slice(10)], gap: 20 });
    expect(seen.status).toBe(201);
    expect(JSON.parse(seen.body ?? "").userName).toBe("chunked@example.com");
  });
});

describe("a client that goes away", () => {
  it("aborts the Request's signal and fails the body read; nothing is written or reported", async () => {
    const seen: { aborted?: boolean; reason?: unknown; readError?: unknown }[] = [];
    const port = await start(async (request) => {
      const entry: (typeof seen)[number] = {};
      seen.push(entry);
      try {
        await request.arrayBuffer();
      } catch (error) {
        entry.readError = error;
      }
      entry.aborted = request.signal.aborted;
      entry.reason = request.signal.reason;
      throw new Error("the handler fails after the client left; the adapter must not answer 500");
    });
    const client = connect(port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    client.write('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"userName":');
    await until(() => seen.length === 1);
    const received: Buffer[] = [];
    client.on("data", (c: Buffer) => received.push(c));
    client.destroy();
    await until(() => seen[0]?.aborted !== undefined);
    const [entry] = seen;
    expect(entry?.aborted).toBe(true);
    expect((entry?.reason as DOMException | undefined)?.name).toBe("AbortError");
    expect((entry?.readError as DOMException | undefined)?.name).toBe("AbortError");
    expect(received).toEqual([]);
  });

  it("a slow-body flood of clients that give up reaches neither onError nor the console", async () => {
    const onError = vi.fn();
    const consoleError = vi.spyOn(console, "error");
    const stderr = vi.spyOn(process.stderr, "write");
    try {
      const port = await start(
        createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, onError }),
        5_000,
      );
      const sockets = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const socket = connect(port, "127.0.0.1");
          await new Promise((resolve) => socket.once("connect", resolve));
          socket.write(
            `POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
              'Content-Type: application/scim+json\r\nContent-Length: 5000\r\n\r\n{"userName":"slo',
          );
          return socket;
        }),
      );
      await sleep(100);
      for (const socket of sockets) socket.destroy();
      await sleep(200);
      expect(onError).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
      stderr.mockRestore();
    }
  });
});

describe("bodyTimeout (RFC 9110 §15.5.9)", () => {
  it("a body that has not arrived in time is answered 408 with a SCIM body, and the connection closed", async () => {
    let signal: AbortSignal | undefined;
    const port = await start(async (request) => {
      signal = request.signal;
      await request.arrayBuffer();
      return new Response("read it all");
    }, 300);
    const client = connect(port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    const started = Date.now();
    client.write('POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"userName":');
    const received: Buffer[] = [];
    client.on("data", (c: Buffer) => received.push(c));
    await new Promise((resolve) => client.once("close", resolve));
    const elapsed = Date.now() - started;
    const text = Buffer.concat(received).toString();
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text.toLowerCase()).toContain("connection: close");
    const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));
    expect(body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "408",
      detail: "the request body did not arrive within 300 ms",
    });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(signal?.aborted).toBe(true);
  });

  it("counts from the request's arrival: a body trickling in past the timeout is cut off", async () => {
    const port = await start(async (request) => new Response(await request.text()), 400);
    const seen = await send(port, {
      headers: { "content-type": "text/plain" },
      chunks: Array.from({ length: 20 }, () => "ab"),
      gap: 50,
    });
    expect(seen.status).toBe(408);
  });

  it("a handler that is slow to start reading does not turn a prompt client's large body into a 408", async () => {
    const port = await start(async (request) => {
      // Queued behind other work longer than the timeout before it reads.
      await sleep(500);
      return new Response(String((await request.arrayBuffer()).byteLength));
    }, 200);
    const chunks = Array.from({ length: 16 }, () => Buffer.alloc(65_536, "y"));
    const seen = await send(port, { chunks, agent: new Agent({ keepAlive: true }) });
    expect(seen.status).toBe(200);
    expect(seen.body).toBe(String(16 * 65_536));
  });

  it("a body that arrives in time is served, chunks and all", async () => {
    const port = await start(async (request) => new Response(await request.text()), 2_000);
    const seen = await send(port, { chunks: ["a", "b", "c"], gap: 50 });
    expect(seen.status).toBe(200);
    expect(seen.body).toBe("abc");
  });
});
