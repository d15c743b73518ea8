#!/usr/bin/env node
// Regenerates every package's generated code from schemas/ (src/generated/, and test fixtures made the
// same way), bypassing turbo's cache, and fails when anything under packages/*/src differs from what is
// committed: generated code must be reproducible (STYLE.md §1).
import { execFileSync } from "node:child_process";

const run = (cmd, args) =>
  execFileSync(cmd, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
run("pnpm", ["turbo", "run", "generate", "--force", "--output-logs=errors-only"]);
const status = execFileSync(
  "git",
  ["status", "--porcelain", "--untracked-files=all", "--", ":(glob)packages/*/src/**"],
  { encoding: "utf8" },
);
if (status.trim() !== "") {
  process.stderr.write(
    `Generated files differ from what is committed (run \`pnpm generate\` and commit):\n${status}`,
  );
  execFileSync("git", ["--no-pager", "diff", "--stat", "--", ":(glob)packages/*/src/**"], {
    stdio: "inherit",
  });
  process.exit(1);
}
process.stdout.write("check-generated: regenerating changed nothing\n");
