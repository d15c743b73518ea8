#!/usr/bin/env node
// `pnpm bench`: every benchmark, each running scimkit and its peers side by side in one process.
// Results are recorded in BENCHMARKS.md with the command that reproduces them.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const run = (args, cwd = root) =>
  execFileSync(args[0], args.slice(1), {
    cwd,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });

run([process.execPath, join(root, "scripts/bench-codegen.mjs")]);
run(["pnpm", "--filter", "@scimkit/bench", "bench"]);
