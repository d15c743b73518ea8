import { afterAll, describe, expect, it } from "vitest";
import { describeBreaks, leftovers } from "../__fixtures__/break-suite.js";
import {
  attributesDropId,
  caseSensitiveUserNameFilter,
  countZeroReturnsResources,
  cursorIgnoresSort,
  cursorNotUrlSafe,
  cursorRepeatsPage,
  dateTimeAsText,
  excludedAttributesIgnored,
  neAsEq,
  noSortNoCursor,
  searchNotSupported,
  sortCaseSensitive,
  sortOrderIgnored,
  titleDeclaredRequest,
  userNameDeclaredCaseExact,
  valuePathFlattened,
} from "../__fixtures__/breaks-query.js";
import { CORE_SKIPS } from "../__fixtures__/core-skips.js";
import { startServer, type TestServer } from "../__fixtures__/servers.js";
import { runConformance } from "../run.js";

describeBreaks([
  ["nextCursor holds characters outside the unreserved set", cursorNotUrlSafe, ["query.cursor.url-safe"]],
  [
    "ne is evaluated as eq",
    neAsEq,
    ["query.filter.string-operators", "query.filter.boolean", "query.filter.complex-sub-attribute"],
  ],
  ["the userName filter is case-sensitive", caseSensitiveUserNameFilter, ["query.filter.case-insensitive"]],
  [
    "sortOrder is ignored",
    sortOrderIgnored,
    ["query.sort.descending", "query.sort.case", "query.sort.missing-values", "query.cursor.sorted"],
  ],
  ["sorting is case-sensitive", sortCaseSensitive, ["query.sort.case"]],
  ["value paths are flattened", valuePathFlattened, ["query.filter.value-path"]],
  ["excludedAttributes is ignored", excludedAttributesIgnored, ["query.excluded-attributes"]],
  ["attributes drops id", attributesDropId, ["query.attributes", "query.returned-never-and-request"]],
  ["count=0 returns resources", countZeroReturnsResources, ["query.count-zero", "query.cursor.count-zero"]],
  ["a cursor repeats its page", cursorRepeatsPage, ["query.cursor.walk"]],
  ["/.search is not supported", searchNotSupported, ["query.search.endpoint"]],
  [
    'title is declared returned "request" but returned by default',
    titleDeclaredRequest,
    ["query.excluded-attributes", "query.returned-never-and-request"],
  ],
  [
    "userName is declared caseExact and filtered so (consistent: nothing fails)",
    userNameDeclaredCaseExact,
    [],
  ],
  ["dateTime literals are compared as text", dateTimeAsText, ["query.filter.datetime"]],
  ["cursor pages ignore the sort", cursorIgnoresSort, ["query.cursor.sorted"]],
]);

describe("a server that advertises neither sorting nor cursors", () => {
  let server: TestServer;
  afterAll(() => server.close());

  it("skips the sort and cursor checks, saying why, and passes the rest", async () => {
    server = await startServer(noSortNoCursor);
    const report = await runConformance({ url: server.url, token: server.token });
    const skipped = report.checks.filter((c) => c.status === "skipped" && !CORE_SKIPS.includes(c.id));
    expect(report.checks.filter((c) => CORE_SKIPS.includes(c.id)).map((c) => c.status)).toEqual(
      CORE_SKIPS.map(() => "skipped"),
    );
    expect(skipped.map((c) => c.id)).toEqual([
      "query.sort.ascending",
      "query.sort.descending",
      "query.sort.case",
      "query.sort.missing-values",
      "query.cursor.walk",
      "query.cursor.count-zero",
      "query.cursor.url-safe",
      "query.cursor.sorted",
      "query.cursor.invalid",
    ]);
    for (const check of skipped)
      expect(check.detail).toMatch(/sort\.supported is false|pagination\.cursor: true \(RFC 9865 §4\)/);
    // The break only rewrites the ServiceProviderConfig: sorting still works, which the errors area
    // reports (advertised unsupported, yet applied), and nothing else fails.
    expect(report.checks.filter((c) => c.status === "failed").map((c) => c.id)).toEqual([
      "errors.unsupported-sort",
    ]);
    expect(await leftovers(server)).toBe(0);
  });
});
