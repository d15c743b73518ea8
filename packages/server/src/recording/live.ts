import type { RequestSummary } from "./types.js";

/**
 * In-process fan-out of newly stored requests to the subscribers of one store object (every handler
 * and every console connection on it). A listener that throws is skipped, never the others.
 */
export class LiveHub {
  readonly #listeners = new Set<(summary: RequestSummary) => void>();

  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: (summary: RequestSummary) => void): () => void {
    // A wrapper per subscription, so one listener subscribed twice is two subscriptions.
    const entry = (summary: RequestSummary) => listener(summary);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  publish(summaries: readonly RequestSummary[]): void {
    for (const summary of summaries)
      for (const listener of this.#listeners) {
        try {
          listener(summary);
        } catch {
          // One broken console connection must not stop the others.
        }
      }
  }
}

/** A record without its detail-only fields: what lists and live events carry. */
export function summaryOf<T extends RequestSummary>(record: T): RequestSummary {
  const {
    id,
    time,
    tenant,
    method,
    path,
    query,
    status,
    scimType,
    detail,
    durationMs,
    resourceType,
    resourceId,
    subject,
    idp,
    userAgent,
  } = record;
  return {
    id,
    time,
    tenant,
    method,
    path,
    ...(query !== undefined && { query }),
    status,
    ...(scimType !== undefined && { scimType }),
    ...(detail !== undefined && { detail }),
    durationMs,
    ...(resourceType !== undefined && { resourceType }),
    ...(resourceId !== undefined && { resourceId }),
    ...(subject !== undefined && { subject }),
    idp,
    ...(userAgent !== undefined && { userAgent }),
  };
}
