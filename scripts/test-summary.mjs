#!/usr/bin/env node
// Adds up the vitest JSON reports that `pnpm test` leaves in packages/*/.vitest/report.json (written
// when CI is set) and prints one closing line: "Tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const packages = join(import.meta.dirname, "..", "packages");
for (const name of readdirSync(packages)) {
  const file = join(packages, name, ".vitest", "report.json");
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
process.stdout.write(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
if (passed === 0 || failed > 0) process.exit(1);
