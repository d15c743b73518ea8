// Where the client's per-request time goes (issue 6), against the `fixed` server of src/client-server.mjs:
//
//   node src/client-profile.mjs [get|list] [--no-profile]     # default: get
//
// 1. Ablation: raw fetch with each thing ky does added one at a time, bare ky, ky with hooks shaped like the
//    client's, the client, and a fetch-based equivalent of the client's call (same headers, 30 s timeout, ok
//    check, text() + JSON.parse, ETag → meta.version), all timed side by side like client.bench.mjs
//    (latency and this process's CPU per request, medians of interleaved rounds, overhead against fetch).
// 2. A V8 CPU profile (the profiler `node --cpu-prof` uses, started through node:inspector around the loop
//    only) of BENCH_PROFILE_REQUESTS (4,000) requests each for fetch, bare ky and the client: main-thread time
//    per request by owner (undici, node internals, ky, client, GC) and by file, and for ky and the client the
//    time under each of their functions with the built-in it called. The .cpuprofile files are written to
//    $BENCH_PROFILE_DIR (default: the OS temp dir) for DevTools.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import os from "node:os";
import { join } from "node:path";
import {
  clientMachineLine,
  FILTER,
  HEADERS,
  loadClient,
  measureRequests,
  pct,
  startServer,
  TOKEN,
  us,
} from "./client-common.mjs";
import { fmt } from "./harness.mjs";

const workload = process.argv[2] === "list" ? "list" : "get";
const PROFILE = !process.argv.includes("--no-profile");
const N = Number(process.env.BENCH_PROFILE_REQUESTS ?? 4000);
const OUT = process.env.BENCH_PROFILE_DIR ?? os.tmpdir();

const { createScimClient, ky, kyVersion } = await loadClient();
const loadBefore = os.loadavg()[0];
const { baseUrl, targetId, stop } = await startServer("fixed");
const getPath = `Users/${encodeURIComponent(targetId)}`;
const query = new URLSearchParams({ filter: FILTER });
const url = workload === "get" ? `${baseUrl}/${getPath}` : `${baseUrl}/Users?${query}`;
const kyCall = (instance) =>
  workload === "get"
    ? () => instance.get(getPath).json()
    : () => instance.get("Users", { searchParams: query }).json();
const kyOf = (options) =>
  ky.create({ prefixUrl: baseUrl, headers: HEADERS, retry: 0, timeout: 30_000, ...options });
/** Hooks shaped like the client's: an async beforeRequest setting both headers, a no-op afterResponse, a beforeError. */
const clientLikeHooks = {
  beforeRequest: [
    async (request) => {
      request.headers.set("accept", HEADERS.accept);
      request.headers.set("authorization", await Promise.resolve(HEADERS.authorization));
    },
  ],
  afterResponse: [async () => undefined],
  beforeError: [async (error) => error],
};
const client = createScimClient({ baseUrl, token: TOKEN });
const clientNoTimeout = createScimClient({ baseUrl, token: TOKEN, timeout: false });
const clientCall = (c) =>
  workload === "get" ? () => c.users.get(targetId) : () => c.users.list({ filter: FILTER });
const ok = (res) => {
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res;
};

/** What the client's call does, on fetch: same headers, 30 s timeout, ok check, text() + JSON.parse, ETag. */
async function fetchClient() {
  const res = ok(await fetch(url, { headers: HEADERS, signal: AbortSignal.timeout(30_000) }));
  const body = JSON.parse(await res.text());
  if (workload === "list") return { ...body, Resources: body.Resources ?? [] };
  const tag = res.headers.get("etag");
  if (tag) body.meta = { ...body.meta, version: tag };
  return body;
}

const tasks = {
  fetch: async () => ok(await fetch(url, { headers: HEADERS })).json(),
  "fetch(new Request(url, init))": async () => ok(await fetch(new Request(url, { headers: HEADERS }))).json(),
  "fetch + AbortController + setTimeout (ky's timeout)": async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    const res = ok(await fetch(url, { headers: HEADERS, signal: controller.signal }));
    clearTimeout(timer);
    return res.json();
  },
  "fetch + res.clone(), clone's body cancelled (ky per afterResponse hook)": async () => {
    const res = ok(await fetch(url, { headers: HEADERS }));
    res.clone().body.cancel();
    return res.json();
  },
  "fetch-based equivalent of the client call": fetchClient,
  [`bare ky ${kyVersion}, timeout: false`]: kyCall(kyOf({ timeout: false })),
  [`bare ky ${kyVersion}`]: kyCall(kyOf({})),
  "ky + async beforeRequest hook": kyCall(kyOf({ hooks: { beforeRequest: clientLikeHooks.beforeRequest } })),
  "ky + no-op afterResponse hook": kyCall(kyOf({ hooks: { afterResponse: clientLikeHooks.afterResponse } })),
  "ky + hooks shaped like the client's": kyCall(kyOf({ headers: {}, hooks: clientLikeHooks })),
  "scimkit client, timeout: false": clientCall(clientNoTimeout),
  "scimkit client": clientCall(client),
};
for (const task of Object.values(tasks)) await task(); // every variant works before anything is timed

const title = workload === "get" ? "`GET /Users/{id}`" : `\`GET /Users?filter=${FILTER}\``;
const ablation = await measureRequests(tasks);
console.log(`### Ablation: ${title} against the fixed server\n`);
console.log("| caller | latency µs | ops/s | latency vs fetch | CPU µs/request | CPU vs fetch |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, r] of Object.entries(ablation))
  console.log(
    `| ${name} | ${us(r.latency)} | ${fmt(1e6 / r.latency)} | ${name === "fetch" ? "" : pct(r.overhead)} | ${us(r.cpu)} | ${name === "fetch" ? "" : `+${us(r.extraCpu)}`} |`,
  );
console.log(
  `\nLoad average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end. ${clientMachineLine()}\n`,
);

if (PROFILE) await profile();
await stop();

/** Which code a profile frame belongs to. */
function owner({ url: where, functionName }) {
  if (where.includes("/ky/distribution/")) return "ky";
  if (where.includes("/client/dist/")) return "client";
  if (where.includes("/core/dist/")) return "core";
  if (where.includes("undici")) return "undici (fetch)";
  if (where.startsWith("node:")) return "node internals";
  if (where !== "") return "bench loop";
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle";
  if (functionName === "(program)") return "V8/native";
  return "V8 built-ins";
}

async function profile() {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 50 });
  const profiled = {
    fetch: tasks.fetch,
    ky: tasks[`bare ky ${kyVersion}`],
    client: tasks["scimkit client"],
  };
  const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);
  const top = (map, min) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .filter(([, micros]) => micros / N >= min)
      .map(([key, micros]) => `   ${us(micros / N).padStart(7)}  ${key}`);
  console.log(`### CPU profile: ${title}, ${N} requests each, µs per request\n`);
  for (const [name, call] of Object.entries(profiled)) {
    for (let i = 0; i < 500; i++) await call();
    const cpu = process.cpuUsage();
    await session.post("Profiler.start");
    for (let i = 0; i < N; i++) await call();
    const { profile } = await session.post("Profiler.stop");
    const used = process.cpuUsage(cpu);
    const file = join(OUT, `scimkit-client-${workload}-${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));

    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
    const self = new Map();
    const files = new Map();
    const under = new Map();
    let total = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const leaf = byId.get(profile.samples[i]);
      const micros = profile.timeDeltas[i] ?? 0;
      const leafOwner = owner(leaf.callFrame);
      if (leafOwner === "idle") continue;
      total += micros;
      add(self, leafOwner, micros);
      add(
        files,
        leaf.callFrame.url.replace(/^.*\/(node_modules|packages)\//, "") || leaf.callFrame.functionName,
        micros,
      );
      // the nearest ky / client frame on the stack, and the frame it called (a built-in, or itself)
      let below = leaf;
      let at = leaf;
      while (at && !["ky", "client"].includes(owner(at.callFrame))) {
        below = at;
        at = parent.get(at.id);
      }
      if (!at) continue;
      const { functionName, url: where, lineNumber } = at.callFrame;
      const callee = below === at ? "" : ` → ${below.callFrame.functionName || "(anonymous)"}`;
      add(
        under,
        `${owner(at.callFrame)} \`${functionName || "(anonymous)"}\` (${where.split("/").slice(-2).join("/")}:${lineNumber + 1})${callee}`,
        micros,
      );
    }
    console.log(
      `#### ${name}: ${us(total / N)} µs on the main thread (process CPU ${us((used.user + used.system) / N)} µs; ${file})\n`,
    );
    console.log("```");
    console.log(top(self, 0).join("\n"));
    console.log("   by file, ≥ 3 µs:");
    console.log(top(files, 3).join("\n"));
    if (under.size > 0) {
      console.log("   under ky / client frames (a frame → the function it called), ≥ 1 µs:");
      console.log(top(under, 1).join("\n"));
    }
    console.log("```\n");
  }
  await session.post("Profiler.disable");
  session.disconnect();
}
