// The handler against its ceiling (issue 16: "handler with MemoryStore, GET by id, vs a bare node:http
// server returning the same JSON: ≥ 0.5× the ceiling's req/s"), against the BUILT packages
// (`npx -y pnpm@10 turbo run build --filter=@scimkit/server...` at the root first).
//   node src/ceiling.bench.mjs      (= npx -y pnpm@10 --filter @scimkit/bench bench:ceiling)
//
// Three servers, each in a child process of its own (this script forked with `--serve <name>`) on
// 127.0.0.1 with keep-alive:
// - scimkit, recording on: createScimHandler({ store: new MemoryStore(), auth }) behind toNodeListener
//   (recording is on by default: every request recorded);
// - scimkit, recording off: the same with `recording: false`;
// - node:http (the ceiling): checks the bearer token, looks the id up in a Map and answers the same JSON
//   bytes (the user scimkit returned, parsed once, JSON.stringify'd per request) with the same status and
//   content type.
// The parent checks that the ceiling's body is byte for byte scimkit's, then drives each server with
// autocannon (in this process) in alternating rounds — the order rotates every round — with the same
// connection count, so a noisy moment of a shared machine hits all alike. Reported: req/s per server
// (median of the rounds), the ratios to the ceiling (median of the per-round ratios), p99 latency.
//
// BENCH_CEIL_BEFORE=<dir> adds a fourth server, "scimkit before": recording on, from another build of
// @scimkit/server (a copy of an older dist/ placed inside packages/server, so it resolves the same
// dependencies), for before → after figures from one run.
//
// Environment: BENCH_CEIL_ROUNDS (default 5), BENCH_CEIL_SECONDS (default 3 per round per server),
// BENCH_CEIL_CONNECTIONS (default 16), BENCH_USERS (default 1000).
import { fork } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import os from "node:os";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, ratio } from "./harness.mjs";

const TOKEN = "bench-ceiling-token-0123456789";
const BASE = "/scim/v2";
const USERS = Number(process.env.BENCH_USERS ?? 1000);
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const TARGET = "user500@example.com";
// Resolved against the working directory (a relative path would otherwise be read from this file's folder).
const BEFORE = process.env.BENCH_CEIL_BEFORE
  ? pathToFileURL(resolve(process.env.BENCH_CEIL_BEFORE)).href
  : undefined;
const SERVERS = [
  "scimkit, recording on",
  "scimkit, recording off",
  "node:http (ceiling)",
  ...(BEFORE ? ["scimkit before, recording on"] : []),
];

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

async function scimkit(recording, dist) {
  const { createScimHandler, MemoryStore } = await import(dist ? `${dist}/index.js` : "@scimkit/server");
  const { toNodeListener } = await import(dist ? `${dist}/adapters/node.js` : "@scimkit/server/node");
  const handle = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: [TOKEN] },
    ...(recording ? {} : { recording: false }),
  });
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

/** The ceiling: the token compared, the id looked up, the same JSON serialized per request. */
function bare(users) {
  const byId = new Map(users.map((u) => [u.id, u]));
  const expected = `Bearer ${TOKEN}`;
  const prefix = `${BASE}/Users/`;
  const send = (res, status, text) => {
    res.writeHead(status, {
      "content-type": "application/scim+json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) return send(res, 401, '{"status":"401"}');
    const url = req.url ?? "";
    const user = url.startsWith(prefix) ? byId.get(url.slice(prefix.length)) : undefined;
    if (!user || req.method !== "GET") return send(res, 404, '{"status":"404"}');
    send(res, 200, JSON.stringify(user));
  });
  return { server, targetId: users[0]?.id };
}

// ============================================================================ child: serve one server
if (process.argv[2] === "--serve") {
  const name = process.argv[3];
  let made;
  if (name === "node:http (ceiling)") {
    const [{ users }] = await once(process, "message");
    made = bare(users);
  } else if (name === "scimkit before, recording on") made = await scimkit(true, BEFORE);
  else made = await scimkit(name === "scimkit, recording on");
  made.server.keepAliveTimeout = 60_000;
  made.server.listen(0, "127.0.0.1");
  await once(made.server, "listening");
  process.send({ port: made.server.address().port, targetId: made.targetId });
  process.on("message", async (message) => {
    if (message === "stop") made.server.close(() => process.exit(0));
  });
} else {
  await main();
}

async function main() {
  const { default: autocannon } = await import("autocannon");
  const rounds = Number(process.env.BENCH_CEIL_ROUNDS ?? 5);
  const seconds = Number(process.env.BENCH_CEIL_SECONDS ?? 3);
  const connections = Number(process.env.BENCH_CEIL_CONNECTIONS ?? 16);
  const headers = { authorization: `Bearer ${TOKEN}` };
  const children = {};
  const start = async (name, message) => {
    const child = fork(fileURLToPath(import.meta.url), ["--serve", name], { stdio: "inherit" });
    process.once("exit", () => child.kill());
    if (message) child.send(message);
    const [ready] = await once(child, "message");
    children[name] = { child, ...ready };
  };
  await start(SERVERS[0]);
  await start(SERVERS[1]);
  const get = async (name) => {
    const { port, targetId } = children[name];
    const response = await fetch(`http://127.0.0.1:${port}${BASE}/Users/${targetId}`, { headers });
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      text: await response.text(),
    };
  };
  const on = await get(SERVERS[0]);
  const off = await get(SERVERS[1]);
  if (on.status !== 200 || JSON.parse(on.text).userName !== TARGET)
    throw new Error(`scimkit answered ${on.status} ${on.text}`);
  // The ceiling serves scimkit's own answer (its id, meta, location): the same bytes.
  await start(SERVERS[2], { users: [JSON.parse(on.text)] });
  if (BEFORE) await start(SERVERS[3]);
  const ceiling = await get(SERVERS[2]);
  if (ceiling.text !== on.text || ceiling.type !== on.type || ceiling.status !== 200)
    throw new Error(`the ceiling's answer differs from scimkit's:\n${ceiling.text}\n${on.text}`);
  if (off.status !== 200 || JSON.parse(off.text).userName !== TARGET)
    throw new Error("recording off: wrong answer");

  const run = (name, duration) =>
    new Promise((resolve, reject) => {
      const { port, targetId } = children[name];
      autocannon(
        {
          url: `http://127.0.0.1:${port}${BASE}/Users/${targetId}`,
          connections,
          duration,
          headers,
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
  for (const name of SERVERS) await run(name, 1); // warm-up: JIT, connections
  const results = Object.fromEntries(SERVERS.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = SERVERS.map((_, i) => SERVERS[(i + r) % SERVERS.length]);
    for (const name of order) {
      const result = await run(name, seconds);
      if (result.errors || result.non2xx || result.timeouts)
        throw new Error(
          `${name}: ${result.errors} errors, ${result.non2xx} non-2xx, ${result.timeouts} timeouts`,
        );
      results[name].push(result);
      console.error(`round ${r + 1} · ${name}: ${fmt(result.requests.average)} req/s`);
    }
  }
  for (const { child } of Object.values(children)) child.send("stop");
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rps = (name) => median(results[name].map((x) => x.requests.average));
  const roundRatio = (name) =>
    median(results[name].map((x, i) => x.requests.average / results[SERVERS[2]][i].requests.average));
  const cpus = os.cpus();
  console.log(
    `#### GET /Users/{id}, MemoryStore with ${fmt(USERS)} users (autocannon, ${connections} connections, ${rounds} alternating rounds of ${seconds} s per server)\n`,
  );
  console.log(
    "| server | req/s (median of rounds) | ÷ ceiling (median of per-round ratios) | p99 ms (median) |",
  );
  console.log("| --- | ---: | ---: | ---: |");
  for (const name of SERVERS)
    console.log(
      `| ${name} | ${fmt(rps(name))} | ${name === SERVERS[2] ? "1.00×" : ratio(roundRatio(name), 1)} | ${median(results[name].map((x) => x.latency.p99))} |`,
    );
  console.log(
    `\nMachine: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim()}), load average ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 16)}.`,
  );
}
