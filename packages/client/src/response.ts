/** Reading what the server answered: SCIM Errors, JSON bodies, ETags, ListResponses. */
import { ScimError } from "@scimkit/core";
import type { ListResponse } from "./types.js";

/**
 * The version (ETag) of a resource the client returned: `meta.version`, which the client fills from the
 * `ETag` response header. Pass it as `ifMatch` / `ifNoneMatch`.
 *
 * @example await client.users.replace(id, input, { ifMatch: versionOf(user) });
 */
export function versionOf(resource: object | undefined): string | undefined {
  const meta = (resource as { meta?: { version?: unknown } } | undefined)?.meta;
  return typeof meta?.version === "string" ? meta.version : undefined;
}

/** `METHOD origin/path` — never the query (it may hold a filter with personal data) nor credentials. */
export function describe(method: string, url: string): string {
  const parsed = new URL(url);
  return `${method} ${parsed.origin}${parsed.pathname}`;
}

export async function errorFromResponse(method: string, url: string, response: Response): Promise<ScimError> {
  const status = response.status >= 300 && response.status <= 599 ? response.status : 502;
  let text = "";
  try {
    text = await response.text();
  } catch {
    // an unreadable body is reported like an empty one
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fromBody = ScimError.fromBody(body, status);
  if (fromBody) return fromBody;
  const type = response.headers.get("content-type")?.split(";")[0]?.trim() || "no content type";
  const what =
    text === ""
      ? "an empty body"
      : body === undefined
        ? `a non-JSON ${type} body`
        : "JSON that is not a SCIM Error";
  return new ScimError({
    status,
    detail: `${describe(method, url)} failed with HTTP ${response.status} ${response.statusText} and ${what} (${text.length} characters) instead of a SCIM Error`,
  });
}

/** How error messages name the call; a function, so the hot path builds no string unless something fails. */
export type CallName = string | (() => string);

export async function readJson<T>(response: Response, request: CallName): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ScimError({
      status: 502,
      detail: `${typeof request === "string" ? request : request()} answered HTTP ${response.status} with a body that is not valid JSON (${text.length} characters)`,
    });
  }
}

/** Reads a single resource and records the `ETag` header as its `meta.version`. */
export async function readResource<T>(response: Response, request: CallName): Promise<T> {
  const resource = await readJson<T>(response, request);
  const tag = response.headers.get("etag");
  if (tag && typeof resource === "object" && resource !== null && !Array.isArray(resource)) {
    const record = resource as { meta?: Record<string, unknown> };
    const meta = typeof record.meta === "object" && record.meta !== null ? record.meta : {};
    record.meta = { ...meta, version: tag };
  }
  return resource;
}

export function normalizeList<T>(page: Partial<ListResponse<T>> | null, request: string): ListResponse<T> {
  if (typeof page !== "object" || page === null || Array.isArray(page)) {
    throw new ScimError({
      status: 502,
      detail: `${request} answered with JSON that is not a ListResponse (RFC 7644 §3.4.2)`,
    });
  }
  return {
    ...page,
    schemas: page.schemas ?? [],
    totalResults: page.totalResults ?? 0,
    Resources: page.Resources ?? [],
  };
}
