// The JSON of the console read API under `{basePath}/_console` (server README, "Console read API").
// Mirrored here rather than imported: the browser bundle must not pull in @scimkit/server, and these
// shapes are a wire contract the browser tests exercise against the real server.

/** `entra`, `okta` or `other`, recognised by the server from the User-Agent. */
export type IdpName = "entra" | "okta" | "other";

/** Status classes of the `status` filter; `error` is every status from 400 up. */
export type StatusClass = "2xx" | "3xx" | "4xx" | "5xx" | "error";

/** One recorded request as lists and live events show it. */
export interface RequestSummary {
  readonly id: string;
  readonly time: string;
  readonly tenant: string;
  readonly method: string;
  readonly path: string;
  readonly query?: string;
  readonly status: number;
  readonly scimType?: string;
  readonly detail?: string;
  readonly durationMs: number;
  readonly resourceType?: string;
  readonly resourceId?: string;
  readonly subject?: string;
  readonly idp: IdpName;
  readonly userAgent?: string;
}

/** A change a request made or tried to make. `body` is JSON text (redacted). */
export interface ChangeRecord {
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly action: "create" | "replace" | "patch" | "delete";
  readonly outcome: "success" | "failure";
  readonly status: number;
  readonly detail?: string;
  readonly bulkId?: string;
  readonly body?: string;
}

/** `GET _console/requests/{id}`: the summary, headers, parsed bodies (when kept) and changes. */
export interface RequestDetail extends RequestSummary {
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: unknown;
  readonly responseBody?: unknown;
  readonly changes: readonly ChangeRecord[];
}

export interface RequestPage {
  readonly items: readonly RequestSummary[];
  readonly nextCursor?: string;
}

export interface RequestStats {
  readonly now: string;
  readonly perMinute: readonly {
    readonly minute: string;
    readonly requests: number;
    readonly errors: number;
  }[];
  readonly idps: readonly {
    readonly idp: string;
    readonly requests: number;
    readonly errors: number;
    readonly lastRequest?: string;
    readonly lastSuccess?: string;
  }[];
  readonly errorRate: {
    readonly windowMinutes: number;
    readonly requests: number;
    readonly errors: number;
    readonly rate: number | null;
  };
  readonly total: number;
}

/** One entry of a resource's history: the change with the request that made it. */
export interface ResourceChange extends ChangeRecord {
  readonly id: string;
  readonly requestId: string;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly subject?: string;
  readonly idp: IdpName;
}

export interface HistoryPage {
  readonly items: readonly ResourceChange[];
  readonly nextCursor?: string;
}

/** The Activity filters, as the read API's query parameters take them (all optional). */
export interface RequestFilters {
  readonly since?: string;
  readonly until?: string;
  readonly status?: StatusClass;
  readonly idp?: IdpName;
  readonly resourceType?: string;
  readonly method?: string;
  readonly q?: string;
}

/** A SCIM ListResponse (RFC 7644 §3.4.2). */
export interface ListResponse {
  readonly totalResults: number;
  readonly startIndex?: number;
  readonly itemsPerPage?: number;
  readonly Resources?: readonly ScimResource[];
}

export interface ScimResource {
  readonly id: string;
  readonly userName?: string;
  readonly displayName?: string;
  readonly active?: boolean;
  readonly meta?: {
    readonly resourceType?: string;
    readonly lastModified?: string;
    readonly created?: string;
  };
  readonly [key: string]: unknown;
}
