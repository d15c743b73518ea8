import { matches, minuteBuckets, windowStart } from "./filter.js";
import { LiveHub, summaryOf } from "./live.js";
import type {
  NewRequestRecord,
  RecordingStore,
  RequestPage,
  RequestQuery,
  RequestRecord,
  RequestStats,
  ResourceChange,
  Retention,
} from "./types.js";

interface TenantLog {
  /** Oldest first; trimmed from the front. */
  requests: RequestRecord[];
  /** Index of the oldest request kept: those before it are dropped. */
  head: number;
  changes: ResourceChange[];
  changeHead: number;
}

/**
 * {@link RecordingStore} in memory, for MemoryStore: per tenant, a bounded log of requests (oldest
 * dropped first once `maxCount` is passed, or once older than `maxAgeMs`) and their changes. Trimming
 * happens in chunks, so appending stays O(1) amortized.
 *
 * @example
 * const recordings = new MemoryRecordings();
 */
export class MemoryRecordings implements RecordingStore {
  readonly #tenants = new Map<string, TenantLog>();
  readonly #live = new LiveHub();
  #seq = 0;

  #log(tenant: string): TenantLog {
    let log = this.#tenants.get(tenant);
    if (!log) {
      log = { requests: [], head: 0, changes: [], changeHead: 0 };
      this.#tenants.set(tenant, log);
    }
    return log;
  }

  async append(records: readonly NewRequestRecord[], retention: Retention): Promise<RequestRecord[]> {
    const stored: RequestRecord[] = [];
    for (const record of records) {
      const id = String(++this.#seq);
      const full: RequestRecord = { ...record, id };
      const log = this.#log(record.tenant);
      log.requests.push(full);
      for (const change of record.changes)
        log.changes.push({
          ...change,
          id: String(++this.#seq),
          requestId: id,
          time: record.time,
          method: record.method,
          path: record.path,
          ...(record.subject !== undefined && { subject: record.subject }),
          idp: record.idp,
        });
      this.#trim(log, retention);
      stored.push(full);
    }
    // Summaries only for live subscribers: their events must not carry headers or bodies.
    if (this.#live.size > 0) this.#live.publish(stored.map(summaryOf));
    return stored;
  }

  /** Drops from the front what retention no longer keeps: exactly, by moving `head`, compacting rarely. */
  #trim(log: TenantLog, retention: Retention): void {
    const oldest = Date.now() - retention.maxAgeMs;
    let head = log.head;
    while (head < log.requests.length) {
      const r = log.requests[head] as RequestRecord;
      if (log.requests.length - head <= retention.maxCount && Date.parse(r.time) >= oldest) break;
      head++;
    }
    if (head === log.head) return;
    const cutoff = Number((log.requests[head - 1] as RequestRecord).id);
    log.head = head;
    while (
      log.changeHead < log.changes.length &&
      Number((log.changes[log.changeHead] as ResourceChange).requestId) <= cutoff
    )
      log.changeHead++;
    // Compact once half the array is dropped: amortized O(1) per append.
    if (log.head > 1024 && log.head * 2 > log.requests.length) {
      log.requests.splice(0, log.head);
      log.head = 0;
    }
    if (log.changeHead > 1024 && log.changeHead * 2 > log.changes.length) {
      log.changes.splice(0, log.changeHead);
      log.changeHead = 0;
    }
  }

  async list(tenant: string, query: RequestQuery): Promise<RequestPage> {
    const log = this.#tenants.get(tenant);
    if (!log) return { items: [] };
    const requests = log.requests;
    const before = query.before === undefined ? Number.POSITIVE_INFINITY : Number(query.before);
    const after = query.after === undefined ? Number.NEGATIVE_INFINITY : Number(query.after);
    const items: RequestRecord[] = [];
    for (let i = requests.length - 1; i >= log.head; i--) {
      const r = requests[i] as RequestRecord;
      const id = Number(r.id);
      if (id >= before) continue;
      if (id <= after) break;
      if (!matches(r, query)) continue;
      if (items.length === query.limit) {
        const last = items[items.length - 1] as RequestRecord;
        return { items: items.map(summaryOf), nextCursor: last.id };
      }
      items.push(r);
    }
    return { items: items.map(summaryOf) };
  }

  async get(tenant: string, id: string): Promise<RequestRecord | undefined> {
    const log = this.#tenants.get(tenant);
    if (!log) return undefined;
    const requests = log.requests;
    // Ids increase along the log: binary search.
    const target = Number(id);
    let lo = log.head;
    let hi = requests.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = Number((requests[mid] as RequestRecord).id);
      if (value === target)
        return { ...(requests[mid] as RequestRecord), changes: this.#changesOf(log, value) };
      if (value < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** The changes of one request (with their history ids), found by binary search on request ids. */
  #changesOf(log: TenantLog, requestId: number): ResourceChange[] {
    const changes = log.changes;
    let lo = log.changeHead;
    let hi = changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Number((changes[mid] as ResourceChange).requestId) < requestId) lo = mid + 1;
      else hi = mid;
    }
    const out: ResourceChange[] = [];
    for (
      let i = lo;
      i < changes.length && Number((changes[i] as ResourceChange).requestId) === requestId;
      i++
    )
      out.push(changes[i] as ResourceChange);
    return out;
  }

  async stats(tenant: string, now: Date): Promise<RequestStats> {
    const log = this.#tenants.get(tenant);
    const requests = log?.requests ?? [];
    const head = log?.head ?? 0;
    const start = windowStart(now).getTime();
    const counts = new Map<number, { requests: number; errors: number }>();
    const idps = new Map<
      string,
      { idp: string; requests: number; errors: number; lastRequest?: string; lastSuccess?: string }
    >();
    for (let i = requests.length - 1; i >= head; i--) {
      const r = requests[i] as RequestRecord;
      const time = Date.parse(r.time);
      let idp = idps.get(r.idp);
      if (!idp) {
        idp = { idp: r.idp, requests: 0, errors: 0, lastRequest: r.time };
        idps.set(r.idp, idp);
      }
      if (idp.lastSuccess === undefined && r.status < 400) idp.lastSuccess = r.time;
      if (time < start || time > now.getTime()) continue;
      const minute = Math.floor(time / 60_000) * 60_000;
      const count = counts.get(minute) ?? { requests: 0, errors: 0 };
      count.requests++;
      idp.requests++;
      if (r.status >= 400) {
        count.errors++;
        idp.errors++;
      }
      counts.set(minute, count);
    }
    return {
      now: now.toISOString(),
      ...minuteBuckets(now, counts),
      idps: [...idps.values()].sort((a, b) => a.idp.localeCompare(b.idp)),
      total: requests.length - head,
    };
  }

  async history(
    tenant: string,
    resourceType: string,
    id: string,
    query: { readonly limit: number; readonly before?: string },
  ): Promise<{ items: ResourceChange[]; nextCursor?: string }> {
    const log = this.#tenants.get(tenant);
    if (!log) return { items: [] };
    const changes = log.changes;
    const before = query.before === undefined ? Number.POSITIVE_INFINITY : Number(query.before);
    const type = resourceType.toLowerCase();
    const items: ResourceChange[] = [];
    for (let i = changes.length - 1; i >= log.changeHead; i--) {
      const c = changes[i] as ResourceChange;
      if (Number(c.id) >= before || c.resourceId !== id || c.resourceType.toLowerCase() !== type) continue;
      if (items.length === query.limit)
        return { items, nextCursor: (items[items.length - 1] as ResourceChange).id };
      items.push(c);
    }
    return { items };
  }

  subscribe(listener: (summary: ReturnType<typeof summaryOf>) => void): () => void {
    return this.#live.subscribe(listener);
  }
}
