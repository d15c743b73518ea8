// Reference server benchmarks (issue 5, item 6), against the BUILT packages. Build first:
// `npx -y pnpm@10 turbo run build --filter=@scimkit/server...` at the root.
//
// (a) HTTP requests/second for GET /Users/{id}, a filtered list and PATCH, side by side in one run:
//     scimkit (createScimHandler + MemoryStore behind toNodeListener), scimmy-routers (Express + SCIMMY with
//     an in-memory User handler) and a bare node:http server answering the same JSON from a Map (the ceiling).
//     Each server runs in its own child process (this script, forked with `--serve <name>`) on 127.0.0.1,
//     so the load generator (autocannon, in this process) never shares an event loop with the server it
//     measures. Servers run one at a time; each is checked for the right status and body before timing.
// (b) Cursor pagination depth on PostgreSQL (only with DATABASE_URL): BENCH_PG_USERS users (default
//     1,000,000) built in SQL into the PostgresStore's tables (own table prefix, tenant "bench"), then
//     store.query({ count: 100, cursor }) for the first page and the last page (10,000 pages deep at 1M),
//     median of BENCH_PG_CALLS (20) calls each. The tables are dropped at the end (BENCH_PG_KEEP=1 keeps them).
import { fork } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { fmt, ratio } from "./harness.mjs";

const USERS = Number(process.env.BENCH_USERS ?? 1000);
const TOKEN = "bench-token-0123456789";
const BASE = "/scim/v2";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const TARGET = "user500@example.com";

/** The same users in every server. */
function userBody(i) {
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

// ============================================================================================ servers
// Each returns { listener-ready server, id of TARGET } after loading USERS users.

async function scimkitServer() {
  const { createScimHandler, MemoryStore } = await import("@scimkit/server");
  const { toNodeListener } = await import("@scimkit/server/node");
  const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
  let targetId;
  for (let i = 0; i < USERS; i++) {
    const response = await handle(
      new Request(`http://127.0.0.1${BASE}/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        body: JSON.stringify(userBody(i)),
      }),
    );
    if (response.status !== 201) throw new Error(`scimkit: POST answered ${response.status}`);
    const created = await response.json();
    if (created.userName === TARGET) targetId = created.id;
  }
  return { server: createServer(toNodeListener(handle)), targetId };
}

async function scimmyServer() {
  const { default: express } = await import("express");
  const { default: SCIMMY } = await import("scimmy");
  const { default: SCIMMYRouters } = await import("scimmy-routers");
  // An in-memory User resource type, the way SCIMMY's documentation shows ingress/egress/degress handlers.
  const users = new Map();
  let next = 1;
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress((resource, data) => {
      const now = new Date();
      if (resource.id) {
        const current = users.get(resource.id);
        if (!current) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        const updated = {
          ...data,
          id: resource.id,
          meta: { created: current.meta.created, lastModified: now },
        };
        users.set(resource.id, updated);
        return updated;
      }
      const id = String(next++);
      const created = { ...data, id, meta: { created: now, lastModified: now } };
      users.set(id, created);
      return created;
    })
    .egress((resource) => {
      if (resource.id) {
        const user = users.get(resource.id);
        if (!user) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        return user;
      }
      const all = [...users.values()];
      return resource.filter ? resource.filter.match(all) : all;
    })
    .degress((resource) => {
      if (!users.delete(resource.id))
        throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
    });
  let targetId;
  for (let i = 0; i < USERS; i++) {
    const created = await new SCIMMY.Resources.User().write(userBody(i));
    if (created.userName === TARGET) targetId = created.id;
  }
  const app = express();
  app.use(
    BASE,
    new SCIMMYRouters({
      type: "bearer",
      handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${TOKEN}`)
          throw new Error("Authorization not detected!");
        return "bench";
      },
    }),
  );
  return { server: createServer(app), targetId };
}

/** The ceiling: node:http, a Map, JSON.parse/stringify and the few lines each route needs. */
async function bareServer() {
  const users = new Map();
  const byUserName = new Map();
  let targetId;
  const now = new Date().toISOString();
  for (let i = 0; i < USERS; i++) {
    const id = crypto.randomUUID();
    const user = {
      ...userBody(i),
      id,
      meta: {
        resourceType: "User",
        created: now,
        lastModified: now,
        location: `${BASE}/Users/${id}`,
        version: 'W/"1"',
      },
    };
    users.set(id, user);
    byUserName.set(user.userName.toLowerCase(), user);
    if (user.userName === TARGET) targetId = id;
  }
  const send = (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/scim+json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };
  const FILTER = /^userName eq "(.*)"$/i;
  const server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, { detail: "unauthorized" });
    const url = new URL(req.url, "http://127.0.0.1");
    const rest = url.pathname.slice(`${BASE}/Users`.length);
    if (req.method === "GET" && rest === "") {
      const match = FILTER.exec(url.searchParams.get("filter") ?? "");
      const user = match && byUserName.get(match[1].toLowerCase());
      const found = user ? [user] : [];
      return send(res, 200, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: found.length,
        itemsPerPage: found.length,
        startIndex: 1,
        Resources: found,
      });
    }
    const user = users.get(rest.slice(1));
    if (!user) return send(res, 404, { detail: "not found" });
    if (req.method === "GET") return send(res, 200, user);
    if (req.method !== "PATCH") return send(res, 405, { detail: "method not allowed" });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      for (const op of JSON.parse(body).Operations) if (op.path === "active") user.active = op.value;
      user.meta.version = `W/"${Number(user.meta.version.slice(3, -1)) + 1}"`;
      user.meta.lastModified = new Date().toISOString();
      send(res, 200, user);
    });
  });
  return { server, targetId };
}

const SERVERS = { scimkit: scimkitServer, "scimmy-routers": scimmyServer, "node:http": bareServer };

// ============================================================================ child: serve one server
if (process.argv[2] === "--serve") {
  const { server, targetId } = await SERVERS[process.argv[3]]();
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  process.send({ port: server.address().port, targetId });
  process.on("message", (message) => {
    if (message === "stop") server.close(() => process.exit(0));
  });
} else {
  await main();
}

// ========================================================================================= the parent
async function main() {
  const { default: autocannon } = await import("autocannon");
  const DURATION = Number(process.env.BENCH_DURATION_S ?? 5);
  const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" };
  const patch = (active) =>
    JSON.stringify({
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: "replace", path: "active", value: active }],
    });
  const filterPath = `${BASE}/Users?filter=${encodeURIComponent(`userName eq "${TARGET}"`)}`;
  const workloads = {
    "GET /Users/{id}": (id) => [{ method: "GET", path: `${BASE}/Users/${id}` }],
    [`GET /Users?filter=userName eq "${TARGET}"`]: () => [{ method: "GET", path: filterPath }],
    // Alternating values, so no server can skip an unchanged write.
    "PATCH /Users/{id} (replace active)": (id) => [
      { method: "PATCH", path: `${BASE}/Users/${id}`, body: patch(false) },
      { method: "PATCH", path: `${BASE}/Users/${id}`, body: patch(true) },
    ],
  };

  /** Checks status and body of every workload's requests before timing. */
  async function check(name, port, id) {
    const call = async (request) => {
      const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
        method: request.method,
        headers,
        body: request.body,
      });
      return { status: response.status, body: await response.json() };
    };
    const got = await call(workloads["GET /Users/{id}"](id)[0]);
    if (got.status !== 200 || got.body.id !== id || got.body.userName !== TARGET)
      throw new Error(`${name}: GET by id answered ${got.status} ${JSON.stringify(got.body)}`);
    const list = await call({ method: "GET", path: filterPath });
    if (list.status !== 200 || list.body.totalResults !== 1 || list.body.Resources?.[0]?.userName !== TARGET)
      throw new Error(`${name}: filtered list answered ${list.status} ${JSON.stringify(list.body)}`);
    for (const active of [false, true]) {
      const patched = await call({ method: "PATCH", path: `${BASE}/Users/${id}`, body: patch(active) });
      if (patched.status !== 200 || patched.body.active !== active || patched.body.userName !== TARGET)
        throw new Error(`${name}: PATCH answered ${patched.status} ${JSON.stringify(patched.body)}`);
    }
    const after = await call(workloads["GET /Users/{id}"](id)[0]);
    if (after.body.active !== true) throw new Error(`${name}: PATCH did not persist`);
  }

  const results = {};
  for (const name of Object.keys(SERVERS)) {
    const child = fork(fileURLToPath(import.meta.url), ["--serve", name], { stdio: "inherit" });
    const [{ port, targetId }] = await once(child, "message");
    await check(name, port, targetId);
    results[name] = {};
    for (const [workload, requests] of Object.entries(workloads)) {
      const run = (duration) =>
        autocannon({
          url: `http://127.0.0.1:${port}`,
          connections: CONNECTIONS,
          duration,
          headers,
          requests: requests(targetId),
        });
      await run(1); // warm-up: JIT and connection set-up
      const result = await run(DURATION);
      if (result.errors || result.non2xx || result.timeouts)
        throw new Error(
          `${name} ${workload}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
        );
      results[name][workload] = result;
      console.error(
        `${name} · ${workload}: ${fmt(result.requests.average)} req/s, p99 ${result.latency.p99} ms`,
      );
    }
    child.send("stop");
    await once(child, "exit");
  }

  const cpus = os.cpus();
  const machine = `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${new Date().toISOString().slice(0, 10)}`;
  console.log(
    `#### Requests/second, ${fmt(USERS)} users in memory (autocannon, ${CONNECTIONS} connections, ${DURATION} s per workload per server)\n`,
  );
  console.log(
    "| workload | scimkit | scimmy-routers | node:http (ceiling) | scimkit ÷ scimmy-routers (target ≥ 2×) | scimkit ÷ ceiling |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const workload of Object.keys(workloads)) {
    const [ours, theirs, ceiling] = Object.keys(SERVERS).map((n) => results[n][workload].requests.average);
    const vs = ours / theirs;
    console.log(
      `| \`${workload}\` | ${fmt(ours)} | ${fmt(theirs)} | ${fmt(ceiling)} | ${vs >= 2 ? `**${ratio(ours, theirs)}**` : ratio(ours, theirs)} | ${ratio(ours, ceiling)} |`,
    );
  }
  console.log(
    "\n| workload | scimkit p99 ms | scimmy-routers p99 ms | node:http p99 ms |\n| --- | ---: | ---: | ---: |",
  );
  for (const workload of Object.keys(workloads))
    console.log(
      `| \`${workload}\` | ${Object.keys(SERVERS)
        .map((n) => results[n][workload].latency.p99)
        .join(" | ")} |`,
    );
  console.log(
    `\nMachine: ${machine}; autocannon ${versionOf("autocannon")} in the parent process, each server in its own child process on 127.0.0.1; scimmy-routers ${versionOf("scimmy-routers")} (SCIMMY ${versionOf("scimmy")}, Express ${versionOf("express")}).\n`,
  );

  if (process.env.DATABASE_URL) await postgresDepth(machine);
  else console.error("DATABASE_URL not set: skipping the PostgreSQL pagination depth benchmark (b).");
}

function versionOf(name) {
  return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8"))
    .version;
}

// ====================================================================== (b) cursor depth on PostgreSQL
/** memory-store.ts `encodeCursor(key, id)`: base64url of JSON [key, id] (RFC 9865 cursors are opaque). */
function encodeCursor(key, id) {
  return Buffer.from(JSON.stringify([key ?? null, id]), "utf8").toString("base64url");
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function postgresDepth(machine) {
  const { PostgresStore } = await import("@scimkit/server/postgres");
  const { SchemaRegistry, coreBundle } = await import("@scimkit/core");
  const { default: pg } = await import("pg");
  const N = Number(process.env.BENCH_PG_USERS ?? 1_000_000);
  const CALLS = Number(process.env.BENCH_PG_CALLS ?? 20);
  const PAGE = 100;
  const prefix = "scimbench_";
  const tenant = "bench";
  const databaseUrl = process.env.DATABASE_URL;
  const store = await PostgresStore.open({ databaseUrl, tablePrefix: prefix, maxConnections: 4 });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const scope = { tenant, resourceType: "User", registry: new SchemaRegistry(coreBundle()) };
  const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
  try {
    await pool.query(`DELETE FROM ${prefix}unique WHERE tenant = $1`, [tenant]);
    await pool.query(`DELETE FROM ${prefix}resources WHERE tenant = $1`, [tenant]);
    // Rows as PostgresStore#create writes them: data without id/meta, version 1, created = last_modified
    // (one millisecond apart, so the default order — created, id — is total), plus the userName claim.
    const started = performance.now();
    await pool.query(
      `INSERT INTO ${prefix}resources (tenant, resource_type, id, data, version, created, last_modified)
       SELECT $1, 'User', u.id, jsonb_build_object(
           'schemas', jsonb_build_array('${USER_SCHEMA}'),
           'userName', 'user' || i || '@example.com', 'externalId', 'ext-' || i, 'displayName', 'User ' || i,
           'name', jsonb_build_object('givenName', 'Given' || i, 'familyName', 'Family' || i),
           'emails', jsonb_build_array(jsonb_build_object('value', 'user' || i || '@example.com', 'type', 'work', 'primary', true)),
           'active', true),
         1, u.t, u.t
       FROM generate_series(0, $2::int - 1) AS i,
         LATERAL (SELECT md5('bench' || i)::uuid::text AS id, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 millisecond' AS t) AS u`,
      [tenant, N],
    );
    await pool.query(
      `INSERT INTO ${prefix}unique (tenant, scope, path, value, resource_type, id)
       SELECT tenant, 'User', 'username', lower(data ->> 'userName'), 'User', id FROM ${prefix}resources WHERE tenant = $1`,
      [tenant],
    );
    await pool.query(`VACUUM ANALYZE ${prefix}resources`);
    await pool.query(`VACUUM ANALYZE ${prefix}unique`);
    const loadSeconds = (performance.now() - started) / 1000;
    console.error(`loaded ${fmt(N)} users in ${loadSeconds.toFixed(1)} s`);

    // The deep page's cursor, built from the last row of the page before it (read in SQL).
    const deepPage = Math.floor((N - 1) / PAGE); // 0-based: the last page (10,000th at 1M users)
    const cursorRow = async (n) =>
      (
        await pool.query(
          `SELECT id, to_char(created AT TIME ZONE 'UTC', ${ISO}) AS k FROM ${prefix}resources
           WHERE tenant = $1 AND resource_type = 'User' ORDER BY created, id OFFSET $2 LIMIT 1`,
          [tenant, n - 1],
        )
      ).rows[0];
    const first = await store.query(scope, { count: PAGE, cursor: "" });
    const row100 = await cursorRow(PAGE);
    if (
      first.resources.length !== PAGE ||
      first.totalResults !== N ||
      first.nextCursor !== encodeCursor(row100.k, row100.id)
    )
      throw new Error("the first page or its cursor is not what the store should answer");
    const second = await store.query(scope, { count: PAGE, cursor: first.nextCursor });
    if (second.resources[0]?.data.userName !== `user${PAGE}@example.com`)
      throw new Error("the second page is wrong");
    const deepRow = await cursorRow(deepPage * PAGE);
    const deepCursor = encodeCursor(deepRow.k, deepRow.id);
    const deep = await store.query(scope, { count: PAGE, cursor: deepCursor });
    if (
      deep.resources[0]?.data.userName !== `user${deepPage * PAGE}@example.com` ||
      deep.nextCursor !== undefined
    )
      throw new Error("the deep page is wrong");

    // The page queries alone, as PostgresStore#query sends them (default sort: created, then id), and the
    // COUNT(*) it runs beside them for totalResults.
    const columns = `r.id, r.data::text AS data, r.version, to_char(r.created AT TIME ZONE 'UTC', ${ISO}) AS created, to_char(r.last_modified AT TIME ZONE 'UTC', ${ISO}) AS last_modified, r.created AS k, to_char(r.created AT TIME ZONE 'UTC', ${ISO}) AS k_text`;
    const from = `FROM ${prefix}resources r WHERE r.tenant = $1 AND r.resource_type = $2`;
    const order = "ORDER BY r.created ASC NULLS LAST, r.id ASC";
    const sql = {
      first: [`SELECT ${columns} ${from} ${order} LIMIT $3`, [tenant, "User", PAGE + 1]],
      deep: [
        `SELECT * FROM ((SELECT ${columns}, 0 AS part ${from} AND (r.created, r.id) > ($3::timestamptz, $4) ${order} LIMIT $5)
          UNION ALL (SELECT ${columns}, 1 AS part ${from} AND r.created IS NULL ORDER BY r.id LIMIT $5)) AS page
          ORDER BY page.part, page.k ASC, page.id ASC LIMIT $5`,
        [tenant, "User", deepRow.k, deepRow.id, PAGE + 1],
      ],
      count: [`SELECT count(*)::int AS n ${from}`, [tenant, "User"]],
    };
    const time = async (fn) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const samples = { first: [], deep: [], sqlFirst: [], sqlDeep: [], count: [] };
    for (let i = 0; i < 3; i++) {
      await store.query(scope, { count: PAGE, cursor: "" });
      await store.query(scope, { count: PAGE, cursor: deepCursor });
    }
    for (let i = 0; i < CALLS; i++) {
      // Interleaved, so a noisy moment hits both pages.
      samples.first.push(await time(() => store.query(scope, { count: PAGE, cursor: "" })));
      samples.deep.push(await time(() => store.query(scope, { count: PAGE, cursor: deepCursor })));
      samples.sqlFirst.push(await time(() => pool.query(...sql.first)));
      samples.sqlDeep.push(await time(() => pool.query(...sql.deep)));
      samples.count.push(await time(() => pool.query(...sql.count)));
    }
    const explain = async ([text, values]) => {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
      return rows[0]["QUERY PLAN"][0]["Execution Time"];
    };
    const execution = { first: [], deep: [], count: [] };
    for (let i = 0; i < 5; i++)
      for (const k of Object.keys(execution)) execution[k].push(await explain(sql[k]));
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    const e = Object.fromEntries(Object.entries(execution).map(([k, v]) => [k, median(v)]));
    const ms = (x) => `${x.toFixed(2)} ms`;
    const deepLabel = `page ${fmt(deepPage + 1)} (after ${fmt(deepPage * PAGE)} rows)`;
    const ok = (a, b) => (a / b <= 1.5 ? `**${ratio(a, b)}**` : ratio(a, b));
    console.log(
      `#### Cursor pages of ${PAGE} on PostgreSQL, ${fmt(N)} users (tenant "bench"), median of ${CALLS} calls\n`,
    );
    console.log(`| measured | first page | ${deepLabel} | deep ÷ first (target ≤ 1.5×) |`);
    console.log("| --- | ---: | ---: | ---: |");
    console.log(
      `| \`store.query(scope, { count: ${PAGE}, cursor })\` (page + COUNT(*) in parallel) | ${ms(m.first)} | ${ms(m.deep)} | ${ok(m.deep, m.first)} |`,
    );
    console.log(
      `| the page query alone, round trip through \`pg\` | ${ms(m.sqlFirst)} | ${ms(m.sqlDeep)} | ${ok(m.sqlDeep, m.sqlFirst)} |`,
    );
    console.log(
      `| the page query alone, EXPLAIN ANALYZE execution time (median of 5) | ${ms(e.first)} | ${ms(e.deep)} | ${ok(e.deep, e.first)} |`,
    );
    console.log(
      `| \`SELECT count(*)\` for totalResults alone: round trip / execution | ${ms(m.count)} / ${ms(e.count)} | (same) | |`,
    );
    console.log(
      `\nMachine: ${machine}; PostgreSQL ${(await pool.query("SHOW server_version")).rows[0].server_version} on 127.0.0.1 (pg ${versionOf("pg")}); ${fmt(N)} users loaded in SQL in ${loadSeconds.toFixed(0)} s.\n`,
    );
  } finally {
    if (process.env.BENCH_PG_KEEP !== "1") {
      await pool.query(`DROP TABLE IF EXISTS ${prefix}resources, ${prefix}unique`);
      for (const fn of ["ms(bigint)", "instant(text)", "present(jsonb)", "get(jsonb, text)"])
        await pool.query(`DROP FUNCTION IF EXISTS ${prefix}${fn}`);
    }
    await pool.end();
    await store.close();
  }
}
