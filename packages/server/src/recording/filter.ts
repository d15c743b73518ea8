import type { RequestQuery, RequestSummary, StatusClass } from "./types.js";

/** Whether a status is in a class of the read API's `status` filter. */
export function inStatusClass(status: number, cls: StatusClass): boolean {
  switch (cls) {
    case "2xx":
      return status >= 200 && status < 300;
    case "3xx":
      return status >= 300 && status < 400;
    case "4xx":
      return status >= 400 && status < 500;
    case "5xx":
      return status >= 500 && status < 600;
    case "error":
      return status >= 400;
    default: {
      const never: never = cls;
      throw new TypeError(`unknown status class ${String(never)}`);
    }
  }
}

/** The fields the `q` text filter searches. */
export function searchable(r: RequestSummary): readonly (string | undefined)[] {
  return [r.path, r.query, r.scimType, r.detail, r.resourceId, r.subject, r.userAgent];
}

/**
 * Whether a request matches a query's filters (the cursor bounds aside): MemoryStore's evaluation,
 * which PostgresStore's SQL mirrors.
 */
export function matches(r: RequestSummary, query: RequestQuery): boolean {
  if (query.since !== undefined && Date.parse(r.time) < Date.parse(query.since)) return false;
  if (query.until !== undefined && Date.parse(r.time) >= Date.parse(query.until)) return false;
  if (query.status !== undefined && !inStatusClass(r.status, query.status)) return false;
  if (query.idp !== undefined && r.idp !== query.idp) return false;
  if (query.method !== undefined && r.method !== query.method.toUpperCase()) return false;
  if (query.resourceType !== undefined && r.resourceType?.toLowerCase() !== query.resourceType.toLowerCase())
    return false;
  if (query.q !== undefined && query.q !== "") {
    const needle = query.q.toLowerCase();
    if (!searchable(r).some((field) => field?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** The 60 minute buckets (oldest first) and the 5 minute error rate, from per-minute counts. */
export function minuteBuckets(
  now: Date,
  counts: ReadonlyMap<number, { requests: number; errors: number }>,
): {
  perMinute: { minute: string; requests: number; errors: number }[];
  errorRate: { windowMinutes: number; requests: number; errors: number; rate: number | null };
} {
  const current = Math.floor(now.getTime() / 60_000) * 60_000;
  const perMinute: { minute: string; requests: number; errors: number }[] = [];
  for (let i = 59; i >= 0; i--) {
    const minute = current - i * 60_000;
    const count = counts.get(minute) ?? { requests: 0, errors: 0 };
    perMinute.push({
      minute: new Date(minute).toISOString(),
      requests: count.requests,
      errors: count.errors,
    });
  }
  const recent = perMinute.slice(-5);
  const requests = recent.reduce((n, m) => n + m.requests, 0);
  const errors = recent.reduce((n, m) => n + m.errors, 0);
  return {
    perMinute,
    errorRate: { windowMinutes: 5, requests, errors, rate: requests === 0 ? null : errors / requests },
  };
}

/** Start of the stats window: the first of the 60 minutes. */
export function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 59 * 60_000);
}
