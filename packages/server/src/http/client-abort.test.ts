/// <reference types="node" />
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toNodeListener } from "../adapters/node.js";
import { MemoryStore } from "../stores/memory-store.js";
import { LONG_TOKEN } from "./__fixtures__/stores.js";
import { createScimHandler } from "./handler.js";

/** Issue 10: a slow-body flood whose clients hang up filled onError with stack traces. */
describe("a client that closes the connection while sending its body", () => {
  const errors: unknown[] = [];
  const answers: { status: number; detail: string }[] = [];
  /** The probes whose request reached the handler, so a hang-up comes while the body is being read. */
  const started = new Set<string>();
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const handle = createScimHandler({
      store: new MemoryStore(),
      auth: { tokens: [LONG_TOKEN] },
      onError: (error) => errors.push(error),
    });
    // Records what the handler answered, which nobody receives once the client is gone.
    server = createServer(
      toNodeListener(async (request) => {
        started.add(request.headers.get("x-probe") ?? "");
        const response = await handle(request);
        const body = (await response.clone().json()) as { detail?: string };
        answers.push({ status: response.status, detail: body.detail ?? "" });
        return response;
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends the head and part of a body on a raw socket, then resets the connection. */
  let probes = 0;
  async function hangUp(framing: "content-length" | "chunked"): Promise<void> {
    const probe = String(++probes);
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const part = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"half-';
    socket.write(
      [
        "POST /scim/v2/Users HTTP/1.1",
        "Host: 127.0.0.1",
        `Authorization: Bearer ${LONG_TOKEN}`,
        "Content-Type: application/scim+json",
        `X-Probe: ${probe}`,
        framing === "chunked" ? "Transfer-Encoding: chunked" : "Content-Length: 100000",
        "",
        framing === "chunked" ? `${part.length.toString(16)}\r\n${part}\r\n` : part,
      ].join("\r\n"),
    );
    for (let i = 0; i < 1000 && !started.has(probe); i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    socket.resetAndDestroy();
  }

  async function settled(count: number): Promise<void> {
    for (let i = 0; i < 1000 && answers.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  }

  it("is answered as a client error (never reported to onError), with either framing", {
    timeout: 30_000,
  }, async () => {
    await hangUp("content-length");
    await hangUp("chunked");
    await settled(2);
    expect(answers).toHaveLength(2);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.detail).toContain("closed the connection");
    }
    expect(errors).toEqual([]);
  });

  it("a flood of 50 hang-ups reports nothing, and the server still serves", { timeout: 30_000 }, async () => {
    const before = answers.length;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => hangUp(i % 2 === 0 ? "chunked" : "content-length")),
    );
    await settled(before + 50);
    expect(answers.length - before).toBe(50);
    expect(errors).toEqual([]);
    const r = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${LONG_TOKEN}`, "content-type": "application/scim+json" },
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "after-flood",
      }),
    });
    expect(r.status).toBe(201);
  });
});
