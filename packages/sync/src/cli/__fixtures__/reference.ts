/// <reference types="node" />
// Reference servers (packages/reference-server through `node scripts/start.mjs`, as `pnpm start` runs it)
// on real 127.0.0.1 ports, each on its own PGlite data directory. PGlite's initdb costs ~7 s and ~700 MB,
// so it runs once per test file into a template directory that every server then starts from a copy of
// (reopening takes ~0.5 s).
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startServer, stopProcess } from "@scimkit/test-fixtures";

export { freePort } from "@scimkit/test-fixtures";

/** A running reference server. */
export interface Reference {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
  /** SIGTERM (it drains and exits 0), then removes its data directory. */
  stop(): Promise<void>;
}

/** Starts the server on `dataDir` and `port`; resolves once it has printed its token line (its last). */
async function launch(dataDir: string, port: number, token: string): Promise<ChildProcess> {
  const server = startServer({
    SCIM_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    SCIM_TOKEN: token,
  });
  await server.waitFor(/bearer token:/);
  return server.child;
}

let template: string | undefined;

/** The template data directory: a started-once, stopped PGlite database with nothing in it. */
async function templateDir(): Promise<string> {
  if (template !== undefined) return template;
  const dir = mkdtempSync(join(tmpdir(), "scimkit-sync-template-"));
  await stopProcess(await launch(dir, await freePort(), "template-token-0123456789"));
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
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
