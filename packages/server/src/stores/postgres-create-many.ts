import { isScimError, ScimError } from "@scimkit/core";
import { retrying, sqlState } from "./pg-errors.js";
import type { SqlQueryable } from "./sql-client.js";
import type { CreateItem, CreateOutcome, StoredResource, StoreScope } from "./store.js";
import { checkStorableData } from "./text.js";
import { type UniqueKey, uniqueRow } from "./unique.js";

/** The tables {@link createBatch} writes. */
export interface CreateTables {
  readonly resources: string;
  readonly unique: string;
}

type Row = UniqueKey;

const text = (row: Row): string => JSON.stringify(row);

/**
 * PostgresStore's `createMany` for items without members (RFC 7644 §3.7 bulk POSTs): one read of the
 * unique values the items claim, the outcome of each item decided in order as one `create` after
 * another would decide it, then every accepted item's unique rows and resource row in one INSERT
 * statement — 2 statements instead of one per item (on PGlite each statement is a turn of its one
 * thread, ~1 ms; see BENCHMARKS.md "Sync").
 *
 * The read is no lock: a writer that takes one of the values between the read and the INSERT makes the
 * INSERT fail on the unique table's primary key (on PostgreSQL it first waits for that writer to
 * commit), and so does any value PostgreSQL refuses. Then nothing of the batch was written and this
 * resolves to `undefined`: the caller creates the items one by one, which says which item lost, so
 * concurrent bulk requests and instances still get exactly one winner per value. The unique rows are
 * inserted in key order, so two batches never wait for each other in opposite orders (no deadlock).
 *
 * @example
 * const outcomes = (await createBatch(db, tables, scope, items, { now })) ?? (await createEach(store, scope, items));
 */
export async function createBatch(
  db: SqlQueryable,
  t: CreateTables,
  scope: StoreScope,
  items: readonly CreateItem[],
  options: { readonly now: () => string; readonly maxFailures?: number | undefined },
): Promise<CreateOutcome[] | undefined> {
  const rowsOf = items.map((item) => item.unique.map((u) => uniqueRow(scope.resourceType, u)));
  const claimed = new Map<string, Row>();
  for (const rows of rowsOf) for (const row of rows) claimed.set(text(row), row);
  const taken = new Set<string>();
  if (claimed.size > 0) {
    const all = [...claimed.values()];
    const { rows } = await db.query<{ scope: string; path: string; value: string }>(
      `SELECT u.scope, u.path, u.value FROM ${t.unique} u
        JOIN unnest($2::text[], $3::text[], $4::text[]) AS k(scope, path, value)
          ON u.scope = k.scope AND u.path = k.path AND u.value = k.value
        WHERE u.tenant = $1`,
      [scope.tenant, all.map((r) => r[0]), all.map((r) => r[1]), all.map((r) => r[2])],
    );
    for (const row of rows) taken.add(text([row.scope, row.path, row.value]));
  }

  const outcomes: CreateOutcome[] = [];
  const accepted: { stored: StoredResource; rows: Row[] }[] = [];
  let failures = 0;
  items.forEach((item, i) => {
    if (options.maxFailures !== undefined && failures >= options.maxFailures) return;
    const rows = rowsOf[i] as Row[];
    const error = refusal(scope, item, rows, taken);
    if (error) {
      failures++;
      outcomes.push({ error });
      return;
    }
    // Later items see these values as taken, as they would after this item's create.
    for (const row of rows) taken.add(text(row));
    const now = options.now();
    const stored = { id: crypto.randomUUID(), data: item.data, version: 1, created: now, lastModified: now };
    outcomes.push({ stored });
    accepted.push({ stored, rows: [...new Map(rows.map((row) => [text(row), row])).values()] });
  });
  if (accepted.length === 0) return outcomes;

  const uniqueRows = accepted
    .flatMap(({ stored, rows }) => rows.map((row) => [...row, stored.id] as const))
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]) || compare(a[2], b[2]));
  try {
    await retrying(() =>
      db.query(
        `WITH u AS (INSERT INTO ${t.unique} (tenant, scope, path, value, resource_type, id)
            SELECT $1, k.scope, k.path, k.value, $2, k.id
            FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS k(scope, path, value, id, n)
            ORDER BY k.n)
          INSERT INTO ${t.resources} (tenant, resource_type, id, data, version, created, last_modified)
            SELECT $1, $2, r.id, r.data::jsonb, 1, r.at::timestamptz, r.at::timestamptz
            FROM unnest($7::text[], $8::text[], $9::text[]) AS r(id, data, at)`,
        [
          scope.tenant,
          scope.resourceType,
          uniqueRows.map((r) => r[0]),
          uniqueRows.map((r) => r[1]),
          uniqueRows.map((r) => r[2]),
          uniqueRows.map((r) => r[3]),
          accepted.map((a) => a.stored.id),
          accepted.map((a) => JSON.stringify(a.stored.data)),
          accepted.map((a) => a.stored.created),
        ],
      ),
    );
  } catch (error) {
    // A value taken meanwhile (23505) or refused by PostgreSQL: nothing was written; one by one finds which.
    if (sqlState(error) !== undefined) return undefined;
    throw error;
  }
  return outcomes;
}

/** Why `create` would refuse this item now: a value it cannot store (400), or a unique value taken (409). */
function refusal(
  scope: StoreScope,
  item: CreateItem,
  rows: readonly Row[],
  taken: ReadonlySet<string>,
): ScimError | undefined {
  try {
    checkStorableData(item.data);
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  // The first value in the item's order that is taken: the one PostgresStore.create names.
  const clash = rows.findIndex((row) => taken.has(text(row)));
  const u = item.unique[clash];
  if (u === undefined) return undefined;
  return ScimError.uniqueness(
    `${u.path} ${JSON.stringify(u.value)} is already taken by another ${scope.resourceType}`,
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
