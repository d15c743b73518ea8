/// <reference types="node" />
/**
 * The README cannot drift: its table of checks is generated from the registry, and its library example
 * is readme-example.test.ts verbatim (which runs). `UPDATE_README=1 npx vitest run src/readme.test.ts`
 * rewrites the table after checks are added.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checksTable } from "./checks-table.js";
import { CHECKS } from "./registry.js";

const src = dirname(fileURLToPath(import.meta.url));
const readmePath = resolve(src, "../README.md");
const START = "<!-- checks:start (generated from the registry by src/readme.test.ts) -->";
const END = "<!-- checks:end -->";

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
