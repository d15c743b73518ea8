import type { SqlClient } from "../stores/sql-client.js";
import { findBadCharacter, isStorableText } from "../stores/text.js";
import { LiveHub, summaryOf } from "./live.js";
import {
  getRequest,
  listRequests,
  type RequestRow,
  requestStats,
  resourceHistory,
  SUMMARY_COLUMNS,
  summaryFromRow,
} from "./postgres-recording-read.js";
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

/** Records wait this long for others to join their INSERT: one statement per batch, not per request (each costs a few ms of PGlite's thread, so fewer is cheaper; the console still sees a request well within a second). */
const FLUSH_MS = 200;
const MAX_BATCH = 500;
/**
 * What a batch's NOTIFY says (at most 8,000 bytes, PostgreSQL's limit): the instance, the batch's id
 * range, and its tenants unless they would not fit (then readers look the range up without them).
 */
const announcement = (
  channel: string,
) => `(SELECT pg_notify('${channel}', CASE WHEN length(whole) < 7000 THEN whole ELSE bare END)
  FROM (SELECT json_build_object('i', $2::text, 'lo', min(seq), 'hi', max(seq), 't', json_agg(DISTINCT r->>'tenant'))::text AS whole,
      json_build_object('i', $2::text, 'lo', min(seq), 'hi', max(seq))::text AS bare
    FROM input) a)`;

/** Retention runs at most this often, or after a tenth of `maxCount` new rows (at most 1,000). */
const PRUNE_MS = 60_000;

interface Waiting {
  readonly record: NewRequestRecord;
  readonly retention: Retention;
  readonly resolve: (summary: RequestSummary) => void;
  readonly reject: (error: unknown) => void;
}

/** Strings PostgreSQL cannot keep (NUL, lone surrogates) replaced by U+FFFD, so a record never fails for them. */
function storable(_key: string, value: unknown): unknown {
  if (typeof value !== "string" || isStorableText(value)) return value;
  let out = "";
  for (let rest = value; ; ) {
    const bad = findBadCharacter(rest);
    if (!bad) return out + rest;
    out += `${rest.slice(0, bad.index)}\ufffd`;
    rest = rest.slice(bad.index + 1);
  }
}

/**
 * {@link RecordingStore} of PostgresStore: the `requests` and `changes` tables (recording.sql.ts).
 * Records are batched (50 ms, up to 500 a statement); retention deletes by time and, per tenant, beyond
 * `maxCount`, every minute or every tenth of `maxCount` rows. Live updates: this object's subscribers get
 * what it stores at once; on a `SqlClient` that can `listen` (PostgreSQL through `pg`), every batch is
 * announced with `pg_notify` and the batches of other instances are read and passed on.
 */
export class PostgresRecordings implements RecordingStore {
  readonly #client: SqlClient;
  readonly #ready: () => Promise<void>;
  readonly #requests: string;
  readonly #changes: string;
  readonly #seq: string;
  readonly #channel: string;
  readonly #instance = crypto.randomUUID().slice(0, 8);
  readonly #live = new LiveHub();
  #queue: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> | undefined;
  #sincePrune = 0;
  #lastPrune = 0;
  #unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  #closed = false;

  constructor(client: SqlClient, prefix: string, ready: () => Promise<void>) {
    this.#client = client;
    this.#ready = ready;
    this.#requests = `${prefix}requests`;
    this.#changes = `${prefix}changes`;
    this.#seq = `${prefix}recording_seq`;
    this.#channel = `${prefix}recorded`;
  }

  append(records: readonly NewRequestRecord[], retention: Retention): Promise<RequestSummary[]> {
    if (this.#closed) return Promise.reject(new Error("the store is closed; the request was not recorded"));
    const stored = records.map(
      (record) =>
        new Promise<RequestSummary>((resolve, reject) =>
          this.#queue.push({ record, retention, resolve, reject }),
        ),
    );
    if (this.#queue.length >= MAX_BATCH) this.#schedule(0);
    else this.#schedule(FLUSH_MS);
    return Promise.all(stored);
  }

  #schedule(ms: number): void {
    if (this.#flushing) return;
    if (this.#timer !== undefined) {
      if (ms > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = undefined;
        if (this.#queue.length > 0) this.#schedule(0);
      });
    }, ms);
    // A pending batch alone must not keep a process alive; close() flushes it.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      let summaries: RequestSummary[];
      try {
        summaries = await this.#insert(batch.map((w) => w.record));
      } catch (error) {
        for (const w of batch) w.reject(error);
        continue;
      }
      this.#live.publish(summaries);
      let pruned: unknown;
      try {
        await this.#prune(batch);
      } catch (error) {
        pruned = new Error(
          `recorded, but retention failed: ${error instanceof Error ? error.message : String(error)}`,
          {
            cause: error,
          },
        );
      }
      // A retention failure is reported (onError) through the first record of the batch only.
      batch.forEach((w, i) => {
        if (i === 0 && pruned !== undefined) w.reject(pruned);
        else w.resolve(summaries[i] as RequestSummary);
      });
    }
  }

  async #insert(records: readonly NewRequestRecord[]): Promise<RequestSummary[]> {
    await this.#ready();
    const notify = typeof this.#client.listen === "function";
    const { rows } = await this.#client.query<{ ord: number | string; seq: string }>(
      `WITH input AS MATERIALIZED (
          SELECT nextval('${this.#seq}') AS seq, x.ord, x.r FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(r, ord)
        ),
        req AS (
          INSERT INTO ${this.#requests} (tenant, seq, time, method, path, query, status, scim_type, detail, duration_ms,
              resource_type, resource_id, subject, idp, user_agent, request_headers, request_body, response_body)
            SELECT r->>'tenant', seq, (r->>'time')::timestamptz, r->>'method', r->>'path', r->>'query', (r->>'status')::int,
              r->>'scimType', r->>'detail', (r->>'durationMs')::float8, r->>'resourceType', r->>'resourceId', r->>'subject',
              r->>'idp', r->>'userAgent', coalesce(r->'requestHeaders', '{}'::jsonb), r->>'requestBody', r->>'responseBody'
            FROM input
        ),
        chg AS (
          INSERT INTO ${this.#changes} (tenant, seq, request_seq, time, method, path, subject, idp, resource_type, resource_id,
              action, outcome, status, detail, bulk_id, body)
            SELECT i.r->>'tenant', nextval('${this.#seq}'), i.seq, (i.r->>'time')::timestamptz, i.r->>'method', i.r->>'path',
              i.r->>'subject', i.r->>'idp', c->>'resourceType', c->>'resourceId', c->>'action', c->>'outcome',
              (c->>'status')::int, c->>'detail', c->>'bulkId', c->>'body'
            FROM input i CROSS JOIN LATERAL jsonb_array_elements(i.r->'changes') AS e(c)
        )
        SELECT ord, seq::text AS seq${notify ? `, ${announcement(this.#channel)} AS notified` : ""}
        FROM input ORDER BY ord`,
      notify ? [JSON.stringify(records, storable), this.#instance] : [JSON.stringify(records, storable)],
    );
    return records.map((record, i) => summaryOf({ ...record, id: (rows[i] as { seq: string }).seq }));
  }

  /** Age and count retention, run every so often (a tenth of maxCount rows, at most 1,000, or a minute). */
  async #prune(batch: readonly Waiting[]): Promise<void> {
    const retention = (batch[batch.length - 1] as Waiting).retention;
    this.#sincePrune += batch.length;
    const every = Math.max(1, Math.min(1000, Math.floor(retention.maxCount / 10)));
    if (this.#sincePrune < every && Date.now() - this.#lastPrune < PRUNE_MS) return;
    this.#sincePrune = 0;
    this.#lastPrune = Date.now();
    const oldest = new Date(Date.now() - retention.maxAgeMs).toISOString();
    // Age, for every tenant (found by a skip scan over the primary key): each tenant's requests up to its
    // newest expired one, and their changes. Ids follow arrival closely, so cutting by id is cutting by time.
    await this.#client.query(
      `WITH RECURSIVE tenants(tenant) AS (
          SELECT min(tenant) FROM ${this.#requests}
          UNION ALL
          SELECT (SELECT min(r.tenant) FROM ${this.#requests} r WHERE r.tenant > t.tenant) FROM tenants t WHERE t.tenant IS NOT NULL
        ),
        cut AS (
          SELECT t.tenant, (SELECT max(r.seq) FROM ${this.#requests} r WHERE r.tenant = t.tenant AND r.time < $1::timestamptz) AS seq
          FROM tenants t WHERE t.tenant IS NOT NULL
        ),
        c AS (DELETE FROM ${this.#changes} ch USING cut WHERE ch.tenant = cut.tenant AND ch.request_seq <= cut.seq)
      DELETE FROM ${this.#requests} r USING cut WHERE r.tenant = cut.tenant AND r.seq <= cut.seq`,
      [oldest],
    );
    for (const tenant of new Set(batch.map((w) => w.record.tenant)))
      await this.#client.query(
        `WITH cutoff AS (SELECT seq FROM ${this.#requests} WHERE tenant = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1),
          c AS (DELETE FROM ${this.#changes} WHERE tenant = $1 AND request_seq <= (SELECT seq FROM cutoff))
        DELETE FROM ${this.#requests} WHERE tenant = $1 AND seq <= (SELECT seq FROM cutoff)`,
        [tenant, retention.maxCount],
      );
  }

  async list(tenant: string, query: RequestQuery): Promise<RequestPage> {
    await this.#ready();
    return listRequests(this.#client, this.#requests, tenant, query);
  }

  async get(tenant: string, id: string): Promise<RequestRecord | undefined> {
    await this.#ready();
    return getRequest(this.#client, { requests: this.#requests, changes: this.#changes }, tenant, id);
  }

  async stats(tenant: string, now: Date): Promise<RequestStats> {
    await this.#ready();
    return requestStats(this.#client, this.#requests, tenant, now);
  }

  async history(
    tenant: string,
    resourceType: string,
    id: string,
    query: { readonly limit: number; readonly before?: string },
  ): Promise<{ items: ResourceChange[]; nextCursor?: string }> {
    await this.#ready();
    return resourceHistory(this.#client, this.#changes, tenant, resourceType, id, query);
  }

  subscribe(listener: (summary: RequestSummary) => void): () => void {
    const unsubscribe = this.#live.subscribe(listener);
    this.#listen();
    return unsubscribe;
  }

  /** On the first subscriber: LISTEN for other instances' batches (when the client can). */
  #listen(): void {
    const listen = this.#client.listen;
    if (this.#unlisten || typeof listen !== "function" || this.#closed) return;
    this.#unlisten = this.#ready()
      .then(() =>
        listen.call(
          this.#client,
          this.#channel,
          (payload) => void this.#announced(payload),
          () => this.#relisten(),
        ),
      )
      .catch(() => {
        this.#relisten();
        return undefined;
      });
  }

  /**
   * LISTEN's connection was lost (a database restart) or could not be had: try again in a second while
   * someone watches. Meanwhile this instance still shows its own requests, and lists show everyone's.
   */
  #relisten(): void {
    this.#unlisten = undefined;
    if (this.#closed) return;
    const retry = setTimeout(() => {
      if (this.#live.size > 0) this.#listen();
    }, 1000);
    (retry as { unref?: () => void }).unref?.();
  }

  /** A batch another instance stored: read its summaries and pass them on. */
  async #announced(payload: string): Promise<void> {
    if (this.#live.size === 0) return;
    try {
      const { i, lo, hi, t } = JSON.parse(payload) as {
        i?: unknown;
        lo?: unknown;
        hi?: unknown;
        t?: unknown;
      };
      if (i === this.#instance || typeof lo !== "number" || typeof hi !== "number") return;
      const tenants = Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : undefined;
      const { rows } = await this.#client.query<RequestRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM ${this.#requests}
          WHERE ${tenants ? "tenant = ANY($3::text[]) AND " : ""}seq BETWEEN $1::bigint AND $2::bigint ORDER BY seq`,
        tenants ? [lo, hi, tenants] : [lo, hi],
      );
      this.#live.publish(rows.map(summaryFromRow));
    } catch {
      // Gone already (retention) or the database is away: the console catches up on its next page.
    }
  }

  /** Writes what is queued and stops listening; called by PostgresStore.close() before the connections go. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    await this.#flushing;
    if (this.#queue.length > 0) await this.#flush();
    this.#closed = true;
    const unlisten = await this.#unlisten;
    await unlisten?.().catch(() => undefined);
  }
}
