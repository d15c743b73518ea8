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
 * `undefined` to answer 401.
 *
 * @example
 * auth: { tokens: { [process.env.OKTA_TOKEN!]: "acme", [process.env.ENTRA_TOKEN!]: "globex" } }
 * auth: { verify: async (token) => (await verifyJwt(token)) ? { tenant: "acme", subject: "entra" } : undefined }
 */
export interface AuthOptions {
  /** Accepted tokens: a list (tenant "default"), or token → tenant. */
  readonly tokens?: readonly string[] | Readonly<Record<string, string>>;
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
 * const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: ["secret"] }, basePath: "/scim/v2" });
 */
export interface ScimHandlerOptions extends SchemaOptions {
  readonly store: ScimStore;
  /** Omit to accept every request as tenant "default" (tests, or when a proxy authenticates). */
  readonly auth?: AuthOptions;
  /** Path prefix the SCIM endpoints live under. Default "/scim/v2". */
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
   * (`https://scim.example.com/scim/v2`): the base of `meta.location`, `Location` and `$ref`. Default:
   * the request's own origin (behind a proxy, see `trustProxy`) plus `basePath`.
   */
  readonly publicUrl?: string;
  /**
   * Honour `Forwarded` (RFC 7239) and `X-Forwarded-Proto` / `X-Forwarded-Host` for the base of
   * locations when `publicUrl` is not set. Only turn this on behind a proxy that sets them. Default false.
   */
  readonly trustProxy?: boolean;
  /**
   * Secret that authenticates RFC 9865 cursors (HMAC), at least 32 characters. Every instance that
   * serves the same store must share it, so a cursor issued by one instance pages on another.
   * Default: a random secret per handler (cursors then only page on the instance that issued them).
   */
  readonly cursorSecret?: string | Uint8Array;
}
