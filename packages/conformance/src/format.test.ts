import { describe, expect, it } from "vitest";
import { formatFailures, formatJson, formatJunit, formatSummary, formatText } from "./format.js";
import type { ConformanceReport } from "./types.js";

const report: ConformanceReport = {
  target: "http://127.0.0.1:8080/scim/v2",
  summary: { passed: 1, failed: 1, skipped: 1 },
  checks: [
    {
      id: "crud.user.create-status",
      title: "POST /Users answers 201 Created",
      requirement: "RFC 7644 §3.3",
      level: "MUST",
      profile: "rfc",
      status: "failed",
      detail: 'expected 201: POST /Users {"userName":"a<b>&\'c"} → 200 {}',
    },
    {
      id: "crud.user.read",
      title: "GET /Users/{id} returns the created User",
      requirement: "RFC 7644 §3.4.1",
      level: "MUST",
      profile: "rfc",
      status: "passed",
      detail: "",
    },
    {
      id: "patch.atomic",
      title: "A PATCH whose second operation fails changes nothing",
      requirement: "RFC 7644 §3.5.2",
      level: "MUST",
      profile: "rfc",
      status: "skipped",
      detail: "ServiceProviderConfig: patch.supported is false",
    },
  ],
};

describe("formatText", () => {
  it("groups by area, gives details of failures and skips, and ends with a summary line", () => {
    expect(formatText(report)).toBe(
      [
        "scimkit conformance: http://127.0.0.1:8080/scim/v2",
        "",
        "crud",
        "  ✗ crud.user.create-status  POST /Users answers 201 Created [RFC 7644 §3.3 MUST]",
        '      expected 201: POST /Users {"userName":"a<b>&\'c"} → 200 {}',
        "  ✓ crud.user.read  GET /Users/{id} returns the created User [RFC 7644 §3.4.1 MUST]",
        "",
        "patch",
        "  - patch.atomic  A PATCH whose second operation fails changes nothing [RFC 7644 §3.5.2 MUST]",
        "      ServiceProviderConfig: patch.supported is false",
        "",
        "1 passed, 1 failed (1 MUST), 1 skipped",
        "",
      ].join("\n"),
    );
  });
});

describe("formatText options", () => {
  it("adds the duration to the summary line", () => {
    expect(formatText(report, { durationMs: 1234 }).trimEnd().split("\n").at(-1)).toBe(
      "1 passed, 1 failed (1 MUST), 1 skipped in 1.2 s",
    );
    expect(formatSummary(report, { durationMs: 61_400 })).toBe(
      "1 passed, 1 failed (1 MUST), 1 skipped in 61 s",
    );
  });

  it("colours marks and counts with ANSI escapes, and is the plain text without them", () => {
    const colored = formatText(report, { color: true });
    expect(colored).toContain("\u001b[31m✗\u001b[0m crud.user.create-status");
    expect(colored).toContain("\u001b[32m✓\u001b[0m crud.user.read");
    expect(colored).toContain("\u001b[31m1 failed (1 MUST)\u001b[0m");
    expect(colored.replace(new RegExp(`${"\u001b"}\\[\\d+m`, "g"), "")).toBe(formatText(report));
  });

  it("a failed SHOULD is counted apart from MUST failures", () => {
    const should = {
      ...report,
      checks: report.checks.map((c) => (c.status === "failed" ? { ...c, level: "SHOULD" as const } : c)),
    };
    expect(formatSummary(should)).toBe("1 passed, 1 failed (0 MUST), 1 skipped");
  });

  it("says so when no check ran (a profile without checks)", () => {
    const empty = { ...report, summary: { passed: 0, failed: 0, skipped: 0 }, checks: [] };
    expect(formatText(empty)).toBe(
      "scimkit conformance: http://127.0.0.1:8080/scim/v2\n\nno checks ran\n\n0 passed, 0 failed (0 MUST), 0 skipped\n",
    );
  });
});

describe("formatFailures", () => {
  it("lists only the failed checks with their detail, then the summary", () => {
    expect(formatFailures(report, { durationMs: 500 })).toBe(
      [
        "  ✗ crud.user.create-status  POST /Users answers 201 Created [RFC 7644 §3.3 MUST]",
        '      expected 201: POST /Users {"userName":"a<b>&\'c"} → 200 {}',
        "",
        "1 passed, 1 failed (1 MUST), 1 skipped in 0.5 s",
        "",
      ].join("\n"),
    );
  });
});

describe("formatJson", () => {
  it("is the report object itself", () => {
    expect(JSON.parse(formatJson(report))).toEqual(report);
    expect(formatJson(report).endsWith("}\n")).toBe(true);
  });
});

describe("formatJunit", () => {
  it("writes one testsuite per area and one testcase per check, escaped", () => {
    const xml = formatJunit(report);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml).toContain('tests="3" failures="1" skipped="1"');
    expect(xml).toContain('<testsuite name="crud" tests="2" failures="1" skipped="0">');
    expect(xml).toContain('<testsuite name="patch" tests="1" failures="0" skipped="1">');
    expect(xml).toContain('<testcase name="crud.user.read" classname="crud"/>');
    expect(xml).toContain(
      '<failure message="RFC 7644 §3.3 MUST: POST /Users answers 201 Created">expected 201: POST /Users {&quot;userName&quot;:&quot;a&lt;b&gt;&amp;&apos;c&quot;} → 200 {}</failure>',
    );
    expect(xml).toContain('<skipped message="ServiceProviderConfig: patch.supported is false"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.endsWith("</testsuites>\n")).toBe(true);
  });

  it("drops characters XML 1.0 cannot hold", () => {
    const bad = {
      ...report,
      checks: [{ ...report.checks[0], detail: "a\u0000b\u001bc" }],
    } as ConformanceReport;
    expect(formatJunit(bad)).toContain(">abc</failure>");
  });
});
