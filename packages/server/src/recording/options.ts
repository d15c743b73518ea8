/**
 * The `recording` option of `createScimHandler`: what is kept of every SCIM request (see the server
 * README, "Recording").
 *
 * @example
 * createScimHandler({ store, auth, recording: { bodies: "all", maxAgeMs: 86_400_000, maxCount: 10_000 } });
 */
export interface RecordingOptions {
  /**
   * Which request and response bodies are kept (always redacted): `"failures"` (status ≥ 400, the
   * default), `"all"`, or `"none"`.
   */
  readonly bodies?: "failures" | "all" | "none";
  /** Requests older than this are removed. Default 7 days. */
  readonly maxAgeMs?: number;
  /** Most requests kept per tenant; the oldest go first. Default 100,000. */
  readonly maxCount?: number;
  /** Longest body kept, in characters; the rest is cut with a marker. Default 65,536. */
  readonly maxBodyChars?: number;
  /**
   * Most records waiting to be written; beyond it new ones are dropped (and reported to `onError` once
   * per 1,000), so a slow or failing store never holds memory without bound. Default 10,000.
   */
  readonly maxPending?: number;
  /**
   * The tenant that sees requests refused with 401 (no tenant is known for them). Default: the tenant
   * of the static tokens when they all belong to one (a single-tenant server); otherwise they are not
   * recorded, since no tenant may see another's failed sign-ins.
   */
  readonly unauthenticatedTenant?: string;
}

/** {@link RecordingOptions} with every default applied. */
export interface ResolvedRecording {
  readonly bodies: "failures" | "all" | "none";
  readonly maxAgeMs: number;
  readonly maxCount: number;
  readonly maxBodyChars: number;
  readonly maxPending: number;
  readonly unauthenticatedTenant: string | undefined;
}

export const RECORDING_DEFAULTS = {
  bodies: "failures",
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  maxCount: 100_000,
  maxBodyChars: 65_536,
  maxPending: 10_000,
} as const;

/** Checks the option at construction: a TypeError names a value that makes no sense. */
export function resolveRecording(
  options: RecordingOptions,
  singleTenant: string | undefined,
): ResolvedRecording {
  const positive = (name: string, value: number | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 1)
      throw new TypeError(
        `createScimHandler: recording.${name} must be a positive number, got ${String(value)}`,
      );
    return Math.floor(value);
  };
  const bodies = options.bodies ?? RECORDING_DEFAULTS.bodies;
  if (bodies !== "failures" && bodies !== "all" && bodies !== "none")
    throw new TypeError(
      `createScimHandler: recording.bodies must be "failures", "all" or "none", got ${JSON.stringify(bodies)}`,
    );
  return {
    bodies,
    maxAgeMs: positive("maxAgeMs", options.maxAgeMs, RECORDING_DEFAULTS.maxAgeMs),
    maxCount: positive("maxCount", options.maxCount, RECORDING_DEFAULTS.maxCount),
    maxBodyChars: positive("maxBodyChars", options.maxBodyChars, RECORDING_DEFAULTS.maxBodyChars),
    maxPending: positive("maxPending", options.maxPending, RECORDING_DEFAULTS.maxPending),
    unauthenticatedTenant: options.unauthenticatedTenant ?? singleTenant,
  };
}
