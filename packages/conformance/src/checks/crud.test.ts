import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeBreaks, failedIds } from "../__fixtures__/break-suite.js";
import {
  deleteAnswers200,
  deletedUserNamesReserved,
  deviceCount,
  extensionDroppedOnCreate,
  extensionEchoed,
  immutableChanged,
  metaLocationMissing,
  putFillsRequired,
  putUpserts,
  readOnlyPutRejected,
  schemasRepeated,
  schemasUnreadable,
  startDeviceServer,
} from "../__fixtures__/breaks-crud.js";
import { type Break, startServer, type TestServer } from "../__fixtures__/servers.js";
import { CHECKS } from "../registry.js";
import { runConformance } from "../run.js";
import type { ConformanceReport } from "../types.js";

describeBreaks([
  ["a created Group lists its base schema twice", schemasRepeated, ["crud.representation"]],
  ["PUT to a missing id creates it", putUpserts, ["crud.put-no-create"]],
  ["a PUT without userName keeps the stored one", putFillsRequired, ["crud.put-required"]],
  ["a deleted User's userName stays taken", deletedUserNamesReserved, ["crud.delete-frees-unique"]],
  [
    "extension values are dropped on create",
    extensionDroppedOnCreate,
    ["crud.user.create-attributes", "crud.user.extensions", "crud.user.read"],
  ],
  [
    "a PUT with readOnly attributes is refused with 400",
    readOnlyPutRejected,
    ["crud.user.readonly-ignored", "crud.group.readonly-ignored"],
  ],
  [
    "meta.location is missing",
    metaLocationMissing,
    [
      "crud.user.create-location",
      "crud.user.create-meta",
      "crud.group.create-location",
      "crud.group.create-meta",
      "crud.representation",
    ],
  ],
  [
    "DELETE answers 200 and the resource stays readable",
    deleteAnswers200(),
    ["crud.user.delete", "crud.group.delete"],
  ],
]);

describe("a server whose /Schemas cannot be read", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("still runs the User and Group CRUD checks, with RFC 7643 §4's basic attributes, and passes them", async () => {
    server = await startServer(schemasUnreadable);
    const report = await runConformance({ url: server.url, token: server.token });
    const core = report.checks.filter((c) => /^crud\.(user|group)\./.test(c.id));
    expect(core.length).toBeGreaterThanOrEqual(20);
    for (const check of core) {
      // Without /Schemas no extension is known.
      const want = check.id === "crud.user.extensions" ? "skipped" : "passed";
      expect(check.status, `${check.id}: ${check.detail}`).toBe(want);
    }
    expect(failedIds(report)).toContain("discovery.schemas");
  });
});

const CUSTOM = CHECKS.filter((c) => c.id.startsWith("crud.custom.")).map((c) => c.id);

async function runOnDevices(wrap?: Break): Promise<{ server: TestServer; report: ConformanceReport }> {
  const server = await startDeviceServer(wrap);
  return { server, report: await runConformance({ url: server.url, token: server.token }) };
}

describe("a server whose only resource type is a custom Device with an extension", () => {
  let server: TestServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    ({ server, report } = await runOnDevices());
  });
  afterAll(() => server.close());

  it("runs every crud.custom check on Device, and the cross-type ones too, and passes them", () => {
    expect(CUSTOM.length).toBeGreaterThanOrEqual(10);
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    for (const id of [...CUSTOM, "crud.immutable", "crud.uniqueness", "security.never-returned"]) {
      expect(byId.get(id)?.status, `${id}: ${byId.get(id)?.detail}`).toBe("passed");
    }
    expect(failedIds(report)).toEqual([]);
  });

  it("skips the User and Group checks, saying the type is not advertised", () => {
    for (const check of report.checks.filter((c) => /^crud\.(user|group)\./.test(c.id))) {
      expect(check.status, check.id).toBe("skipped");
      expect(check.detail).toMatch(/advertises no (User|Group) resource type/);
    }
  });

  it("removes every Device it created", async () => {
    expect(await deviceCount(server)).toBe(0);
  });
});

describe.each([
  [
    "drops Device extension values on create",
    extensionDroppedOnCreate,
    // The assetTag sent is dropped too, so nothing stops a duplicate of it.
    ["crud.custom.create-attributes", "crud.custom.extensions", "crud.custom.read", "crud.uniqueness"],
    /^Device: .*urn:example:params:scim:schemas:extension:security:2\.0:Device/,
  ],
  [
    "lets a PUT change the immutable serialNumber",
    immutableChanged(),
    ["crud.immutable"],
    /^Device: expected 400 with scimType "mutability" for a changed immutable serialNumber: PUT \/Devices\//,
  ],
  [
    "returns the writeOnly recoveryKey sent on create",
    extensionEchoed,
    ["security.never-returned"],
    /^Device: urn:example:params:scim:schemas:extension:security:2\.0:Device:recoveryKey was returned: POST \/Devices/,
  ],
] as const)("a Device server that %s", (_name, wrap, expected, detail) => {
  let server: TestServer;
  let report: ConformanceReport;
  beforeAll(async () => {
    ({ server, report } = await runOnDevices(wrap));
  });
  afterAll(() => server.close());

  it("fails exactly its checks, naming the Device resource type and what was sent", async () => {
    expect(failedIds(report)).toEqual(expected);
    for (const check of report.checks.filter((c) => c.status === "failed"))
      expect(check.detail).toMatch(detail);
    expect(await deviceCount(server)).toBe(0);
  });
});
