/// <reference types="node" />
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startServer, stopProcess } from "@scimkit/test-fixtures";

/** The reference server as `pnpm start` runs it (`node scripts/start.mjs`), on its own data directory. */
export interface RunningServer {
  readonly origin: string;
  readonly base: string;
  readonly token: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the server on PGlite in a fresh temporary SCIM_DATA_DIR (removed by `stop`) and resolves once
 * it prints its URL. The packages must be built (the test script builds the console; turbo builds the
 * server before `test`).
 */
export async function startReferenceServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "scimkit-console-"));
  const port = await freePort();
  const token = "console-test-token-5f0c9a7e41d2";
  const server = startServer({
    SCIM_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: String(port),
    SCIM_TOKEN: token,
    ...env,
  });
  await server.waitFor(/scimkit reference SCIM server: http/).catch((error: Error) => {
    throw new Error(`the reference server exited before listening: ${error.message}`);
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    base: `${origin}/scim/v2`,
    token,
    child: server.child,
    output: () => server.stdout() + server.stderr(),
    async stop() {
      await stopProcess(server.child, 10_000);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const ENTRA_AGENT = "Microsoft Azure AD SCIM provisioning 1.0";
export const OKTA_AGENT = "Okta SCIM Client 1.0.0";

/** A SCIM request to the server with the token, as an IdP would send it. */
export async function scim(
  server: RunningServer,
  method: string,
  path: string,
  options: { body?: unknown; agent?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      "content-type": "application/scim+json",
      ...(options.agent && { "user-agent": options.agent }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
