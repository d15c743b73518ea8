/** Why an error answer was given: the RFC section that defines it and what it means for the sender. */
export interface ErrorReference {
  readonly section: string;
  readonly meaning: string;
}

// RFC 7644 §3.12 Table 9 ("SCIM Detail Error Keyword Values") and RFC 9865 §2.1 Table 3 (cursor
// pagination errors), paraphrased with the section a reader should open.
const SCIM_TYPES: Readonly<Record<string, ErrorReference>> = {
  invalidFilter: {
    section: "RFC 7644 §3.4.2.2",
    meaning:
      'The filter syntax was invalid or the filter names something that cannot be compared (§3.12: "The specified filter syntax was invalid … or the specified attribute and filter comparison combination is not supported"). Check quoting: string values must be JSON strings.',
  },
  tooMany: {
    section: "RFC 7644 §3.4.2.4",
    meaning:
      "The filter would return more results than the server is willing to compute or return; narrow the filter or page with count.",
  },
  uniqueness: {
    section: "RFC 7643 §2.1; RFC 7644 §3.3",
    meaning:
      "One or more values are already taken (a userName, externalId or displayName that must be unique). The IdP usually retries with a GET to match the existing resource.",
  },
  mutability: {
    section: "RFC 7643 §2.2; RFC 7644 §3.5.2",
    meaning:
      "The request tried to change an attribute that is readOnly or immutable (id, meta, groups, a member's value).",
  },
  invalidSyntax: {
    section: "RFC 7644 §3.12",
    meaning:
      "The request body was not a valid SCIM message: unparseable JSON, or a structure the schema does not allow (a PATCH without Operations, an unknown op).",
  },
  invalidPath: {
    section: "RFC 7644 §3.5.2; RFC 7644 §3.10",
    meaning:
      "A PATCH path was malformed or names no attribute; extension attributes need their schema URN (urn:…:User:department).",
  },
  noTarget: {
    section: "RFC 7644 §3.5.2.3",
    meaning:
      "The PATCH path did not select any value to operate on (a value filter matched nothing), and the operation needs one.",
  },
  invalidValue: {
    section: "RFC 7643 §2.3; RFC 7644 §3.12",
    meaning:
      "A value had the wrong type or form, a required value was missing, or a value is outside what the attribute allows.",
  },
  invalidVers: {
    section: "RFC 7644 §3.13",
    meaning: "The SCIM protocol version requested is not supported by this server.",
  },
  sensitive: {
    section: "RFC 7644 §7.5.2",
    meaning:
      "The request put sensitive data (a password) into the URL; send it in the body (POST /.search) instead.",
  },
  invalidCursor: {
    section: "RFC 9865 §2.1",
    meaning:
      "The cursor was not one this server issued for this query (changed, forged, or from another filter or sort). Start again with an empty cursor.",
  },
  expiredCursor: {
    section: "RFC 9865 §2.1",
    meaning: "The cursor has expired; request the pages sooner (within the server's cursorTimeout).",
  },
  invalidCount: {
    section: "RFC 9865 §2.1",
    meaning: "The count was outside 0 to the server's maxPageSize, or changed between cursor pages.",
  },
};

// RFC 7644 §3.12 lists the HTTP status codes a SCIM server answers with; these are the ones a
// request can get without a scimType.
const STATUSES: Readonly<Record<number, ErrorReference>> = {
  401: {
    section: "RFC 7644 §2; RFC 6750 §3.1",
    meaning:
      "The bearer token was missing or refused. Compare the token configured in the IdP with the server's (rotated or mistyped secrets are the usual cause).",
  },
  403: { section: "RFC 7644 §3.12", meaning: "The caller is authenticated but not allowed to do this." },
  404: {
    section: "RFC 7644 §3.12",
    meaning:
      "The resource or endpoint does not exist: deleted already, or the IdP holds an id from another server or tenant.",
  },
  405: { section: "RFC 7644 §3.12", meaning: "The endpoint does not accept this HTTP method." },
  409: {
    section: "RFC 7644 §3.12",
    meaning: "The request conflicts with the current state (a uniqueness violation on create or replace).",
  },
  412: {
    section: "RFC 7644 §3.14",
    meaning:
      "If-Match named a version (ETag) that is no longer current: someone else changed the resource first. Read it again and retry.",
  },
  413: {
    section: "RFC 7644 §3.7.4",
    meaning: "The body exceeded the server's maxPayloadSize; send smaller requests or fewer bulk operations.",
  },
  415: { section: "RFC 7644 §3.1", meaning: "Send JSON as application/scim+json or application/json." },
  500: {
    section: "RFC 7644 §3.12",
    meaning: "The server failed unexpectedly; the server's error log has the stack trace.",
  },
  501: { section: "RFC 7644 §3.12", meaning: "The server does not implement this operation." },
};

/**
 * The RFC reference of an error answer: by `scimType` when it has one, else by status.
 *
 * @example
 * errorReference(400, "invalidFilter")?.section; // "RFC 7644 §3.4.2.2"
 */
export function errorReference(status: number, scimType?: string): ErrorReference | undefined {
  if (scimType !== undefined && Object.hasOwn(SCIM_TYPES, scimType)) return SCIM_TYPES[scimType];
  if (Object.hasOwn(STATUSES, status)) return STATUSES[status];
  if (status === 400)
    return { section: "RFC 7644 §3.12", meaning: "The request was malformed or broke a rule of the schema." };
  return undefined;
}
