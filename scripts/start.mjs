#!/usr/bin/env node
// The repository's main job (`pnpm start`): the reference SCIM 2.0 server. It serves the RFC 7643 core
// resource types (User with EnterpriseUser, Group) at http://localhost:$PORT/scim/v2 on an embedded
// PostgreSQL (PGlite) persisted under .data/pglite, or on a real PostgreSQL when DATABASE_URL is set.
//   PORT        default 8080
//   SCIM_TOKEN  bearer token clients must send; a random one is generated and printed when unset
//   DATABASE_URL  postgres://user:password@host:5432/db  (optional)
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { createScimHandler } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { PostgresStore } from "@scimkit/server/postgres";

const root = join(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 8080);
const generated = process.env.SCIM_TOKEN === undefined || process.env.SCIM_TOKEN === "";
const token = generated ? randomBytes(24).toString("base64url") : process.env.SCIM_TOKEN;
const databaseUrl = process.env.DATABASE_URL || undefined;
const out = (line) => process.stdout.write(`${line}\n`);

const dataDir = join(root, ".data", "pglite");
if (!databaseUrl) mkdirSync(dataDir, { recursive: true });
const store = await PostgresStore.open(databaseUrl ? { databaseUrl } : { dataDir });

const handle = createScimHandler({
  store,
  auth: { tokens: [token] },
  basePath: "/scim/v2",
  onError: (error) =>
    process.stderr.write(
      `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    ),
});
const listener = toNodeListener(handle);
const server = createServer((req, res) => {
  const started = performance.now();
  res.on("finish", () => {
    const ms = (performance.now() - started).toFixed(1);
    out(`${new Date().toISOString()} ${req.method} ${req.url?.split("?")[0]} ${res.statusCode} ${ms}ms`);
  });
  listener(req, res);
});

server.listen(port, () => {
  out(`scimkit reference SCIM server: http://localhost:${port}/scim/v2`);
  out(
    `storage: ${databaseUrl ? `PostgreSQL at ${new URL(databaseUrl).host}` : `embedded PGlite in ${dataDir}`}`,
  );
  out(
    `bearer token: ${generated ? `${token}  (generated; set SCIM_TOKEN to choose one)` : "from SCIM_TOKEN"}`,
  );
  out(
    `try: curl -H "Authorization: Bearer ${generated ? token : "$SCIM_TOKEN"}" http://localhost:${port}/scim/v2/ServiceProviderConfig`,
  );
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  out(`${signal}: shutting down`);
  server.close();
  server.closeAllConnections?.();
  await store.close?.();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
