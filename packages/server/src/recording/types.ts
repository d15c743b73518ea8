/**
 * The identity provider a request came from, recognised from its User-Agent (see `idpOf`): `entra`
 * (Microsoft Entra ID provisioning), `okta` (Okta's SCIM client), or `other`.
 */
export type IdpName = "entra" | "okta" | "other";

/**
 * One recorded SCIM request as lists and live events show it (no bodies, no headers).
 *
 * @example
 * const summary: RequestSummary = { id: "42", time: "2026-12-03T10:00:00.000Z", tenant: "default", method: "PATCH", path: "/scim/v2/Users/2819c223", status: 400, scimType: "invalidPath", detail: "…", durationMs: 3.2, resourceType: "User", resourceId: "2819c223", idp: "entra" };
 */
export interface RequestSummary {
  /** Increasing with the order requests were stored; the cursor of the read API. */
  readonly id: string;
  /** When the request arrived (ISO 8601). */
  readonly time: string;
  readonly tenant: string;
  readonly method: string;
  /** The URL path, as sent (percent-encoded). */
  readonly path: string;
  /** The query string without `?`, with values compared to secret attributes redacted. */
  readonly query?: string;
  readonly status: number;
  /** RFC 7644 §3.12 `scimType` of an error answer. */
  readonly scimType?: string;
  /** `detail` of an error answer. */
  readonly detail?: string;
  /** Milliseconds from the request reaching the handler to its answer being produced. */
  readonly durationMs: number;
  readonly resourceType?: string;
  readonly resourceId?: string;
  /** The authenticated principal's subject (for static tokens `token:<tenant>`). */
  readonly subject?: string;
  readonly idp: IdpName;
  readonly userAgent?: string;
}

/**
 * One change a request made or tried to make (an audit event, see `AuditEvent`), kept with its request.
 *
 * @example
 * const change: ChangeRecord = { resourceType: "User", resourceId: "2819c223", action: "patch", outcome: "success", status: 200, body: '{"Operations":[…]}' };
 */
export interface ChangeRecord {
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly action: "create" | "replace" | "patch" | "delete";
  readonly outcome: "success" | "failure";
  readonly status: number;
  readonly detail?: string;
  readonly bulkId?: string;
  /** What was asked, redacted: the PATCH request, the PUT or POST body, or the bulk operation's data (JSON). */
  readonly body?: string;
}

/**
 * A request as a store keeps it: its summary, the request headers (Authorization and cookies redacted),
 * the redacted bodies when kept, and its changes.
 *
 * @example
 * const record: RequestRecord = { ...summary, requestHeaders: { "user-agent": "Okta SCIM Client 1.0.0" }, changes: [] };
 */
export interface RequestRecord extends RequestSummary {
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The request body as received (JSON text, secrets redacted), cut at `maxBodyBytes`. */
  readonly requestBody?: string;
  /** The response body (JSON text, secrets redacted), cut at `maxBodyBytes`. */
  readonly responseBody?: string;
  readonly changes: readonly ChangeRecord[];
}

/** A request to record: everything but the id, which the store assigns. */
export type NewRequestRecord = Omit<RequestRecord, "id">;

/**
 * One entry of a resource's change history: the change, with the request that made it.
 *
 * @example
 * const entry: ResourceChange = { id: "43", requestId: "42", time: "…", method: "PATCH", path: "/scim/v2/Users/1", idp: "entra", resourceType: "User", resourceId: "1", action: "patch", outcome: "success", status: 200 };
 */
export interface ResourceChange extends ChangeRecord {
  readonly id: string;
  readonly requestId: string;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly subject?: string;
  readonly idp: IdpName;
}

/** Status classes the read API filters by; `error` is every status from 400 up. */
export type StatusClass = "2xx" | "3xx" | "4xx" | "5xx" | "error";

/**
 * A query of recorded requests, newest first. Every filter is optional; `before` and `after` are ids.
 *
 * @example
 * const query: RequestQuery = { limit: 50, status: "4xx", idp: "entra", q: "invalidFilter" };
 */
export interface RequestQuery {
  readonly limit: number;
  /** Only requests stored before the one with this id (the next page). */
  readonly before?: string;
  /** Only requests stored after the one with this id (what is new since). */
  readonly after?: string;
  /** ISO 8601 bounds on the arrival time: `since` inclusive, `until` exclusive. */
  readonly since?: string;
  readonly until?: string;
  readonly status?: StatusClass;
  readonly idp?: string;
  /** A resource type name, compared case-insensitively. */
  readonly resourceType?: string;
  readonly method?: string;
  /** Case-insensitive text in the path, query, scimType, detail, resource id, subject or User-Agent. */
  readonly q?: string;
}

/**
 * A page of recorded requests, newest first; `nextCursor` (an id for `before`) when there may be more.
 *
 * @example
 * const page: RequestPage = { items: [], nextCursor: undefined };
 */
export interface RequestPage {
  readonly items: readonly RequestSummary[];
  readonly nextCursor?: string;
}

/**
 * What the console's overview shows, for one tenant at `now`.
 *
 * @example
 * const stats = await store.recordings?.stats("default", new Date());
 */
export interface RequestStats {
  readonly now: string;
  /** The last 60 minutes, oldest first, one entry per minute (zeros included). Errors: status ≥ 400. */
  readonly perMinute: readonly {
    readonly minute: string;
    readonly requests: number;
    readonly errors: number;
  }[];
  /** Per identity provider: requests and errors in the last 60 minutes; the last request and the last success ever kept. */
  readonly idps: readonly {
    readonly idp: string;
    readonly requests: number;
    readonly errors: number;
    readonly lastRequest?: string;
    readonly lastSuccess?: string;
  }[];
  /** The last 5 minutes: `rate` is errors / requests, `null` without requests. */
  readonly errorRate: {
    readonly windowMinutes: number;
    readonly requests: number;
    readonly errors: number;
    readonly rate: number | null;
  };
  /** Requests kept for the tenant. */
  readonly total: number;
}

/**
 * How long recorded requests are kept: the older of the two limits wins. Count is per tenant.
 *
 * @example
 * const retention: Retention = { maxAgeMs: 7 * 86_400_000, maxCount: 100_000 };
 */
export interface Retention {
  readonly maxAgeMs: number;
  readonly maxCount: number;
}

/**
 * Where recorded requests and their changes are kept, and how they are read back: the `recordings` of a
 * {@link ScimStore}. `MemoryStore` keeps a bounded ring per tenant; `PostgresStore` keeps tables keyed by
 * tenant. Every read is scoped to one tenant.
 *
 * @example
 * const page = await store.recordings?.list("default", { limit: 50, status: "error" });
 */
export interface RecordingStore {
  /**
   * Stores requests (with their changes) and applies `retention` (as cheaply as the store can: it may
   * prune only every so often). Resolves with the stored records, ids assigned; {@link subscribe}
   * listeners get their summaries.
   */
  append(records: readonly NewRequestRecord[], retention: Retention): Promise<readonly RequestSummary[]>;
  list(tenant: string, query: RequestQuery): Promise<RequestPage>;
  /** One request with its headers, bodies and changes. */
  get(tenant: string, id: string): Promise<RequestRecord | undefined>;
  stats(tenant: string, now: Date): Promise<RequestStats>;
  /** A resource's changes, newest first; `before` is a change id. */
  history(
    tenant: string,
    resourceType: string,
    id: string,
    query: { readonly limit: number; readonly before?: string },
  ): Promise<{ readonly items: readonly ResourceChange[]; readonly nextCursor?: string }>;
  /**
   * Every request stored from now on, by this store object or — for PostgreSQL — by any instance on the
   * same database (LISTEN/NOTIFY). Returns the unsubscribe function.
   */
  subscribe(listener: (summary: RequestSummary) => void): () => void;
}

/**
 * Internal (not exported from the package): the epoch milliseconds of a record's `time`, set by the
 * recorder beside the ISO string so that MemoryStore's ring keeps the number without parsing the string.
 */
export const ARRIVED_MS: unique symbol = Symbol("@scimkit/server:arrived-ms");
