import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIfStale, newestSource } from "./fresh-dist.js";

let dir: string;
const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);
function write(path: string, text: string, seconds: number): void {
  const full = join(dir, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, text);
  utimesSync(full, at(seconds), at(seconds));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "scimkit-fresh-dist-"));
  write(
    "tsconfig.build.json",
    JSON.stringify({ compilerOptions: { rootDir: "src", outDir: "dist", module: "NodeNext", types: [] } }),
    0,
  );
  write("src/index.ts", "export const answer: number = 42;\n", 10);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("newestSource", () => {
  it("counts sources, not tests, type tests, __fixtures__ or other files", () => {
    write("src/a.test.ts", "", 50);
    write("src/b.test-d.ts", "", 51);
    write("src/__fixtures__/c.ts", "", 52);
    write("src/notes.md", "", 53);
    write("src/deep/d.ts", "export {};\n", 20);
    expect(newestSource(join(dir, "src"))).toBe(at(20).getTime());
  });
});

describe("buildIfStale", () => {
  it("builds when dist is missing, not again while it is newer, and again after a source changes", () => {
    expect(buildIfStale(dir, "index.js")).toBe(true);
    expect(readFileSync(join(dir, "dist", "index.js"), "utf8")).toContain("42");
    expect(buildIfStale(dir, "index.js")).toBe(false);
    write("src/index.ts", "export const answer: number = 43;\n", Date.now() / 1000 - 1_700_000_000 + 60);
    expect(buildIfStale(dir, "index.js")).toBe(true);
    expect(readFileSync(join(dir, "dist", "index.js"), "utf8")).toContain("43");
    expect(existsSync(join(dir, "dist", "deep", "d.js"))).toBe(true);
  });
});
