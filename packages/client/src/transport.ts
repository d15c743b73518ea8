/**
 * The transport: each HTTP exchange on fetch (or on ky, loaded on first use, when `ky` options are given)
 * with the SCIM headers, the bearer token and the timeout, and the retry policy around it.
 */
import { SCIM_MEDIA_TYPE } from "@scimkit/core";
import type { Options as KyOptions } from "ky";
import type { ScimClientOptions } from "./options.js";
import { describe, errorFromResponse, readJson, readResource } from "./response.js";
import { retryAfter, retryPolicy, sleep } from "./retry.js";
import { timeoutSignals } from "./timeout-signals.js";
import type { WriteOptions } from "./types.js";

/** Errors thrown by the fetch call itself (fetch's TypeError on a refused or reset connection): the retriable kind. */
const networkFailures = new WeakSet<object>();
function networkFailure(error: unknown): unknown {
  if (error instanceof TypeError) networkFailures.add(error);
  return error;
}

/** A request that ran out of time (`timeout`): named like ky's and the platform's, with the request in the message. */
class RequestTimeoutError extends Error {
  override name = "TimeoutError";
}

const ACCEPT = `${SCIM_MEDIA_TYPE}, application/json;q=0.9`;
/** What a header value may hold (RFC 9110 §5.5: visible ASCII, spaces and tabs, and obs-text). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** What the client's methods ask of the transport. */
export interface Request_ {
  method?: string;
  headers?: Record<string, string>;
  searchParams?: URLSearchParams;
  body?: string;
}

/** The body of a POST, PUT or PATCH, with `If-Match` when the write has a precondition. */
export function jsonInit(method: string, body: unknown, write?: WriteOptions): Request_ {
  const headers: Record<string, string> = { "content-type": SCIM_MEDIA_TYPE };
  if (write?.ifMatch !== undefined) headers["if-match"] = write.ifMatch;
  return { method, headers, body: JSON.stringify(body) };
}

/** `METHOD name path`, how error messages name a call. */
export const describeCall = (name: string, path: string, init: Request_) =>
  `${init.method?.toUpperCase() ?? "GET"} ${name} ${path}`;

/** The requests of one client. */
export interface Transport {
  /** A request with the retry policy; resolves to a 2xx/304 response, rejects with a ScimError for any other status. */
  send(path: string, init: Request_): Promise<Response>;
  /** `send`, then the body as JSON. */
  call<T>(name: string, path: string, init: Request_): Promise<T>;
  /** `send`, then the body as a resource whose `meta.version` is the `ETag` header. */
  callResource<T>(name: string, path: string, init: Request_): Promise<T>;
}

/** The transport of a client with these options. */
export function createTransport(options: ScimClientOptions): Transport {
  const { token } = options;

  const root = String(options.baseUrl).replace(/\/+$/, "");
  const timeout = options.timeout ?? 30_000;
  const policy = retryPolicy(options.retry);
  const fetcher = options.fetch ?? options.ky?.fetch;
  let checkedToken: string | undefined;
  const nextSignal = timeout === false ? undefined : timeoutSignals(timeout);

  // ky, only when the caller wants its options or hooks: loaded once, on the first request.
  let kyClient: Promise<(url: string, init: RequestInit) => Promise<Response>> | undefined;
  const viaKy = () =>
    (kyClient ??= import("ky").then(({ default: ky }) => {
      const instance = ky.create({
        ...options.ky,
        ...(fetcher !== undefined && { fetch: fetcher }),
        retry: 0,
        timeout,
        throwHttpErrors: false,
      });
      return (url: string, init: RequestInit) => instance(url, init as KyOptions);
    }));

  /** One HTTP exchange: the SCIM headers and bearer token, the timeout, and one re-ask of a token provider on 401. */
  async function exchange(method: string, url: string, init: Request_): Promise<Response> {
    const timedOut = () =>
      new RequestTimeoutError(
        `${describe(method, url)} got no answer within ${timeout} ms (the "timeout" option)`,
      );
    const attempt = async (value: string | undefined) => {
      const headers: Record<string, string> = init.headers
        ? { accept: ACCEPT, ...init.headers }
        : { accept: ACCEPT };
      if (value !== undefined) {
        // checked here, so that a token no header can carry fails at once instead of as a "network" error;
        // the last token that passed is remembered, so a string token is checked once, not per request
        if (value !== checkedToken) {
          if (!HEADER_VALUE.test(value))
            throw new TypeError("the bearer token has characters an HTTP header cannot carry");
          checkedToken = value;
        }
        headers.authorization = `Bearer ${value}`;
      }
      const request: RequestInit = { method, headers };
      if (init.body !== undefined) request.body = init.body;
      if (options.ky !== undefined) {
        const viaKyClient = await viaKy();
        try {
          return await viaKyClient(url, request);
        } catch (error) {
          // ky's TimeoutError keeps the Request (and its Authorization header) and the query: not ours to pass on
          if (error instanceof Error && error.name === "TimeoutError") throw timedOut();
          throw networkFailure(error);
        }
      }
      if (nextSignal === undefined)
        return (fetcher ?? globalThis.fetch)(url, request).catch((e) => Promise.reject(networkFailure(e)));
      // Like ky, the timeout runs until the response headers arrive; the signal is shared with the other
      // requests whose deadlines fall in the same slot (timeout-signals.ts).
      const slot = nextSignal();
      request.signal = slot.signal;
      slot.pending++;
      try {
        return await (fetcher ?? globalThis.fetch)(url, request);
      } catch (error) {
        if (slot.signal.aborted) throw timedOut();
        throw networkFailure(error);
      } finally {
        slot.pending--;
      }
    };
    const response = await attempt(
      token === undefined ? undefined : typeof token === "string" ? token : await token(),
    );
    if (response.status !== 401 || typeof token !== "function") return response;
    await response.body?.cancel();
    return attempt(await token());
  }

  /** A request with the retry policy; resolves to a 2xx/304 response, rejects with a ScimError for any other status. */
  async function send(path: string, init: Request_): Promise<Response> {
    const method = (init.method ?? "get").toUpperCase();
    const query = init.searchParams?.toString();
    // Paths rarely start with "/": the regex runs only when one does.
    const relative = path.charCodeAt(0) === 47 ? path.replace(/^\/+/, "") : path;
    const url = `${root}/${relative}${query ? `?${query}` : ""}`;
    const retriable = policy.methods.has(method);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await exchange(method, url, init);
      } catch (error) {
        // only failures of the fetch call itself (connection refused or reset) are retried; timeouts,
        // aborts, a token provider's own errors and invalid header values are not
        if (!retriable || attempt > policy.limit || !networkFailures.has(error as object)) throw error;
        await sleep(Math.min(Math.random() * policy.delay * 2 ** (attempt - 1), policy.maxRetryDelay));
        continue;
      }
      if (response.ok) return response;
      const failure = await errorFromResponse(method, url, response);
      if (!retriable || attempt > policy.limit || !policy.statusCodes.has(response.status)) throw failure;
      // full jitter: a random wait in [0, delay × 2^(attempt-1)), unless the server said how long
      const asked = retryAfter(response.headers.get("retry-after"));
      const wait = asked ?? Math.random() * policy.delay * 2 ** (attempt - 1);
      await sleep(Math.min(wait, policy.maxRetryDelay));
    }
  }

  // The call's name for error messages is built only when one is thrown.
  const call = async <T>(name: string, path: string, init: Request_): Promise<T> =>
    readJson<T>(await send(path, init), () => describeCall(name, path, init));
  const callResource = async <T>(name: string, path: string, init: Request_): Promise<T> =>
    readResource<T>(await send(path, init), () => describeCall(name, path, init));

  return { send, call, callResource };
}
