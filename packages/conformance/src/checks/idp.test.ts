/// <reference types="node" />
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBreaks, failedIds, leftovers } from "../__fixtures__/break-suite.js";
import { noPatchNoFilter } from "../__fixtures__/breaks.js";
import {
  capitalisedOpsRejected,
  dottedKeysIgnored,
  excludedAttributesIgnored,
  lookupNotFound,
  managerStringRejected,
  memberRemovalByValueIgnored,
  onlyFirstOperation,
  pagingAsStrings,
  pathlessIgnored,
  renameWithIdRejected,
  replaceMembersAppends,
  startStrictServer,
  stringBooleansRejected,
} from "../__fixtures__/breaks-idp.js";
import { CORE_SKIPS } from "../__fixtures__/core-skips.js";
import { caseSensitiveUserName, startServer, type TestServer } from "../__fixtures__/servers.js";
import { CHECKS } from "../registry.js";
import { runConformance } from "../run.js";
import type { ConformanceReport } from "../types.js";

/**
 * The IdP checks that rely on a quirk RFC 7644 forbids, with the RFC error the strict reference handler
 * answers. The README's "IdP profiles" section lists the same ids.
 */
const STRICT_FAILS: readonly (readonly [id: string, scimType: string])[] = [
  ["entra.patch-replace", "invalidSyntax"], // "Replace": op is "add", "remove" or "replace" (§3.5.2)
  ["entra.user-disable", "invalidSyntax"], // "Replace" again; and "False" is a string, not a boolean
  ["entra.patch-pathless", "invalidValue"], // "name.givenName" is not an attribute name (§3.5.2.3)
  ["entra.manager", "invalidSyntax"], // "Add"; and a bare string for the complex manager (RFC 7643 §4.3)
  ["entra.group-create", "invalidValue"], // Microsoft's ADSCIM URN is not a schema of Group (RFC 7643 §3)
  ["entra.group-add-members", "invalidSyntax"], // "Add"
  ["entra.group-remove-members", "invalidSyntax"], // "Remove" with a value: §3.5.2.2 selects by path filter
  ["okta.group-rename", "mutability"], // "id" is readOnly (RFC 7643 §3.1), also when unchanged
];

describe("the IdP checks", () => {
  it("are registered under their profile, with ids named after it", () => {
    const idp = CHECKS.filter((c) => c.profile !== "rfc");
    expect(idp.filter((c) => c.profile === "entra").length).toBeGreaterThanOrEqual(10);
    expect(idp.filter((c) => c.profile === "okta").length).toBeGreaterThanOrEqual(10);
    for (const check of idp) {
      expect(check.id.startsWith(`${check.profile}.`), check.id).toBe(true);
      expect(check.title, check.id).toMatch(check.profile === "entra" ? /^Entra's / : /^Okta's /);
    }
  });

  it("are each named in the README's IdP profiles section when strict mode fails them", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const start = readme.indexOf("## IdP profiles");
    expect(start, "an IdP profiles section").toBeGreaterThan(-1);
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    for (const [id] of STRICT_FAILS) expect(section).toContain(`\`${id}\``);
  });
});

describe("the IdP profiles against the reference handler", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("create nothing in a read-only run and skip the checks that would", async () => {
    server = await startServer();
    const report = await runConformance({
      url: server.url,
      token: server.token,
      profile: "all",
      readOnly: true,
    });
    const idp = report.checks.filter((c) => c.profile !== "rfc");
    expect(idp.filter((c) => c.status === "passed").map((c) => c.id)).toEqual([
      "entra.test-connection",
      "okta.user-lookup-none",
      "okta.list-paging",
    ]);
    for (const check of idp.filter((c) => c.status !== "passed"))
      expect(check.status, check.id).toBe("skipped");
    expect(await leftovers(server)).toBe(0);
  });
});

describe("the IdP profiles against a server that advertises neither PATCH nor filtering", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("skip the checks that need them and pass the rest", async () => {
    server = await startServer(noPatchNoFilter);
    const report = await runConformance({ url: server.url, token: server.token, profile: "all" });
    const skipped = report.checks.filter((c) => c.status === "skipped").map((c) => c.id);
    const needing = CHECKS.filter(
      (c) => c.requires?.some((r) => r === "patch" || r === "filter") || CORE_SKIPS.includes(c.id),
    );
    expect(skipped).toEqual(needing.map((c) => c.id));
    expect(skipped).toContain("entra.user-disable");
    expect(skipped).toContain("okta.group-rename");
    // The break only rewrites the ServiceProviderConfig: PATCH still works, which the rfc profile
    // reports (advertised unsupported, yet applied), and nothing else fails.
    expect(report.checks.filter((c) => c.status === "failed").map((c) => c.id)).toEqual([
      "errors.unsupported-patch",
    ]);
    expect(await leftovers(server)).toBe(0);
  });
});

describe("the reference handler in strict mode", () => {
  let server: TestServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startStrictServer();
    report = await runConformance({ url: server.url, token: server.token, profile: "all" });
  });
  afterAll(() => server.close());

  it("fails exactly the IdP checks that rely on a quirk the RFC forbids, and passes every rfc check", () => {
    expect(failedIds(report)).toEqual(STRICT_FAILS.map(([id]) => id));
    expect(report.checks.filter((c) => c.status === "skipped").map((c) => c.id)).toEqual(CORE_SKIPS);
    expect(report.summary).toEqual({
      passed: CHECKS.length - STRICT_FAILS.length - CORE_SKIPS.length,
      failed: STRICT_FAILS.length,
      skipped: CORE_SKIPS.length,
    });
  });

  it("fails them with the RFC's 400 and scimType, shown in the detail", () => {
    for (const [id, scimType] of STRICT_FAILS) {
      const detail = report.checks.find((c) => c.id === id)?.detail ?? "";
      expect(detail, id).toContain("→ 400 ");
      expect(detail, id).toContain(`"scimType":"${scimType}"`);
    }
  });

  it("removes everything it created", async () => {
    expect(await leftovers(server)).toBe(0);
  });
});

describe("the entra profile against", () => {
  describeBreaks(
    [
      [
        "a lookup that matches nothing answers 404",
        lookupNotFound,
        ["entra.test-connection", "entra.user-delete"],
      ],
      [
        'op "Replace", "Add", "Remove" is rejected',
        capitalisedOpsRejected,
        [
          "entra.patch-replace",
          "entra.user-disable",
          "entra.manager",
          "entra.group-add-members",
          "entra.group-remove-members",
        ],
      ],
      ['the string "False" is rejected for active', stringBooleansRejected, ["entra.user-disable"]],
      ["path-less dotted keys are silently dropped", dottedKeysIgnored, ["entra.patch-pathless"]],
      ["a bare string manager id is rejected", managerStringRejected, ["entra.manager"]],
      [
        "remove of members with a value list changes nothing",
        memberRemovalByValueIgnored,
        ["entra.group-remove-members"],
      ],
      ["excludedAttributes=members is ignored", excludedAttributesIgnored, ["entra.group-lookup"]],
      [
        "paging numbers are strings",
        pagingAsStrings,
        [
          "entra.test-connection",
          "entra.user-lookup",
          "entra.user-disable",
          "entra.user-delete",
          "entra.group-lookup",
        ],
      ],
      ["userName uniqueness is case-sensitive", caseSensitiveUserName, ["entra.user-duplicate"]],
      ["a rename with the id in the value is rejected", renameWithIdRejected, []],
      ["path-less operations are dropped", pathlessIgnored, ["entra.patch-pathless"]],
      ["only the first operation of a PATCH is applied", onlyFirstOperation, ["entra.patch-replace"]],
    ],
    "entra",
  );
});

describe("the okta profile against", () => {
  describeBreaks(
    [
      // Okta's reference calls a 404 with a SCIM Error an acceptable answer to a lookup for nobody.
      ["a lookup that matches nothing answers 404", lookupNotFound, []],
      ["a rename with the id in the value is rejected", renameWithIdRejected, ["okta.group-rename"]],
      [
        "paging numbers are strings",
        pagingAsStrings,
        ["okta.user-lookup-none", "okta.user-lookup", "okta.list-paging"],
      ],
      ['op "Replace", "Add", "Remove" is rejected', capitalisedOpsRejected, []],
      ["excludedAttributes=members is ignored", excludedAttributesIgnored, []],
      ["path-less operations are dropped", pathlessIgnored, ["okta.user-deactivate", "okta.group-rename"]],
      ["only the first operation of a PATCH is applied", onlyFirstOperation, ["okta.group-membership"]],
      ["replace of members appends", replaceMembersAppends, ["okta.group-replace-members"]],
    ],
    "okta",
  );
});
