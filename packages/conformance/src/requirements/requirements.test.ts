import { describe, expect, it } from "vitest";
import { CHECKS } from "../registry.js";
import { COVERAGE, citedSections, coverage, REQUIREMENTS } from "./index.js";
import { catalogue } from "./types.js";

const byId = new Map(REQUIREMENTS.map((r) => [r.id, r]));
const citations = new Set(REQUIREMENTS.map((r) => r.citation));

describe("the requirements catalogue", () => {
  it("has unique ids of the form <rfc>-<section>-<slug>, each matching its RFC and section", () => {
    expect(byId.size).toBe(REQUIREMENTS.length);
    for (const r of REQUIREMENTS) {
      expect(r.id).toMatch(/^(7643|7644|9865)-\d+(\.\d+)*-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.id.startsWith(`${r.rfc}-${r.section}-`), r.id).toBe(true);
      expect(r.citation).toBe(`RFC ${r.rfc} §${r.section}`);
      expect(r.text.length, r.id).toBeGreaterThan(10);
      expect(r.text, r.id).not.toContain("|");
    }
  });

  it("is in RFC and section order, so the README reads like the RFCs", () => {
    const key = (r: (typeof REQUIREMENTS)[number]) => [r.rfc, ...r.section.split(".").map(Number)];
    const compare = (a: number[], b: number[]) => {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const d = (a[i] ?? -1) - (b[i] ?? -1);
        if (d !== 0) return d;
      }
      return 0;
    };
    for (let i = 1; i < REQUIREMENTS.length; i++) {
      const [prev, next] = [REQUIREMENTS[i - 1], REQUIREMENTS[i]];
      if (prev && next)
        expect(compare(key(prev), key(next)), `${prev.id} before ${next.id}`).toBeLessThanOrEqual(0);
    }
  });

  it("lists well over a hundred MUSTs", () => {
    expect(REQUIREMENTS.filter((r) => r.level === "MUST").length).toBeGreaterThan(150);
  });
});

describe("check citations and the coverage map", () => {
  it("every RFC 7643/7644/9865 section a registered check cites is in the catalogue (so a typo fails here)", () => {
    for (const check of CHECKS) {
      for (const section of citedSections(check)) {
        expect(section, check.id).toMatch(/^RFC \d{4} §\d+(\.\d+)*$/);
        // Other RFCs (e.g. RFC 7232 for conditional requests) are cited as support, not catalogued.
        if (/^RFC (7643|7644|9865) /.test(section)) {
          expect(citations.has(section), `${check.id} cites ${section}`).toBe(true);
        }
      }
    }
  });

  it("maps only catalogued, testable requirements to registered checks that cite their section", () => {
    const checks = new Map(CHECKS.map((c) => [c.id, c]));
    for (const [requirementId, checkIds] of Object.entries(COVERAGE)) {
      const requirement = byId.get(requirementId);
      expect(requirement, `${requirementId} is catalogued`).toBeDefined();
      expect(requirement?.untestable, `${requirementId} is testable`).toBeUndefined();
      expect(checkIds.length, requirementId).toBeGreaterThan(0);
      for (const checkId of checkIds) {
        const check = checks.get(checkId);
        expect(check, `${checkId} (mapped to ${requirementId}) is registered`).toBeDefined();
        if (check && requirement) {
          expect(citedSections(check), `${checkId} cites ${requirement.citation}`).toContain(
            requirement.citation,
          );
        }
      }
    }
  });

  it("lists every registered check for at least one requirement, so none counts only by section", () => {
    const listed = new Set(Object.values(COVERAGE).flat());
    expect(CHECKS.filter((c) => !listed.has(c.id)).map((c) => c.id)).toEqual([]);
  });

  it("lists each requirement's checks once, in run order", () => {
    const order = new Map(CHECKS.map((c, i) => [c.id, i]));
    for (const [requirementId, checkIds] of Object.entries(COVERAGE)) {
      const positions = checkIds.map((id) => order.get(id) ?? -1);
      expect(positions, requirementId).toEqual([...new Set(positions)].sort((a, b) => a - b));
    }
  });
});

describe("coverage()", () => {
  const reqs = catalogue(7644, [
    ["3.6", "MUST", "delete-204", "A successful DELETE answers 204 No Content."],
    ["3.6", "MUST", "delete-then-404", "Every request for a deleted resource answers 404."],
    ["3.6", "SHOULD", "delete-no-conflict", "A deleted resource causes no conflicts."],
    ["3.3", "MUST", "create-201", "A successful create answers 201 Created."],
    ["7.2", "MUST", "tls-required", "Only over TLS.", "transport"],
  ]);
  const status = (checks: { id: string; requirement: string }[], map: Record<string, string[]>) =>
    Object.fromEntries(coverage(reqs, checks, map).map((r) => [r.requirement.id, [r.status, ...r.checks]]));

  it.each([
    [
      "an unmapped check covers every requirement of its exact section, by section",
      { checks: [{ id: "crud.delete", requirement: "RFC 7644 §3.6" }], map: {} },
      {
        "7644-3.6-delete-204": ["covered-by-section", "crud.delete"],
        "7644-3.6-delete-then-404": ["covered-by-section", "crud.delete"],
        "7644-3.6-delete-no-conflict": ["covered-by-section", "crud.delete"],
        "7644-3.3-create-201": ["not-covered"],
        "7644-7.2-tls-required": ["not-testable"],
      },
    ],
    [
      "a mapped check covers only what it is mapped to",
      {
        checks: [{ id: "crud.delete", requirement: "RFC 7644 §3.6" }],
        map: { "7644-3.6-delete-204": ["crud.delete"] },
      },
      {
        "7644-3.6-delete-204": ["covered", "crud.delete"],
        "7644-3.6-delete-then-404": ["not-covered"],
        "7644-3.6-delete-no-conflict": ["not-covered"],
        "7644-3.3-create-201": ["not-covered"],
        "7644-7.2-tls-required": ["not-testable"],
      },
    ],
    [
      "a requirement with a map entry is not also covered by section, and a section must match exactly",
      {
        checks: [
          { id: "a.mapped", requirement: "RFC 7644 §3.6" },
          { id: "b.unmapped", requirement: "RFC 7644 §3.6; RFC 7644 §3.3.1" },
        ],
        map: { "7644-3.6-delete-204": ["a.mapped"] },
      },
      {
        "7644-3.6-delete-204": ["covered", "a.mapped"],
        "7644-3.6-delete-then-404": ["covered-by-section", "b.unmapped"],
        "7644-3.6-delete-no-conflict": ["covered-by-section", "b.unmapped"],
        "7644-3.3-create-201": ["not-covered"],
        "7644-7.2-tls-required": ["not-testable"],
      },
    ],
  ])("%s", (_name, given, want) => {
    expect(status(given.checks, given.map)).toEqual(want);
  });
});
