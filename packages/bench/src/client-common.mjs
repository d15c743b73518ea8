// Shared by the client benchmarks (issue 6): the servers' constants, starting a server child process,
// loading the client and its ky, and timing sequential requests in interleaved tinybench rounds.
import { fork } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import { machineLine, TIME } from "./harness.mjs";

/**
 * Rounds per task: more and shorter than the other benchmarks (27 × 167 ms by default), so a load spike
 * from elsewhere on the shared machine hits both sides of a comparison alike; BENCH_ROUNDS overrides it.
 */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 27);
/** The machine line of harness.mjs with this file's number of rounds. */
export const clientMachineLine = () =>
  machineLine().replace(/median of \d+ interleaved rounds/, `median of ${ROUNDS} interleaved rounds`);

export const TOKEN = "bench-token-0123456789";
export const BASE = "/scim/v2";
export const TARGET = "user500@example.com";
export const FILTER = `userName eq "${TARGET}"`;
/** The Accept header the client sends; raw fetch and bare ky send the same. */
export const ACCEPT = "application/scim+json, application/json;q=0.9";
/** What raw fetch and bare ky send on every request: the client's two headers. */
export const HEADERS = Object.freeze({ authorization: `Bearer ${TOKEN}`, accept: ACCEPT });

/**
 * Starts `client-server.mjs <name>` in a child process (so its CPU never competes with this event loop) and
 * resolves to its base URL, the id of the target user and `stop()`.
 */
export async function startServer(name) {
  const child = fork(fileURLToPath(new URL("./client-server.mjs", import.meta.url)), [name], {
    stdio: "inherit",
  });
  const [{ port, targetId }] = await once(child, "message");
  return {
    baseUrl: `http://127.0.0.1:${port}${BASE}`,
    targetId,
    stop: async () => {
      child.disconnect();
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** `@scimkit/client` (built) and the very ky it imports (ky is the client's dependency, not the bench's). */
export async function loadClient() {
  const client = await import("@scimkit/client").catch((error) => {
    console.error("Build @scimkit/client and @scimkit/server first (see BENCHMARKS.md):", error.message);
    process.exit(1);
  });
  const requireFromClient = createRequire(fileURLToPath(import.meta.resolve("@scimkit/client")));
  const kyEntry = requireFromClient.resolve("ky");
  const { default: ky } = await import(pathToFileURL(kyEntry).href);
  let dir = dirname(kyEntry);
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const kyVersion = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  return { createScimClient: client.createScimClient, ky, kyVersion };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const us = (value) => value.toFixed(1);
export const pct = (value) => `${value >= 0 ? "+" : ""}${(value * 100).toFixed(1)}%`;

/**
 * Times async tasks that each send one request and await it (one request in flight). Warms every task up,
 * then runs ROUNDS rounds; in each, every task (order rotated each round) runs alone in its own tinybench for
 * TIME / ROUNDS ms, with this process's CPU time (process.cpuUsage: user + system, all threads) taken around
 * it. Returns, per task: the median over rounds of the mean latency (µs), of the CPU time per request (µs), and
 * of the overhead against `baseline` measured in the same round (latency ÷ baseline latency − 1, and CPU − baseline CPU).
 */
export async function measureRequests(tasks, baseline = "fetch") {
  const names = Object.keys(tasks);
  const warm = new Bench({ time: Math.min(1000, TIME / 4), warmup: true });
  for (const name of names) warm.add(name, tasks[name]);
  await warm.run();
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const row = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const bench = new Bench({ time: TIME / ROUNDS, warmup: false });
      bench.add(name, tasks[name]);
      const before = process.cpuUsage();
      await bench.run();
      const used = process.cpuUsage(before);
      const [task] = bench.tasks;
      if (task.result.state !== "completed") throw new Error(`${name}: ${task.result.state}`);
      row[name] = { latency: task.result.period * 1000, cpu: (used.user + used.system) / task.runs };
    }
    rounds.push(row);
  }
  const result = {};
  for (const name of names)
    result[name] = {
      latency: median(rounds.map((row) => row[name].latency)),
      cpu: median(rounds.map((row) => row[name].cpu)),
      overhead: median(rounds.map((row) => row[name].latency / row[baseline].latency - 1)),
      extraCpu: median(rounds.map((row) => row[name].cpu - row[baseline].cpu)),
    };
  return result;
}
