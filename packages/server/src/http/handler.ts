import { isScimError, type ResourceTypeDefinition, ScimError } from "@scimkit/core";
import { registryOf, typeContext } from "../resource/context.js";
import { authenticate, challenge, checkTokens, warnNoAuth } from "./auth.js";
import type { Call, Env } from "./call.js";
import { checkCursorSecret } from "./cursor.js";
import { MethodNotAllowed, quote } from "./errors.js";
import type { ScimHandlerOptions } from "./options.js";
import { forwardedOrigin, publicBase } from "./proxy.js";
import { route } from "./routes.js";

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
export function createScimHandler(options: ScimHandlerOptions): (request: Request) => Promise<Response> {
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
  };
  return async (request: Request): Promise<Response> => {
    const response = await handle(env, request);
    return request.method.toUpperCase() === "HEAD" ? withoutBody(response) : response;
  };
}

/**
 * Two resource types on one endpoint (a Device at `/Users`) would send every request to one of them, so
 * a User POST would be validated with Device's rules. Endpoints are routed case-insensitively.
 */
function checkEndpoints(types: readonly ResourceTypeDefinition[]): void {
  const seen = new Map<string, string>();
  for (const type of types) {
    const key = type.endpoint.replace(/^\/+|\/+$/g, "").toLowerCase();
    const other = seen.get(key);
    if (other !== undefined)
      throw new TypeError(
        `createScimHandler: resource types "${other}" and "${type.name}" both have endpoint "${type.endpoint}"; give each resource type its own endpoint (endpoints are matched case-insensitively)`,
      );
    seen.set(key, type.name);
  }
}

async function handle(env: Env, request: Request): Promise<Response> {
  const { options, basePath } = env;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return ScimError.invalidSyntax("the request URL is not valid").toResponse();
  }
  const path = url.pathname;
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
  try {
    const principal = await authenticate(env, request);
    if (typeof principal === "string") {
      const { detail, header } = challenge(principal);
      return new ScimError({ status: 401, detail }).toResponse({ headers: { "www-authenticate": header } });
    }
    const wait = await options.rateLimit?.(principal, request);
    if (wait !== undefined && wait > 0) {
      return new ScimError({
        status: 429,
        detail: `too many requests; retry in ${Math.ceil(wait)} s`,
      }).toResponse({ headers: { "retry-after": String(Math.ceil(wait)) } });
    }
    const segments = path
      .slice(basePath.length)
      .split("/")
      .filter((s) => s !== "");
    const method = request.method.toUpperCase();
    const base =
      env.publicBase ?? `${options.trustProxy ? forwardedOrigin(request, url) : url.origin}${basePath}`;
    const call: Call = { env, request, principal, method: method === "HEAD" ? "GET" : method, base };
    return await route(call, url, segments);
  } catch (error) {
    if (error instanceof MethodNotAllowed) return error.toResponse({ headers: { allow: error.allow } });
    if (isScimError(error)) return error.toResponse();
    options.onError?.(error, request);
    return new ScimError({ status: 500, detail: "internal server error" }).toResponse();
  }
}

/**
 * RFC 9110 §9.3.2: HEAD answers the status and headers GET would, without content; Content-Length is
 * the length GET's content would have (§8.6).
 */
async function withoutBody(response: Response): Promise<Response> {
  if (!response.body) return response;
  const length = (await response.arrayBuffer()).byteLength;
  const headers = new Headers(response.headers);
  headers.set("content-length", String(length));
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
}
