import type { CheckResult, ConformanceReport } from "./types.js";

const MARK = { passed: "✓", failed: "✗", skipped: "-" } as const;

/** ANSI SGR colours used when colour is on (stdout is a terminal, see the cli's `useColor`). */
const SGR = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

type Paint = (style: keyof typeof SGR, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `\u001b[${SGR[style]}m${text}\u001b[0m` : (_style, text) => text;
}

const STATUS_STYLE = { passed: "green", failed: "red", skipped: "yellow" } as const;

/** Options of {@link formatText} and {@link formatSummary}. */
export interface TextOptions {
  /** Wrap marks and the summary in ANSI colours. Default false. */
  readonly color?: boolean;
  /** How long the run took, shown in the summary line. */
  readonly durationMs?: number;
}

/** A check's area: its id up to the first "." (`crud.user.read` → `crud`). */
export function areaOf(result: Pick<CheckResult, "id">): string {
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

/** The number of failed checks whose level is MUST: the ones that make `scimkit test` exit 1. */
export function mustFailures(report: ConformanceReport): number {
  return report.checks.filter((r) => r.status === "failed" && r.level === "MUST").length;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function checkLine(r: CheckResult, paint: Paint): string {
  const level = r.level === "MUST" ? r.level : paint("dim", r.level);
  return `  ${paint(STATUS_STYLE[r.status], MARK[r.status])} ${r.id}  ${r.title} ${paint("dim", `[${r.requirement}`)} ${level}${paint("dim", "]")}`;
}

function detailLines(r: CheckResult, paint: Paint): string[] {
  if (r.status === "passed" || r.detail === "") return [];
  return r.detail.split("\n").map((line) => `      ${r.status === "skipped" ? paint("dim", line) : line}`);
}

/**
 * The summary line: counts, MUST failures (what decides the exit code) and, when given, the duration.
 *
 * @example
 * formatSummary(report, { durationMs: 1234 }); // "35 passed, 1 failed (1 MUST), 0 skipped in 1.2 s"
 */
export function formatSummary(report: ConformanceReport, options: TextOptions = {}): string {
  const paint = painter(options.color === true);
  const { passed, failed, skipped } = report.summary;
  const must = mustFailures(report);
  const time = options.durationMs === undefined ? "" : ` in ${seconds(options.durationMs)}`;
  const failedText = `${failed} failed (${must} MUST)`;
  return [
    paint("green", `${passed} passed`),
    failed > 0 ? paint(must > 0 ? "red" : "yellow", failedText) : failedText,
    `${skipped} skipped${time}`,
  ].join(", ");
}

/**
 * The report as plain text: checks grouped by area (the id up to its first "."), each with its status
 * mark (✓ passed, ✗ failed, - skipped), the detail of failures and skips indented below, and the summary
 * line. With `color`, marks and counts are coloured with ANSI escapes.
 *
 * @example
 * process.stdout.write(formatText(await runConformance({ url, token }), { durationMs: 1200 }));
 */
export function formatText(report: ConformanceReport, options: TextOptions = {}): string {
  const paint = painter(options.color === true);
  const lines = [paint("bold", `scimkit conformance: ${report.target}`)];
  for (const [area, results] of byArea(report)) {
    lines.push("", paint("bold", area));
    for (const r of results) lines.push(checkLine(r, paint), ...detailLines(r, paint));
  }
  if (report.checks.length === 0) lines.push("", "no checks ran");
  lines.push("", formatSummary(report, options));
  return `${lines.join("\n")}\n`;
}

/**
 * The failed checks only, each with its detail, then the summary line: what `scimkit test --out FILE`
 * prints on stdout while the whole report goes to the file.
 *
 * @example
 * process.stdout.write(formatFailures(report, { durationMs: 1200 }));
 */
export function formatFailures(report: ConformanceReport, options: TextOptions = {}): string {
  const paint = painter(options.color === true);
  const lines: string[] = [];
  for (const r of report.checks.filter((c) => c.status === "failed"))
    lines.push(checkLine(r, paint), ...detailLines(r, paint));
  if (lines.length > 0) lines.push("");
  lines.push(formatSummary(report, options));
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
 * The report as JUnit XML: one testsuite per area, one testcase per check (a failure carries the
 * requirement and its detail, a skip its reason). With `durationMs`, the run's time in seconds is the
 * `time` of `<testsuites>` (the checks are not timed one by one).
 *
 * @example
 * await writeFile("conformance.xml", formatJunit(await runConformance({ url, token })));
 */
export function formatJunit(
  report: ConformanceReport,
  options: Pick<TextOptions, "durationMs"> = {},
): string {
  const { passed, failed, skipped } = report.summary;
  const time = options.durationMs === undefined ? "" : ` time="${(options.durationMs / 1000).toFixed(3)}"`;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`scimkit conformance: ${report.target}`)}" tests="${passed + failed + skipped}" failures="${failed}" skipped="${skipped}"${time}>`,
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

/**
 * The report as `scimkit test --format json` writes it: the {@link ConformanceReport} object itself,
 * indented, with a final newline.
 *
 * @example
 * JSON.parse(formatJson(report)).summary.failed; // the same as report.summary.failed
 */
export function formatJson(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
