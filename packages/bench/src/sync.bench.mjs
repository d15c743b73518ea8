// `scimkit sync` (issue 15, "Measured"), against the BUILT packages, through the scimkit dispatcher (the
// main of codegen's dist/cli.js that bin/scimkit.js calls, in a child of this script so it can report its
// own peak RSS):
//   node src/sync.bench.mjs          (= npx -y pnpm@10 --filter @scimkit/bench bench:sync, after pnpm build)
//
// 1. A generated BENCH_SYNC_ROWS-row CSV (default 10,000) into an empty reference server on PGlite
//    (`node scripts/start.mjs` with a fresh SCIM_DATA_DIR on a free 127.0.0.1 port): users created per
//    second, bulk when the server advertises it (it does). Target ≥ 1,000/s.
// 2. The same command again (nothing to change): wall time. Target ≤ 10 s.
// 3. Peak resident memory (process.resourceUsage().maxRSS of the whole sync process) of a --dry-run from
//    CSVs of 10,000, 100,000 and 1,000,000 rows (BENCH_SYNC_DRY, comma-separated) against that server.
//    Target: flat within ±50 MB. The plan's lines go to /dev/null. Each dry run also reports the peaks of
//    process.memoryUsage() (heapUsed, heapTotal, external, arrayBuffers) to tell heap growth from buffers.
// Every step is one run (each takes seconds to minutes); the figures are wall-clock, not tinybench.
//
// BENCH_SYNC_COMPARE=/path/to/another/built/checkout: instead, step 1 only, side by side — a fresh reference
// server and `scimkit sync` of the same CSV from that checkout and from this one, interleaved for
// BENCH_SYNC_ROUNDS rounds (default 2), with the load average before each run and the ratio of the totals.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const SYNC_DIR = join(ROOT, "packages", "sync");
const ROWS = Number(process.env.BENCH_SYNC_ROWS ?? 10_000);
const DRY = (process.env.BENCH_SYNC_DRY ?? "10000,100000,1000000").split(",").map(Number);
const TOKEN = "bench-sync-token-0123456789abcdef";

if (
  !existsSync(join(SYNC_DIR, "dist", "cli", "index.js")) ||
  !existsSync(join(ROOT, "packages", "codegen", "dist", "cli.js"))
) {
  process.stderr.write("sync.bench: build first (npx -y pnpm@10 build)\n");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "scimkit-sync-bench-"));
const out = (line) => process.stdout.write(`${line}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A CSV of `count` users (the columns a directory export has), streamed to disk. */
async function writeCsv(path, count) {
  const file = createWriteStream(path);
  const groups = ["Sales", "Engineering", "Support", "Finance"];
  const header =
    'userName,name.givenName,name.familyName,"emails[type eq ""work""].value",active,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department,groups\n';
  if (!file.write(header)) await once(file, "drain");
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(7, "0");
    const group = groups[i % groups.length];
    const line = `bench-${n},Given${n},Family${n},bench-${n}@example.com,true,${group},${group}\n`;
    if (!file.write(line)) await once(file, "drain");
  }
  file.end();
  await once(file, "finish");
}

async function startReference(root = ROOT, dataDir = join(work, "data")) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SCIM_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      SCIM_TOKEN: TOKEN,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      text += chunk;
      if (text.includes("bearer token:")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`reference server exited ${code}: ${text}`)));
  });
  child.stdout.resume();
  return { child, url: `http://127.0.0.1:${port}/scim/v2` };
}

/**
 * `scimkit sync …args` in a child; resolves to its exit code, wall time and peak RSS. The child is the
 * binary itself; `--measure` makes this script wrap it so it can read maxRSS after the run.
 */
function runSync(args, { quiet = false } = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--measure", ...args], {
    cwd: SYNC_DIR,
    env: { PATH: process.env.PATH, SCIM_TOKEN: TOKEN },
    stdio: ["ignore", quiet ? "ignore" : "pipe", "pipe", "ipc"],
  });
  let summary = "";
  child.stdout?.on("data", (chunk) => {
    summary += chunk;
  });
  let err = "";
  child.stderr.on("data", (chunk) => {
    err += chunk;
  });
  let maxRssMb = 0;
  let peakMb = {};
  child.on("message", (message) => {
    maxRssMb = message.maxRssMb;
    peakMb = message.peakMb;
  });
  return new Promise((resolve) =>
    child.on("close", (code) =>
      resolve({ code, seconds: (performance.now() - started) / 1000, maxRssMb, peakMb, summary, err }),
    ),
  );
}

/** BENCH_SYNC_COMPARE: the create step from two checkouts, interleaved; resolves when done. */
async function compare(other) {
  const roots = { [other]: [], [ROOT]: [] };
  const rounds = Number(process.env.BENCH_SYNC_ROUNDS ?? 2);
  const csv = join(work, `users-${ROWS}.csv`);
  await writeCsv(csv, ROWS);
  out(
    `sync.bench compare: ${fmt(ROWS)} rows created into a fresh reference server on PGlite, ${rounds} rounds`,
  );
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [other, ROOT] : [ROOT, other];
    for (const root of order) {
      const load = os.loadavg()[0].toFixed(1);
      const dataDir = join(work, `data-${round}-${root === ROOT ? "this" : "other"}`);
      const server = await startReference(root, dataDir);
      const started = performance.now();
      const child = spawn(
        process.execPath,
        [join(root, "packages", "codegen", "bin", "scimkit.js"), "sync", "--from", csv, "--to", server.url],
        {
          cwd: join(root, "packages", "sync"),
          env: { PATH: process.env.PATH, SCIM_TOKEN: TOKEN },
          stdio: "ignore",
        },
      );
      const [code] = await once(child, "exit");
      const seconds = (performance.now() - started) / 1000;
      server.child.kill("SIGTERM");
      await once(server.child, "exit");
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`${root}: scimkit sync exited ${code}`);
      roots[root].push(seconds);
      out(
        `round ${round} ${root}: ${seconds.toFixed(1)} s = ${fmt(ROWS / seconds)} users/s (load average ${load})`,
      );
    }
  }
  const total = (list) => list.reduce((a, b) => a + b, 0);
  out(`${other} / ${ROOT} time ratio: ${(total(roots[other]) / total(roots[ROOT])).toFixed(2)}x`);
}

if (process.argv[2] === "--measure") {
  // In the child: the real bin's module, then the peak RSS of this whole process.
  // Peaks of process.memoryUsage() sampled every 50 ms, so a growth shows which part grew: the V8 heap
  // (heapTotal), or memory outside it (external/arrayBuffers: Buffers such as file chunks, write queues).
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const now = process.memoryUsage();
    for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key]);
  };
  const timer = setInterval(sample, 50);
  const { main } = await import(join(ROOT, "packages", "codegen", "dist", "cli.js"));
  const code = await main(process.argv.slice(3));
  clearInterval(timer);
  sample();
  const mb = Object.fromEntries(Object.entries(peak).map(([key, bytes]) => [key, bytes / 1048576]));
  process.send?.({ maxRssMb: process.resourceUsage().maxRSS / 1024, peakMb: mb });
  process.exitCode = code;
} else if (process.env.BENCH_SYNC_COMPARE) {
  try {
    await compare(process.env.BENCH_SYNC_COMPARE);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
} else {
  out(
    `sync.bench: ${fmt(ROWS)} rows into the reference server on PGlite; dry runs at ${DRY.map(fmt).join(", ")} rows`,
  );
  const server = await startReference();
  try {
    const csv = join(work, `users-${ROWS}.csv`);
    await writeCsv(csv, ROWS);
    const first = await runSync(["sync", "--from", csv, "--to", server.url]);
    if (first.code !== 0) throw new Error(`first run exited ${first.code}: ${first.err}\n${first.summary}`);
    out(first.summary.trim());
    out(
      `create: ${fmt(ROWS)} users in ${first.seconds.toFixed(1)} s = ${fmt(ROWS / first.seconds)} users/s (target ≥ 1,000/s); peak RSS ${fmt(first.maxRssMb)} MB`,
    );
    const second = await runSync(["sync", "--from", csv, "--to", server.url]);
    if (second.code !== 0) throw new Error(`rerun exited ${second.code}: ${second.err}`);
    out(`no-change rerun of ${fmt(ROWS)}: ${second.seconds.toFixed(1)} s (target ≤ 10 s)`);
    const rss = [];
    for (const rows of DRY) {
      const path = join(work, `dry-${rows}.csv`);
      await writeCsv(path, rows);
      const dry = await runSync(["sync", "--from", path, "--to", server.url, "--dry-run"], { quiet: true });
      if (dry.code !== 0) throw new Error(`dry run of ${rows} exited ${dry.code}: ${dry.err}`);
      rss.push(dry.maxRssMb);
      const parts = Object.entries(dry.peakMb)
        .map(([key, value]) => `${key} ${fmt(value)}`)
        .join(", ");
      out(
        `dry run of ${fmt(rows)} rows: ${dry.seconds.toFixed(1)} s, peak RSS ${fmt(dry.maxRssMb)} MB (peaks in MB: ${parts}; load average ${os.loadavg()[0].toFixed(1)})`,
      );
      rmSync(path, { force: true });
    }
    out(`dry-run peak RSS spread: ${fmt(Math.max(...rss) - Math.min(...rss))} MB (target ≤ 50 MB)`);
    const cpus = os.cpus();
    out(
      `Machine: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${new Date().toISOString().slice(0, 10)}; one run each, wall clock.`,
    );
  } finally {
    server.child.kill("SIGTERM");
    await once(server.child, "exit");
    rmSync(work, { recursive: true, force: true });
  }
}
