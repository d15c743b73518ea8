import { afterAll, describe, expect, it } from "vitest";
import { describeBreaks, leftovers } from "../__fixtures__/break-suite.js";
import {
  badAttributeCharacteristics,
  bulkIdUnresolved,
  discoveryPaged,
  failOnErrorsIgnored,
  groupDisplayNameOptional,
  honestlyLimited,
  ifMatchIgnored,
  ifNoneMatchIgnored,
  maxOperationsNotEnforced,
  maxResultsExceeded,
  messageSchemaListed,
  nestedComplexAttribute,
  noEtagHeader,
  noWwwAuthenticate,
  numericErrorStatus,
  paginationIndexNotBoolean,
  resourceTypeNameless,
  schemaMissing,
  unsupportedBulk500,
  userNameDeclaredNotUnique,
} from "../__fixtures__/breaks-ops.js";
import { CORE_SKIPS } from "../__fixtures__/core-skips.js";
import { startServer, type TestServer } from "../__fixtures__/servers.js";
import { CHECKS } from "../registry.js";
import { runConformance } from "../run.js";

// Discovery, errors, ETags and bulk: each broken server fails exactly the checks for its break.
describeBreaks([
  ["a ResourceType read by id has no name", resourceTypeNameless, ["discovery.resource-type-fields"]],
  [
    "/Schemas lists the Error message schema",
    messageSchemaListed,
    ["discovery.schema-by-id", "discovery.no-message-schemas"],
  ],
  [
    "a complex attribute has a complex sub-attribute",
    nestedComplexAttribute,
    ["discovery.schema-attributes"],
  ],
  ["pagination.index is not a boolean", paginationIndexNotBoolean, ["discovery.pagination-flags"]],
  ["/ResourceTypes and /Schemas page by count", discoveryPaged, ["discovery.ignores-paging"]],
  ["/Schemas declares userName not unique", userNameDeclaredNotUnique, ["discovery.core-schemas"]],
  [
    "a Group without displayName is created",
    groupDisplayNameOptional,
    ["errors.group-display-name-required"],
  ],
  ["401 answers have no WWW-Authenticate", noWwwAuthenticate, ["security.www-authenticate"]],
  [
    "a resource type names a schema missing from /Schemas",
    schemaMissing,
    ["discovery.resource-type-schemas"],
  ],
  [
    "/Schemas has an unknown type and subAttributes on a string",
    badAttributeCharacteristics,
    ["discovery.schema-attributes"],
  ],
  ["no ETag header is sent", noEtagHeader, ["discovery.capability-etag"]],
  ["filter.maxResults is not honoured", maxResultsExceeded, ["discovery.capability-max-results"]],
  [
    "If-Match is ignored",
    ifMatchIgnored,
    ["etag.if-match-stale-put", "etag.if-match-stale-patch", "etag.if-match-stale-delete"],
  ],
  ["If-None-Match never answers 304", ifNoneMatchIgnored, ["etag.if-none-match", "etag.weak-comparison"]],
  ["bulkId references are not resolved", bulkIdUnresolved, ["bulk.bulk-id-reference"]],
  ["failOnErrors is ignored", failOnErrorsIgnored, ["bulk.fail-on-errors"]],
  ["maxOperations is not enforced", maxOperationsNotEnforced, ["bulk.max-operations"]],
  ["an unsupported bulk answers 500 instead of 501", unsupportedBulk500, ["errors.unsupported-bulk"]],
  [
    "error status is a number",
    numericErrorStatus,
    [
      "crud.put-required",
      "errors.invalid-filter",
      "errors.not-found",
      "errors.missing-required",
      "errors.invalid-value-type",
      "errors.group-display-name-required",
      "errors.malformed-json",
      "errors.payload-too-large",
      "bulk.max-operations",
    ],
  ],
]);

describe("a server that advertises no PATCH, bulk, sorting or password change and refuses them", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("passes the advertised-vs-observed checks and skips what needs the features", async () => {
    server = await startServer(honestlyLimited);
    const report = await runConformance({ url: server.url, token: server.token });
    expect(report.checks.filter((c) => c.status === "failed")).toEqual([]);
    const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
    for (const id of [
      "errors.unsupported-patch",
      "errors.unsupported-bulk",
      "errors.unsupported-sort",
      "discovery.capability-change-password",
    ]) {
      expect(status(id), id).toBe("passed");
    }
    // Skipped: what needs an unsupported capability, what the core schemas give nothing to run on, the
    // bulk-carried payload limit, and the password checks (the password sent on create is refused, and
    // the generated bodies leave password out once changePassword.supported is false).
    const unsupported = new Set(["patch", "bulk", "sort", "changePassword"]);
    const extra = ["errors.payload-too-large", "security.password-never-returned", "security.never-returned"];
    const expectedSkips = CHECKS.filter(
      (c) =>
        c.profile === "rfc" &&
        (c.requires?.some((r) => unsupported.has(r)) || CORE_SKIPS.includes(c.id) || extra.includes(c.id)),
    ).map((c) => c.id);
    expect(report.checks.filter((c) => c.status === "skipped").map((c) => c.id)).toEqual(expectedSkips);
    for (const id of ["bulk.operations", "etag.if-match-stale-patch", "errors.payload-too-large"]) {
      expect(status(id), id).toBe("skipped");
    }
    expect(await leftovers(server)).toBe(0);
  });
});
