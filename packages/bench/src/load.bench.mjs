// Load benchmark (issue 10, "Under load"), against the BUILT packages (`npx -y pnpm@10 turbo run build`).
//   node src/load.bench.mjs            (= npx -y pnpm@10 --filter @scimkit/bench bench:load)
//
// The reference handler (createScimHandler + toNodeListener on node:http) runs in a child process
// (src/load-server.mjs) on each store in turn; this process drives it over node:http keep-alive sockets with
// a mixed workload, one closed loop per connection (all connections open at once), each request drawn at
// random: POST /Users 1/7, GET /Users/{id} 2/7 (half a user the connection created, half a seeded one),
// GET /Users?filter=userName eq "<seeded>" 2/7, PATCH /Users/{id} (replace active) 1/7 on a user the
// connection created, DELETE /Users/{id} 1/7 of a user the connection created (a POST when it has none).
// autocannon would end a run by dropping the requests still out, the very ones a starved server leaves
// waiting; here they are awaited and counted. For each connection count it
// records req/s, p50/p99/max latency (every request sent, also those answered after the run's end), the
// slowest first request of a connection (the opening burst), errors and requests with no answer within the
// timeout, non-2xx and 5xx responses, the server's peak RSS, the server-side handler time (what the
// reference server logs) and the server's event-loop delay, and the kernel's ListenOverflows counter.
//
// Environment:
//   BENCH_LOAD_STORES       default "memory,pglite" + ",postgres" when DATABASE_URL is set; "pglite-direct"
//                           adds the PGlite adapter as it was before the issue 10 fix
//   BENCH_LOAD_CONNECTIONS  default "1,16,64,256"
//   BENCH_LOAD_DURATION_S   seconds per connection count, default 10
//   BENCH_LOAD_TIMEOUT_S    a request with no answer after this long counts as a timeout (error), default 60
//   BENCH_LOAD_USERS, BENCH_LOAD_GROUPS, BENCH_LOAD_GROUP_SIZE: the seeded data (see src/load-server.mjs)
import { fork } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { fmt } from "./harness.mjs";
import { BASE, TOKEN, USER_SCHEMA } from "./load-server.mjs";

const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const STORES = (
  process.env.BENCH_LOAD_STORES ?? `memory,pglite${process.env.DATABASE_URL ? ",postgres" : ""}`
).split(",");
const CONNECTIONS = (process.env.BENCH_LOAD_CONNECTIONS ?? "1,16,64,256").split(",").map(Number);
const DURATION = Number(process.env.BENCH_LOAD_DURATION_S ?? 10);
const TIMEOUT = Number(process.env.BENCH_LOAD_TIMEOUT_S ?? 60);
const SERVER = fileURLToPath(new URL("./load-server.mjs", import.meta.url));
const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" };

/** ListenOverflows from /proc/net/netstat: connections the kernel dropped because the accept queue was full. */
function listenOverflows() {
  try {
    const lines = readFileSync("/proc/net/netstat", "utf8").split("\n");
    const i = lines.findIndex((l) => l.startsWith("TcpExt:"));
    const names = lines[i].split(" ");
    const values = lines[i + 1].split(" ");
    return Number(values[names.indexOf("ListenOverflows")]);
  } catch {
    return Number.NaN;
  }
}

/**
 * One closed loop per connection, each drawing requests of the mix until the deadline: a new request
 * goes out when the previous answer is in. Requests still out at the deadline are waited for (up to the
 * timeout) and counted, so a request the server leaves waiting is in the percentiles, not dropped.
 */
async function load(port, ids, connections, durationS) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const firsts = [];
  const statuses = new Map();
  let errors = 0;
  let timeouts = 0;
  let completedInWindow = 0;
  const started = performance.now();
  const deadline = started + durationS * 1000;
  const send = (method, path, body) =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request({
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) },
      });
      const timer = setTimeout(() => {
        timeouts++;
        req.destroy(new Error("no answer within the timeout"));
      }, TIMEOUT * 1000);
      req.on("response", (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          const t1 = performance.now();
          latencies.push(t1 - t0);
          if (t1 <= deadline) completedInWindow++;
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8"), ms: t1 - t0 });
        });
      });
      req.on("error", () => {
        clearTimeout(timer);
        errors++;
        resolve({ status: 0, text: "", ms: performance.now() - t0 });
      });
      req.end(body);
    });
  const seeded = () => ids[Math.floor(Math.random() * ids.length)];
  const filterPath = () =>
    `${BASE}/Users?filter=${encodeURIComponent(`userName eq "user${Math.floor(Math.random() * ids.length)}@example.com"`)}`;
  const patch = JSON.stringify({
    schemas: [PATCH_SCHEMA],
    Operations: [{ op: "replace", path: "active", value: false }],
  });
  const connection = async (c) => {
    const own = []; // users this connection created and has not deleted yet
    let first = true;
    let created = 0;
    const step = async (method, path, body) => {
      const answer = await send(method, path, body);
      if (first) firsts.push(answer.ms);
      first = false;
      return answer;
    };
    const create = async () => {
      const userName = `load-${process.pid}-${runs}-${c}-${created++}@example.com`;
      const answer = await step(
        "POST",
        `${BASE}/Users`,
        JSON.stringify({
          schemas: [USER_SCHEMA],
          userName,
          displayName: "Load",
          emails: [{ value: userName, type: "work" }],
          active: true,
        }),
      );
      if (answer.status === 201) own.push(JSON.parse(answer.text).id);
    };
    const mine = () => own[Math.floor(Math.random() * own.length)] ?? seeded();
    while (performance.now() < deadline) {
      // create 1, get 2, filter 2, PATCH 1, delete 1 (a delete with no user of its own creates one)
      const pick = Math.floor(Math.random() * 7);
      if (pick === 0) await create();
      else if (pick <= 2) await step("GET", `${BASE}/Users/${pick === 1 ? mine() : seeded()}`);
      else if (pick <= 4) await step("GET", filterPath());
      else if (pick === 5) await step("PATCH", `${BASE}/Users/${mine()}`, patch);
      else if (own.length === 0) await create();
      else await step("DELETE", `${BASE}/Users/${own.pop()}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, c) => connection(c)));
  agent.destroy();
  runs++;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0;
  const count = (test) => [...statuses].reduce((n, [status, k]) => n + (test(status) ? k : 0), 0);
  return {
    rps: completedInWindow / durationS,
    total: latencies.length,
    p50: pct(50),
    p99: pct(99),
    max: latencies[latencies.length - 1] ?? 0,
    over2s: latencies.filter((ms) => ms > 2000).length,
    firstMax: Math.max(0, ...firsts),
    errors,
    timeouts,
    non2xx: count((s) => s < 200 || s > 299),
    s5xx: count((s) => s >= 500),
    codes: [...statuses.keys()].sort().join("/"),
  };
}

/** One pass of the sequence through fetch, checking every answer, before anything is timed. */
async function check(store, port, ids) {
  const url = (path) => `http://127.0.0.1:${port}${path}`;
  const send = async (method, path, body) => {
    const response = await fetch(url(path), { method, headers, ...(body && { body }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const created = await send(
    "POST",
    `${BASE}/Users`,
    JSON.stringify({ schemas: [USER_SCHEMA], userName: "check@example.com", active: true }),
  );
  const id = created.body?.id;
  const list = await send(
    "GET",
    `${BASE}/Users?filter=${encodeURIComponent('userName eq "user0@example.com"')}`,
  );
  const got = await send("GET", `${BASE}/Users/${ids[0]}`);
  const patched = await send(
    "PATCH",
    `${BASE}/Users/${id}`,
    JSON.stringify({
      schemas: [PATCH_SCHEMA],
      Operations: [{ op: "replace", path: "active", value: false }],
    }),
  );
  const deleted = await send("DELETE", `${BASE}/Users/${id}`);
  const gone = await send("GET", `${BASE}/Users/${id}`);
  const ok =
    created.status === 201 &&
    list.status === 200 &&
    list.body.totalResults === 1 &&
    got.status === 200 &&
    got.body.userName === "user0@example.com" &&
    Array.isArray(got.body.groups) &&
    patched.status === 200 &&
    patched.body.active === false &&
    deleted.status === 204 &&
    gone.status === 404;
  if (!ok)
    throw new Error(
      `${store}: the check failed: ${JSON.stringify({ created, list, got, patched, deleted, gone }).slice(0, 2000)}`,
    );
}

function ask(child, message, key) {
  return new Promise((resolve) => {
    const on = (reply) => {
      if (key in reply) {
        child.off("message", on);
        resolve(reply);
      }
    };
    child.on("message", on);
    child.send(message);
  });
}

/** Waits until the server has answered (or dropped) every request of the last run. */
async function drained(child) {
  const deadline = Date.now() + (TIMEOUT + 30) * 1000;
  for (;;) {
    const stats = await ask(child, "stats", "inflight");
    if (stats.inflight === 0 || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let runs = 0;

async function main() {
  const rows = [];
  for (const store of STORES) {
    const child = fork(SERVER, [store], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const [ready] = await once(child, "message");
    const { port, ids, seedMs } = ready;
    console.error(`${store}: seeded ${ids.length} users in ${fmt(seedMs)} ms; port ${port}`);
    await check(store, port, ids);
    await load(port, ids, 16, 2); // JIT and caches
    await drained(child);
    for (const connections of CONNECTIONS) {
      await ask(child, "reset", "reset");
      const overflowsBefore = listenOverflows();
      const result = await load(port, ids, connections, DURATION);
      const server = await drained(child);
      const row = {
        store,
        connections,
        ...result,
        rss: server.peakRssMiB,
        handlerP99: server.handler.p99,
        handlerMax: server.handler.max,
        loopMax: server.loop.max,
        overflows: listenOverflows() - overflowsBefore,
      };
      rows.push(row);
      console.error(
        `${store} · ${connections} conn: ${fmt(row.rps)} req/s, p50 ${fmt(row.p50)} ms, p99 ${fmt(row.p99)} ms, max ${fmt(row.max)} ms ` +
          `(first request of a connection: max ${fmt(row.firstMax)} ms), ${row.errors} errors (${row.timeouts} timeouts), ` +
          `${row.non2xx} non-2xx, ${row.s5xx} 5xx [${row.codes}], RSS ${fmt(row.rss)} MiB, handler p99 ${fmt(row.handlerP99)} ms, ` +
          `loop delay max ${fmt(row.loopMax)} ms, listen overflows ${row.overflows}`,
      );
    }
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.send("stop");
    });
  }

  console.log(
    `#### Mixed workload (create/get/filter/PATCH/delete = 1/2/2/1/1, at random), ${DURATION} s per row, answers awaited up to ${TIMEOUT} s\n`,
  );
  console.log(
    "| store | connections | req/s | p50 ms | p99 ms | max ms | > 2 s | first request's max ms | errors (no answer in time) | non-2xx | 5xx | server peak RSS MiB | handler p99 / max ms | event-loop delay max ms | listen overflows |",
  );
  console.log(
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const r of rows)
    console.log(
      `| ${r.store} | ${r.connections} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(r.over2s)} | ${fmt(r.firstMax)} | ${r.errors} (${r.timeouts}) | ${r.non2xx} | ${r.s5xx} | ${fmt(r.rss)} | ${fmt(r.handlerP99)} / ${fmt(r.handlerMax)} | ${fmt(r.loopMax)} | ${r.overflows} |`,
    );
  const cpus = os.cpus();
  console.log(
    `\nMachine: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${new Date().toISOString().slice(0, 10)}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " ",
      )}; the load generator (node:http, keep-alive, one socket per connection) in the parent process, the server in a child process on 127.0.0.1; PGlite ${versionOf("@electric-sql/pglite", "../server")}.\n`,
  );
}

function versionOf(name, from = ".") {
  try {
    return JSON.parse(
      readFileSync(new URL(`../${from}/node_modules/${name}/package.json`, import.meta.url), "utf8"),
    ).version;
  } catch {
    return "?";
  }
}

await main();
