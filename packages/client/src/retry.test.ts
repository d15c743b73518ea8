/// <reference types="node" />

import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, rejection } from "./__fixtures__/http.js";
import { user } from "./__fixtures__/reference-server.js";
import { createScimClient } from "./index.js";

describe("retries", () => {
  let flaky: { server: Server; url: string };
  /** Scripted answers per path: each request takes the next one; the last one repeats. */
  const scripts = new Map<string, Array<(res: import("node:http").ServerResponse) => void>>();
  const hits = new Map<string, number>();

  const ok = (res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-type": "application/scim+json" });
    res.end(JSON.stringify({ id: "r1", userName: "ok" }));
  };
  const status =
    (code: number, headers: Record<string, string> = {}) =>
    (res: import("node:http").ServerResponse) => {
      res.writeHead(code, { "content-type": "application/scim+json", ...headers });
      res.end(
        JSON.stringify({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: String(code),
          detail: `scripted ${code}`,
        }),
      );
    };

  beforeAll(async () => {
    flaky = await listen((req, res) => {
      req.resume();
      req.on("end", () => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        const n = hits.get(path) ?? 0;
        hits.set(path, n + 1);
        const script = scripts.get(path) ?? [status(404)];
        const answer = script[Math.min(n, script.length - 1)] as (r: typeof res) => void;
        answer(res);
      });
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => flaky.server.close(resolve));
  });

  const script = (id: string, ...answers: Array<(res: import("node:http").ServerResponse) => void>) => {
    scripts.set(`/Users/${id}`, answers);
    scripts.set("/Users", answers);
    hits.clear();
    return () => hits.get(`/Users/${id}`) ?? hits.get("/Users") ?? 0;
  };
  const fast = (retry: object = {}) =>
    createScimClient({ baseUrl: flaky.url, retry: { delay: 5, ...retry } });

  it("waits for Retry-After (seconds) after a 429, then succeeds", async () => {
    const count = script("ra", status(429, { "retry-after": "1" }), ok);
    const started = Date.now();
    const got = await fast().users.get("ra");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(got.userName).toBe("ok");
    expect(count()).toBe(2);
  });

  it("honours an HTTP-date Retry-After, capped by maxRetryDelay", async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    let count = script("date", status(503, { "retry-after": past }), ok);
    expect((await fast().users.get("date")).userName).toBe("ok");
    expect(count()).toBe(2);

    const future = new Date(Date.now() + 3_600_000).toUTCString();
    count = script("cap", status(429, { "retry-after": future }), status(429, { "retry-after": "3600" }), ok);
    const started = Date.now();
    expect((await fast({ maxRetryDelay: 50 }).users.get("cap")).userName).toBe("ok");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(count()).toBe(3);
  });

  it("retries 503 twice with backoff, then succeeds", async () => {
    const count = script("503", status(503), status(503), ok);
    expect((await fast().users.get("503")).userName).toBe("ok");
    expect(count()).toBe(3);
  });

  it("retries PUT and DELETE (idempotent) by default", async () => {
    let count = script("put", status(503), ok);
    expect((await fast().users.replace("put", user("ok"))).userName).toBe("ok");
    expect(count()).toBe(2);
    count = script("del", status(429, { "retry-after": "0" }), ok);
    await fast().users.delete("del");
    expect(count()).toBe(2);
  });

  it("does not retry POST or PATCH by default, and does when opted in", async () => {
    let count = script("post", status(503), ok);
    expect((await rejection(fast().users.create(user("x")))).status).toBe(503);
    expect(count()).toBe(1);
    count = script("patch", status(503), ok);
    expect((await rejection(fast().users.patch("patch", [{ op: "remove", path: "title" }]))).status).toBe(
      503,
    );
    expect(count()).toBe(1);

    const optIn = fast({ methods: ["GET", "PUT", "DELETE", "PATCH", "POST"] });
    count = script("post", status(503), ok);
    expect((await optIn.users.create(user("x"))).userName).toBe("ok");
    expect(count()).toBe(2);
    count = script("patch", status(429), ok);
    expect((await optIn.users.patch("patch", [{ op: "remove", path: "title" }])).userName).toBe("ok");
    expect(count()).toBe(2);
  });

  it("an exhausted limit rejects with a ScimError carrying the last status", async () => {
    let count = script("limit", status(503), status(503), status(429));
    const error = await rejection(fast().users.get("limit"));
    expect(error.status).toBe(429);
    expect(error.detail).toBe("scripted 429");
    expect(count()).toBe(3);

    count = script("limit", status(503));
    expect((await rejection(fast({ limit: 4 }).users.get("limit"))).status).toBe(503);
    expect(count()).toBe(5);
    count = script("limit", status(503));
    expect(
      (await rejection(createScimClient({ baseUrl: flaky.url, retry: false }).users.get("limit"))).status,
    ).toBe(503);
    expect(count()).toBe(1);
  });

  it("does not retry other errors (500, 404, 412)", async () => {
    for (const code of [500, 404, 412]) {
      const count = script("other", status(code), ok);
      expect((await rejection(fast().users.get("other"))).status).toBe(code);
      expect(count()).toBe(1);
    }
  });

  it("retries network errors for idempotent requests only", async () => {
    let drops = 0;
    const dropping = await listen((req, res) => {
      if (drops++ === 0) {
        req.socket.destroy();
        return;
      }
      ok(res);
    });
    try {
      const url = dropping.url;
      const got = await createScimClient({ baseUrl: url, retry: { delay: 5 } }).users.get("x");
      expect(got.userName).toBe("ok");
      expect(drops).toBe(2);

      drops = 0;
      await expect(
        createScimClient({ baseUrl: url, retry: { delay: 5 } }).users.create(user("x")),
      ).rejects.toThrow(TypeError);
      expect(drops).toBe(1);
    } finally {
      await new Promise((resolve) => dropping.server.close(resolve));
    }
  });
});
