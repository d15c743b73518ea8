import {
  ARRIVED_MS,
  type ChangeRecord,
  type IdpName,
  type NewRequestRecord,
  type RequestRecord,
  type RequestSummary,
  type ResourceChange,
} from "./types.js";

const FIRST_CAPACITY = 64;
/** Distinct values an interning table keeps before it starts over (bounds what a hostile client can grow). */
const MAX_INTERNED = 1024;
/** Distinct header sets remembered per tenant, so that the same headers are kept once. */
const HEADER_SETS = 8;

/**
 * One tenant's recorded requests as a ring of columns (structure of arrays): numbers in typed arrays,
 * strings and the few objects (headers, changes) in plain arrays, one slot per request. A kept request is
 * then a handful of pointers rather than a ~15-field object with its own copies of the same User-Agent,
 * headers and names: fewer objects for the garbage collector to promote and mark when up to `maxCount`
 * (100,000) requests are kept. `RequestSummary` and `RequestRecord` objects are built only when read.
 *
 * A request's changes take the ids right after its own (request `n`, its changes `n+1`, `n+2`, …), as
 * the store's single sequence assigns them, so they are not stored.
 */
export class TenantRing {
  readonly tenant: string;
  capacity = 0;
  /** Slot of the oldest request kept. */
  head = 0;
  size = 0;
  seq = new Float64Array(0);
  /** Epoch milliseconds of arrival; formatted (ISO 8601) only when read. */
  time = new Float64Array(0);
  duration = new Float64Array(0);
  status = new Uint16Array(0);
  /** Indexes into `names` (method, idp). */
  method = new Uint8Array(0);
  idp = new Uint8Array(0);
  path: (string | undefined)[] = [];
  query: (string | undefined)[] = [];
  scimType: (string | undefined)[] = [];
  detail: (string | undefined)[] = [];
  resourceType: (string | undefined)[] = [];
  resourceId: (string | undefined)[] = [];
  subject: (string | undefined)[] = [];
  userAgent: (string | undefined)[] = [];
  headers: (Readonly<Record<string, string>> | undefined)[] = [];
  requestBody: (string | undefined)[] = [];
  responseBody: (string | undefined)[] = [];
  changes: (readonly ChangeRecord[] | undefined)[] = [];
  /** Times that `toISOString` would not give back as sent (kept as sent), by request id. */
  readonly oddTimes = new Map<number, string>();
  /** Small tables of methods and IdP names (the typed columns hold their index). */
  readonly names: string[] = [];
  readonly #interned = new Map<string, string>();
  readonly #headerSets: Readonly<Record<string, string>>[] = [];

  constructor(tenant: string) {
    this.tenant = tenant;
  }

  /** Slot of the i-th request kept, oldest first. */
  slot(i: number): number {
    const s = this.head + i;
    return s >= this.capacity ? s - this.capacity : s;
  }

  push(record: NewRequestRecord, id: number): void {
    if (this.size === this.capacity) this.#grow();
    const s = this.slot(this.size);
    this.size++;
    this.seq[s] = id;
    // The recorder's records carry their epoch (no parsing); others' are parsed, and kept as sent when
    // toISOString would not give them back.
    const arrived = (record as { [ARRIVED_MS]?: number })[ARRIVED_MS];
    if (arrived !== undefined) this.time[s] = arrived;
    else {
      const time = record.time;
      const ms = Date.parse(time);
      this.time[s] = ms;
      if (!isCanonicalTime(time, ms)) this.oddTimes.set(id, time);
    }
    this.duration[s] = record.durationMs;
    this.status[s] = record.status;
    this.method[s] = this.#nameIndex(record.method);
    this.idp[s] = this.#nameIndex(record.idp);
    this.path[s] = record.path;
    this.query[s] = record.query;
    this.scimType[s] = this.#intern(record.scimType);
    this.detail[s] = record.detail;
    this.resourceType[s] = this.#intern(record.resourceType);
    this.resourceId[s] = record.resourceId;
    this.subject[s] = this.#intern(record.subject);
    this.userAgent[s] = this.#intern(record.userAgent);
    this.headers[s] = this.#headerSet(record.requestHeaders);
    this.requestBody[s] = record.requestBody;
    this.responseBody[s] = record.responseBody;
    this.changes[s] = record.changes.length === 0 ? undefined : record.changes;
  }

  /** Drops the oldest request, releasing what its slot held. */
  shift(): void {
    const s = this.head;
    if (this.oddTimes.size > 0) this.oddTimes.delete(this.seq[s] as number);
    this.path[s] = undefined;
    this.query[s] = undefined;
    this.scimType[s] = undefined;
    this.detail[s] = undefined;
    this.resourceType[s] = undefined;
    this.resourceId[s] = undefined;
    this.subject[s] = undefined;
    this.userAgent[s] = undefined;
    this.headers[s] = undefined;
    this.requestBody[s] = undefined;
    this.responseBody[s] = undefined;
    this.changes[s] = undefined;
    this.head = s + 1 === this.capacity ? 0 : s + 1;
    this.size--;
  }

  timeOf(s: number): string {
    const id = this.seq[s] as number;
    return (this.oddTimes.size > 0 ? this.oddTimes.get(id) : undefined) ?? isoOf(this.time[s] as number);
  }

  methodOf(s: number): string {
    return this.names[this.method[s] as number] as string;
  }

  idpOf(s: number): IdpName {
    return this.names[this.idp[s] as number] as IdpName;
  }

  summary(s: number): RequestSummary {
    const out: Mutable<RequestSummary> = {
      id: String(this.seq[s]),
      time: this.timeOf(s),
      tenant: this.tenant,
      method: this.methodOf(s),
      path: this.path[s] as string,
      status: this.status[s] as number,
      durationMs: this.duration[s] as number,
      idp: this.idpOf(s),
    };
    const query = this.query[s];
    if (query !== undefined) out.query = query;
    const scimType = this.scimType[s];
    if (scimType !== undefined) out.scimType = scimType;
    const detail = this.detail[s];
    if (detail !== undefined) out.detail = detail;
    const resourceType = this.resourceType[s];
    if (resourceType !== undefined) out.resourceType = resourceType;
    const resourceId = this.resourceId[s];
    if (resourceId !== undefined) out.resourceId = resourceId;
    const subject = this.subject[s];
    if (subject !== undefined) out.subject = subject;
    const userAgent = this.userAgent[s];
    if (userAgent !== undefined) out.userAgent = userAgent;
    return out;
  }

  record(s: number): RequestRecord {
    const out: Mutable<RequestRecord> = {
      ...this.summary(s),
      requestHeaders: { ...this.headers[s] },
      changes: this.changesOf(s),
    };
    const requestBody = this.requestBody[s];
    if (requestBody !== undefined) out.requestBody = requestBody;
    const responseBody = this.responseBody[s];
    if (responseBody !== undefined) out.responseBody = responseBody;
    return out;
  }

  /** The request's changes as history entries, in the order they were made. */
  changesOf(s: number): ResourceChange[] {
    const changes = this.changes[s];
    if (changes === undefined) return [];
    return changes.map((change, j) => this.change(s, j, change));
  }

  change(s: number, j: number, change: ChangeRecord): ResourceChange {
    const requestId = this.seq[s] as number;
    const subject = this.subject[s];
    return {
      ...change,
      id: String(requestId + 1 + j),
      requestId: String(requestId),
      time: this.timeOf(s),
      method: this.methodOf(s),
      path: this.path[s] as string,
      ...(subject !== undefined && { subject }),
      idp: this.idpOf(s),
    };
  }

  #grow(): void {
    const capacity = this.capacity === 0 ? FIRST_CAPACITY : this.capacity * 2;
    const order = Array.from({ length: this.size }, (_, i) => this.slot(i));
    const typed = <T extends Float64Array | Uint16Array | Uint8Array>(from: T, to: T): T => {
      order.forEach((s, i) => {
        to[i] = from[s] as number;
      });
      return to;
    };
    const plain = <T>(from: T[]): T[] => {
      const to = new Array<T>(capacity);
      order.forEach((s, i) => {
        to[i] = from[s] as T;
      });
      return to;
    };
    this.seq = typed(this.seq, new Float64Array(capacity));
    this.time = typed(this.time, new Float64Array(capacity));
    this.duration = typed(this.duration, new Float64Array(capacity));
    this.status = typed(this.status, new Uint16Array(capacity));
    this.method = typed(this.method, new Uint8Array(capacity));
    this.idp = typed(this.idp, new Uint8Array(capacity));
    this.path = plain(this.path);
    this.query = plain(this.query);
    this.scimType = plain(this.scimType);
    this.detail = plain(this.detail);
    this.resourceType = plain(this.resourceType);
    this.resourceId = plain(this.resourceId);
    this.subject = plain(this.subject);
    this.userAgent = plain(this.userAgent);
    this.headers = plain(this.headers);
    this.requestBody = plain(this.requestBody);
    this.responseBody = plain(this.responseBody);
    this.changes = plain(this.changes);
    this.capacity = capacity;
    this.head = 0;
  }

  /** Index of a method or IdP name; the table holds at most 255 (later distinct names share the last). */
  #nameIndex(name: string): number {
    const i = this.names.indexOf(name);
    if (i >= 0) return i;
    if (this.names.length === 255) {
      this.names[254] = name;
      return 254;
    }
    this.names.push(name);
    return this.names.length - 1;
  }

  /** The string kept already for an equal value (a User-Agent, subject, resource type), so each is kept once. */
  #intern(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.#interned.get(value);
    if (known !== undefined) return known;
    if (this.#interned.size >= MAX_INTERNED) this.#interned.clear();
    this.#interned.set(value, value);
    return value;
  }

  /** An equal header set kept already (an IdP sends the same headers on every request), or this one. */
  #headerSet(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    for (const known of this.#headerSets) if (known === headers) return known;
    const keys = Object.keys(headers);
    for (const known of this.#headerSets) if (sameHeaders(known, headers, keys)) return known;
    if (this.#headerSets.length === HEADER_SETS) this.#headerSets.shift();
    this.#headerSets.push(headers);
    return headers;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function sameHeaders(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
  keysOfB: readonly string[],
): boolean {
  let count = 0;
  for (const _ in a) count++;
  if (count !== keysOfB.length) return false;
  for (const key of keysOfB) if (a[key] !== b[key] || !Object.hasOwn(a, key)) return false;
  return true;
}

/** Whether `time` is what `toISOString` gives (`2026-12-03T10:00:00.000Z`): then only its epoch is kept. */
function isCanonicalTime(time: string, ms: number): boolean {
  return (
    time.length === 24 &&
    time.charCodeAt(23) === 90 &&
    time.charCodeAt(19) === 46 &&
    time.charCodeAt(10) === 84 &&
    !Number.isNaN(ms)
  );
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
