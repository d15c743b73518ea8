/** The retry policy (see README, "Retries"): which requests are retried, how often, and how long to wait. */
import type { RetryOptions, ScimClientOptions } from "./options.js";

const IDEMPOTENT = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

export interface RetryPolicy {
  limit: number;
  methods: Set<string>;
  statusCodes: Set<number>;
  delay: number;
  maxRetryDelay: number;
}

export function retryPolicy(retry: ScimClientOptions["retry"]): RetryPolicy {
  const given: RetryOptions =
    retry === false ? { limit: 0 } : typeof retry === "number" ? { limit: retry } : (retry ?? {});
  return {
    limit: Math.max(0, given.limit ?? 2),
    methods: new Set((given.methods ?? IDEMPOTENT).map((m) => m.toUpperCase())),
    statusCodes: new Set(given.statusCodes ?? [429, 503]),
    delay: Math.max(0, given.delay ?? 300),
    maxRetryDelay: Math.max(0, given.maxRetryDelay ?? 30_000),
  };
}

/** Milliseconds a `Retry-After` header asks for (delay-seconds or an HTTP-date), or `undefined`. */
export function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
