import type { RequestFilters, RequestSummary, StatusClass } from "./types.js";

/** Whether a status is in a class of the read API's `status` filter (`error`: 400 and up). */
export function inStatusClass(status: number, cls: StatusClass): boolean {
  if (cls === "error") return status >= 400;
  const hundred = Number(cls[0]) * 100;
  return status >= hundred && status < hundred + 100;
}

/**
 * Whether a live event belongs in a list with these filters: the server's own rule for the list
 * (server `recording/filter.ts`), applied in the browser so live rows obey the filters shown.
 *
 * @example
 * matchesFilters(summary, { status: "error", idp: "entra" });
 */
export function matchesFilters(r: RequestSummary, f: RequestFilters): boolean {
  if (f.since !== undefined && Date.parse(r.time) < Date.parse(f.since)) return false;
  if (f.until !== undefined && Date.parse(r.time) >= Date.parse(f.until)) return false;
  if (f.status !== undefined && !inStatusClass(r.status, f.status)) return false;
  if (f.idp !== undefined && r.idp !== f.idp) return false;
  if (f.method !== undefined && r.method !== f.method.toUpperCase()) return false;
  if (f.resourceType !== undefined && r.resourceType?.toLowerCase() !== f.resourceType.toLowerCase())
    return false;
  if (f.q !== undefined && f.q !== "") {
    const needle = f.q.toLowerCase();
    const fields = [r.path, r.query, r.scimType, r.detail, r.resourceId, r.subject, r.userAgent];
    if (!fields.some((field) => field?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** Time ranges of the Activity filter, in minutes back from now (`custom`: the two inputs). */
export const TIME_RANGES = [
  ["", "Any time"],
  ["15", "Last 15 minutes"],
  ["60", "Last hour"],
  ["1440", "Last 24 hours"],
  ["10080", "Last 7 days"],
  ["custom", "Between…"],
] as const;

/** `since` for a range value relative to `now`, or undefined for "any time". */
export function sinceOf(range: string, now = Date.now()): string | undefined {
  const minutes = Number(range);
  return range === "" || !Number.isFinite(minutes)
    ? undefined
    : new Date(now - minutes * 60_000).toISOString();
}
