import type { SqlQueryable } from "../stores/sql-client.js";
import { minuteBuckets, windowStart } from "./filter.js";
import type {
  IdpName,
  RequestPage,
  RequestQuery,
  RequestRecord,
  RequestStats,
  RequestSummary,
  ResourceChange,
  StatusClass,
} from "./types.js";

/** A request row as the read queries select it. */
export interface RequestRow {
  id: string;
  time_ms: number | string;
  tenant: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  scim_type: string | null;
  detail: string | null;
  duration_ms: number;
  resource_type: string | null;
  resource_id: string | null;
  subject: string | null;
  idp: string;
  user_agent: string | null;
}

export const SUMMARY_COLUMNS = `seq::text AS id, (extract(epoch FROM time) * 1000)::float8 AS time_ms, tenant, method, path, query,
  status, scim_type, detail, duration_ms, resource_type, resource_id, subject, idp, user_agent`;

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export function summaryFromRow(row: RequestRow): RequestSummary {
  return {
    id: row.id,
    time: iso(row.time_ms),
    tenant: row.tenant,
    method: row.method,
    path: row.path,
    ...(row.query !== null && { query: row.query }),
    status: Number(row.status),
    ...(row.scim_type !== null && { scimType: row.scim_type }),
    ...(row.detail !== null && { detail: row.detail }),
    durationMs: Number(row.duration_ms),
    ...(row.resource_type !== null && { resourceType: row.resource_type }),
    ...(row.resource_id !== null && { resourceId: row.resource_id }),
    ...(row.subject !== null && { subject: row.subject }),
    idp: row.idp as IdpName,
    ...(row.user_agent !== null && { userAgent: row.user_agent }),
  };
}

const STATUS_SQL: Record<StatusClass, string> = {
  "2xx": "status BETWEEN 200 AND 299",
  "3xx": "status BETWEEN 300 AND 399",
  "4xx": "status BETWEEN 400 AND 499",
  "5xx": "status BETWEEN 500 AND 599",
  error: "status >= 400",
};

/** What joins the fields of the `search` column: a needle holding it is matched field by field. */
const SEPARATOR = "\u0001";

/** `%`, `_` and `\` taken literally in ILIKE. */
function likeText(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of requests, newest first, with the same filters as filter.ts `matches`. */
export async function listRequests(
  db: SqlQueryable,
  table: string,
  tenant: string,
  query: RequestQuery,
): Promise<RequestPage> {
  const params: unknown[] = [tenant];
  const where = ["tenant = $1"];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (query.before !== undefined) add((n) => `seq < ${n}::bigint`, query.before);
  if (query.after !== undefined) add((n) => `seq > ${n}::bigint`, query.after);
  if (query.since !== undefined) add((n) => `time >= ${n}::timestamptz`, query.since);
  if (query.until !== undefined) add((n) => `time < ${n}::timestamptz`, query.until);
  if (query.status !== undefined) where.push(STATUS_SQL[query.status]);
  if (query.idp !== undefined) add((n) => `idp = ${n}`, query.idp);
  if (query.method !== undefined) add((n) => `method = ${n}`, query.method.toUpperCase());
  if (query.resourceType !== undefined) add((n) => `lower(resource_type) = lower(${n})`, query.resourceType);
  if (query.q !== undefined && query.q !== "") {
    if (!query.q.includes(SEPARATOR))
      // The lower-cased `search` column (recording.sql.ts): lower() on both sides, as ILIKE compares.
      add((n) => `search LIKE lower(${n})`, likeText(query.q));
    else
      add(
        (n) =>
          `(path ILIKE ${n} OR query ILIKE ${n} OR scim_type ILIKE ${n} OR detail ILIKE ${n} OR resource_id ILIKE ${n} OR subject ILIKE ${n} OR user_agent ILIKE ${n})`,
        likeText(query.q),
      );
  }
  const { rows } = await db.query<RequestRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM ${table} WHERE ${where.join(" AND ")} ORDER BY seq DESC LIMIT ${query.limit + 1}`,
    params,
  );
  const items = rows.slice(0, query.limit).map(summaryFromRow);
  const last = items[items.length - 1];
  return rows.length > query.limit && last ? { items, nextCursor: last.id } : { items };
}

interface ChangeRow {
  id: string;
  request_id: string;
  time_ms: number | string;
  method: string;
  path: string;
  subject: string | null;
  idp: string;
  resource_type: string;
  resource_id: string | null;
  action: ResourceChange["action"];
  outcome: ResourceChange["outcome"];
  status: number;
  detail: string | null;
  bulk_id: string | null;
  body: string | null;
}

const CHANGE_COLUMNS = `seq::text AS id, request_seq::text AS request_id, (extract(epoch FROM time) * 1000)::float8 AS time_ms,
  method, path, subject, idp, resource_type, resource_id, action, outcome, status, detail, bulk_id, body`;

function changeFromRow(row: ChangeRow): ResourceChange {
  return {
    id: row.id,
    requestId: row.request_id,
    time: iso(row.time_ms),
    method: row.method,
    path: row.path,
    ...(row.subject !== null && { subject: row.subject }),
    idp: row.idp as IdpName,
    resourceType: row.resource_type,
    ...(row.resource_id !== null && { resourceId: row.resource_id }),
    action: row.action,
    outcome: row.outcome,
    status: Number(row.status),
    ...(row.detail !== null && { detail: row.detail }),
    ...(row.bulk_id !== null && { bulkId: row.bulk_id }),
    ...(row.body !== null && { body: row.body }),
  };
}

/** One request with its headers, bodies and changes. */
export async function getRequest(
  db: SqlQueryable,
  tables: { requests: string; changes: string },
  tenant: string,
  id: string,
): Promise<RequestRecord | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await db.query<
    RequestRow & { request_headers: string; request_body: string | null; response_body: string | null }
  >(
    `SELECT ${SUMMARY_COLUMNS}, request_headers::text AS request_headers, request_body, response_body
      FROM ${tables.requests} WHERE tenant = $1 AND seq = $2::bigint`,
    [tenant, id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const changes = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM ${tables.changes} WHERE tenant = $1 AND request_seq = $2::bigint ORDER BY seq`,
    [tenant, id],
  );
  return {
    ...summaryFromRow(row),
    requestHeaders: JSON.parse(row.request_headers) as Record<string, string>,
    ...(row.request_body !== null && { requestBody: row.request_body }),
    ...(row.response_body !== null && { responseBody: row.response_body }),
    changes: changes.rows.map(changeFromRow),
  };
}

/** A resource's changes, newest first. */
export async function resourceHistory(
  db: SqlQueryable,
  table: string,
  tenant: string,
  resourceType: string,
  id: string,
  query: { readonly limit: number; readonly before?: string },
): Promise<{ items: ResourceChange[]; nextCursor?: string }> {
  const params: unknown[] = [tenant, resourceType, id];
  let before = "";
  if (query.before !== undefined) {
    params.push(query.before);
    before = " AND seq < $4::bigint";
  }
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM ${table} WHERE tenant = $1 AND resource_type = $2 AND resource_id = $3${before}
      ORDER BY seq DESC LIMIT ${query.limit + 1}`,
    params,
  );
  const items = rows.slice(0, query.limit).map(changeFromRow);
  const last = items[items.length - 1];
  return rows.length > query.limit && last ? { items, nextCursor: last.id } : { items };
}

/**
 * The overview: per minute and per IdP over the window (one pass over the window's rows through the
 * (tenant, time) index), the last request and last success per IdP (a skip scan over the (tenant, idp,
 * seq) index, one probe per IdP), and the count kept.
 */
export async function requestStats(
  db: SqlQueryable,
  table: string,
  tenant: string,
  now: Date,
): Promise<RequestStats> {
  const start = windowStart(now);
  const windowed = await db.query<{ minute: number | string; idp: string; requests: number; errors: number }>(
    `SELECT (extract(epoch FROM date_trunc('minute', time)) * 1000)::float8 AS minute, idp,
        count(*)::int AS requests, (count(*) FILTER (WHERE status >= 400))::int AS errors
      FROM ${table} WHERE tenant = $1 AND time >= $2::timestamptz AND time <= $3::timestamptz
      GROUP BY 1, 2`,
    [tenant, start.toISOString(), now.toISOString()],
  );
  const latest = await db.query<{
    idp: string;
    last_request: number | string | null;
    last_success: number | string | null;
  }>(
    `WITH RECURSIVE idps(idp) AS (
        SELECT min(idp) FROM ${table} WHERE tenant = $1
        UNION ALL
        SELECT (SELECT min(r.idp) FROM ${table} r WHERE r.tenant = $1 AND r.idp > idps.idp) FROM idps WHERE idps.idp IS NOT NULL
      )
      SELECT i.idp,
        (SELECT (extract(epoch FROM r.time) * 1000)::float8 FROM ${table} r WHERE r.tenant = $1 AND r.idp = i.idp ORDER BY r.seq DESC LIMIT 1) AS last_request,
        (SELECT (extract(epoch FROM r.time) * 1000)::float8 FROM ${table} r WHERE r.tenant = $1 AND r.idp = i.idp AND r.status < 400 ORDER BY r.seq DESC LIMIT 1) AS last_success
      FROM idps i WHERE i.idp IS NOT NULL`,
    [tenant],
  );
  const total = await db.query<{ n: number | string }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE tenant = $1`,
    [tenant],
  );
  const counts = new Map<number, { requests: number; errors: number }>();
  const idps = new Map<
    string,
    { idp: string; requests: number; errors: number; lastRequest?: string; lastSuccess?: string }
  >();
  for (const row of latest.rows)
    idps.set(row.idp, {
      idp: row.idp,
      requests: 0,
      errors: 0,
      ...(row.last_request !== null && { lastRequest: iso(row.last_request) }),
      ...(row.last_success !== null && { lastSuccess: iso(row.last_success) }),
    });
  for (const row of windowed.rows) {
    const minute = Number(row.minute);
    const count = counts.get(minute) ?? { requests: 0, errors: 0 };
    count.requests += Number(row.requests);
    count.errors += Number(row.errors);
    counts.set(minute, count);
    const idp = idps.get(row.idp) ?? { idp: row.idp, requests: 0, errors: 0 };
    idp.requests += Number(row.requests);
    idp.errors += Number(row.errors);
    idps.set(row.idp, idp);
  }
  return {
    now: now.toISOString(),
    ...minuteBuckets(now, counts),
    idps: [...idps.values()].sort((a, b) => a.idp.localeCompare(b.idp)),
    total: Number(total.rows[0]?.n ?? 0),
  };
}
