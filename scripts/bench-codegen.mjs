#!/usr/bin/env node
// Times `scimkit generate` on schemas/core as a user runs it: a fresh `node` process each time (module
// loading included), output to a temporary folder. Prints the median and range of 7 runs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/codegen/bin/scimkit.js");
const runs = [];
for (let i = 0; i < 7; i++) {
  const out = mkdtempSync(join(tmpdir(), "scimkit-bench-"));
  const started = performance.now();
  execFileSync(process.execPath, [bin, "generate", "--schemas", join(root, "schemas/core"), "--out", out], {
    stdio: "ignore",
  });
  runs.push(performance.now() - started);
  rmSync(out, { recursive: true, force: true });
}
runs.sort((a, b) => a - b);
const ms = (v) => `${Math.round(v)} ms`;
process.stdout.write(
  `scimkit generate, schemas/core (6 schemas, 2 resource types), cold process, 7 runs on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}\n` +
    `| median | fastest | slowest |\n|---|---|---|\n| ${ms(runs[3])} | ${ms(runs[0])} | ${ms(runs[6])} |\n`,
);
