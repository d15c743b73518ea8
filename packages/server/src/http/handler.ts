import { isScimError, type ResourceTypeDefinition, ScimError } from "@scimkit/core";
import { resolveRecording } from "../recording/options.js";
import { Recorder, type Trace } from "../recording/recorder.js";
import { secretNames } from "../recording/redact.js";
import { registryOf, typeContext } from "../resource/context.js";
import { authenticate, challenge, checkTokens, warnNoAuth } from "./auth.js";
import { type Env, RequestCall } from "./call.js";
import { CONSOLE_SEGMENT, consoleApi } from "./console-api.js";
import { checkCursorSecret } from "./cursor.js";
import { MethodNotAllowed, quote } from "./errors.js";
import { INCOMING_ENTRY, type Incoming, type IncomingEntry, incomingOf, Reply } from "./incoming.js";
import type { ScimHandlerOptions } from "./options.js";
import { forwardedOrigin, publicBase } from "./proxy.js";
import { route } from "./routes.js";

/** What {@link createScimHandler} returns: the request handler, and `drain` for shutting down. */
export interface ScimHandler {
  (request: Request): Promise<Response>;
  /**
   * Resolves once every request answered so far is recorded (the console's recording appends in
   * batches, one event-loop turn after the answers). Shut down in this order: stop accepting requests
   * and let in-flight ones finish, `await handler.drain()`, then `store.close()` — `serve()`'s
   * `close()` drains for you. Never rejects; resolves at once when recording is off.
   */
  drain(): Promise<void>;
}

/**
 * A SCIM 2.0 service provider (RFC 7644) as a web-standard request handler: `(Request) => Promise<Response>`.
 * Every route of RFC 7644 §3 for every resource type of the bundle, discovery (§4), /Bulk (§3.7), /Me
 * (§3.11), ETags (§3.14), index and cursor pagination (RFC 9865); bearer authentication with tenants;
 * body, filter, page and bulk limits; audit events. Errors are RFC 7644 §3.12 bodies; unexpected errors
 * are answered 500 without details and reported to `onError`. HEAD is answered wherever GET is. Mount it
 * with the node:http, Express or Hono adapters, or any runtime that speaks `Request`/`Response`.
 *
 * Throws a `TypeError` at construction for a static token that is empty, `"undefined"`, `"null"` or
 * shorter than 16 characters, for a `publicUrl` that is not an absolute http(s) URL, and for two resource
 * types of the bundle on one endpoint. Without `auth`
 * it warns once per process that every request is accepted.
 *
 * @example
 * const token = process.env.SCIM_TOKEN;
 * if (!token) throw new Error("set SCIM_TOKEN to the bearer token your identity provider sends");
 * const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: [token] } });
 * const response = await handle(new Request("http://localhost/scim/v2/Users", { headers: { authorization: `Bearer ${token}` } }));
 */
export function createScimHandler(options: ScimHandlerOptions): ScimHandler {
  const registry = registryOf(options);
  checkEndpoints(registry.bundle.resourceTypes);
  // Fail at start-up, not on the first request, when a resource type has no validators.
  for (const type of registry.bundle.resourceTypes) typeContext(type.name, options);
  checkTokens(options.auth);
  checkCursorSecret(options);
  if (!options.auth) warnNoAuth();
  const basePath = `/${(options.basePath ?? "/scim/v2").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const env: Env = {
    options,
    registry,
    basePath,
    publicBase: publicBase(options.publicUrl),
    maxPayloadSize: options.maxPayloadSize ?? 1_048_576,
    maxResults: options.maxResults ?? 1000,
    defaultPageSize: options.defaultPageSize ?? 100,
    maxBulkOperations: options.maxBulkOperations ?? 1000,
    recorder: recorderOf(options, registry),
  };
  const recorder = env.recorder;
  // What adapters that skip building a Request call (INCOMING_ENTRY): the answer may be a Reply.
  const entry: IncomingEntry = async (incoming) => {
    const trace = recorder?.begin();
    const response = await handle(env, incoming, trace);
    const answer = incoming.method.toUpperCase() === "HEAD" ? await withoutBody(response) : response;
    if (trace) recorder?.finish(trace, incoming, answer);
    return answer;
  };
  const handler = async (request: Request): Promise<Response> => {
    const answer = await entry(incomingOf(request));
    return answer instanceof Reply ? answer.toResponse() : answer;
  };
  const drain = async (): Promise<void> => {
    await recorder?.drain();
  };
  return Object.assign(handler, { [INCOMING_ENTRY]: entry, drain });
}

/**
 * Recording is on when the store has `recordings` and `recording` is not `false`; asking for it
 * (an object) on a store without them is a TypeError, since nothing would be recorded.
 */
function recorderOf(options: ScimHandlerOptions, registry: Env["registry"]): Recorder | undefined {
  const recordings = options.store.recordings;
  if (options.recording === false) return undefined;
  if (!recordings) {
    if (options.recording !== undefined)
      throw new TypeError(
        "createScimHandler: the `recording` option needs a store with `recordings` (MemoryStore and PostgresStore have them); pass recording: false or use such a store",
      );
    return undefined;
  }
  return new Recorder(
    recordings,
    resolveRecording(options.recording ?? {}, singleTenant(options)),
    secretNames(registry),
    options.onError,
  );
}

/** The one tenant every credential maps to (tokens as a list, or all to one tenant; no auth at all), if so. */
function singleTenant(options: ScimHandlerOptions): string | undefined {
  const auth = options.auth;
  if (!auth) return "default";
  if (auth.verify || !auth.tokens) return undefined;
  if (Array.isArray(auth.tokens)) return "default";
  const tenants = new Set(Object.values(auth.tokens as Record<string, string>));
  return tenants.size === 1 ? [...tenants][0] : undefined;
}

/**
 * Two resource types on one endpoint (a Device at `/Users`) would send every request to one of them, so
 * a User POST would be validated with Device's rules. Endpoints are routed case-insensitively.
 */
function checkEndpoints(types: readonly ResourceTypeDefinition[]): void {
  const seen = new Map<string, string>();
  for (const type of types) {
    const key = type.endpoint.replace(/^\/+|\/+$/g, "").toLowerCase();
    if (key === CONSOLE_SEGMENT)
      throw new TypeError(
        `createScimHandler: resource type "${type.name}" has endpoint "${type.endpoint}", which the console's read API uses; give it another endpoint`,
      );
    const other = seen.get(key);
    if (other !== undefined)
      throw new TypeError(
        `createScimHandler: resource types "${other}" and "${type.name}" both have endpoint "${type.endpoint}"; give each resource type its own endpoint (endpoints are matched case-insensitively)`,
      );
    seen.set(key, type.name);
  }
}

async function handle(env: Env, incoming: Incoming, trace: Trace | undefined): Promise<Response | Reply> {
  const { options, basePath } = env;
  let url: URL;
  try {
    url = incoming.parsed ?? new URL(incoming.url);
  } catch {
    return ScimError.invalidSyntax("the request URL is not valid").toResponse();
  }
  const path = url.pathname;
  if (trace) {
    trace.url = url;
    trace.path = path;
  }
  const lowerPath = path.toLowerCase();
  if (
    basePath !== "" &&
    lowerPath !== basePath.toLowerCase() &&
    !lowerPath.startsWith(`${basePath.toLowerCase()}/`)
  ) {
    return ScimError.notFound(
      `no SCIM endpoint at ${quote(path)}: this handler serves SCIM under ${basePath} (set the basePath option of createScimHandler to serve it elsewhere)`,
    ).toResponse();
  }
  const segments = path
    .slice(basePath.length)
    .split("/")
    .filter((s) => s !== "");
  // The console's read API is not a SCIM request: not recorded (it would record its own reading).
  if (trace && segments[0]?.toLowerCase() === CONSOLE_SEGMENT) trace.skip = true;
  try {
    const principal = await authenticate(env, incoming);
    if (trace && typeof principal !== "string") trace.principal = principal;
    if (typeof principal === "string") {
      const { detail, header } = challenge(principal);
      return failed(trace, new ScimError({ status: 401, detail }), { "www-authenticate": header });
    }
    const wait = options.rateLimit ? await options.rateLimit(principal, incoming.request) : undefined;
    if (wait !== undefined && wait > 0) {
      return failed(
        trace,
        new ScimError({ status: 429, detail: `too many requests; retry in ${Math.ceil(wait)} s` }),
        { "retry-after": String(Math.ceil(wait)) },
      );
    }
    const method = incoming.method.toUpperCase();
    const base =
      env.publicBase ??
      `${options.trustProxy ? forwardedOrigin(incoming.request, url) : url.origin}${basePath}`;
    const call = new RequestCall(env, incoming, principal, method === "HEAD" ? "GET" : method, base, trace);
    if (segments[0]?.toLowerCase() === CONSOLE_SEGMENT) return await consoleApi(call, url, segments.slice(1));
    return await route(call, url, segments);
  } catch (error) {
    if (error instanceof MethodNotAllowed) return failed(trace, error, { allow: error.allow });
    if (isScimError(error)) return failed(trace, error);
    options.onError?.(error, incoming.request);
    return failed(trace, new ScimError({ status: 500, detail: "internal server error" }));
  }
}

/** The error's answer, with the error kept for the request's record (no need to read the answer back). */
function failed(trace: Trace | undefined, error: ScimError, headers?: Record<string, string>): Response {
  if (trace) trace.error = error;
  return error.toResponse(headers ? { headers } : undefined);
}

/**
 * RFC 9110 §9.3.2: HEAD answers the status and headers GET would, without content; Content-Length is
 * the length GET's content would have (§8.6).
 */
async function withoutBody(response: Response | Reply): Promise<Response | Reply> {
  if (response instanceof Reply) {
    if (response.body === null) return response;
    const headers = {
      ...response.headers,
      "content-length": String(new TextEncoder().encode(response.body).byteLength),
    };
    return new Reply(response.status, headers, null);
  }
  if (!response.body) return response;
  const length = (await response.arrayBuffer()).byteLength;
  const headers = new Headers(response.headers);
  headers.set("content-length", String(length));
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
}
