import { inStatusClass, minuteBuckets, windowStart } from "./filter.js";
import { LiveHub } from "./live.js";
import { TenantRing } from "./memory-ring.js";
import type {
  NewRequestRecord,
  RecordingStore,
  RequestPage,
  RequestQuery,
  RequestRecord,
  RequestStats,
  RequestSummary,
  ResourceChange,
  Retention,
} from "./types.js";

/**
 * {@link RecordingStore} in memory, for MemoryStore: per tenant, a ring of requests kept as columns
 * (see `TenantRing`), the oldest dropped first once `maxCount` is passed or once older than `maxAgeMs`;
 * a request's changes are kept with it. Appending is O(1) amortized and allocates no object per request
 * beyond what it keeps; summaries and records are built when read.
 *
 * @example
 * const recordings = new MemoryRecordings();
 */
export class MemoryRecordings implements RecordingStore {
  readonly #tenants = new Map<string, TenantRing>();
  readonly #live = new LiveHub();
  #seq = 0;
  /** The ring appended to last: consecutive requests mostly share a tenant (no Map lookup for them). */
  #last: TenantRing | undefined;

  #ring(tenant: string): TenantRing {
    if (this.#last?.tenant === tenant) return this.#last;
    let ring = this.#tenants.get(tenant);
    if (!ring) {
      ring = new TenantRing(tenant);
      this.#tenants.set(tenant, ring);
    }
    this.#last = ring;
    return ring;
  }

  async append(records: readonly NewRequestRecord[], retention: Retention): Promise<RequestSummary[]> {
    const oldest = Date.now() - retention.maxAgeMs;
    const live = this.#live.size > 0;
    const stored: RequestSummary[] = [];
    for (const record of records) {
      const id = ++this.#seq;
      // A request's changes take the ids after its own (see TenantRing).
      this.#seq += record.changes.length;
      const ring = this.#ring(record.tenant);
      ring.push(record, id);
      // Exactly what retention keeps: the oldest go first (count), as do any older than maxAgeMs.
      while (
        ring.size > 0 &&
        (ring.size > retention.maxCount || !((ring.time[ring.head] as number) >= oldest))
      )
        ring.shift();
      stored.push(summaryOf(record, id));
    }
    // Summaries only carry what lists show: live events must not carry headers or bodies.
    if (live) this.#live.publish(stored);
    return stored;
  }

  async list(tenant: string, query: RequestQuery): Promise<RequestPage> {
    const ring = this.#tenants.get(tenant);
    if (!ring) return { items: [] };
    const before = query.before === undefined ? Number.POSITIVE_INFINITY : Number(query.before);
    const after = query.after === undefined ? Number.NEGATIVE_INFINITY : Number(query.after);
    const match = matcher(ring, query);
    const items: RequestSummary[] = [];
    for (let i = ring.size - 1; i >= 0; i--) {
      const s = ring.slot(i);
      const id = ring.seq[s] as number;
      if (id >= before) continue;
      if (id <= after) break;
      if (!match(s)) continue;
      if (items.length === query.limit)
        return { items, nextCursor: (items[items.length - 1] as RequestSummary).id };
      items.push(ring.summary(s));
    }
    return { items };
  }

  async get(tenant: string, id: string): Promise<RequestRecord | undefined> {
    const ring = this.#tenants.get(tenant);
    if (!ring) return undefined;
    // Ids increase along the ring: binary search.
    const target = Number(id);
    let lo = 0;
    let hi = ring.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = ring.slot(mid);
      const value = ring.seq[s] as number;
      if (value === target) return ring.record(s);
      if (value < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  async stats(tenant: string, now: Date): Promise<RequestStats> {
    const ring = this.#tenants.get(tenant);
    const start = windowStart(now).getTime();
    const end = now.getTime();
    const counts = new Map<number, { requests: number; errors: number }>();
    const idps = new Map<
      string,
      { idp: string; requests: number; errors: number; lastRequest?: string; lastSuccess?: string }
    >();
    const size = ring?.size ?? 0;
    for (let i = size - 1; ring && i >= 0; i--) {
      const s = ring.slot(i);
      const time = ring.time[s] as number;
      const status = ring.status[s] as number;
      const name = ring.idpOf(s);
      let idp = idps.get(name);
      if (!idp) {
        idp = { idp: name, requests: 0, errors: 0, lastRequest: ring.timeOf(s) };
        idps.set(name, idp);
      }
      if (idp.lastSuccess === undefined && status < 400) idp.lastSuccess = ring.timeOf(s);
      if (time < start || time > end) continue;
      const minute = Math.floor(time / 60_000) * 60_000;
      const count = counts.get(minute) ?? { requests: 0, errors: 0 };
      count.requests++;
      idp.requests++;
      if (status >= 400) {
        count.errors++;
        idp.errors++;
      }
      counts.set(minute, count);
    }
    return {
      now: now.toISOString(),
      ...minuteBuckets(now, counts),
      idps: [...idps.values()].sort((a, b) => a.idp.localeCompare(b.idp)),
      total: size,
    };
  }

  async history(
    tenant: string,
    resourceType: string,
    id: string,
    query: { readonly limit: number; readonly before?: string },
  ): Promise<{ items: ResourceChange[]; nextCursor?: string }> {
    const ring = this.#tenants.get(tenant);
    if (!ring) return { items: [] };
    const before = query.before === undefined ? Number.POSITIVE_INFINITY : Number(query.before);
    const type = resourceType.toLowerCase();
    const items: ResourceChange[] = [];
    for (let i = ring.size - 1; i >= 0; i--) {
      const s = ring.slot(i);
      const changes = ring.changes[s];
      if (changes === undefined) continue;
      const requestId = ring.seq[s] as number;
      for (let j = changes.length - 1; j >= 0; j--) {
        const c = changes[j] as (typeof changes)[number];
        if (requestId + 1 + j >= before || c.resourceId !== id || c.resourceType.toLowerCase() !== type)
          continue;
        if (items.length === query.limit)
          return { items, nextCursor: (items[items.length - 1] as ResourceChange).id };
        items.push(ring.change(s, j, c));
      }
    }
    return { items };
  }

  subscribe(listener: (summary: RequestSummary) => void): () => void {
    return this.#live.subscribe(listener);
  }
}

/** The summary of a record just stored (plain assignments: this runs for every request). */
function summaryOf(record: NewRequestRecord, id: number): RequestSummary {
  const out: { -readonly [K in keyof RequestSummary]: RequestSummary[K] } = {
    id: String(id),
    time: record.time,
    tenant: record.tenant,
    method: record.method,
    path: record.path,
    status: record.status,
    durationMs: record.durationMs,
    idp: record.idp,
  };
  if (record.query !== undefined) out.query = record.query;
  if (record.scimType !== undefined) out.scimType = record.scimType;
  if (record.detail !== undefined) out.detail = record.detail;
  if (record.resourceType !== undefined) out.resourceType = record.resourceType;
  if (record.resourceId !== undefined) out.resourceId = record.resourceId;
  if (record.subject !== undefined) out.subject = record.subject;
  if (record.userAgent !== undefined) out.userAgent = record.userAgent;
  return out;
}

/**
 * `matches` of filter.ts (the cursor bounds aside) evaluated on the ring's columns, the query's values
 * prepared once: no summary is built for a request that does not match.
 */
function matcher(ring: TenantRing, query: RequestQuery): (s: number) => boolean {
  const since = query.since === undefined ? undefined : Date.parse(query.since);
  const until = query.until === undefined ? undefined : Date.parse(query.until);
  const method = query.method?.toUpperCase();
  const resourceType = query.resourceType?.toLowerCase();
  const needle = query.q === undefined || query.q === "" ? undefined : query.q.toLowerCase();
  const has = (field: string | undefined) => field?.toLowerCase().includes(needle ?? "") === true;
  return (s) => {
    const time = ring.time[s] as number;
    if (since !== undefined && time < since) return false;
    if (until !== undefined && time >= until) return false;
    if (query.status !== undefined && !inStatusClass(ring.status[s] as number, query.status)) return false;
    if (query.idp !== undefined && ring.idpOf(s) !== query.idp) return false;
    if (method !== undefined && ring.methodOf(s) !== method) return false;
    if (resourceType !== undefined && ring.resourceType[s]?.toLowerCase() !== resourceType) return false;
    if (
      needle !== undefined &&
      !(
        has(ring.path[s]) ||
        has(ring.query[s]) ||
        has(ring.scimType[s]) ||
        has(ring.detail[s]) ||
        has(ring.resourceId[s]) ||
        has(ring.subject[s]) ||
        has(ring.userAgent[s])
      )
    )
      return false;
    return true;
  };
}
