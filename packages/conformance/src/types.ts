import type { Exchange } from "./http.js";

/** RFC 2119 level of the requirement a check tests. */
export type CheckLevel = "MUST" | "SHOULD" | "MAY";
/** Which sequences a check belongs to: the RFCs themselves, or an identity provider's real traffic. */
export type CheckProfile = "rfc" | "entra" | "okta";
/** Final status of one check in a report. */
export type CheckStatus = "passed" | "failed" | "skipped";

/** What a check's `run` returns. */
export type CheckOutcome =
  | { readonly status: "passed"; readonly detail?: string }
  | { readonly status: "failed"; readonly detail: string }
  | { readonly status: "skipped"; readonly detail: string };

/** A ServiceProviderConfig capability a check needs (RFC 7643 §5); advertised `supported: false` skips it. */
export type Capability = "patch" | "filter" | "etag" | "changePassword" | "sort" | "bulk";

/** The server's discovery documents, read once per run (RFC 7644 §4). */
export interface Discovery {
  /** The ServiceProviderConfig body, or undefined when it could not be read. */
  readonly serviceProviderConfig: Record<string, unknown> | undefined;
  readonly resourceTypes: readonly Record<string, unknown>[];
  readonly schemas: readonly Record<string, unknown>[];
}

/** What a check works with: requests to the target, discovery, and resources cleaned up after the run. */
export interface CheckContext {
  /** Base URL of the target, without a trailing slash. */
  readonly baseUrl: string;
  /** Every resource this run creates has a userName/displayName starting with this. */
  readonly prefix: string;
  /** Sends a request; `auth` "none" omits the Authorization header, "wrong" sends a refused token. */
  send(method: string, path: string, options?: SendOptions): Promise<Exchange>;
  discovery(): Promise<Discovery>;
  /** The endpoint of a resource type by name ("User" → "/Users"), or undefined when not advertised. */
  endpoint(resourceType: string): Promise<string | undefined>;
  /**
   * Creates a resource and registers it for deletion at the end of the run. Resolves to the exchange
   * and the new id; a non-2xx answer or a body without `id` resolves with `id` undefined.
   */
  create(
    endpoint: string,
    body: Record<string, unknown>,
  ): Promise<{ exchange: Exchange; id: string | undefined }>;
  /** Registers a resource created some other way for deletion at the end of the run. */
  track(path: string): void;
  /** Forgets a resource the check deleted itself. */
  untrack(path: string): void;
}

/** Options of {@link CheckContext.send}. */
export interface SendOptions {
  readonly body?: unknown;
  /** A body sent exactly as given instead of `body` as JSON (malformed or oversized requests). */
  readonly raw?: string;
  readonly auth?: "valid" | "none" | "wrong";
  readonly headers?: Readonly<Record<string, string>>;
}

/** One registered check: its identity, the requirement it tests and how it runs. */
export interface Check {
  /** Stable id, `area.name` (e.g. `crud.user.create-status`). */
  readonly id: string;
  readonly title: string;
  /** The requirement tested, e.g. "RFC 7644 §3.3". */
  readonly requirement: string;
  readonly level: CheckLevel;
  readonly profile: CheckProfile;
  /**
   * True when the check creates or changes resources, or sends any POST, PUT, PATCH or DELETE (even one a
   * conforming server refuses): a read-only run skips it and so sends no write request at all.
   */
  readonly writes: boolean;
  /** Capabilities that must not be advertised as unsupported. */
  readonly requires?: readonly Capability[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** One check's line in a report. */
export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly requirement: string;
  readonly level: CheckLevel;
  readonly profile: CheckProfile;
  readonly status: CheckStatus;
  readonly detail: string;
}

/** What {@link runConformance} returns; also `scimkit test --format json`. */
export interface ConformanceReport {
  readonly target: string;
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number };
  readonly checks: readonly CheckResult[];
}
