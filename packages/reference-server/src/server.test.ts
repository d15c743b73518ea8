/// <reference types="node" />
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { connect, createServer, type Server } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type ServerProcess, startServer } from "@scimkit/test-fixtures";
import { afterAll, describe, expect, it } from "vitest";

// One data directory for the whole file: PGlite's first start runs initdb (~7 s, ~700 MB); later
// starts reopen it (~0.5 s). The tests run in order and restart the server on the same directory.
const dataDir = mkdtempSync(join(tmpdir(), "scimkit-reference-server-"));
const started: ServerProcess[] = [];
afterAll(() => {
  for (const server of started) if (server.child.exitCode === null) server.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

function run(env: Record<string, string>): ServerProcess {
  const server = startServer({ SCIM_DATA_DIR: dataDir, ...env });
  started.push(server);
  return server;
}

/**
 * A POST of a new User whose body arrives in three parts over `ms`, so it is in flight for that long.
 * It asks for 100 Continue and starts the body when the server sends it: `accepted` then resolves, proof
 * that the server parsed the request (a connection still in the accept queue is not in flight yet).
 */
function slowCreate(port: number, token: string, userName: string, ms: number) {
  let accept: () => void = () => undefined;
  const accepted = new Promise<void>((resolve) => {
    accept = resolve;
  });
  const answered = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/scim/v2/Users",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/scim+json",
          expect: "100-continue",
        },
        agent: false,
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName });
    req.once("continue", () => {
      accept();
      req.write(body.slice(0, 5));
      setTimeout(() => req.write(body.slice(5, 15)), ms / 2);
      setTimeout(() => req.end(body.slice(15)), ms);
    });
    req.flushHeaders();
  });
  return { accepted, answered };
}

function refused(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

/** stderr of a failed start: exactly one line, no stack trace. */
function expectOneLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
  return lines[0] ?? "";
}

describe("the reference server, through `node scripts/start.mjs`", () => {
  let token = "";

  it("generates a token once (mode 0600), prints it with how to rotate it, and listens on 127.0.0.1", async () => {
    const port = await freePort();
    const server = run({ PORT: String(port) });
    const [, printed] = await server.waitFor(/bearer token: (\S+)/);
    await server.waitFor(/try: curl/);
    token = printed ?? "";
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(server.stdout()).toContain(`http://127.0.0.1:${port}/scim/v2`);
    expect(server.stdout()).toMatch(/to rotate it, delete that file and restart, or set SCIM_TOKEN/);
    expect(statSync(join(dataDir, "scim-token")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, "cursor-secret")).mode & 0o777).toBe(0o600);
    const ok = await fetch(`http://127.0.0.1:${port}/scim/v2/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    // Not on the machine's other addresses: HOST defaults to 127.0.0.1.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal);
    if (external) expect(await refused(external.address, port)).toBe("ECONNREFUSED");
    server.child.kill("SIGTERM");
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it("reuses the kept token on the next start", async () => {
    const port = await freePort();
    const server = run({ PORT: String(port) });
    const [, printed] = await server.waitFor(/bearer token: (\S+)/);
    expect(printed).toBe(token);
    await server.waitFor(/try: curl/);
    const ok = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    server.child.kill("SIGINT");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain("stopped");
  });

  const stores = [
    { name: "PGlite", env: {} as Record<string, string> },
    ...(process.env.DATABASE_URL
      ? [{ name: "PostgreSQL", env: { DATABASE_URL: process.env.DATABASE_URL } }]
      : []),
  ];
  it.each(stores)(
    "SIGTERM under load on $name: every in-flight request is answered, the store closes after them, exit 0",
    async ({ env }) => {
      const port = await freePort();
      const server = run({ PORT: String(port), SCIM_TOKEN: "load-test-token-0123456789", ...env });
      await server.waitFor(/try: curl/);
      const suffix = Math.random().toString(36).slice(2, 8);
      const requests = Array.from({ length: 50 }, (_, i) =>
        slowCreate(port, "load-test-token-0123456789", `drain-${suffix}-${i}@example.com`, 3000),
      );
      // All 50 read by the server and sending their bodies before the signal.
      await Promise.all(requests.map((r) => r.accepted));
      server.child.kill("SIGTERM");
      await server.waitFor(/SIGTERM: no longer accepting/);
      // On a loaded machine a request may finish before the signal; the drain waits for all the others.
      const open = Number(/letting (\d+) open connection\(s\) finish/.exec(server.stdout())?.[1]);
      expect(open).toBeGreaterThan(0);
      expect(open).toBeLessThanOrEqual(50);
      expect(await refused("127.0.0.1", port)).toBe("ECONNREFUSED");
      const answers = await Promise.all(requests.map((r) => r.answered));
      expect(answers.filter((a) => !("status" in a) || a.status !== 201)).toEqual([]);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const output = server.stdout() + server.stderr();
      expect(output).not.toMatch(/Cannot use a pool|unexpected error/);
      expect(server.stderr()).toBe("");
      expect(output.match(/ POST \/scim\/v2\/Users 201 /g)).toHaveLength(50);
    },
  );

  it("a second signal cuts off what is left at once; still exit 0", async () => {
    const port = await freePort();
    // A grace period far longer than the test: exiting well before it shows the second signal cut it off,
    // however loaded the machine is.
    const server = run({
      PORT: String(port),
      SCIM_TOKEN: "second-signal-token-0123",
      SHUTDOWN_GRACE_MS: "600000",
    });
    await server.waitFor(/try: curl/);
    // A request whose body never comes: it would hold the shutdown for the whole grace period.
    const stuck = slowCreate(port, "second-signal-token-0123", "stuck@example.com", 600_000);
    await stuck.accepted;
    const began = Date.now();
    server.child.kill("SIGTERM");
    await server.waitFor(/letting 1 open connection\(s\) finish \(up to 600000 ms\)/);
    server.child.kill("SIGINT");
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - began).toBeLessThan(60_000);
    expect(server.stdout()).toContain("SIGINT again: closing the remaining connections now");
    expect(await stuck.answered).toHaveProperty("error");
  });

  it("a bad PORT: one line on stderr, exit 1", async () => {
    const server = run({ PORT: "80a" });
    expect((await server.exited).code).toBe(1);
    expect(expectOneLine(server.stderr())).toMatch(
      /PORT must be a whole number from 0 to 65535 \(got "80a"\)/,
    );
  });

  it("a port in use: one line on stderr, exit 1", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = run({ PORT: String(port) });
      expect((await server.exited).code).toBe(1);
      expect(expectOneLine(server.stderr())).toBe(
        `scimkit: port ${port} on 127.0.0.1 is already in use; stop the other process or choose another PORT`,
      );
    } finally {
      blocker.close();
    }
  });

  it("a HOST that is not this machine's: one line on stderr, exit 1", async () => {
    const server = run({ PORT: String(await freePort()), HOST: "192.0.2.1" });
    expect((await server.exited).code).toBe(1);
    expect(expectOneLine(server.stderr())).toMatch(/HOST=192\.0\.2\.1 is not an address of this machine/);
  });

  it("an unreachable DATABASE_URL: one line without the password, exit 1", async () => {
    const server = run({
      PORT: String(await freePort()),
      DATABASE_URL: "postgres://scim:hunter2@127.0.0.1:1/scim",
    });
    expect((await server.exited).code).toBe(1);
    const line = expectOneLine(server.stderr());
    expect(line).toMatch(
      /^scimkit: cannot use the PostgreSQL at 127\.0\.0\.1:1\/scim \(DATABASE_URL\): .*ECONNREFUSED/,
    );
    expect(line).not.toContain("hunter2");
  });

  it("a SCIM_TOKEN that is an unset variable's spelling is refused", async () => {
    const server = run({ PORT: String(await freePort()), SCIM_TOKEN: "undefined" });
    expect((await server.exited).code).toBe(1);
    expect(expectOneLine(server.stderr())).toMatch(
      /SCIM_TOKEN is "undefined", which looks like an unset shell variable/,
    );
  });

  it("a short SCIM_TOKEN (DESIGN.md's SCIM_TOKEN=secret) starts with a warning and authenticates", async () => {
    const port = await freePort();
    const server = run({ PORT: String(port), SCIM_TOKEN: "secret" });
    await server.waitFor(/try: curl/);
    const config = (token: string) =>
      fetch(`http://127.0.0.1:${port}/scim/v2/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await config("secret")).status).toBe(200);
    expect((await config("secret-but-wrong")).status).toBe(401);
    // stderr is its own pipe: read it once the requests above have been answered.
    expect(server.stderr()).toMatch(/warning: SCIM_TOKEN is 6 characters long; fine for a local demo/);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });

  it("PUBLIC_URL is printed and passed to the handler", async () => {
    const port = await freePort();
    const server = run({
      PORT: String(port),
      SCIM_TOKEN: "public-url-token-0123456789",
      PUBLIC_URL: "https://scim.example.com/scim/v2",
      MAX_CONNECTIONS: "64",
    });
    await server.waitFor(/try: curl/);
    expect(server.stdout()).toContain("public URL (PUBLIC_URL): https://scim.example.com/scim/v2");
    const created = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, {
      method: "POST",
      headers: {
        authorization: "Bearer public-url-token-0123456789",
        "content-type": "application/scim+json",
      },
      body: JSON.stringify({ userName: "public@example.com" }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toMatch(/^https:\/\/scim\.example\.com\/scim\/v2\/Users\//);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  });
});
