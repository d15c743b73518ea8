/// <reference types="node" />
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type ServerProcess, startServer } from "@scimkit/test-fixtures";
import { afterAll, describe, expect, it } from "vitest";

// Its own data directory: PGlite holds an exclusive lock on one (server.test.ts has its own).
const dataDir = mkdtempSync(join(tmpdir(), "scimkit-reference-recording-"));
const TOKEN = "reference-recording-token-0123456789";
const started: ServerProcess[] = [];
afterAll(() => {
  for (const server of started) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(env: Record<string, string> = {}): Promise<{ server: ServerProcess; base: string }> {
  const port = await freePort();
  const server = startServer({ SCIM_DATA_DIR: dataDir, PORT: String(port), SCIM_TOKEN: TOKEN, ...env });
  started.push(server);
  await server.waitFor(/try: curl/);
  return { server, base: `http://127.0.0.1:${port}/scim/v2` };
}

const auth = { authorization: `Bearer ${TOKEN}` };

async function recorded(
  base: string,
  query: string,
): Promise<{ id: string; status: number; scimType?: string }[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const r = await fetch(`${base}/_console/requests${query}`, { headers: auth });
    expect(r.status).toBe(200);
    const { items } = (await r.json()) as { items: { id: string; status: number; scimType?: string }[] };
    if (items.length > 0 || Date.now() > deadline) return items;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the reference server records requests for the console", () => {
  it("records a failed request, keeps it across a restart, and says so at start", async () => {
    const { server, base } = await run();
    expect(server.stdout()).toMatch(
      /recording: every request, failed requests' bodies \(redacted\), kept 7 days/,
    );
    const failed = await fetch(`${base}/Users?filter=${encodeURIComponent("userName eq")}`, {
      headers: { ...auth, "user-agent": "Okta SCIM Client 1.0.0" },
    });
    expect(failed.status).toBe(400);
    const [item] = await recorded(base, "?idp=okta&status=4xx");
    expect(item).toMatchObject({ status: 400, scimType: "invalidFilter" });
    const refused = await fetch(`${base}/_console/requests`, {
      headers: { authorization: "Bearer wrong-token-0123456789" },
    });
    expect(refused.status).toBe(401);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    const again = await run();
    const [kept] = await recorded(again.base, "?idp=okta&status=4xx");
    expect(kept?.id).toBe(item?.id);
    again.server.child.kill("SIGTERM");
    expect((await again.server.exited).code).toBe(0);
  });

  it("ends open console event streams at SIGTERM instead of waiting out the grace period", async () => {
    const { server, base } = await run({ SHUTDOWN_GRACE_MS: "60000" });
    const events = await fetch(`${base}/_console/events`, { headers: auth });
    expect(events.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(": connected");
    const began = Date.now();
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    expect(Date.now() - began).toBeLessThan(10_000);
    await reader.cancel().catch(() => undefined);
  });

  it("SCIM_RECORDING=0 turns recording off", async () => {
    const { server, base } = await run({ SCIM_RECORDING: "0" });
    expect(server.stdout()).toContain("recording: off");
    const r = await fetch(`${base}/_console/requests`, { headers: auth });
    expect(r.status).toBe(404);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });
});
