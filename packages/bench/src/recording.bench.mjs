// Recording benchmark (issue 14: "recording costs ≤ 5% of request latency"), against the BUILT packages
// (`npx -y pnpm@10 turbo run build --filter=@scimkit/server...` at the root).
//   node src/recording.bench.mjs      (= npx -y pnpm@10 --filter @scimkit/bench bench:recording)
//
// Two reference handlers (createScimHandler + toNodeListener on node:http), identical but for
// `recording`: off (`recording: false`) and on (the defaults: every request recorded, failed requests'
// bodies kept), each in a child process of its own (this script forked with `--serve <store> <mode>`) with
// a store of its own, seeded with the same users. This process drives them over keep-alive sockets in
// alternating rounds (off, on, off, on, …) so a noisy moment of a shared machine hits both alike. Each
// connection runs a closed loop of a provisioning mix: GET /Users/{id}, GET /Users?filter=userName eq
// "…", PATCH /Users/{id} (replace displayName) and a GET with a broken filter (400 invalidFilter, whose
// record keeps both bodies). Reported per store and connection count: the server process's CPU time per
// request (process.cpuUsage around each round, including the batch writes after it: the figure least
// disturbed by other load on a shared machine), the median and p99 request latency and the throughput
// over all rounds, and the cost of recording (on / off − 1); with 1 connection the server is idle between
// requests, with 16 it is saturated (recording's CPU then shows in full).
//
// BENCH_REC_BEFORE=<dir> also runs another build of @scimkit/server (a copy of an older dist/ placed
// inside packages/server, so it resolves the same dependencies) with recording off and on, in the same
// alternating rounds: before → after figures from one run.
//
// Environment: BENCH_REC_STORES (default "memory,pglite"), BENCH_REC_CONNECTIONS (default "1,16"),
// BENCH_REC_ROUNDS (default 6 per handler), BENCH_REC_ROUND_MS (default 2000), BENCH_USERS (default 200).
import { fork } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { fmt } from "./harness.mjs";

const TOKEN = "bench-recording-token-0123456789";
const USERS = Number(process.env.BENCH_USERS ?? 200);
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const BEFORE = process.env.BENCH_REC_BEFORE;
/** Handlers per store: this build off and on, and the older build's when BENCH_REC_BEFORE is set. */
const MODES = ["off", "on", ...(BEFORE ? ["before-off", "before-on"] : [])];

function request(agent, port, method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method,
        path: `/scim/v2${path}`,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "user-agent": "Microsoft Azure AD SCIM provisioning 1.0.0",
          ...(payload !== undefined && {
            "content-type": "application/scim+json",
            "content-length": Buffer.byteLength(payload),
          }),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** One round: `connections` closed loops of the mix for `ms`; the latency of every request. */
async function round(server, connections, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const deadline = performance.now() + ms;
  let n = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      const i = n++ % server.ids.length;
      const id = server.ids[i];
      const steps = [
        ["GET", `/Users/${id}`, undefined, 200],
        ["GET", `/Users?filter=${encodeURIComponent(`userName eq "user${i}@example.com"`)}`, undefined, 200],
        [
          "PATCH",
          `/Users/${id}`,
          { schemas: [PATCH_SCHEMA], Operations: [{ op: "replace", path: "displayName", value: `U${n}` }] },
          200,
        ],
        ["GET", `/Users?filter=${encodeURIComponent("userName eq")}`, undefined, 400],
      ];
      for (const [method, path, body, want] of steps) {
        const began = performance.now();
        const status = await request(agent, server.port, method, path, body);
        latencies.push(performance.now() - began);
        if (status !== want) throw new Error(`${method} ${path} answered ${status}, not ${want}`);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  agent.destroy();
  return latencies;
}

async function start(store, mode) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", store, mode], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ready] = await once(child, "message");
  return { child, port: ready.port, ids: ready.ids };
}

/** The server process's CPU time so far (user + system, µs). */
async function cpuOf(server) {
  server.child.send("cpu");
  const [message] = await once(server.child, "message");
  return message.cpu;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p99 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)];

async function main() {
  const stores = (process.env.BENCH_REC_STORES ?? "memory,pglite").split(",");
  const connectionCounts = (process.env.BENCH_REC_CONNECTIONS ?? "1,16").split(",").map(Number);
  const rounds = Number(process.env.BENCH_REC_ROUNDS ?? 6);
  const roundMs = Number(process.env.BENCH_REC_ROUND_MS ?? 2000);
  const rows = [];
  for (const store of stores) {
    const servers = {};
    for (const mode of MODES) servers[mode] = await start(store, mode);
    // A failed run must not leave the servers running (they hold the output pipe open).
    process.once("exit", () => {
      for (const mode of MODES) servers[mode].child.kill();
    });
    for (const connections of connectionCounts) {
      const samples = Object.fromEntries(MODES.map((m) => [m, []]));
      const seconds = Object.fromEntries(MODES.map((m) => [m, 0]));
      for (const mode of MODES) await round(servers[mode], connections, 300); // warm-up, each
      const cpu = Object.fromEntries(MODES.map((m) => [m, 0]));
      for (let r = 0; r < rounds; r++)
        for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
          const before = await cpuOf(servers[mode]);
          samples[mode].push(...(await round(servers[mode], connections, roundMs)));
          // The records of the round's last requests are written within the 200 ms batch window.
          await new Promise((resolve) => setTimeout(resolve, 300));
          cpu[mode] += (await cpuOf(servers[mode])) - before;
          seconds[mode] += roundMs / 1000;
        }
      const row = { store, connections };
      for (const mode of MODES)
        row[mode] = {
          median: median(samples[mode]),
          p99: p99(samples[mode]),
          rps: samples[mode].length / seconds[mode],
          cpu: cpu[mode] / samples[mode].length,
        };
      rows.push(row);
    }
    for (const mode of MODES) {
      servers[mode].child.send("report");
      const [report] = await once(servers[mode].child, "message");
      if (report.errors.length > 0)
        throw new Error(`${store} ${mode}: onError was called: ${report.errors[0]}`);
      if (mode.endsWith("on") && report.recorded === 0)
        throw new Error(`${store}: recording on, yet nothing was recorded`);
      if (mode === "on")
        rows
          .filter((r) => r.store === store)
          .forEach((r) => {
            r.recorded = report.recorded;
          });
      servers[mode].child.kill();
    }
  }
  const ms = (x) => `${x.toFixed(2)} ms`;
  const pct = (on, off) => `${((on / off - 1) * 100).toFixed(1)} %`;
  console.log(
    "| store | connections | server CPU per request off → on | CPU cost | median latency off → on | latency cost | p99 off → on | req/s off → on | kept |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [label, off, on] of [
    ["", "off", "on"],
    ...(BEFORE ? [["before: ", "before-off", "before-on"]] : []),
  ])
    for (const r of rows)
      console.log(
        `| ${label}${r.store} | ${r.connections} | ${fmt(r[off].cpu)} µs → ${fmt(r[on].cpu)} µs | ${pct(r[on].cpu, r[off].cpu)} | ${ms(r[off].median)} → ${ms(r[on].median)} | ${pct(r[on].median, r[off].median)} | ${ms(r[off].p99)} → ${ms(r[on].p99)} | ${fmt(r[off].rps)} → ${fmt(r[on].rps)} | ${fmt(r.recorded)} |`,
      );
  const cpus = os.cpus();
  console.log();
  console.log(
    `Mix: GET by id, filtered GET, PATCH, 400 invalidFilter; ${USERS} users; ${rounds} alternating rounds of ${roundMs} ms per handler. ` +
      `Machine: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim()}), load average ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 16)}.`,
  );
}

async function serve() {
  const [store, mode] = process.argv.slice(3);
  const dist = mode.startsWith("before-") ? BEFORE : undefined;
  const { createScimHandler, MemoryStore } = await import(dist ? `${dist}/index.js` : "@scimkit/server");
  const { toNodeListener } = await import(dist ? `${dist}/adapters/node.js` : "@scimkit/server/node");
  const { PostgresStore } = await import(dist ? `${dist}/stores/postgres.js` : "@scimkit/server/postgres");
  const opened = store === "memory" ? new MemoryStore() : await PostgresStore.open({ memory: true });
  const errors = [];
  const handle = createScimHandler({
    store: opened,
    auth: { tokens: [TOKEN] },
    recording: mode.endsWith("on") ? {} : false,
    onError: (error) => errors.push(String(error)),
  });
  const ids = [];
  for (let i = 0; i < USERS; i++) {
    const response = await handle(
      new Request("http://127.0.0.1/scim/v2/Users", {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        body: JSON.stringify({
          schemas: [USER_SCHEMA],
          userName: `user${i}@example.com`,
          displayName: `User ${i}`,
        }),
      }),
    );
    if (response.status !== 201) throw new Error(`seeding answered ${response.status}`);
    ids.push((await response.json()).id);
  }
  const server = http.createServer(toNodeListener(handle));
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port, ids }));
  process.on("message", async (message) => {
    if (message === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpu: user + system });
      return;
    }
    if (message !== "report") return;
    const recorded = opened.recordings ? (await opened.recordings.stats("default", new Date())).total : 0;
    process.send?.({ recorded, errors });
  });
}

/**
 * In-process measurement (`--in-process`): the handler called directly through its Request-free entry
 * (as toNodeListener calls it: GETs without a Request, the PATCH with one), one child process per
 * handler so that one heap's retained records cannot slow another's garbage collection. Each "on"
 * store is first filled to `maxCount` (100,000) records, the steady state of a busy server, so the
 * cost of a full ring (trimming, GC of the retained records) is in the figure. Children run rounds of
 * the mix in turn (alternating order); reported: CPU time and GC pause time per request.
 */
async function inProcess() {
  const requests = Number(process.env.BENCH_REC_REQUESTS ?? 20_000);
  const rounds = Number(process.env.BENCH_REC_ROUNDS ?? 6);
  const children = {};
  for (const mode of MODES) {
    const child = fork(fileURLToPath(import.meta.url), ["--in-process-child", mode], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      execArgv: process.execArgv,
    });
    await once(child, "message");
    children[mode] = child;
  }
  process.once("exit", () => {
    for (const mode of MODES) children[mode].kill();
  });
  const totals = Object.fromEntries(MODES.map((m) => [m, { cpu: [], gc: [] }]));
  for (let r = 0; r < rounds; r++)
    for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
      children[mode].send({ run: requests });
      const [result] = await once(children[mode], "message");
      totals[mode].cpu.push(result.cpu / requests);
      totals[mode].gc.push(result.gc / requests);
    }
  // A clean exit, so that a child run with --cpu-prof writes its profile.
  for (const mode of MODES) children[mode].send({ exit: true });
  const us = (x) => `${x.toFixed(1)} µs`;
  console.log(
    "| build | CPU per request off → on (median of rounds) | cost | fastest round off → on | cost | GC per request off → on | range of on − off |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [label, off, on] of [
    ["after", "off", "on"],
    ...(BEFORE ? [["before", "before-off", "before-on"]] : []),
  ]) {
    const a = median(totals[off].cpu);
    const b = median(totals[on].cpu);
    const fa = Math.min(...totals[off].cpu);
    const fb = Math.min(...totals[on].cpu);
    const deltas = totals[on].cpu.map((x, i) => x - (totals[off].cpu[i] ?? 0));
    console.log(
      `| ${label} | ${us(a)} → ${us(b)} | ${((b / a - 1) * 100).toFixed(1)} % | ${us(fa)} → ${us(fb)} | ${((fb / fa - 1) * 100).toFixed(1)} % | ${us(median(totals[off].gc))} → ${us(median(totals[on].gc))} | ${us(Math.min(...deltas))} … ${us(Math.max(...deltas))} |`,
    );
  }
  console.log();
  console.log(
    `In-process: ${rounds} alternating rounds of ${requests} requests per handler (mix: GET by id, filtered GET, PATCH, 400 invalidFilter), one event-loop turn after each request; load average ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 16)}.`,
  );
}

async function inProcessChild() {
  const mode = process.argv[3];
  const dist = mode.startsWith("before-") ? BEFORE : undefined;
  const { createScimHandler, MemoryStore } = await import(dist ? `${dist}/index.js` : "@scimkit/server");
  const { PerformanceObserver } = await import("node:perf_hooks");
  const store = new MemoryStore();
  const on = mode.endsWith("on");
  const errors = [];
  const handle = createScimHandler({
    store,
    auth: { tokens: [TOKEN] },
    recording: on ? {} : false,
    onError: (error) => errors.push(String(error)),
  });
  const entry = handle[Symbol.for("@scimkit/server:incoming-entry")];
  const headers = {
    host: "127.0.0.1:8080",
    authorization: `Bearer ${TOKEN}`,
    "user-agent": "Microsoft Azure AD SCIM provisioning 1.0.0",
    accept: "application/scim+json",
    connection: "keep-alive",
  };
  /** An Incoming as the node adapter makes one: header values are fresh strings per request, as node's are. */
  const incoming = (method, path, body) => {
    const url = `http://127.0.0.1:8080/scim/v2${path}`;
    const h = {};
    for (const [k, v] of Object.entries(headers)) h[k] = `${v} `.slice(0, -1);
    if (body !== undefined) {
      h["content-type"] = "application/scim+json";
      h["content-length"] = String(Buffer.byteLength(body));
    }
    let request;
    return {
      method,
      url,
      parsed: new URL(url),
      header: (name) => h[name] ?? null,
      headerBag: () => h,
      // What builds before `headerBag` (BENCH_REC_BEFORE) read the headers with.
      forEachHeader: (f) => {
        for (const name of Object.keys(h)) f(h[name], name);
      },
      get request() {
        request ??= new Request(url, { method, headers: h, ...(body !== undefined && { body }) });
        return request;
      },
    };
  };
  const ids = [];
  for (let i = 0; i < USERS; i++) {
    const body = JSON.stringify({
      schemas: [USER_SCHEMA],
      userName: `user${i}@example.com`,
      displayName: `User ${i}`,
    });
    const answer = await entry(incoming("POST", "/Users", body));
    ids.push(JSON.parse(answer.body ?? (await answer.text())).id);
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  let n = 0;
  const one = async () => {
    const i = n % ids.length;
    const id = ids[i];
    let path;
    let method = "GET";
    let body;
    switch (n++ % 4) {
      case 0:
        path = `/Users/${id}`;
        break;
      case 1:
        path = `/Users?filter=${encodeURIComponent(`userName eq "user${i}@example.com"`)}`;
        break;
      case 2:
        method = "PATCH";
        path = `/Users/${id}`;
        body = JSON.stringify({
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: "replace", path: "displayName", value: `U${n}` }],
        });
        break;
      default:
        path = `/Users?filter=${encodeURIComponent("userName eq")}`;
    }
    const answer = await entry(incoming(method, path, body));
    if (!(answer.status === 200 || answer.status === 400))
      throw new Error(`${method} ${path}: ${answer.status}`);
    if (typeof answer.text === "function") await answer.text();
    await turn();
  };
  // Steady state: a full ring (maxCount = 100,000 by default), filled by real requests.
  const fill = Number(process.env.BENCH_REC_FILL ?? 100_000);
  for (let k = 0; k < (on ? fill : 0) + 4000; k++) await one();
  let gc = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc += e.duration * 1000;
  }).observe({ entryTypes: ["gc"] });
  process.send?.("ready");
  process.on("message", async (message) => {
    if (message.exit) process.exit(0);
    gc = 0;
    const start = process.cpuUsage();
    for (let k = 0; k < message.run; k++) await one();
    await turn();
    const used = process.cpuUsage(start);
    await turn();
    if (errors.length > 0) throw new Error(errors[0]);
    process.send?.({ cpu: used.user + used.system, gc });
  });
}

if (process.argv[2] === "--serve") await serve();
else if (process.argv[2] === "--in-process-child") await inProcessChild();
else if (process.argv[2] === "--in-process") await inProcess();
else await main();
