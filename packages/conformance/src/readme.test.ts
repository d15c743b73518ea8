/// <reference types="node" />
/**
 * The README cannot drift: its table of checks is generated from the registry, its "RFC coverage" tables
 * from src/requirements and the registry, and its library example is readme-example.test.ts verbatim
 * (which runs). `UPDATE_README=1 npx vitest run src/readme.test.ts` rewrites both tables after checks or
 * requirements change.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checksTable } from "./checks-table.js";
import { coverageTable } from "./coverage-table.js";
import { CHECKS } from "./registry.js";
import { COVERAGE, REQUIREMENTS } from "./requirements/index.js";

const src = dirname(fileURLToPath(import.meta.url));
const readmePath = resolve(src, "../README.md");
const START = "<!-- checks:start (generated from the registry by src/readme.test.ts) -->";
const END = "<!-- checks:end -->";
const COVERAGE_START = "<!-- coverage:start (generated from src/requirements by src/readme.test.ts) -->";
const COVERAGE_END = "<!-- coverage:end -->";

describe("README.md", () => {
  it("lists exactly the registered checks", () => {
    const readme = readFileSync(readmePath, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, "table start marker").toBeGreaterThan(-1);
    expect(end, "table end marker").toBeGreaterThan(start);
    const want = `${START}\n\n${checksTable(CHECKS)}\n\n${END}`;
    const got = readme.slice(start, end + END.length);
    if (process.env.UPDATE_README === "1" && got !== want) {
      writeFileSync(readmePath, readme.replace(got, want));
      return;
    }
    expect(got).toBe(want);
  });

  it("shows the RFC coverage generated from the requirements catalogue, the coverage map and the registry", () => {
    const readme = readFileSync(readmePath, "utf8");
    const start = readme.indexOf(COVERAGE_START);
    const end = readme.indexOf(COVERAGE_END);
    expect(start, "coverage start marker").toBeGreaterThan(-1);
    expect(end, "coverage end marker").toBeGreaterThan(start);
    const want = `${COVERAGE_START}\n\n${coverageTable(REQUIREMENTS, CHECKS, COVERAGE)}\n\n${COVERAGE_END}`;
    const got = readme.slice(start, end + COVERAGE_END.length);
    if (process.env.UPDATE_README === "1" && got !== want) {
      writeFileSync(readmePath, readme.replace(got, want));
      return;
    }
    expect(got).toBe(want);
  });

  it("shows readme-example.test.ts as the library example, verbatim", () => {
    const readme = readFileSync(readmePath, "utf8");
    const example = readFileSync(resolve(src, "readme-example.test.ts"), "utf8");
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it("names every registered check id once and ids are unique", () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) expect(c.id).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
  });
});
