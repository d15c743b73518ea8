/** Options of {@link createScimClient}: the leaf module the transport, the PUT fallback and the client share. */
import type { ScimBundle } from "@scimkit/core";
import type { Options as KyOptions } from "ky";
import type { PatchOperation } from "./patch-operation.js";

/** A bearer token, or a function that provides one (asked before each request, and again once on 401). */
export type TokenSource = string | (() => string | Promise<string>);

/**
 * Options of {@link createScimClient}. An option set to `undefined` takes its default, so
 * `token: process.env.SCIM_TOKEN` compiles under `exactOptionalPropertyTypes`.
 *
 * @example { baseUrl: "https://idp.example.com/scim/v2", token: () => vault.read("scim"), timeout: 10_000 }
 */
export interface ScimClientOptions {
  /** The SCIM service root, e.g. `https://example.com/scim/v2`. */
  baseUrl: string | URL;
  /** Bearer token or token provider. A provider is asked again once when the server answers 401. */
  token?: TokenSource | undefined;
  /** Request timeout in milliseconds, or `false` for none. Default 30,000. */
  timeout?: number | false | undefined;
  /**
   * Retries of 429, 503 and network errors with exponential backoff and full jitter, honouring
   * `Retry-After`; idempotent methods only unless `methods` says otherwise. A number is the `limit`;
   * `0` or `false` turns retries off. Default `{ limit: 2 }`.
   */
  retry?: number | false | RetryOptions | undefined;
  /**
   * Send every request through ky with these options and hooks (`beforeRequest`, `afterResponse`,
   * `headers`, `fetch`, …). ky is loaded only when this is given; without it the client calls `fetch`
   * directly (see README, "Transport"). ky's own `retry`, `prefixUrl`, `timeout` and `throwHttpErrors`
   * are the client's: use `retry` and `timeout`.
   */
  ky?:
    | Omit<
        KyOptions,
        "prefixUrl" | "retry" | "timeout" | "throwHttpErrors" | "searchParams" | "method" | "body" | "json"
      >
    | undefined;
  /** The `fetch` to call (default `globalThis.fetch`), e.g. one with a proxy or custom TLS agent. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Endpoint per resource type name (`{ Device: "/Devices" }`); default is the name plus "s". */
  endpoints?: Readonly<Record<string, string>> | undefined;
  /**
   * How `patch` and `update` change a resource (RFC 7644 §3.5.2): `"native"` (default) sends PATCH;
   * `putFallback()` from `@scimkit/client/put-fallback` reads the resource, applies the operations
   * locally and sends PUT with `If-Match` — always, or when the server's ServiceProviderConfig says
   * `patch.supported: false`.
   */
  patch?: "native" | PutFallback | undefined;
  /**
   * The schemas and resource types the server uses (`bundle` of the `scimkit generate` output, or
   * `bundle` of `@scimkit/models`); default: RFC 7643's User (with EnterpriseUser) and Group. The
   * client reads which attributes are multi-valued from it, to send their PATCH values as lists.
   */
  bundle?: ScimBundle | undefined;
}

/**
 * How the client emulates PATCH with PUT; made by `putFallback()` of `@scimkit/client/put-fallback`.
 */
export interface PutFallback {
  /** `"unsupported"`: when ServiceProviderConfig says `patch.supported: false`; `"always"`: every time. */
  readonly when: "unsupported" | "always";
  /** Applies PatchOp operations to a copy of the resource (RFC 7644 §3.5.2). */
  readonly apply: (
    resource: object,
    operations: readonly PatchOperation[],
    context: { resourceType: string },
  ) => object;
}

/**
 * How the client retries (see README, "Retries").
 *
 * @example { limit: 3, methods: ["GET", "PUT", "DELETE", "PATCH"], maxRetryDelay: 5_000 }
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number;
  /** Methods that are retried (case-insensitive). Default GET, HEAD, OPTIONS, PUT, DELETE; add PATCH / POST to opt in. */
  methods?: readonly string[];
  /** HTTP statuses that are retried. Default 429 and 503. */
  statusCodes?: readonly number[];
  /** Base of the exponential backoff, ms: the n-th retry waits a random time in [0, delay × 2^(n-1)). Default 300. */
  delay?: number;
  /** Longest wait before a retry, ms; caps both the backoff and `Retry-After`. Default 30,000. */
  maxRetryDelay?: number;
}
