import { describe, expect, it } from "vitest";
import { inStatusClass, matchesFilters, sinceOf } from "./filters.js";
import type { RequestSummary } from "./types.js";

const summary: RequestSummary = {
  id: "9",
  time: "2026-12-03T10:00:00.000Z",
  tenant: "default",
  method: "PATCH",
  path: "/scim/v2/Users/abc",
  status: 400,
  scimType: "invalidPath",
  detail: "no attribute nope",
  durationMs: 2,
  resourceType: "User",
  resourceId: "abc",
  idp: "entra",
};

describe("matchesFilters (the server's list rule, for live rows)", () => {
  it.each([
    [{}, true],
    [{ status: "error" }, true],
    [{ status: "4xx" }, true],
    [{ status: "2xx" }, false],
    [{ idp: "entra" }, true],
    [{ idp: "okta" }, false],
    [{ method: "patch" }, true],
    [{ method: "GET" }, false],
    [{ resourceType: "user" }, true],
    [{ resourceType: "Group" }, false],
    [{ q: "NOPE" }, true],
    [{ q: "zzz" }, false],
    [{ since: "2026-12-03T10:00:00.000Z" }, true],
    [{ since: "2026-12-03T10:00:01.000Z" }, false],
    [{ until: "2026-12-03T10:00:00.000Z" }, false],
  ] as const)("%j → %s", (filters, want) => {
    expect(matchesFilters(summary, filters)).toBe(want);
  });

  it("status classes", () => {
    expect(inStatusClass(204, "2xx")).toBe(true);
    expect(inStatusClass(304, "3xx")).toBe(true);
    expect(inStatusClass(500, "error")).toBe(true);
    expect(inStatusClass(399, "error")).toBe(false);
  });

  it("time ranges count back from now", () => {
    const now = Date.parse("2026-12-03T10:00:00.000Z");
    expect(sinceOf("60", now)).toBe("2026-12-03T09:00:00.000Z");
    expect(sinceOf("", now)).toBeUndefined();
    expect(sinceOf("custom", now)).toBeUndefined();
  });
});
