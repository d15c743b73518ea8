// A page of Users whose groups are large (issue 10, "Under load", second bullet), against the BUILT packages.
//   node src/groups.bench.mjs          (= npx -y pnpm@10 --filter @scimkit/bench bench:groups)
//
// BENCH_GROUPS_USERS users (default 10,000) and BENCH_GROUPS_GROUPS groups (default 3) that each have the
// first BENCH_GROUPS_MEMBERS of them (default 10,000) as members, then GET /Users?count=1000 (the first
// 1,000 users, each in every group, so each renders `groups` with that many entries), timed over HTTP.
// Target: ≤ 1 s on PGlite. The reference handler runs in a child process (this script forked with
// `--serve <store>`), the timing client in this process; median of BENCH_GROUPS_CALLS calls (default 3;
// one when a call takes longer than 30 s). Smaller pages (count=10 and 100) show the cost per user.
//
// Building the data is fast: the users go into the store's tables in one INSERT … SELECT each (rows as
// PostgresStore#create writes them, checked through the API before timing: a userName filter finds a user
// and a duplicate userName is a 409), the groups through the API (POST /Groups with 10,000 members), so
// whatever the store keeps for memberships is written the way the handler writes it.
//
// Stores: BENCH_GROUPS_STORES, default "pglite" (+ ",postgres" when DATABASE_URL is set, own table prefix
// scimgroups_, dropped before and after). BENCH_GROUPS_TIMEOUT_S (default 300) bounds one call.
import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt } from "./harness.mjs";
import { BASE, call, dropPrefixed, GROUP_SCHEMA, importPGlite, TOKEN, USER_SCHEMA } from "./load-server.mjs";

const USERS = Number(process.env.BENCH_GROUPS_USERS ?? 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS_GROUPS ?? 3);
const MEMBERS = Math.min(USERS, Number(process.env.BENCH_GROUPS_MEMBERS ?? 10_000));
const PAGE = 1000;
const CALLS = Number(process.env.BENCH_GROUPS_CALLS ?? 3);
const TIMEOUT = Number(process.env.BENCH_GROUPS_TIMEOUT_S ?? 300);
const PREFIX = "scimgroups_";
const TENANT = "default"; // the tenant of a plain token list

// ================================================================================ child: serve one store
async function serve(kind) {
  const { createScimHandler } = await import("@scimkit/server");
  const { toNodeListener } = await import("@scimkit/server/node");
  const { PostgresStore, fromPGlite, fromPgPool } = await import("@scimkit/server/postgres");
  let client;
  let cleanup = async () => {};
  let prefix = "scim_";
  if (kind === "pglite") {
    const { PGlite } = await importPGlite();
    const dataDir = mkdtempSync(join(tmpdir(), "scimkit-groups-"));
    const db = new PGlite(dataDir);
    await db.waitReady;
    client = fromPGlite(db);
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  } else if (kind === "postgres") {
    const databaseUrl = process.env.DATABASE_URL;
    const { default: pg } = await import("pg");
    await dropPrefixed(databaseUrl, PREFIX);
    client = fromPgPool(new pg.Pool({ connectionString: databaseUrl, max: 10 }));
    prefix = PREFIX;
    cleanup = () => dropPrefixed(databaseUrl, PREFIX);
  } else throw new Error(`unknown store ${kind}`);
  const store = new PostgresStore(client, { tablePrefix: prefix });
  await store.migrate();
  const handle = createScimHandler({ store, auth: { tokens: [TOKEN] }, basePath: BASE });

  const started = performance.now();
  // Users as PostgresStore#create writes them: data without id/meta, version 1, created = last_modified
  // (a millisecond apart, so the default order is user0, user1, …), plus the userName claim.
  await client.query(
    `INSERT INTO ${prefix}resources (tenant, resource_type, id, data, version, created, last_modified)
     SELECT $1, 'User', md5('groups-bench' || i)::uuid::text, jsonb_build_object(
         'schemas', jsonb_build_array('${USER_SCHEMA}'),
         'userName', 'user' || i || '@example.com', 'displayName', 'User ' || i,
         'name', jsonb_build_object('givenName', 'Given' || i, 'familyName', 'Family' || i),
         'emails', jsonb_build_array(jsonb_build_object('value', 'user' || i || '@example.com', 'type', 'work', 'primary', true)),
         'active', true),
       1, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 millisecond',
       timestamptz '2026-01-01T00:00:00Z' + i * interval '1 millisecond'
     FROM generate_series(0, $2::int - 1) AS i`,
    [TENANT, USERS],
  );
  await client.query(
    `INSERT INTO ${prefix}unique (tenant, scope, path, value, resource_type, id)
     SELECT tenant, 'User', 'username', lower(data ->> 'userName'), 'User', id FROM ${prefix}resources
     WHERE tenant = $1 AND resource_type = 'User'`,
    [TENANT],
  );
  const usersMs = performance.now() - started;
  const ids = (
    await client.query(
      `SELECT id FROM ${prefix}resources WHERE tenant = $1 AND resource_type = 'User' ORDER BY created, id LIMIT $2`,
      [TENANT, MEMBERS],
    )
  ).rows.map((r) => r.id);
  // The rows must read back through the API as the store's own.
  const found = await call(
    handle,
    "GET",
    `/Users?filter=${encodeURIComponent('userName eq "USER7@example.com"')}&excludedAttributes=groups`,
  );
  const duplicate = await call(handle, "POST", "/Users", {
    schemas: [USER_SCHEMA],
    userName: "user7@example.com",
  });
  if (found.status !== 200 || found.body.totalResults !== 1 || duplicate.status !== 409)
    throw new Error(
      `${kind}: the SQL-built users do not read back as the store's own (filter ${found.status} ${found.body?.totalResults}, duplicate ${duplicate.status})`,
    );

  const groupsStarted = performance.now();
  const groupIds = [];
  for (let g = 0; g < GROUPS; g++) {
    const created = await call(handle, "POST", "/Groups", {
      schemas: [GROUP_SCHEMA],
      displayName: `Group ${g}`,
      members: ids.map((value) => ({ value })),
    });
    if (created.status !== 201)
      throw new Error(`${kind}: POST /Groups answered ${created.status} ${JSON.stringify(created.body)}`);
    groupIds.push(created.body.id);
  }
  const groupsMs = performance.now() - groupsStarted;

  const server = createServer(toNodeListener(handle));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  process.send({ port: server.address().port, groupIds, usersMs, groupsMs });
  process.on("message", async (message) => {
    if (message !== "stop") return;
    server.closeAllConnections();
    server.close();
    await store.close();
    await cleanup();
    process.exit(0);
  });
}

// ========================================================================================= the parent
async function timed(port, count, groupIds) {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}${BASE}/Users?count=${count}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    signal: AbortSignal.timeout(TIMEOUT * 1000),
  });
  const body = await response.json();
  const ms = performance.now() - started;
  const want = [...groupIds].sort().join();
  const wrong = (body.Resources ?? []).filter(
    (u) =>
      (u.groups ?? [])
        .map((g) => g.value)
        .sort()
        .join() !== want,
  ).length;
  if (response.status !== 200 || body.Resources?.length !== count || wrong > 0)
    throw new Error(
      `GET /Users?count=${count} answered ${response.status} with ${body.Resources?.length} users, ${wrong} with the wrong groups`,
    );
  return ms;
}

async function main() {
  const stores = (
    process.env.BENCH_GROUPS_STORES ?? `pglite${process.env.DATABASE_URL ? ",postgres" : ""}`
  ).split(",");
  const rows = [];
  for (const store of stores) {
    const child = fork(fileURLToPath(import.meta.url), ["--serve", store], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const [{ port, groupIds, usersMs, groupsMs }] = await once(child, "message");
    console.error(
      `${store}: ${fmt(USERS)} users in ${fmt(usersMs)} ms (SQL), ${GROUPS} groups of ${fmt(MEMBERS)} members in ${fmt(groupsMs)} ms (POST /Groups)`,
    );
    const row = { store, usersMs, groupsMs, pages: {} };
    for (const count of [10, 100, PAGE]) {
      const times = [];
      for (let i = 0; i < CALLS; i++) {
        const ms = await timed(port, count, groupIds);
        times.push(ms);
        console.error(`${store} · GET /Users?count=${count}: ${fmt(ms)} ms`);
        if (ms > 30_000) break;
      }
      times.sort((a, b) => a - b);
      row.pages[count] = { median: times[Math.floor(times.length / 2)], calls: times.length, times };
    }
    rows.push(row);
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.send("stop");
    });
  }
  console.log(
    `#### GET /Users?count=N, users in ${GROUPS} groups of ${fmt(MEMBERS)} members (${fmt(USERS)} users in all)\n`,
  );
  console.log(
    `| store | count=10 ms | count=100 ms | count=${fmt(PAGE)} ms (target ≤ 1,000 ms) | per user (count=${fmt(PAGE)}) | calls | building: users (SQL) / groups (POST) |`,
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    const page = r.pages[PAGE];
    console.log(
      `| ${r.store} | ${fmt(r.pages[10].median)} | ${fmt(r.pages[100].median)} | ${page.median <= 1000 ? `**${fmt(page.median)}**` : fmt(page.median)} | ${(page.median / PAGE).toFixed(1)} ms | ${page.calls} | ${fmt(r.usersMs)} ms / ${fmt(r.groupsMs)} ms |`,
    );
  }
  const cpus = os.cpus();
  console.log(
    `\nMachine: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${new Date().toISOString().slice(0, 10)}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; median of up to ${CALLS} calls (fetch in this process, the server in a child process).\n`,
  );
}

if (process.argv[2] === "--serve") await serve(process.argv[3]);
else await main();
