import { coverage, type RequirementCoverage } from "./requirements/coverage-status.js";
import type { Requirement } from "./requirements/types.js";
import type { Check } from "./types.js";

const LEVELS = ["MUST", "SHOULD", "MAY"] as const;

/** Pads a Markdown table as biome formats it, so `biome check --write` leaves generated text unchanged. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
const ids = (checks: readonly string[]) => checks.map((id) => `\`${id}\``).join(", ");

function coveredBy(row: RequirementCoverage): string {
  switch (row.status) {
    case "covered":
      return ids(row.checks);
    case "covered-by-section":
      return `covered (by section): ${ids(row.checks)}`;
    case "not-covered":
      return "not covered yet";
    case "not-testable":
      return `not testable from outside: ${row.requirement.untestable ?? ""}`;
    default: {
      const never: never = row.status;
      return never;
    }
  }
}

/** One line per level: how many testable requirements checks cover, and how many cannot be tested. */
export function coverageSummary(rows: readonly RequirementCoverage[]): string {
  return LEVELS.map((level) => {
    const of = rows.filter((r) => r.requirement.level === level);
    const testable = of.filter((r) => r.status !== "not-testable");
    const explicit = of.filter((r) => r.status === "covered").length;
    const bySection = of.filter((r) => r.status === "covered-by-section").length;
    const untestable = of.length - testable.length;
    return `- ${level}s covered: ${explicit + bySection}/${testable.length} (${explicit} mapped, ${bySection} by section); ${untestable} not testable from outside.`;
  }).join("\n");
}

/**
 * The README's "RFC coverage" body: the summary, then per RFC a table of every catalogued requirement in
 * section order with its level, paraphrase and covering checks.
 */
export function coverageTable(
  requirements: readonly Requirement[],
  checks: readonly Pick<Check, "id" | "requirement">[],
  map: Readonly<Record<string, readonly string[]>>,
): string {
  const rows = coverage(requirements, checks, map);
  const parts = [coverageSummary(rows)];
  for (const rfc of [...new Set(requirements.map((r) => r.rfc))]) {
    const of = rows.filter((r) => r.requirement.rfc === rfc);
    const table = markdownTable(
      ["section", "id", "level", "requirement", "covered by"],
      of.map((r) => [
        `§${r.requirement.section}`,
        `\`${r.requirement.id}\``,
        r.requirement.level,
        cell(r.requirement.text),
        cell(coveredBy(r)),
      ]),
    );
    parts.push(`### RFC ${rfc}`, table);
  }
  return parts.join("\n\n");
}
