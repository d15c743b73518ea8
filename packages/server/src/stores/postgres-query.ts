import { decodeCursor, encodeCursor, invalidCursor } from "./cursor.js";
import type { SqlQueryable } from "./sql-client.js";
import { filterToSql, type SortKey, type SqlFilterOptions, SqlParams, sortKeySql } from "./sql-filter.js";
import type { StoredResource, StoreQuery, StoreQueryResult, StoreScope } from "./store.js";

/** A resource row as the store's SELECTs return it. */
export interface Row {
  id: string;
  data: string;
  version: number;
  created: string;
  last_modified: string;
  k?: unknown;
  k_text?: string | null;
  total?: number | string | null;
  unique_keys?: string | null;
}

/** Where a query reads: the resources table, the helper-function prefix and the JSON shapes it assumes. */
export interface QueryTables {
  readonly resources: string;
  readonly prefix: string;
  readonly shapes: "schema" | "any";
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function toStored(row: Row): StoredResource {
  return {
    id: row.id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    version: Number(row.version),
    created: row.created,
    lastModified: row.last_modified,
  };
}

/** The columns of a resource row, instants as canonical UTC text. */
export function columns(alias: string): string {
  return `${alias}.id, ${alias}.data::text AS data, ${alias}.version, to_char(${alias}.created AT TIME ZONE 'UTC', ${ISO}) AS created, to_char(${alias}.last_modified AT TIME ZONE 'UTC', ${ISO}) AS last_modified`;
}

/**
 * One page of a PostgresStore query (RFC 7644 §3.4.2): the filter as SQL, sorting, and index pagination
 * (the total riding on the page) or keyset cursors (RFC 9865).
 */
export async function queryPage(
  client: SqlQueryable,
  tables: QueryTables,
  scope: StoreScope,
  query: StoreQuery,
): Promise<StoreQueryResult> {
  const params = new SqlParams();
  const options: SqlFilterOptions = {
    resourceType: scope.resourceType,
    registry: scope.registry,
    params,
    prefix: tables.prefix,
    shapes: tables.shapes,
  };
  const conditions = [
    `r.tenant = ${params.add(scope.tenant)}`,
    `r.resource_type = ${params.add(scope.resourceType)}`,
  ];
  if (query.filter) conditions.push(filterToSql(query.filter, options));
  const where = conditions.join(" AND ");
  const whereValues = [...params.values];
  const counted = (): Promise<number> =>
    client
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${tables.resources} r WHERE ${where}`,
        whereValues,
      )
      .then((result) => Number(result.rows[0]?.n ?? 0));
  // The total rides on the page's first row (an uncorrelated subquery, run once): one statement, not two.
  const totalColumn = `, (SELECT count(*)::int FROM ${tables.resources} r WHERE ${where}) AS total`;
  // Beyond 2^53 a page size or offset means "all" / "past the end"; bigint would refuse 1e300.
  const count = Number.isFinite(query.count)
    ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(query.count)))
    : 0;
  const key = sortKeySql(query.sortBy, options);
  const descending = query.sortOrder === "descending";
  const direction = descending ? "DESC" : "ASC";
  const select = `${columns("r")}, ${key.sql} AS k${key.kind === "timestamp" ? `, to_char(${key.sql} AT TIME ZONE 'UTC', ${ISO}) AS k_text` : ""}`;
  const from = `FROM ${tables.resources} r WHERE ${where}`;
  // RFC 7644 §3.4.2.3: rows without a sort value come last when ascending and first when descending.
  const order = `ORDER BY ${key.sql} ${direction} ${descending ? "NULLS FIRST" : "NULLS LAST"}, r.id ASC`;

  if (query.cursor === undefined) {
    const startIndex = Number.isFinite(query.startIndex)
      ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.floor(query.startIndex ?? 1)))
      : 1;
    if (count === 0) return { resources: [], totalResults: await counted() };
    const { rows } = await client.query<Row>(
      `SELECT ${select}${totalColumn} ${from} ${order} LIMIT ${params.add(count)} OFFSET ${params.add(startIndex - 1)}`,
      params.values,
    );
    // An empty first page means no match; an empty later page says nothing about the total.
    const totalResults =
      rows[0] !== undefined ? Number(rows[0].total) : startIndex === 1 ? 0 : await counted();
    return { resources: rows.map(toStored), totalResults };
  }

  const after = query.cursor === "" ? undefined : decodeCursor(query.cursor);
  if (count === 0) return { resources: [], totalResults: await counted() };
  const limit = params.add(count + 1);
  let text: string;
  if (after === undefined) {
    text = `SELECT ${select} ${from} ${order} LIMIT ${limit}`;
  } else if (after.key === undefined) {
    // The cursor is among the rows without a sort value, ordered by id: they come last when ascending,
    // and first when descending, before every row with a value.
    const rest = descending ? ` OR ${key.sql} IS NOT NULL` : "";
    text = `SELECT ${select} ${from} AND ((${key.sql} IS NULL AND r.id > ${params.add(after.id)})${rest}) ${order} LIMIT ${limit}`;
  } else {
    const k = cursorKey(key, after.key, params);
    const id = params.add(after.id);
    if (descending) {
      // The rows without a value came first, so none is after a cursor that has one.
      text = `SELECT ${select} ${from} AND (${key.sql} < ${k} OR (${key.sql} = ${k} AND r.id > ${id})) ${order} LIMIT ${limit}`;
    } else {
      // Keyset: a row comparison the (tenant, resource_type, key, id) indexes answer without OFFSET,
      // then the rows without a sort value, which sort last.
      text = `SELECT * FROM ((SELECT ${select}, 0 AS part ${from} AND (${key.sql}, r.id) > (${k}, ${id}) ${order} LIMIT ${limit})
        UNION ALL (SELECT ${select}, 1 AS part ${from} AND ${key.sql} IS NULL ORDER BY r.id LIMIT ${limit})) AS page
        ORDER BY page.part, page.k ASC, page.id ASC LIMIT ${limit}`;
    }
  }
  const [result, totalResults] = await Promise.all([client.query<Row>(text, params.values), counted()]);
  const rows = result.rows;
  const more = rows.length > count;
  const page = more ? rows.slice(0, count) : rows;
  const last = page[page.length - 1];
  return {
    resources: page.map(toStored),
    totalResults,
    ...(more && last && { nextCursor: encodeCursor(keyOf(key, last), last.id) }),
  };
}

/** The sort value as memory-store's cursors carry it. */
function keyOf(key: SortKey, row: Row): unknown {
  if (row.k === null || row.k === undefined) return undefined;
  switch (key.kind) {
    case "timestamp":
      return key.lower ? row.k_text?.toLowerCase() : row.k_text;
    case "numeric":
      return Number(row.k);
    default:
      return row.k;
  }
}

function cursorKey(key: SortKey, value: unknown, params: SqlParams): string {
  switch (key.kind) {
    case "text":
      if (typeof value !== "string") throw invalidCursor();
      return params.add(value);
    case "numeric":
      if (typeof value !== "number" || !Number.isFinite(value)) throw invalidCursor();
      return `${params.add(String(value))}::numeric`;
    case "boolean":
      if (typeof value !== "boolean") throw invalidCursor();
      return `${params.add(value)}::boolean`;
    case "timestamp": {
      const text = typeof value === "string" ? value.toUpperCase() : "";
      if (!CURSOR_INSTANT.test(text) || Number.isNaN(Date.parse(text))) throw invalidCursor();
      return `${params.add(text)}::timestamptz`;
    }
  }
}
