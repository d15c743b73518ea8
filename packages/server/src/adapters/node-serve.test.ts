/// <reference types="node" />
import { Agent } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createScimHandler, MemoryStore } from "../index.js";
import { AUTH, send, sleep, TOKEN, until } from "./__fixtures__/http.js";
import { type FetchHandler, type RunningServer, serve } from "./node.js";

const running: RunningServer[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close({ gracePeriod: 0 });
});

async function start(
  handler: FetchHandler,
  options: Parameters<typeof serve>[1] = {},
): Promise<RunningServer> {
  const r = await serve(handler, { port: 0, ...options });
  running.push(r);
  return r;
}

/** A handler whose requests wait for `ms` before answering 200, counting those in progress. */
function slow(ms: number) {
  const state = { started: 0, aborted: 0 };
  const handler: FetchHandler = async (request) => {
    state.started++;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      request.signal.addEventListener("abort", () => {
        state.aborted++;
        clearTimeout(timer);
        resolve();
      });
    });
    return Response.json({ ok: true });
  };
  return { handler, state };
}

function refused(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

describe("serve()", () => {
  it("listens on 127.0.0.1 by default and serves the SCIM handler", async () => {
    const r = await start(createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } }));
    expect(r.url).toBe(`http://127.0.0.1:${r.port}`);
    const seen = await send(r.port, {
      headers: AUTH,
      chunks: [JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "s" })],
    });
    expect(seen.status).toBe(201);
  });

  it("rejects when the port is taken", async () => {
    const first = await start(async () => new Response("x"));
    await expect(serve(async () => new Response("y"), { port: first.port })).rejects.toMatchObject({
      code: "EADDRINUSE",
    });
  });

  it("close() drains: in-flight requests finish with 200, new connections are refused", async () => {
    const { handler, state } = slow(400);
    const r = await start(handler, { gracePeriod: 5_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    try {
      const requests = Array.from({ length: 20 }, () =>
        send(r.port, { method: "GET", path: "/scim/v2/Users", agent }),
      );
      await until(() => state.started === 20);
      const began = Date.now();
      const closed = r.close();
      await sleep(20);
      expect(await refused(r.port)).toBe("ECONNREFUSED");
      const answers = await Promise.all(requests);
      await closed;
      const took = Date.now() - began;
      for (const answer of answers) {
        expect(answer.error).toBeUndefined();
        expect(answer.status).toBe(200);
        expect(answer.headers?.connection).toBe("close");
      }
      expect(state.aborted).toBe(0);
      expect(took).toBeLessThan(5_000);
      expect(r.server.listening).toBe(false);
    } finally {
      agent.destroy();
    }
  });

  it("close() closes idle keep-alive connections at once", async () => {
    const r = await start(async () => new Response("ok"));
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await send(r.port, { method: "GET", path: "/", agent })).status).toBe(200);
      const began = Date.now();
      await r.close();
      expect(Date.now() - began).toBeLessThan(1_000);
    } finally {
      agent.destroy();
    }
  });

  it("close() cuts off what is left after the grace period and aborts its signal", async () => {
    const { handler, state } = slow(60_000);
    const r = await start(handler);
    const pending = send(r.port, { method: "GET", path: "/" });
    await until(() => state.started === 1);
    const began = Date.now();
    await r.close({ gracePeriod: 200 });
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(2_000);
    const answer = await pending;
    expect(answer.status).toBeUndefined();
    expect(answer.error?.code).toBe("ECONNRESET");
    await until(() => state.aborted === 1);
  });

  it("maxConnections bounds open sockets; a freed slot is usable again", async () => {
    const { handler, state } = slow(500);
    const r = await start(handler, { maxConnections: 2 });
    const first = [send(r.port, { method: "GET", path: "/" }), send(r.port, { method: "GET", path: "/" })];
    await until(() => state.started === 2);
    const third = await send(r.port, { method: "GET", path: "/" });
    expect(third.status).toBeUndefined();
    expect(["ECONNRESET", "EPIPE"]).toContain(third.error?.code);
    expect(state.started).toBe(2);
    for (const answer of await Promise.all(first)) expect(answer.status).toBe(200);
    await sleep(50);
    const after = await send(r.port, { method: "GET", path: "/" });
    expect(after.status).toBe(200);
  });

  it("passes bodyTimeout to the listener", async () => {
    const r = await start(async (request) => new Response(await request.text()), { bodyTimeout: 200 });
    const seen = await send(r.port, { chunks: ["a"], end: false });
    expect(seen.status).toBe(408);
  });
});
