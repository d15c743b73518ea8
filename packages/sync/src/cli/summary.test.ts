import { describe, expect, it } from "vitest";
import { plainProgress } from "./io.js";
import { decimal, formatReport, MAX_FAILURES_SHOWN, summaryLines } from "./summary.js";

describe("decimal", () => {
  it("writes what String() writes", () => {
    const numbers = [
      0,
      -0,
      1,
      7,
      10,
      99,
      1000,
      1048576,
      -42,
      2 ** 53 - 1,
      -(2 ** 53) + 1,
      2 ** 53,
      1e21,
      1.5,
      NaN,
    ];
    for (let n = 0; n < 20_000; n += 7) numbers.push(n);
    for (const n of numbers) expect(decimal(n)).toBe(String(n));
  });
});

describe("formatReport", () => {
  it("writes DESIGN.md's keys in order, row or key first in each failure", () => {
    const text = formatReport({
      unchanged: 1,
      failed: [
        { detail: "bad", status: 400, scimType: "invalidValue", row: 3 },
        { key: "bjensen", status: 404, detail: "gone" },
      ],
      deactivated: 2,
      created: 4,
      updated: 5,
    });
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(["created", "updated", "deactivated", "unchanged", "failed"]);
    expect(parsed.failed.map((f: object) => Object.keys(f))).toEqual([
      ["row", "status", "scimType", "detail"],
      ["key", "status", "detail"],
    ]);
    expect(text.endsWith("}\n")).toBe(true);
  });
});

describe("summaryLines", () => {
  it("is a table of the counts, then the failures, capped with a pointer to --report", () => {
    const failed = Array.from({ length: MAX_FAILURES_SHOWN + 2 }, (_, i) => ({
      row: i + 2,
      status: 400,
      detail: `cell ${i}`,
    }));
    const lines = summaryLines(
      { created: 12, updated: 3, deactivated: 0, unchanged: 1000, failed },
      { dryRun: false, groupsCreated: 2 },
    );
    expect(lines.slice(0, 11)).toEqual([
      "+----------------+-------+",
      "| users          | count |",
      "+----------------+-------+",
      "| created        |    12 |",
      "| updated        |     3 |",
      "| deactivated    |     0 |",
      "| unchanged      |  1000 |",
      "| failed         |    52 |",
      "| groups created |     2 |",
      "+----------------+-------+",
      "row 2: 400: cell 0",
    ]);
    expect(lines.at(-1)).toBe("… and 2 more failures (--report FILE lists them all)");
  });

  it("says what a dry run would do", () => {
    const lines = summaryLines(
      { created: 1, updated: 0, deactivated: 4, unchanged: 0, failed: [] },
      { dryRun: true },
    );
    expect(lines).toContain("| to create     |     1 |");
    expect(lines).toContain("| to deactivate |     4 |");
  });
});

describe("plainProgress", () => {
  it("writes a line when a phase starts, at most one per interval, and one at the end", () => {
    const lines: string[] = [];
    const progress = plainProgress((line) => lines.push(line), 60_000);
    progress.start("applying", 10);
    for (let i = 1; i <= 10; i++) progress.update(i, i > 8 ? 1 : 0);
    progress.stop();
    progress.stop();
    expect(lines).toEqual(["applying… 10 to go", "applying: 10/10 (1 failed) done"]);
  });

  it("with no interval, every update is a line", () => {
    const lines: string[] = [];
    const progress = plainProgress((line) => lines.push(line), 0);
    progress.start("planning", undefined);
    progress.update(5, 0);
    progress.stop();
    expect(lines).toEqual(["planning…", "planning: 5", "planning: 5 done"]);
  });
});
