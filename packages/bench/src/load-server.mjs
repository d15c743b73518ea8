// The server side of the load benchmark (issue 10), run as a child process by src/load.bench.mjs:
//   node src/load-server.mjs <memory|pglite|pglite-direct|postgres>
// createScimHandler behind toNodeListener on node:http, on 127.0.0.1, with BENCH_LOAD_USERS users
// (default 1,000) and BENCH_LOAD_GROUPS groups of BENCH_LOAD_GROUP_SIZE members (default 20 × 50).
//
//   memory         MemoryStore: the baseline (no database).
//   pglite         PostgresStore.open({ dataDir }) on PGlite in a fresh temporary directory, removed at exit.
//   pglite-direct  the same, but through a pass-through SqlClient that calls PGlite's own query/transaction,
//                  as fromPGlite did before issue 10's fix: the "before" row, run side by side.
//   postgres       PostgresStore.open({ databaseUrl: DATABASE_URL, tablePrefix: "scimload_" }); the
//                  scimload_* tables and functions are dropped before and after.
//
// It sends { port, ids } to its parent over IPC, then answers:
//   "reset"  → starts new measurements;
//   "stats"  → { inflight, requests, peakRssMiB, handler: {p50, p99, max}, loop: {p99, max} } (ms): the
//              handler time is the reference server's log line (request event → 'finish'); the event loop
//              delay is how late a 10 ms timer fired (a blocked loop reads no socket and accepts nothing);
//   "stop"   → closes the server and the store, removes its data and exits.
// Peak RSS is sampled every 10 ms by a worker thread, so a blocked main thread does not hide a peak.
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

export const TOKEN = "bench-load-token-0123456789";
export const BASE = "/scim/v2";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PREFIX = "scimload_";

const USERS = Number(process.env.BENCH_LOAD_USERS ?? 1000);
const GROUPS = Number(process.env.BENCH_LOAD_GROUPS ?? 20);
const GROUP_SIZE = Number(process.env.BENCH_LOAD_GROUP_SIZE ?? 50);

/** The seeded users (the load's filter and GET targets). */
export function userBody(i) {
  return {
    schemas: [USER_SCHEMA],
    userName: `user${i}@example.com`,
    externalId: `ext-${i}`,
    displayName: `User ${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    emails: [{ value: `user${i}@example.com`, type: "work", primary: true }],
    active: true,
  };
}

/** Drops every table and function named PREFIX* (the store's, and any a later version adds). */
export async function dropPrefixed(databaseUrl, prefix) {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const like = `${prefix.replaceAll("_", "\\_")}%`;
    const tables = await pool.query(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1",
      [like],
    );
    for (const { tablename } of tables.rows) await pool.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
    const functions = await pool.query(
      `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = current_schema() AND p.proname LIKE $1`,
      [like],
    );
    for (const { signature } of functions.rows)
      await pool.query(`DROP FUNCTION IF EXISTS ${signature} CASCADE`);
  } finally {
    await pool.end();
  }
}

/** The SqlClient fromPGlite was before issue 10: PGlite's query/transaction called directly. */
function directPGlite(db) {
  return {
    query: (text, params = []) => db.query(text, [...params]),
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: (text, params = []) => tx.query(text, [...params]) })),
    close: () => db.close(),
  };
}

/** @electric-sql/pglite, from the server package (an optional peer there; the bench does not depend on it). */
export async function importPGlite() {
  const fromServer = createRequire(createRequire(import.meta.url).resolve("@scimkit/server/package.json"));
  const cjs = fromServer.resolve("@electric-sql/pglite"); // …/dist/index.cjs; its ESM build is index.js beside it
  return import(pathToFileURL(cjs.replace(/\.cjs$/, ".js")).href);
}

/** Opens the store `kind`; returns it and a cleanup to run after closing it. */
export async function openStore(kind) {
  const { MemoryStore } = await import("@scimkit/server");
  const { PostgresStore } = await import("@scimkit/server/postgres");
  if (kind === "memory") return { store: new MemoryStore(), cleanup: async () => {} };
  if (kind === "postgres") {
    const databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) throw new Error("postgres: DATABASE_URL is not set");
    await dropPrefixed(databaseUrl, PREFIX);
    const store = await PostgresStore.open({ databaseUrl, tablePrefix: PREFIX });
    return { store, cleanup: () => dropPrefixed(databaseUrl, PREFIX) };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "scimkit-load-"));
  const cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === "pglite") return { store: await PostgresStore.open({ dataDir }), cleanup };
  if (kind === "pglite-direct") {
    const { PGlite } = await importPGlite();
    const db = new PGlite(dataDir);
    await db.waitReady;
    const store = new PostgresStore(directPGlite(db));
    await store.migrate();
    return { store, cleanup };
  }
  throw new Error(`unknown store ${kind}`);
}

/** A request to the handler in this process (seeding, checks). */
export async function call(handle, method, path, body) {
  const response = await handle(
    new Request(`http://127.0.0.1${BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** Seeds USERS users and GROUPS groups through the handler; returns the users' ids. */
async function seed(handle) {
  const ids = [];
  for (let i = 0; i < USERS; i++) {
    const created = await call(handle, "POST", "/Users", userBody(i));
    if (created.status !== 201) throw new Error(`seed: POST /Users answered ${created.status}`);
    ids.push(created.body.id);
  }
  for (let g = 0; g < GROUPS && ids.length > 0; g++) {
    const members = [];
    for (let m = 0; m < Math.min(GROUP_SIZE, ids.length); m++)
      members.push({ value: ids[(g * GROUP_SIZE + m) % ids.length] });
    const created = await call(handle, "POST", "/Groups", {
      schemas: [GROUP_SCHEMA],
      displayName: `Group ${g}`,
      members,
    });
    if (created.status !== 201) throw new Error(`seed: POST /Groups answered ${created.status}`);
  }
  return ids;
}

/** A worker thread that keeps the process's peak RSS (KiB) in shared memory. */
function rssSampler() {
  const peak = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     const peak = new Int32Array(workerData);
     setInterval(() => {
       const now = Math.round(process.memoryUsage.rss() / 1024);
       for (let seen = Atomics.load(peak, 0); seen < now; seen = Atomics.load(peak, 0))
         if (Atomics.compareExchange(peak, 0, seen, now) === seen) break;
     }, 10);`,
    { eval: true, workerData: peak.buffer },
  );
  worker.unref();
  return {
    reset: () => Atomics.store(peak, 0, Math.round(process.memoryUsage.rss() / 1024)),
    peakMiB: () => Atomics.load(peak, 0) / 1024,
    stop: () => worker.terminate(),
  };
}

async function main() {
  const kind = process.argv[2];
  const { createScimHandler } = await import("@scimkit/server");
  const { toNodeListener } = await import("@scimkit/server/node");
  const { store, cleanup } = await openStore(kind);
  const handle = createScimHandler({ store, auth: { tokens: [TOKEN] }, basePath: BASE });
  const started = performance.now();
  const ids = await seed(handle);
  const seedMs = performance.now() - started;

  const rss = rssSampler();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let handlerTimes = createHistogram();
  let inflight = 0;
  let requests = 0;
  const listener = toNodeListener(handle);
  const server = createServer((req, res) => {
    // What the reference server logs: from the request event to 'finish'.
    const t0 = performance.now();
    inflight++;
    requests++;
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      inflight--;
      handlerTimes.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
    };
    res.on("finish", end);
    res.on("close", end);
    listener(req, res);
  });
  server.keepAliveTimeout = 120_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  process.send({ port: server.address().port, ids, seedMs });

  const ms = (ns) => ns / 1e6;
  process.on("message", async (message) => {
    if (message === "reset") {
      handlerTimes = createHistogram();
      loop.reset();
      rss.reset();
      requests = 0;
      process.send({ reset: true });
    } else if (message === "stats") {
      const h = handlerTimes;
      process.send({
        inflight,
        requests,
        peakRssMiB: rss.peakMiB(),
        handler: {
          p50: h.count ? h.percentile(50) / 1000 : 0,
          p99: h.count ? h.percentile(99) / 1000 : 0,
          max: h.count ? h.max / 1000 : 0,
        },
        loop: { p99: ms(loop.percentile(99)), max: ms(loop.max) },
      });
    } else if (message === "stop") {
      server.closeAllConnections();
      server.close();
      await rss.stop();
      await store.close?.();
      await cleanup();
      process.exit(0);
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
