import { isScimError, ScimError } from "@scimkit/core";
import { registryOf, typeContext } from "../resource/context.js";
import { authenticate } from "./auth.js";
import type { Call, Env } from "./call.js";
import { MethodNotAllowed } from "./errors.js";
import type { ScimHandlerOptions } from "./options.js";
import { route } from "./routes.js";

/**
 * A SCIM 2.0 service provider (RFC 7644) as a web-standard request handler: `(Request) => Promise<Response>`.
 * Every route of RFC 7644 §3 for every resource type of the bundle, discovery (§4), /Bulk (§3.7), /Me
 * (§3.11), ETags (§3.14), index and cursor pagination (RFC 9865); bearer authentication with tenants;
 * body, filter, page and bulk limits; audit events. Errors are RFC 7644 §3.12 bodies; unexpected errors
 * are answered 500 without details and reported to `onError`. Mount it with the node:http, Express or
 * Hono adapters, or any runtime that speaks `Request`/`Response`.
 *
 * @example
 * const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: ["secret"] } });
 * const response = await handle(new Request("http://localhost/scim/v2/Users", { headers: { authorization: "Bearer secret" } }));
 */
export function createScimHandler(options: ScimHandlerOptions): (request: Request) => Promise<Response> {
  const registry = registryOf(options);
  // Fail at start-up, not on the first request, when a resource type has no validators.
  for (const type of registry.bundle.resourceTypes) typeContext(type.name, options);
  const basePath = `/${(options.basePath ?? "/scim/v2").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const env: Env = {
    options,
    registry,
    basePath,
    maxPayloadSize: options.maxPayloadSize ?? 1_048_576,
    maxResults: options.maxResults ?? 1000,
    defaultPageSize: options.defaultPageSize ?? 100,
    maxBulkOperations: options.maxBulkOperations ?? 1000,
  };
  return async (request: Request): Promise<Response> => {
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
        `no SCIM endpoint at ${path}; the endpoints are under ${basePath}`,
      ).toResponse();
    }
    try {
      const principal = await authenticate(env, request);
      if (!principal) {
        return new ScimError({
          status: 401,
          detail: "authentication required: send Authorization: Bearer <token>",
        }).toResponse({
          headers: { "www-authenticate": 'Bearer realm="SCIM"' },
        });
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
      const call: Call = { env, request, principal, base: `${url.origin}${basePath}` };
      return await route(call, url, segments);
    } catch (error) {
      if (error instanceof MethodNotAllowed) return error.toResponse({ headers: { allow: error.allow } });
      if (isScimError(error)) return error.toResponse();
      options.onError?.(error, request);
      return new ScimError({ status: 500, detail: "internal server error" }).toResponse();
    }
  };
}
