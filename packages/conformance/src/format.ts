import type { CheckResult, ConformanceReport } from "./types.js";

const MARK = { passed: "✓", failed: "✗", skipped: "-" } as const;

function areaOf(result: CheckResult): string {
  return result.id.split(".")[0] ?? result.id;
}

function byArea(report: ConformanceReport): Map<string, CheckResult[]> {
  const areas = new Map<string, CheckResult[]>();
  for (const result of report.checks) {
    const area = areaOf(result);
    areas.set(area, [...(areas.get(area) ?? []), result]);
  }
  return areas;
}

/**
 * The report as plain text: checks grouped by area, failures and skips with their detail, a summary line.
 *
 * @example
 * process.stdout.write(formatText(await runConformance({ url, token })));
 */
export function formatText(report: ConformanceReport): string {
  const lines = [`scimkit conformance: ${report.target}`];
  for (const [area, results] of byArea(report)) {
    lines.push("", area);
    for (const r of results) {
      lines.push(`  ${MARK[r.status]} ${r.id}  ${r.title} [${r.requirement} ${r.level}]`);
      if (r.status !== "passed" && r.detail !== "") lines.push(`      ${r.detail}`);
    }
  }
  const { passed, failed, skipped } = report.summary;
  const mustFailed = report.checks.filter((r) => r.status === "failed" && r.level === "MUST").length;
  lines.push("", `${passed} passed, ${failed} failed (${mustFailed} MUST), ${skipped} skipped`);
  return `${lines.join("\n")}\n`;
}

function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, "");
}

/**
 * The report as JUnit XML: one testsuite per area, one testcase per check.
 *
 * @example
 * await writeFile("conformance.xml", formatJunit(await runConformance({ url, token })));
 */
export function formatJunit(report: ConformanceReport): string {
  const { passed, failed, skipped } = report.summary;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`scimkit conformance: ${report.target}`)}" tests="${passed + failed + skipped}" failures="${failed}" skipped="${skipped}">`,
  ];
  for (const [area, results] of byArea(report)) {
    const count = (status: CheckResult["status"]) => results.filter((r) => r.status === status).length;
    out.push(
      `  <testsuite name="${xml(area)}" tests="${results.length}" failures="${count("failed")}" skipped="${count("skipped")}">`,
    );
    for (const r of results) {
      const name = `${xml(r.id)}" classname="${xml(area)}`;
      if (r.status === "passed") {
        out.push(`    <testcase name="${name}"/>`);
        continue;
      }
      out.push(`    <testcase name="${name}">`);
      const message = xml(`${r.requirement} ${r.level}: ${r.title}`);
      if (r.status === "failed") out.push(`      <failure message="${message}">${xml(r.detail)}</failure>`);
      else out.push(`      <skipped message="${xml(r.detail)}"/>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}
