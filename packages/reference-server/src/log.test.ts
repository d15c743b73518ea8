/// <reference types="node" />
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { logRequests, reportErrors } from "./log.mjs";

const servers: import("node:http").Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serveWith(listener: import("node:http").RequestListener, lines: string[]): Promise<number> {
  const server = createServer(listener);
  logRequests(server, (line) => lines.push(line));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

// Polls for up to 20 s: log lines are written after the response or the disconnect is seen, which on
// a loaded machine can take seconds.
const until = async (check: () => boolean) => {
  const deadline = performance.now() + 20_000;
  while (!check() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("logRequests", () => {
  it("one line per request: method, path without the query, status, time since arrival", async () => {
    const lines: string[] = [];
    const port = await serveWith((_req, res) => {
      // Waits 120 ms of real time: a single setTimeout counts from the event loop's cached clock, which
      // on a busy machine is already tens of milliseconds old when the request arrives.
      const began = performance.now();
      const answer = () => (performance.now() - began >= 120 ? res.end("ok") : setTimeout(answer, 5));
      answer();
    }, lines);
    await fetch(`http://127.0.0.1:${port}/scim/v2/Users?filter=secret`);
    await until(() => lines.length === 1);
    expect(lines).toHaveLength(1);
    const match = lines[0]?.match(/^\d{4}-\d\d-\d\dT[\d:.]+Z GET \/scim\/v2\/Users 200 (\d+\.\d)ms$/);
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(110);
  });

  it("a client that leaves before the answer is logged as aborted", async () => {
    const lines: string[] = [];
    const port = await serveWith(() => undefined, lines);
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/scim/v2/Users" });
    req.on("error", () => undefined);
    req.write("{");
    await new Promise((resolve) => setTimeout(resolve, 50));
    req.destroy();
    await until(() => lines.length === 1);
    expect(lines[0]).toMatch(/ POST \/scim\/v2\/Users aborted by the client after \d+\.\dms$/);
  });
});

describe("reportErrors", () => {
  it("one line with the request and the stack; nothing for a request whose client left", () => {
    const lines: string[] = [];
    const report = reportErrors((line) => lines.push(line));
    report(new Error("boom"), new Request("http://x/scim/v2/Users/1?attributes=a", { method: "PUT" }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ PUT \/scim\/v2\/Users\/1 500 unexpected error: Error: boom \| at /);
    expect(lines[0]).not.toContain("\n");
    const controller = new AbortController();
    controller.abort();
    report(new Error("gone"), new Request("http://x/scim/v2/Users", { signal: controller.signal }));
    expect(lines).toHaveLength(1);
  });
});
