/// <reference types="node" />

import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, type Running } from "./__fixtures__/http.js";
import { createScimClient } from "./index.js";

describe("slow servers", () => {
  let slow: Running;
  beforeAll(async () => {
    slow = await listen((request: IncomingMessage, response) => {
      const delay = Number(/^\/delay\/(\d+)/.exec(request.url ?? "")?.[1] ?? "0");
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/scim+json" });
        response.end(JSON.stringify({ schemas: [], totalResults: 0, Resources: [] }));
      }, delay).unref();
    });
  });
  afterAll(() => close(slow));

  it("answers within the timeout are read", async () => {
    const scim = createScimClient({ baseUrl: slow.url, timeout: 2_000 });
    const page = await scim.resource("Slow", { endpoint: "/delay/100" }).list({ count: 1 });
    expect(page.totalResults).toBe(0);
  });

  it("a response slower than the timeout rejects with a TimeoutError, without retrying", async () => {
    const scim = createScimClient({ baseUrl: slow.url, timeout: 200 });
    const start = slow.log.length;
    const began = Date.now();
    const error = await scim
      .resource("Slow", { endpoint: "/delay/5000" })
      .get("x")
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(slow.log.length - start).toBe(1);
    const viaList = await scim
      .resource("Slow", { endpoint: "/delay/5000" })
      .list()
      .catch((e: unknown) => e);
    expect((viaList as Error).name).toBe("TimeoutError");
    expect(String((viaList as Error).message)).not.toContain("Bearer");
  });
});
