import { RFC7644_CHANGES } from "./rfc7644-changes.js";
import { RFC7644_PROTOCOL } from "./rfc7644-protocol.js";
import { RFC7644_REQUESTS } from "./rfc7644-requests.js";
import type { Requirement } from "./types.js";

/**
 * RFC 7644 (SCIM protocol): what it asks of a service provider. Where the RFC states server behaviour as
 * plain fact ("the server responds with 200", "the operation fails with 400 noTarget") it is listed as
 * MUST. Where it gives the client a choice (a MAY in a request), the server's duty to honour that choice
 * is listed at MUST when the feature is supported at all; capabilities the server may leave out
 * (PATCH, filter, sort, bulk, ETags) are checked only when ServiceProviderConfig advertises them.
 * Table 8 of §3.12 is introduced with "SHOULD", so its status codes are SHOULD.
 */
export const RFC7644: readonly Requirement[] = [...RFC7644_REQUESTS, ...RFC7644_CHANGES, ...RFC7644_PROTOCOL];
