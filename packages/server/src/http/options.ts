import type { RecordingOptions } from "../recording/options.js";
import type { SchemaOptions } from "../resource/context.js";
import type { ScimStore } from "../stores/store.js";
import { createScimHandler } from "./handler.js";

/**
 * Who made a request: the tenant whose data it may touch and, for audit and `/Me`, the subject.
 *
 * @example
 * const principal: Principal = { tenant: "acme", subject: "okta-provisioning" };
 */
export interface Principal {
  readonly tenant: string;
  readonly subject?: string;
}

/**
 * How requests authenticate (RFC 7644 §2: OAuth 2.0 bearer tokens). Static tokens are compared in
 * constant time; `verify` covers anything else (JWT, introspection) and returns the principal, or
 * `undefined` to answer 401. A request without Bearer credentials gets `WWW-Authenticate: Bearer
 * realm="SCIM"`; a token that is refused gets `error="invalid_token"` added (RFC 6750 §3, §3.1).
 *
 * @example
 * const okta = process.env.OKTA_TOKEN;
 * const entra = process.env.ENTRA_TOKEN;
 * if (!okta || !entra) throw new Error("set OKTA_TOKEN and ENTRA_TOKEN");
 * auth: { tokens: { [okta]: "acme", [entra]: "globex" } }
 * auth: { verify: async (token) => (await verifyJwt(token)) ? { tenant: "acme", subject: "entra" } : undefined }
 */
export interface AuthOptions {
  /**
   * Accepted tokens: a list (tenant "default"), or token → tenant. `createScimHandler` throws a
   * `TypeError` naming the entry (never the token) for one that is empty, `"undefined"` or `"null"` (an
   * unset variable made a string), shorter than 16 characters, or holding whitespace.
   */
  readonly tokens?: readonly string[] | Readonly<Record<string, string>>;
  /**
   * Shortest static token accepted at construction. Default 16. Lower it only for a local demo or a
   * test with a fixed short token (the reference server does so, with a warning, for `SCIM_TOKEN=secret`);
   * empty, `"undefined"` and `"null"` tokens are refused whatever it says.
   */
  readonly minTokenLength?: number;
  readonly verify?: (
    token: string,
    request: Request,
  ) => Principal | undefined | Promise<Principal | undefined>;
}

/**
 * One provisioning change, for the audit trail (who, what, when, result).
 *
 * @example
 * audit: (event) => logger.info(event)
 */
export interface AuditEvent {
  readonly time: string;
  readonly tenant: string;
  readonly subject: string | undefined;
  readonly action: "create" | "replace" | "patch" | "delete";
  readonly resourceType: string;
  readonly id: string | undefined;
  readonly outcome: "success" | "failure";
  readonly status: number;
  readonly detail?: string;
  /** For operations inside a bulk request: its bulkId. */
  readonly bulkId?: string;
}

/**
 * Options of {@link createScimHandler}.
 *
 * @example
 * const token = process.env.SCIM_TOKEN; // at least 16 characters
 * if (!token) throw new Error("set SCIM_TOKEN to the bearer token your identity provider sends");
 * const handle = createScimHandler({
 *   store: new MemoryStore(),
 *   auth: { tokens: [token] },
 *   basePath: "/scim/v2",
 *   publicUrl: "https://scim.example.com/scim/v2",
 * });
 */
export interface ScimHandlerOptions extends SchemaOptions {
  readonly store: ScimStore;
  /**
   * Omit to accept every request as tenant "default" (tests, or when a proxy authenticates);
   * `createScimHandler` then warns once per process with `console.warn`.
   */
  readonly auth?: AuthOptions;
  /** Path prefix the SCIM endpoints live under. Default "/scim/v2". A request outside it gets a 404 naming it. */
  readonly basePath?: string;
  /** RFC literal mode for validation and PATCH (see validateResource/applyPatch). Default false. */
  readonly strict?: boolean;
  /** Largest request body in bytes; larger → 413 (RFC 7644 §3.7.4). Default 1 MiB. */
  readonly maxPayloadSize?: number;
  /** Most results on one page (RFC 7643 §5 filter.maxResults). Default 1,000. */
  readonly maxResults?: number;
  /** Page size when a list request gives no count. Default 100. */
  readonly defaultPageSize?: number;
  /** Most operations in one bulk request (RFC 7644 §3.7.4). Default 1,000. */
  readonly maxBulkOperations?: number;
  /** Longest filter accepted (characters) and deepest nesting. Defaults 8,192 and 64. */
  readonly maxFilterLength?: number;
  readonly maxFilterDepth?: number;
  /** Called per request after authentication; a number of seconds answers 429 with Retry-After. */
  readonly rateLimit?: (
    principal: Principal,
    request: Request,
  ) => number | undefined | Promise<number | undefined>;
  /** One event per provisioning change. */
  readonly audit?: (event: AuditEvent) => void | Promise<void>;
  /** `/Me` (RFC 7644 §3.11): the id of the User the principal is; `undefined` → 404. Without it, /Me answers 501. */
  readonly me?: (principal: Principal, request: Request) => string | undefined | Promise<string | undefined>;
  /** Unexpected errors (bugs, store outages): reported here, answered 500 without details. */
  readonly onError?: (error: unknown, request: Request) => void;
  /** Link to human documentation in ServiceProviderConfig. */
  readonly documentationUri?: string;
  /**
   * The public base URL of the SCIM endpoints, as the identity provider is given it
   * (`https://scim.example.com/scim/v2`): the base of `meta.location`, `Location`, `$ref`, bulk
   * `location`s and discovery locations, whatever the request or a proxy says. It includes the path, which
   * may differ from `basePath` when a proxy rewrites it. An absolute http(s) URL without credentials,
   * query or fragment, else `createScimHandler` throws a `TypeError`. Default: the request's own origin
   * (behind a proxy, see `trustProxy`) plus `basePath`.
   */
  readonly publicUrl?: string;
  /**
   * Honour `Forwarded` (RFC 7239: `proto=` and `host=` of its first element) and else
   * `X-Forwarded-Proto` / `X-Forwarded-Host` (first value) for the origin of locations when `publicUrl`
   * is not set. A proto other than http/https or a host that is not a plain `host[:port]` is ignored.
   * Only turn this on behind a proxy that sets (not passes through) these headers: otherwise any client
   * chooses the host of the locations you answer. Default false.
   */
  readonly trustProxy?: boolean;
  /**
   * Secret that seals RFC 9865 cursors: AES-256-GCM under a per-cursor key derived with HKDF-SHA256,
   * with the tenant, resource type, filter and sort authenticated, so a cursor is opaque and only opens
   * for the query that issued it. At least 32 characters or bytes (shorter → TypeError at construction).
   * Every instance that serves the same store must share it, so a cursor issued by one instance pages
   * on another.
   * Default: a random secret per handler (cursors then only page on the instance that issued them).
   */
  readonly cursorSecret?: string | Uint8Array;
  /**
   * Request recording for the provisioning console (server README, "Recording"): every SCIM request's
   * time, tenant, caller, IdP, method, path, status, scimType, detail, duration and resource, with
   * redacted bodies of failures (or of all, or none), kept in `store.recordings` and read through
   * `{basePath}/_console/…`. On by default when the store has `recordings` (MemoryStore and
   * PostgresStore do); `false` turns it off. Recording happens after the answer is produced and never
   * fails a request.
   */
  readonly recording?: RecordingOptions | false;
}
