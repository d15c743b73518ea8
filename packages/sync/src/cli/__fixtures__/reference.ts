/// <reference types="node" />
// Reference servers (packages/reference-server through `node scripts/start.mjs`, as `pnpm start` runs it)
// on real 127.0.0.1 ports, each on its own PGlite data directory. PGlite's initdb costs ~7 s and ~700 MB,
// so it runs once per test file into a template directory that every server then starts from a copy of
// (reopening takes ~0.5 s).
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SYNC_DIR } from "./bin.js";

const ROOT = join(SYNC_DIR, "..", "..");

/** A running reference server. */
export interface Reference {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
  /** SIGTERM (it drains and exits 0), then removes its data directory. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(dataDir: string, port: number, token: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      SCIM_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      SCIM_TOKEN: token,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("bearer token:")) resolve(child);
    });
    child.once("exit", (code) =>
      reject(new Error(`the reference server exited (${code}) at start:\n${out}\n${err}`)),
    );
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

let template: string | undefined;

/** The template data directory: a started-once, stopped PGlite database with nothing in it. */
async function templateDir(): Promise<string> {
  if (template !== undefined) return template;
  const dir = mkdtempSync(join(tmpdir(), "scimkit-sync-template-"));
  await stopChild(await launch(dir, await freePort(), "template-token-0123456789"));
  template = dir;
  return dir;
}

/** Removes the template directory (call in afterAll). */
export function removeTemplate(): void {
  if (template !== undefined) rmSync(template, { recursive: true, force: true });
  template = undefined;
}

/**
 * Starts an empty reference server on a free 127.0.0.1 port with its own copy of the template database.
 *
 * @example
 * const target = await startReference(); // target.url = http://127.0.0.1:PORT/scim/v2
 */
export async function startReference(token = "sync-test-token-0123456789"): Promise<Reference> {
  const dataDir = mkdtempSync(join(tmpdir(), "scimkit-sync-server-"));
  cpSync(await templateDir(), dataDir, { recursive: true });
  const port = await freePort();
  const child = await launch(dataDir, port, token);
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    child,
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
