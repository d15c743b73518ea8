// Shared by the benchmark scripts: interleaved tinybench rounds, medians, and the table helpers.
import os from "node:os";
import { Bench } from "tinybench";

export const TIME = Number(process.env.BENCH_TIME_MS ?? 4500);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);

export const fmt = (n) => Math.round(n).toLocaleString("en-US");
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
/** "2.50× faster" or, when `a` is the slower one, "1.20× slower". */
export const faster = (a, b) => (a >= b ? `${ratio(a, b)} faster` : `${ratio(b, a)} slower`);

/**
 * Runs the tasks in ROUNDS interleaved rounds (each task TIME / ROUNDS ms per round, tinybench) and
 * returns each task's median throughput, so a noisy moment on a shared machine skews no single task.
 */
export async function measure(tasks) {
  const samples = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ time: TIME / ROUNDS, warmup: true });
    // Rotate the order each round, so no task always runs right after another's garbage.
    const entries = Object.entries(tasks);
    for (let i = 0; i < entries.length; i++) {
      const [name, fn] = entries[(i + round) % entries.length];
      bench.add(name, fn);
    }
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.state !== "completed") throw new Error(`${task.name}: ${task.result.state}`);
      samples[task.name].push(task.result.throughput.mean);
    }
  }
  const hz = {};
  for (const [name, values] of Object.entries(samples))
    hz[name] = values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return hz;
}

/** The machine line printed under every table. */
export function machineLine() {
  const cpus = os.cpus();
  return `Machine: Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${new Date().toISOString().slice(0, 10)}; tinybench, median of ${ROUNDS} interleaved rounds, ${TIME} ms per task in all.`;
}
