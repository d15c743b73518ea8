import type {
  HistoryPage,
  ListResponse,
  RequestDetail,
  RequestFilters,
  RequestPage,
  RequestStats,
  ScimResource,
} from "./types.js";

/**
 * A failed call: the HTTP status and, when the answer was a SCIM Error (RFC 7644 §3.12), its
 * `scimType` and `detail`. `status` 0 means the server could not be reached.
 */
export class ApiError extends Error {
  override readonly name = "ApiError" as const;
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(status === 0 ? detail : `${status}${scimType ? ` ${scimType}` : ""}: ${detail}`);
  }
}

/** Requests per page of the Activity list: small pages keep first paint fast with 100,000 recorded. */
export const PAGE_SIZE = 50;

/**
 * The console's calls: the read API under `{basePath}/_console` and plain SCIM reads for Resources,
 * all with the bearer token (RFC 7644 §2: the same authentication as SCIM itself).
 */
export class ConsoleApi {
  constructor(
    readonly basePath: string,
    private readonly token: string,
  ) {}

  /** Sends a GET and parses the JSON answer; a non-2xx answer becomes an {@link ApiError}. */
  async get<T>(path: string, params: Record<string, string | undefined> = {}, signal?: AbortSignal) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
    const search = query.toString();
    let response: Response;
    try {
      response = await fetch(`${this.basePath}${path}${search ? `?${search}` : ""}`, {
        headers: { authorization: `Bearer ${this.token}`, accept: "application/scim+json, application/json" },
        cache: "no-store",
        ...(signal && { signal }),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, `the server did not answer (${error instanceof Error ? error.message : error})`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) throw errorOf(response.status, body, text);
    return body as T;
  }

  /** Opens the live event stream (Server-Sent Events) with the token; the caller reads the body. */
  events(lastEventId: string | undefined, signal: AbortSignal): Promise<Response> {
    return fetch(`${this.basePath}/_console/events`, {
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: "text/event-stream",
        ...(lastEventId !== undefined && { "last-event-id": lastEventId }),
      },
      cache: "no-store",
      signal,
    });
  }

  requests(filters: RequestFilters, before?: string, signal?: AbortSignal): Promise<RequestPage> {
    return this.get<RequestPage>(
      "/_console/requests",
      { ...filters, limit: String(PAGE_SIZE), before },
      signal,
    );
  }

  request(id: string): Promise<RequestDetail> {
    return this.get<RequestDetail>(`/_console/requests/${encodeURIComponent(id)}`);
  }

  stats(signal?: AbortSignal): Promise<RequestStats> {
    return this.get<RequestStats>("/_console/stats", {}, signal);
  }

  history(resourceType: string, id: string, before?: string): Promise<HistoryPage> {
    return this.get<HistoryPage>(
      `/_console/resources/${encodeURIComponent(resourceType)}/${encodeURIComponent(id)}/history`,
      { limit: "50", before },
    );
  }

  /** A page of a SCIM list (RFC 7644 §3.4.2), `filter` passed as typed. */
  list(endpoint: "Users" | "Groups", filter: string, startIndex: number, count: number) {
    return this.get<ListResponse>(`/${endpoint}`, {
      filter: filter.trim() === "" ? undefined : filter,
      startIndex: String(startIndex),
      count: String(count),
    });
  }

  resource(endpoint: "Users" | "Groups", id: string): Promise<ScimResource> {
    return this.get<ScimResource>(`/${endpoint}/${encodeURIComponent(id)}`);
  }
}

function errorOf(status: number, body: unknown, text: string): ApiError {
  if (body && typeof body === "object") {
    const { detail, scimType } = body as { detail?: unknown; scimType?: unknown };
    if (typeof detail === "string")
      return new ApiError(status, detail, typeof scimType === "string" ? scimType : undefined);
  }
  return new ApiError(status, text.slice(0, 300) || `HTTP ${status}`);
}
