/// <reference types="node" />
/**
 * A full run (profile "all") against SCIMMY + scimmy-routers, a popular Node SCIM server library, on a real
 * port. It pins today's findings, so a scimmy upgrade (or a new check) that changes them fails here and
 * prints the failing ids. `UPDATE_README=1 npx vitest run src/scimmy.test.ts` rewrites the README's
 * "Findings: scimmy-routers" table from the run; add a FINDINGS entry for each new failure first.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScimmyServer, startScimmyServer } from "./__fixtures__/scimmy-server.js";
import { markdownTable } from "./coverage-table.js";
import { runConformance } from "./run.js";
import type { CheckResult, ConformanceReport } from "./types.js";

/** Who a failure is down to: the library under test, or this repository's in-memory glue. */
type Owner = "scimmy" | "scimmy-routers" | "glue";

/** Each currently failing check: whose behaviour it is and what happens, against which RFC rule. */
const FINDINGS: Readonly<Record<string, { readonly owner: Owner; readonly note: string }>> = {
  "crud.user.create-location": {
    owner: "scimmy-routers",
    note: "POST answers 201 with meta.location in the body but no Location header: the router's create route calls `res.status(201).send(…)` without `res.location(…)`. RFC 7644 §3.3 says the URI SHALL be in the Location header.",
  },
  "crud.group.create-location": {
    owner: "scimmy-routers",
    note: "Same route as for Users: no Location header on 201 (RFC 7644 §3.3).",
  },
  "query.pagination": {
    owner: "scimmy",
    note: "On a short last page (startIndex=3, count=2, 3 matches) the ListResponse holds 1 resource but says itemsPerPage 2: SCIMMY's ListResponse sets itemsPerPage to the requested count, while RFC 7644 §3.4.2 and §3.4.2.4 define it as the number of resources in the page.",
  },
};

const src = dirname(fileURLToPath(import.meta.url));
const readmePath = resolve(src, "../README.md");
const START =
  "<!-- scimmy:start (written by src/scimmy.test.ts: UPDATE_README=1 npx vitest run src/scimmy.test.ts) -->";
const END = "<!-- scimmy:end -->";

function versionOf(name: string): string {
  const pkg = JSON.parse(readFileSync(resolve(src, `../node_modules/${name}/package.json`), "utf8"));
  return String((pkg as { version?: unknown }).version);
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");

/** The README's findings: which versions ran, then each failed and skipped check with its explanation. */
function findingsSection(report: ConformanceReport): string {
  const { passed, failed, skipped } = report.summary;
  const versions = `scimmy ${versionOf("scimmy")}, scimmy-routers ${versionOf("scimmy-routers")}, express ${versionOf("express")}`;
  const failedRows = report.checks
    .filter((c) => c.status === "failed")
    .map((c) => {
      const finding = FINDINGS[c.id];
      return [
        `\`${c.id}\``,
        c.requirement,
        c.level,
        finding?.owner ?? "not analysed yet",
        cell(finding?.note ?? `${c.detail.slice(0, 200)}…`),
      ];
    });
  const skippedRows = report.checks
    .filter((c) => c.status === "skipped")
    .map((c: CheckResult) => [`\`${c.id}\``, c.requirement, cell(c.detail)]);
  return [
    `Run of \`runConformance({ profile: "all" })\` against ${versions}: ${passed} passed, ${failed} failed, ${skipped} skipped.`,
    failedRows.length > 0
      ? markdownTable(["failed check", "requirement", "level", "down to", "what happens"], failedRows)
      : "No check failed.",
    skippedRows.length > 0
      ? markdownTable(["skipped check", "requirement", "why"], skippedRows)
      : "No check was skipped.",
  ].join("\n\n");
}

describe("SCIMMY + scimmy-routers with in-memory storage", () => {
  let server: ScimmyServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startScimmyServer();
    report = await runConformance({ url: server.url, token: server.token, profile: "all" });
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    process.stdout.write(`scimmy-routers run: failed checks: ${failed.join(", ") || "none"}\n`);
  });
  afterAll(() => server.close());

  it("fails exactly the checks recorded in FINDINGS", () => {
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    expect(failed.sort()).toEqual(Object.keys(FINDINGS).sort());
  });

  it("leaves nothing the run created, and no report contains the token", () => {
    expect(server.stored().filter((name) => name.startsWith("scimkit-conformance-"))).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(server.token);
  });

  it("is recorded in the README's findings section", () => {
    const readme = readFileSync(readmePath, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, "findings start marker").toBeGreaterThan(-1);
    expect(end, "findings end marker").toBeGreaterThan(start);
    const want = `${START}\n\n${findingsSection(report)}\n\n${END}`;
    const got = readme.slice(start, end + END.length);
    if (process.env.UPDATE_README === "1" && got !== want) {
      writeFileSync(readmePath, readme.replace(got, want));
      return;
    }
    expect(got).toBe(want);
  });
});
