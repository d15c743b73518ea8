import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBreaks, leftovers } from "./__fixtures__/break-suite.js";
import {
  anyTokenAccepted,
  filterIgnored,
  fixedVersion,
  hangOnPatch,
  nonScimErrors,
  noPatchNoFilter,
  passwordReturned,
  patchNotAtomic,
  removeIgnoresValueFilter,
  startIndexOffByOne,
} from "./__fixtures__/breaks.js";
import { CORE_SKIPS } from "./__fixtures__/core-skips.js";
import {
  caseSensitiveUserName,
  createAnswers200,
  noLocation,
  startServer,
  type TestServer,
} from "./__fixtures__/servers.js";
import { CHECKS } from "./registry.js";
import { runConformance } from "./run.js";
import type { ConformanceReport } from "./types.js";

/** The checks a run with the default profile selects. */
const RFC_CHECKS = CHECKS.filter((c) => c.profile === "rfc");

describe("the reference handler", () => {
  let server: TestServer;
  let report: ConformanceReport;
  const progress: string[] = [];
  beforeAll(async () => {
    server = await startServer();
    report = await runConformance({
      url: server.url,
      token: server.token,
      onProgress: (result, done, total) => progress.push(`${done}/${total} ${result.id}`),
    });
  });
  afterAll(() => server.close());

  it("passes every check of the default profile, rfc", () => {
    expect(report.checks.filter((c) => c.status !== "passed" && !CORE_SKIPS.includes(c.id))).toEqual([]);
    expect(report.checks.filter((c) => c.status === "skipped").map((c) => c.id)).toEqual(CORE_SKIPS);
    expect(report.summary).toEqual({
      passed: RFC_CHECKS.length - CORE_SKIPS.length,
      failed: 0,
      skipped: CORE_SKIPS.length,
    });
  });

  it.each(["entra", "okta", "all"] as const)("passes every check of profile %s", async (profile) => {
    const run = await runConformance({ url: server.url, token: server.token, profile });
    const selected = CHECKS.filter((c) => profile === "all" || c.profile === profile);
    expect(selected.length).toBeGreaterThan(profile === "all" ? RFC_CHECKS.length : 0);
    const skips = profile === "all" ? CORE_SKIPS : [];
    expect(run.checks.filter((c) => c.status !== "passed" && !skips.includes(c.id))).toEqual([]);
    expect(run.checks.map((c) => c.id)).toEqual(selected.map((c) => c.id));
    expect(run.summary).toEqual({
      passed: selected.length - skips.length,
      failed: 0,
      skipped: skips.length,
    });
    expect(await leftovers(server)).toBe(0);
  });

  it("reports in the DESIGN.md shape, one entry per check of the profile", () => {
    expect(Object.keys(report)).toEqual(["target", "summary", "checks"]);
    expect(report.target).toBe(server.url);
    for (const check of report.checks) {
      expect(Object.keys(check)).toEqual([
        "id",
        "title",
        "requirement",
        "level",
        "profile",
        "status",
        "detail",
      ]);
    }
    // Every registered check, of any profile, names its requirement in one format.
    for (const check of CHECKS) {
      expect(check.requirement, check.id).toMatch(/^RFC \d{4} §\d+(\.\d+)*(; RFC \d{4} §\d+(\.\d+)*)*$/);
    }
    expect(report.checks.map((c) => c.id)).toEqual(RFC_CHECKS.map((c) => c.id));
    expect(progress.at(-1)).toBe(`${RFC_CHECKS.length}/${RFC_CHECKS.length} ${RFC_CHECKS.at(-1)?.id}`);
  });

  it("removes everything it created", async () => {
    expect(await leftovers(server)).toBe(0);
    // The count itself sees a prefixed resource, so 0 above means none was left.
    const created = await server.inner(
      new Request("http://127.0.0.1/scim/v2/Users", {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ userName: "scimkit-conformance-probe" }),
      }),
    );
    expect(created.status).toBe(201);
    expect(await leftovers(server)).toBe(1);
    const { id } = (await created.json()) as { id: string };
    const deleted = await server.inner(
      new Request(`http://127.0.0.1/scim/v2/Users/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${server.token}` },
      }),
    );
    expect(deleted.status).toBe(204);
  });

  it("creates nothing in a read-only run and skips the checks that would", async () => {
    const readOnly = await runConformance({ url: server.url, token: server.token, readOnly: true });
    const writing = new Set(CHECKS.filter((c) => c.writes).map((c) => c.id));
    for (const check of readOnly.checks) {
      expect(check.status, check.id).toBe(writing.has(check.id) ? "skipped" : "passed");
    }
    expect(await leftovers(server)).toBe(0);
  });

  it("stops when its signal aborts, deletes what it created, and rejects with the reason", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = runConformance({
      url: server.url,
      token: server.token,
      signal: controller.signal,
      onProgress: (result) => {
        seen.push(result.id);
        if (result.id === "crud.user.create-meta") controller.abort(new Error("interrupted"));
      },
    });
    await expect(run).rejects.toThrow("interrupted");
    expect(seen.at(-1)).toBe("crud.user.create-meta");
    expect(await leftovers(server)).toBe(0);
  });

  it("rejects when the target cannot be reached", async () => {
    await expect(
      runConformance({ url: "http://127.0.0.1:1/scim/v2", token: "x".repeat(16) }),
    ).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:1\/scim\/v2/);
  });
});

describeBreaks([
  [
    "create answers 200 instead of 201",
    createAnswers200,
    ["crud.user.create-status", "crud.group.create-status"],
  ],
  [
    "create sends no Location header",
    noLocation,
    ["crud.user.create-location", "crud.group.create-location"],
  ],
  [
    "userName uniqueness is case-sensitive",
    caseSensitiveUserName,
    ["crud.uniqueness", "errors.user-name-uniqueness"],
  ],
  [
    "the filter is ignored",
    filterIgnored,
    [
      "errors.invalid-filter",
      "query.user-name-eq",
      "query.filter.string-operators",
      "query.filter.string-ordering",
      "query.filter.boolean",
      "query.filter.boolean-ordering-invalid",
      "query.filter.datetime",
      "query.filter.complex-sub-attribute",
      "query.filter.multi-valued",
      "query.filter.case-insensitive",
      "query.filter.case-exact",
      "query.filter.attribute-names",
      "query.filter.logical",
      "query.filter.precedence",
      "query.filter.value-path",
      "query.pagination",
      "query.count-zero",
      "query.paging.start-index-below-one",
      "query.paging.past-end",
      "query.sort.ascending",
      "query.sort.descending",
      "query.sort.case",
      "query.sort.missing-values",
      "query.cursor.walk",
      "query.cursor.count-zero",
      "query.cursor.sorted",
      "query.attributes",
      "query.excluded-attributes",
      "query.search.endpoint",
    ],
  ],
  [
    "startIndex is off by one",
    startIndexOffByOne,
    ["query.pagination", "query.paging.start-index-below-one"],
  ],
  ["PATCH remove ignores its value filter", removeIgnoresValueFilter, ["patch.group-remove-member"]],
  [
    "password is returned",
    passwordReturned,
    [
      "security.password-never-returned",
      "query.attributes",
      "query.excluded-attributes",
      "query.returned-never-and-request",
    ],
  ],
  [
    "errors are not SCIM Error bodies",
    nonScimErrors,
    [
      "crud.uniqueness",
      "crud.put-required",
      "errors.invalid-filter",
      "errors.not-found",
      "errors.content-type",
      "errors.user-name-uniqueness",
      "errors.missing-required",
      "errors.invalid-value-type",
      "errors.group-display-name-required",
      "errors.malformed-json",
      "errors.payload-too-large",
      "security.www-authenticate",
      "query.filter.boolean-ordering-invalid",
      "query.cursor.invalid",
      "patch.filter-replace-no-match",
      "patch.remove-required",
      "patch.read-only",
      "patch.unknown-attribute",
      "patch.bad-op",
      "patch.remove-without-path",
      "patch.add-needs-value",
      "bulk.max-operations",
    ],
  ],
  ["PATCH is not atomic", patchNotAtomic, ["patch.atomic"]],
  ["any bearer token is accepted", anyTokenAccepted, ["security.wrong-token"]],
  [
    "meta.version never changes",
    fixedVersion,
    [
      "crud.user.version-changes",
      "crud.group.version-changes",
      "patch.meta-changes",
      "etag.write-changes-etag",
      "etag.if-match-current",
      "etag.if-none-match",
    ],
  ],
]);

describe("a server that advertises neither PATCH nor filtering", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("skips the checks that need them, naming the capability, and passes the rest", async () => {
    server = await startServer(noPatchNoFilter);
    const report = await runConformance({ url: server.url, token: server.token });
    const needing = CHECKS.filter((c) => c.requires?.some((r) => r === "patch" || r === "filter"));
    expect(needing.length).toBeGreaterThan(0);
    // It says PATCH is unsupported yet applies one instead of answering 501 (RFC 7644 §3.12).
    const mismatched = ["errors.unsupported-patch"];
    for (const check of report.checks) {
      const needs = needing.find((c) => c.id === check.id);
      const want = mismatched.includes(check.id)
        ? "failed"
        : needs || CORE_SKIPS.includes(check.id)
          ? "skipped"
          : "passed";
      expect(check.status, check.id).toBe(want);
      if (needs) expect(check.detail).toMatch(/^ServiceProviderConfig: (patch|filter)\.supported is false$/);
    }
    expect(await leftovers(server)).toBe(0);
  });
});

describe("a run aborted while a request is in flight", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("aborts the request, deletes what it created, and rejects with the reason", async () => {
    const controller = new AbortController();
    server = await startServer(hangOnPatch(() => controller.abort(new Error("Ctrl-C"))));
    const run = runConformance({ url: server.url, token: server.token, signal: controller.signal });
    await expect(run).rejects.toThrow("Ctrl-C");
    expect(await leftovers(server)).toBe(0);
  });
});
