import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { estimateRows } from "./estimate.js";

const dir = mkdtempSync(join(tmpdir(), "scimkit-sync-estimate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("estimateRows", () => {
  it.each([
    ["CSV with CRLF and a final newline", "a.csv", "userName\r\nx\r\ny\r\n", "csv", 2],
    ["CSV without a final newline", "b.csv", "userName\nx\ny", "csv", 2],
    ["CSV with blank lines", "c.csv", "userName\n\nx\n \ny\n\n", "csv", 2],
    ["only a header", "d.csv", "userName\n", "csv", 0],
    ["NDJSON", "e.ndjson", '{"userName":"x"}\n{"userName":"y"}\n{"userName":"z"}', "json", 3],
    ["a JSON array has no line count", "f.json", ' [{"userName":"x"},\n{"userName":"y"}]', "json", undefined],
  ] as const)("%s", async (_, name, text, format, want) => {
    expect(await estimateRows(file(name, text), format)).toBe(want);
  });

  it("counts lines across read boundaries (a file several times the 256 KiB read size)", async () => {
    // rows of varying length so line ends fall at every offset of a read, CRLF on odd rows
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `user-${i}${"x".repeat(i % 37)}${i % 2 ? "\r\n" : "\n"}`,
    );
    const path = file("big.csv", `userName\n${rows.join("")}`);
    expect(await estimateRows(path, "csv")).toBe(rows.length);
  });

  it("a file that cannot be read has no estimate", async () => {
    expect(await estimateRows(join(dir, "missing.csv"), "csv")).toBeUndefined();
  });
});
