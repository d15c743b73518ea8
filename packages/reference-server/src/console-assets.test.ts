/// <reference types="node" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { serve } from "@scimkit/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP, consoleAssets, withConsole } from "./console-assets.mjs";

const dir = mkdtempSync(join(tmpdir(), "scimkit-console-assets-"));
const empty = mkdtempSync(join(tmpdir(), "scimkit-console-unbuilt-"));
let origin: string;
let unbuilt: string;
const closers: (() => Promise<void>)[] = [];
/** createScimHandler's Request-free entry (the key console-assets.mjs reads). */
const ENTRY = Symbol.for("@scimkit/server:incoming-entry");

/** A raw GET, so the path reaches the server as written (fetch would normalise `..`). */
function get(
  base: string,
  path: string,
  method = "GET",
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
  writeFileSync(join(dir, "assets", "index-abc.js"), "export {};");
  writeFileSync(join(dir, "secret.txt"), "not served: no known type");
  const scim = async () => new Response("scim", { status: 200 });
  const running = await serve(withConsole(scim, "/scim/v2", consoleAssets(dir)), { port: 0 });
  origin = running.url;
  closers.push(() => running.close());
  const other = await serve(consoleAssets(empty), { port: 0 });
  unbuilt = other.url;
  closers.push(() => other.close());
});
afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe("the console's files at / (console-assets.mjs)", () => {
  it("serves index.html at / with the CSP, revalidated; hashed assets cached for a year", async () => {
    const index = await get(origin, "/");
    expect(index.status).toBe(200);
    expect(index.body).toContain("<title>console</title>");
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(index.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).not.toContain("unsafe");
    expect(index.headers["cache-control"]).toBe("no-cache");
    const script = await get(origin, "/assets/index-abc.js");
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toContain("immutable");
    const head = await get(origin, "/", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("leaves the SCIM base path to the SCIM handler", async () => {
    expect((await get(origin, "/scim/v2/Users")).body).toBe("scim");
    expect((await get(origin, "/scim/v2")).body).toBe("scim");
    expect((await get(origin, "/scim/v2x")).status).toBe(404);
  });

  it("answers 404 outside the build folder or for unknown types, 405 for writes, 400 for bad escapes", async () => {
    for (const path of [
      "/../package.json",
      "/assets/../../package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/secret.txt",
      "/nope.js",
      "/assets",
    ])
      expect((await get(origin, path)).status, path).toBe(404);
    const post = await get(origin, "/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect((await get(origin, "/%E0%A4%A")).status).toBe(400);
  });

  it("says how to build the console when it is not built", async () => {
    const answer = await get(unbuilt, "/");
    expect(answer.status).toBe(503);
    expect(answer.body).toContain("pnpm build");
  });
});

describe("withConsole and createScimHandler's Request-free entry (issue 16)", () => {
  const token = "console-entry-token-0123456789";
  let base: string;
  let calls = 0;

  beforeAll(async () => {
    const scim = createScimHandler({ store: new MemoryStore(), auth: { tokens: [token] }, recording: false });
    // The handler as a function counts its calls; its entry is the real one: a GET that reaches the
    // handler without a Request leaves the count at 0.
    const counted = Object.assign(
      (request: Request) => {
        calls++;
        return scim(request);
      },
      { [ENTRY]: (scim as unknown as Record<symbol, unknown>)[ENTRY] },
    );
    const running = await serve(withConsole(counted, "/scim/v2", consoleAssets(dir)), { port: 0 });
    base = running.url;
    closers.push(() => running.close());
  });

  it("passes SCIM GET and HEAD to the entry, console files to the assets, writes through the entry too", async () => {
    const headers = { authorization: `Bearer ${token}` };
    const config = await fetch(`${base}/scim/v2/ServiceProviderConfig`, { headers });
    expect(config.status).toBe(200);
    expect((await config.json()).schemas).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
    ]);
    const created = await fetch(`${base}/scim/v2/Users`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" }),
    });
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const user = await fetch(`${base}/scim/v2/Users/${id}`, { headers });
    expect(user.status).toBe(200);
    expect(user.headers.get("etag")).toBe('W/"1"');
    expect((await user.json()).userName).toBe("bjensen");
    const head = await get(base, `/scim/v2/Users/${id}`, "HEAD");
    expect(head.status).toBe(401); // no token: the SCIM handler's answer, not the console's
    expect(calls).toBe(0);
    const index = await get(base, "/");
    expect(index.status).toBe(200);
    expect(index.body).toContain("<title>console</title>");
    expect(index.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect((await get(base, "/", "POST")).status).toBe(405);
    expect(calls).toBe(0);
  });

  it("a handler without the entry keeps the Request path", () => {
    const plain = withConsole(async () => new Response("scim"), "/scim/v2", consoleAssets(dir));
    expect(ENTRY in plain).toBe(false);
  });
});
