import { catalogue, type Requirement, SUBJECTS } from "./types.js";

/**
 * RFC 9865 (cursor-based pagination): what it asks of a service provider that supports cursors. Servers
 * that advertise no cursor support (ServiceProviderConfig `pagination.cursor` false or absent) are
 * outside these rules. The §2 table's plain statements (count 0, URL-safe cursors) are listed as MUST.
 */
export const RFC9865: readonly Requirement[] = catalogue(9865, [
  [
    "2",
    "MUST",
    "empty-cursor-first-page",
    "An empty or absent cursor starts a cursor-paged query at its first page.",
  ],
  ["2", "MUST", "cursor-count-negative", "A negative count is treated as 0."],
  ["2", "MUST", "cursor-count-zero", "count=0 returns no resources, only totalResults."],
  ["2", "MUST", "cursor-count-maximum", "No more than count resources are returned per page."],
  ["2", "MUST", "next-cursor", "Every page except the last carries nextCursor."],
  ["2", "MUST", "next-cursor-last-page", "nextCursor is left out only on the last page."],
  ["2", "MUST", "no-previous-cursor-first-page", "The first page never carries previousCursor."],
  ["2", "MAY", "previous-cursor", "Pages after the first may carry previousCursor."],
  ["2", "MUST", "cursor-url-safe", "Cursor values only use URL-unreserved characters."],
  ["2", "MAY", "total-results-omitted", "totalResults may be left out when the server cannot estimate it."],
  [
    "2.1",
    "SHOULD",
    "pagination-error-response",
    "Invalid pagination parameters answer the fitting status with a §3.12 Error body.",
  ],
  ["2.1", "SHOULD", "invalid-cursor", "An invalid cursor answers 400 invalidCursor."],
  [
    "2.1",
    "SHOULD",
    "expired-cursor",
    "An expired cursor answers 400 expiredCursor.",
    "needs waiting past the server's cursorTimeout, which a fast run does not",
  ],
  [
    "2.1",
    "SHOULD",
    "invalid-count",
    "A count above maxPageSize, or different from the first page's, answers 400 invalidCount.",
  ],
  [
    "2.2",
    "SHOULD",
    "cursor-sorted",
    "With sorting supported, cursor pages follow the sortBy order (the RFC says so in lower case).",
  ],
  [
    "2.3",
    "MAY",
    "cursor-only",
    "The server may require cursors by sending nextCursor to a query that did not ask for them.",
  ],
  [
    "2.4",
    "MUST",
    "default-pagination-method",
    "A server with both methods applies one default method to queries that name neither.",
  ],
  ["3", "MUST", "search-cursor", "cursor and count in a /.search body page the same way as in a GET query."],
  [
    "4",
    "SHOULD",
    "spc-pagination",
    "ServiceProviderConfig describes cursor support in a `pagination` attribute.",
  ],
  ["4", "MUST", "spc-pagination-flags", "A `pagination` attribute carries the cursor and index booleans."],
  [
    "5.2",
    "MUST",
    "cursor-authorized-only",
    "Cursor pages only ever hold data the caller may see, checked on every page.",
    SUBJECTS,
  ],
  [
    "5.2",
    "SHOULD",
    "cursor-invalidated-on-permission-change",
    "Cursors are invalidated when the caller's permissions change.",
    SUBJECTS,
  ],
  ["5.2", "MUST", "cursor-errors-no-leak", "Pagination errors expose no sensitive data."],
]);
