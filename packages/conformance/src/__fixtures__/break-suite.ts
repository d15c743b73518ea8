import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKS } from "../registry.js";
import { runConformance } from "../run.js";
import type { CheckProfile, ConformanceReport } from "../types.js";
import { type Break, startServer, type TestServer } from "./servers.js";

/** Resources whose name carries the run prefix, as the reference handler itself sees them. */
export async function leftovers(server: TestServer): Promise<number> {
  let total = 0;
  for (const [endpoint, attribute] of [
    ["Users", "userName"],
    ["Groups", "displayName"],
  ] as const) {
    const filter = encodeURIComponent(`${attribute} sw "scimkit-conformance-"`);
    const response = await server.inner(
      new Request(`http://127.0.0.1/scim/v2/${endpoint}?filter=${filter}`, {
        headers: { authorization: `Bearer ${server.token}` },
      }),
    );
    total += ((await response.json()) as { totalResults: number }).totalResults;
  }
  return total;
}

/** The ids of the failed checks of a report, in run order. */
export function failedIds(report: ConformanceReport): string[] {
  return report.checks.filter((c) => c.status === "failed").map((c) => c.id);
}

/**
 * One describe block per deliberately broken server: each row names the break, wraps the reference
 * handler with it, and lists exactly the check ids it must fail (in run order) — no more, no fewer.
 */
export function describeBreaks(
  rows: readonly (readonly [name: string, wrap: Break, expected: readonly string[]])[],
  profile: CheckProfile | "all" = "rfc",
): void {
  const total = CHECKS.filter((c) => profile === "all" || c.profile === profile).length;
  describe.each(rows)("a server where %s", (_name, wrap, expected) => {
    let server: TestServer;
    let report: ConformanceReport;
    beforeAll(async () => {
      server = await startServer(wrap);
      report = await runConformance({ url: server.url, token: server.token, profile });
    });
    afterAll(() => server.close());

    it("fails the checks for its break and nothing else", () => {
      expect(failedIds(report)).toEqual(expected);
      expect(report.summary.failed).toBe(expected.length);
      expect(report.summary.passed + report.summary.skipped).toBe(total - expected.length);
    });

    it("says what was sent and what came back, truncated, without the token", () => {
      for (const check of report.checks.filter((c) => c.status === "failed")) {
        expect(check.detail).toMatch(/(POST|GET|PUT|PATCH|DELETE) \/\w+/);
        expect(check.detail.length).toBeLessThan(1400);
      }
      expect(JSON.stringify(report)).not.toContain(server.token);
    });

    it("still removes everything it created", async () => {
      expect(await leftovers(server)).toBe(0);
    });
  });
}
