/// <reference types="node" />

import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, type Running } from "./__fixtures__/http.js";
import { createScimClient } from "./index.js";
import { timeoutSignals } from "./timeout-signals.js";

const PAGE = JSON.stringify({ schemas: [], totalResults: 0, Resources: [] });

/** `/headers/{ms}/body/{ms}`: waits, sends the headers and the first half of the body, waits, sends the rest. */
function slowly(request: IncomingMessage, response: ServerResponse): void {
  const [, headers = "0", body = "0"] = /^\/headers\/(\d+)\/body\/(\d+)/.exec(request.url ?? "") ?? [];
  setTimeout(() => {
    response.writeHead(200, { "content-type": "application/scim+json" });
    response.write(PAGE.slice(0, 10));
    setTimeout(() => response.end(PAGE.slice(10)), Number(body)).unref();
  }, Number(headers)).unref();
}

describe("timeouts shared by the requests of one slot (timeout-signals.ts)", () => {
  let server: Running;
  beforeAll(async () => {
    server = await listen(slowly);
  });
  afterAll(() => close(server));

  const list = (timeout: number, headers: number, body: number) =>
    createScimClient({ baseUrl: server.url, timeout })
      .resource("Slow", { endpoint: `/headers/${headers}/body/${body}` })
      .list();

  // Margins are wide on purpose: CI runs this beside other suites on two cores, where a request that
  // answers at once can still take several hundred milliseconds to be seen.
  it("only the wait for the headers is timed: a body slower than the timeout is read", async () => {
    const page = await list(1_500, 0, 3_000);
    expect(page.totalResults).toBe(0);
  });

  it("in one slot, the request without headers times out and the others are answered", async () => {
    const scim = createScimClient({ baseUrl: server.url, timeout: 2_000 });
    const began = Date.now();
    const [slow, ...fast] = await Promise.allSettled([
      scim.resource("Slow", { endpoint: "/headers/20000/body/0" }).list(),
      ...Array.from({ length: 5 }, () => scim.resource("Slow", { endpoint: "/headers/20/body/0" }).list()),
    ]);
    expect(slow?.status).toBe("rejected");
    expect(((slow as PromiseRejectedResult).reason as Error).name).toBe("TimeoutError");
    // never before the deadline, at most a slot (1/32 of the timeout) and the scheduling after it
    expect(Date.now() - began).toBeGreaterThanOrEqual(2_000);
    expect(Date.now() - began).toBeLessThan(8_000);
    for (const result of fast) expect(result.status).toBe("fulfilled");
  });

  it("requests sent later get a later slot; more than 200 requests never share one signal", () => {
    const next = timeoutSignals(30_000);
    const first = next();
    const signals = new Set([first.signal]);
    for (let i = 0; i < 1_000; i++) signals.add(next().signal);
    expect(signals.size).toBeGreaterThanOrEqual(5);
    const short = timeoutSignals(1);
    const a = short();
    const later = Date.now() + 5;
    while (Date.now() < later) {
      // a deadline past the slot's end
    }
    expect(short().signal).not.toBe(a.signal);
  });

  it("a slot whose requests all have their headers is never aborted", async () => {
    const next = timeoutSignals(20);
    const slot = next();
    slot.pending++;
    slot.pending--;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(slot.signal.aborted).toBe(false);
    const waiting = next();
    waiting.pending++;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(waiting.signal.aborted).toBe(true);
  });
});
