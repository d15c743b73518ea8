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
import { CHECKS } from "./registry.js";
import { runConformance } from "./run.js";
import type { CheckResult, ConformanceReport } from "./types.js";

/** Who a failure is down to: the library under test, or this repository's in-memory glue. */
type Owner = "scimmy" | "scimmy-routers" | "glue";

/**
 * Each failing check: whose behaviour it is and what happens, against which RFC rule (checked again on
 * the merged suite, 2026-12-03). An entry for an id that is not registered is ignored, so a check can be
 * analysed before it lands; "glue" failures are fixed in src/__fixtures__/scimmy-server.ts, not listed.
 */
const FINDINGS: Readonly<Record<string, { readonly owner: Owner; readonly note: string }>> = {
  "discovery.capability-max-results": {
    owner: "scimmy",
    note: "ServiceProviderConfig says filter.maxResults 200, yet `count=201` answers itemsPerPage 201: SCIMMY's ListResponse copies the requested count into itemsPerPage (RFC 7643 §5, RFC 7644 §3.4.2.4).",
  },
  "discovery.capability-change-password": {
    owner: "scimmy-routers",
    note: "ServiceProviderConfig says changePassword.supported false (scimmy-routers sets only patch, filter, sort and bulk), yet a PATCH replacing password answers 204 and is applied (RFC 7643 §5).",
  },
  "crud.user.create-status": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.create-location": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1). Once created (without roles) it would fail anyway as crud.group.create-location does: scimmy-routers sends no Location header (RFC 7644 §3.3).",
  },
  "crud.user.create-meta": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.create-attributes": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.extensions": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.read": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.replace": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.readonly-ignored": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.user.delete": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "crud.uniqueness": {
    owner: "scimmy",
    note: "The User with every writable attribute cannot be created: 400 invalidValue \"Attribute 'type' contains non-canonical value from complex attribute 'roles'\", the roles.type restriction of patch.add-every-attribute (arguable, RFC 7643 §2.3.1), so the first User of the uniqueness pair never exists (the glue's own userName rule is not reached).",
  },
  "crud.group.create-location": {
    owner: "scimmy-routers",
    note: "Same route as for Users: no Location header on 201 (RFC 7644 §3.3).",
  },
  "errors.malformed-json": {
    owner: "scimmy-routers",
    note: "Invalid JSON answers 400 from Express's body parser with no scimType; RFC 7644 §3.12 Table 9 gives invalidSyntax for an unparsable body.",
  },
  "errors.payload-too-large": {
    owner: "scimmy-routers",
    note: "An oversized /Bulk body is refused 413 by Express's body parser (\"request entity too large\") before the router's own check, so the error does not name maxPayloadSize (RFC 7644 §3.7.4).",
  },
  "security.www-authenticate": {
    owner: "scimmy-routers",
    note: "A request without a token answers 401 with no WWW-Authenticate header naming the bearer scheme scimmy-routers was configured with (RFC 7644 §2, RFC 7235 §4.1).",
  },
  "query.filter.string-operators": {
    owner: "scimmy",
    note: 'SCIMMY\'s filter parser refuses a parenthesized group followed by `and`, e.g. `((title ne "Engineer") and title pr) and userName sw "…"`, with 400 invalidFilter (RFC 7644 §3.4.2.2 grouping).',
  },
  "query.filter.logical": {
    owner: "scimmy",
    note: 'Same parser limit: `(not (title eq "Engineer")) and …` is refused with 400 invalidFilter (RFC 7644 §3.4.2.2).',
  },
  "query.filter.precedence": {
    owner: "scimmy",
    note: "Same parser limit with nested parentheses: 400 invalidFilter (RFC 7644 §3.4.2.2).",
  },
  "query.filter.boolean-ordering-invalid": {
    owner: "scimmy",
    note: "`active gt true` is accepted (200, no matches); RFC 7644 §3.4.2.2 requires 400 invalidFilter for gt/ge/lt/le on booleans.",
  },
  "query.filter.multi-valued": {
    owner: "scimmy",
    note: "SCIMMY's Filter.match (which the glue's egress uses, as SCIMMY's docs suggest) throws on a User without emails for `emails.type eq \"home\"`; SCIMMY turns the TypeError into 400 invalidValue (RFC 7644 §3.4.2.2). An app filtering in its own database would not hit this.",
  },
  "query.filter.attribute-names": {
    owner: "scimmy",
    note: 'Same Filter.match TypeError on `EMAILS.Type eq "home"` for Users without emails: 400 invalidValue (RFC 7644 §3.4.2.2).',
  },
  "query.filter.value-path": {
    owner: "scimmy",
    note: 'Same Filter.match TypeError on `emails[type eq "work"]` for Users without emails: 400 invalidValue (RFC 7644 §3.4.2.2).',
  },
  "query.filter.case-insensitive": {
    owner: "scimmy",
    note: "Filter.match compares userName case-sensitively, so `userName eq` in upper case finds nothing; userName has caseExact false (RFC 7643 §4.1.1, RFC 7644 §3.4.2.2). An app filtering in its own database could do better.",
  },
  "query.pagination": {
    owner: "scimmy",
    note: "On a short last page the ListResponse holds fewer resources than it says in itemsPerPage: SCIMMY's ListResponse sets itemsPerPage to the requested count, while RFC 7644 §3.4.2 and §3.4.2.4 define it as the number of resources in the page.",
  },
  "query.paging.past-end": {
    owner: "scimmy",
    note: "A startIndex past the last match returns the first page again: SCIMMY's ListResponse only slices when startIndex lies within the results (RFC 7644 §3.4.2.4).",
  },
  "query.attributes": {
    owner: "scimmy",
    note: "With `attributes`, SCIMMY leaves `schemas` out of the resource; every representation must carry it (RFC 7643 §3, returned always per RFC 7644 §3.9).",
  },
  "query.excluded-attributes": {
    owner: "scimmy",
    note: "With `excludedAttributes=…,schemas`, SCIMMY drops `schemas`, which cannot be excluded (RFC 7643 §3, RFC 7644 §3.9).",
  },
  "query.returned-never-and-request": {
    owner: "scimmy",
    note: "Same as query.attributes: no `schemas` once `attributes` is given (password itself is correctly never returned).",
  },
  "patch.response-attributes": {
    owner: "scimmy",
    note: "PATCH with `?attributes=displayName` answers 500 \"Required attribute 'userName' is missing\": SCIMMY reads the resource through the attributes projection, then writes the projected copy back (RFC 7644 §3.5.2: 200 with the requested attributes).",
  },
  "patch.add-every-attribute": {
    owner: "scimmy",
    note: 'roles.type is refused as "non-canonical": SCIMMY enforces canonicalValues and its User schema gives roles.type (and x509Certificates.type) an empty list, so no value is accepted. RFC 7643 §2.3.1 lets a server restrict to canonical values (MAY), and §8.7.1 lists none for roles.type, so this is arguable.',
  },
  "patch.replace-every-attribute": {
    owner: "scimmy",
    note: "The test User cannot be created: same roles.type restriction as patch.add-every-attribute (arguable, RFC 7643 §2.3.1).",
  },
  "patch.replace-sub-attributes": {
    owner: "scimmy",
    note: "The test User cannot be created: same roles.type restriction (arguable, RFC 7643 §2.3.1).",
  },
  "patch.remove-every-attribute": {
    owner: "scimmy",
    note: "The test User cannot be created: same roles.type restriction (arguable, RFC 7643 §2.3.1).",
  },
  "patch.add-sub-attributes": {
    owner: "scimmy",
    note: "PATCH add of `urn:…:enterprise:2.0:User:manager.value` on a User without a manager answers 400 noTarget: SCIMMY's PatchOp does not create the missing complex parent for an extension path. RFC 7644 §3.5.2.1: if the target location does not exist, the attribute and value are added.",
  },
  "patch.remove-sub-attributes": {
    owner: "scimmy",
    note: "The test User cannot be created: same roles.type restriction (arguable, RFC 7643 §2.3.1).",
  },
  "patch.replace-complex-keeps-others": {
    owner: "scimmy",
    note: "The test User cannot be created: same roles.type restriction (arguable, RFC 7643 §2.3.1).",
  },
  "patch.add-existing-keeps-meta": {
    owner: "scimmy",
    note: "SCIMMY's add appends a second copy of the email already there (patch.add-existing-no-duplicate), so the User really changes and storage stamps a new meta.lastModified; RFC 7644 §3.5.2.1 says such an add changes nothing and SHALL NOT change the modify timestamp. (The glue keeps the timestamp when an ingress changes nothing.)",
  },
  "patch.add-existing-no-duplicate": {
    owner: "scimmy",
    note: "PATCH add of an email the User already has appends a second copy (RFC 7644 §3.5.2.1: SHOULD change nothing).",
  },
  "patch.primary-exclusive": {
    owner: "scimmy",
    note: "Adding an email with primary true leaves the other email primary too (RFC 7644 §3.5.2 SHALL, RFC 7643 §2.4).",
  },
  "patch.remove-required": {
    owner: "scimmy",
    note: "Removing userName is refused, but with scimType invalidValue; RFC 7644 §3.5.2.2 names mutability.",
  },
  "patch.read-only": {
    owner: "scimmy",
    note: "PATCH replace of the readOnly User.groups answers 204 and silently changes nothing; RFC 7644 §3.5.2 wants an error (400 mutability).",
  },
  "entra.user-lookup": {
    owner: "scimmy",
    note: "Entra's upper-cased userName lookup finds nothing: the case-sensitive Filter.match of query.filter.case-insensitive (RFC 7643 §4.1.1).",
  },
  "okta.user-lookup": {
    owner: "scimmy",
    note: "Okta's upper-cased userName lookup finds nothing, as for Entra (RFC 7643 §4.1.1).",
  },
  "entra.user-disable": {
    owner: "scimmy",
    note: 'Entra\'s `"False"` string for active is refused with 400 invalidValue: RFC-strict (RFC 7643 §2.3.2), but Entra ID sends it, so provisioning from Entra fails.',
  },
  "entra.manager": {
    owner: "scimmy",
    note: "Entra's bare-string manager value is refused with 400 invalidValue: RFC-strict (RFC 7643 §4.3 makes manager complex), but Entra ID sends it.",
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

  it("fails exactly the registered checks recorded in FINDINGS", () => {
    const registered = new Set(CHECKS.map((c) => c.id));
    const failed = report.checks.filter((c) => c.status === "failed").map((c) => c.id);
    const expected = Object.keys(FINDINGS).filter((id) => registered.has(id));
    expect(failed.sort()).toEqual(expected.sort());
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
