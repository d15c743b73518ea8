/** One request sent to the target and what came back. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  /** The request body as sent (JSON text), if any. */
  readonly sent: string | undefined;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The response body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Longest request or response body a failure detail quotes. */
export const DETAIL_LIMIT = 500;

function truncate(text: string): string {
  return text.length > DETAIL_LIMIT ? `${text.slice(0, DETAIL_LIMIT)}… (${text.length} chars)` : text;
}

/** "POST /Users {…} → 200 {…}": what was sent and what came back, each body truncated. */
export function describeExchange(exchange: Exchange): string {
  const sent = exchange.sent === undefined ? "" : ` ${truncate(exchange.sent)}`;
  const body = exchange.text === "" ? "(empty body)" : truncate(exchange.text);
  return `${exchange.method} ${exchange.path}${sent} → ${exchange.status} ${body}`;
}

/** Sends one request with fetch; the token goes only into the Authorization header. */
export async function sendRequest(
  fetchImpl: typeof fetch,
  baseUrl: string,
  method: string,
  path: string,
  options: {
    body?: unknown;
    raw?: string;
    token: string | undefined;
    headers?: Readonly<Record<string, string>>;
    signal?: AbortSignal;
  },
): Promise<Exchange> {
  const headers: Record<string, string> = { accept: "application/scim+json", ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const sent = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (sent !== undefined) headers["content-type"] = "application/scim+json";
  const init: RequestInit = { method, headers, redirect: "manual" };
  if (sent !== undefined) init.body = sent;
  if (options.signal) init.signal = options.signal;
  const response = await fetchImpl(`${baseUrl}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { method, path, sent, status: response.status, headers: response.headers, text, json };
}

/** Reads `value[key]` when value is a JSON object. */
export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The `schemas` array of a JSON body, or []. */
export function schemasOf(value: unknown): string[] {
  const schemas = field(value, "schemas");
  return Array.isArray(schemas) ? schemas.filter((s): s is string => typeof s === "string") : [];
}

/** The `Resources` of a ListResponse body, or undefined when it has none. */
export function resourcesOf(value: unknown): Record<string, unknown>[] | undefined {
  const resources = field(value, "Resources");
  return Array.isArray(resources) ? (resources as Record<string, unknown>[]) : undefined;
}
