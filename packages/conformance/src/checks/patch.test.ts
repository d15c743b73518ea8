import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBreaks, failedIds } from "../__fixtures__/break-suite.js";
import { deviceCount, startDeviceServer } from "../__fixtures__/breaks-crud.js";
import {
  addDuplicatesEmail,
  addWithoutValueIgnored,
  complexReplaceDropsOthers,
  extensionPathRefused,
  noMatchReplaceAccepted,
  pathLessAddIgnored,
  primaryNotCleared,
  removeRequiredAccepted,
} from "../__fixtures__/breaks-patch.js";
import type { TestServer } from "../__fixtures__/servers.js";
import { runConformance } from "../run.js";
import type { ConformanceReport } from "../types.js";

describeBreaks([
  ["an add without a value is skipped", addWithoutValueIgnored, ["patch.add-needs-value"]],
  [
    "PATCH add without a path is ignored",
    pathLessAddIgnored,
    ["patch.path-less-add", "patch.path-less-extension"],
  ],
  [
    "PATCH paths with an extension URN are not understood",
    extensionPathRefused,
    [
      "patch.add-every-attribute",
      "patch.replace-every-attribute",
      "patch.remove-every-attribute",
      "patch.add-sub-attributes",
      "patch.replace-sub-attributes",
      "patch.remove-sub-attributes",
      "patch.replace-complex-keeps-others",
    ],
  ],
  [
    "PATCH add duplicates an email the User has",
    addDuplicatesEmail,
    ["patch.add-existing-no-duplicate", "patch.add-existing-keeps-meta"],
  ],
  ["a new primary email leaves the old one primary", primaryNotCleared, ["patch.primary-exclusive"]],
  [
    "PATCH replace through a filter matching nothing answers 200",
    noMatchReplaceAccepted,
    ["patch.filter-replace-no-match"],
  ],
  ["PATCH remove of a required attribute is accepted", removeRequiredAccepted, ["patch.remove-required"]],
  [
    "PATCH replace of a complex attribute drops the sub-attributes it leaves out",
    complexReplaceDropsOthers,
    ["patch.replace-complex-keeps-others"],
  ],
]);

const LOOPS = [
  "patch.add-every-attribute",
  "patch.replace-every-attribute",
  "patch.remove-every-attribute",
  "patch.remove-required",
  "patch.read-only",
];

describe("a server whose only resource type is a custom Device with an extension", () => {
  let server: TestServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startDeviceServer();
    report = await runConformance({ url: server.url, token: server.token });
  });
  afterAll(() => server.close());

  it("runs the attribute loops on Device and passes them; the User and Group checks are skipped", () => {
    const patch = report.checks.filter((c) => c.id.startsWith("patch."));
    for (const check of patch) {
      const want = LOOPS.includes(check.id) ? "passed" : "skipped";
      expect(check.status, `${check.id}: ${check.detail}`).toBe(want);
    }
    expect(failedIds(report)).toEqual([]);
  });

  it("removes every Device it created", async () => {
    expect(await deviceCount(server)).toBe(0);
  });
});

describe("a Device server that refuses PATCH paths with an extension URN", () => {
  let server: TestServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    server = await startDeviceServer(extensionPathRefused);
    report = await runConformance({ url: server.url, token: server.token });
  });
  afterAll(() => server.close());

  it("fails the add, replace and remove loops, naming Device and the extension attribute", async () => {
    const failed = report.checks.filter((c) => c.status === "failed");
    expect(failed.map((c) => c.id)).toEqual(LOOPS.slice(0, 3));
    for (const check of failed) {
      expect(check.detail).toMatch(
        /^Device (add|replace|remove) urn:example:params:scim:schemas:extension:security:2\.0:Device:\w+: expected 200 or 204: PATCH \/Devices\//,
      );
    }
    expect(await deviceCount(server)).toBe(0);
  });
});
