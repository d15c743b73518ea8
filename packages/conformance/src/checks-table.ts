import type { Check } from "./types.js";

/** The README's table of implemented checks, one row per registered check, in run order. */
export function checksTable(checks: readonly Check[]): string {
  const rows = checks.map((c) => {
    const needs = c.requires?.length ? c.requires.join(", ") : "";
    const cells = [
      `\`${c.id}\``,
      c.title.replace(/\|/g, "\\|"),
      c.requirement,
      c.level,
      c.profile,
      c.writes ? "yes" : "no",
      needs,
    ];
    return cells;
  });
  const header = [
    "id",
    "checks that",
    "requirement",
    "level",
    "profile",
    "creates resources",
    "skipped unless advertised",
  ];
  // Padded as biome formats Markdown tables, so `biome check --write` leaves the README as generated.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
