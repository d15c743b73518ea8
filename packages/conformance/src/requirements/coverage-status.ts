import type { Check } from "../types.js";
import type { Requirement } from "./types.js";

/** How a requirement is covered: by checks mapped to it, by checks citing its section, not yet, or never. */
export type CoverageStatus = "covered" | "covered-by-section" | "not-covered" | "not-testable";

/** One requirement with its coverage status and the ids of the checks that cover it. */
export interface RequirementCoverage {
  readonly requirement: Requirement;
  readonly status: CoverageStatus;
  readonly checks: readonly string[];
}

/**
 * The sections a check cites, as "RFC nnnn §x.y" strings.
 *
 * @example
 * citedSections({ requirement: "RFC 7644 §3.3; RFC 7643 §4.1.1" }); // ["RFC 7644 §3.3", "RFC 7643 §4.1.1"]
 */
export function citedSections(check: Pick<Check, "requirement">): string[] {
  return check.requirement
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Applies the coverage rule to every requirement:
 * - not testable from outside: the requirement says why, whatever cites it;
 * - covered: the map lists checks for it (each must cite its section; a test enforces that);
 * - covered by section: the map has no entry for it, and some check that the map nowhere lists cites
 *   exactly its section (a mapped check covers only what it is mapped to);
 * - not covered: otherwise.
 *
 * @example
 * const rows = coverage(REQUIREMENTS, CHECKS, COVERAGE);
 * rows.filter((r) => r.status === "not-covered").map((r) => r.requirement.id);
 */
export function coverage(
  requirements: readonly Requirement[],
  checks: readonly Pick<Check, "id" | "requirement">[],
  map: Readonly<Record<string, readonly string[]>>,
): RequirementCoverage[] {
  const known = new Set(checks.map((c) => c.id));
  const mapped = new Set(Object.values(map).flat());
  const unmapped = checks.filter((c) => !mapped.has(c.id));
  return requirements.map((requirement) => {
    if (requirement.untestable !== undefined) return { requirement, status: "not-testable", checks: [] };
    const listed = Object.hasOwn(map, requirement.id) ? (map[requirement.id] ?? []) : undefined;
    if (listed !== undefined) {
      const ids = listed.filter((id) => known.has(id));
      return { requirement, status: ids.length > 0 ? "covered" : "not-covered", checks: ids };
    }
    const bySection = unmapped
      .filter((c) => citedSections(c).includes(requirement.citation))
      .map((c) => c.id);
    return {
      requirement,
      status: bySection.length > 0 ? "covered-by-section" : "not-covered",
      checks: bySection,
    };
  });
}
