// PostgresStore's read of one resource for a write: the row (locked `FOR UPDATE` when asked) with the
// unique values it holds, judged by `writable` (404 / 412 with If-Match, RFC 7644 §3.14).
import { columns, type Row, toStored } from "./postgres-query.js";
import type { SqlQueryable } from "./sql-client.js";
import { type StoredResource, type StoreScope, writable } from "./store.js";
import { storableId } from "./text.js";
import type { UniqueKey } from "./unique.js";

/** The resources and unique tables a read for a write looks in. */
export interface ReadTables {
  readonly resources: string;
  readonly unique: string;
}

/** A resource as a write needs it, and the unique rows it holds (each as `JSON.stringify` of its key). */
export interface ReadForWrite {
  current: StoredResource;
  uniqueKeys: Set<string>;
}

/** The resource as a write needs it (404 / 412 as {@link writable} says), locked `FOR UPDATE` or not. */
export async function readForWrite(
  tx: SqlQueryable,
  tables: ReadTables,
  scope: StoreScope,
  id: string,
  options: { readonly ifVersion?: number | undefined },
  lock: boolean,
  withUnique = true,
): Promise<ReadForWrite> {
  if (!storableId(scope.tenant) || !storableId(id))
    return { current: writable(scope, id, undefined, options), uniqueKeys: new Set() };
  // With the unique rows it holds (one statement, not two), so an update that keeps them skips rewriting them.
  const keys = withUnique
    ? `, (SELECT json_agg(json_build_array(u.scope, u.path, u.value))::text FROM ${tables.unique} u
        WHERE u.tenant = r.tenant AND u.resource_type = r.resource_type AND u.id = r.id) AS unique_keys`
    : "";
  const { rows } = await tx.query<Row>(
    `SELECT ${columns("r")}${keys} FROM ${tables.resources} r WHERE r.tenant = $1 AND r.resource_type = $2 AND r.id = $3${lock ? " FOR UPDATE OF r" : ""}`,
    [scope.tenant, scope.resourceType, id],
  );
  const row = rows[0];
  const held = row?.unique_keys ? (JSON.parse(row.unique_keys) as UniqueKey[]) : [];
  return {
    current: writable(scope, id, row === undefined ? undefined : toStored(row), options),
    uniqueKeys: new Set(held.map((k) => JSON.stringify(k))),
  };
}
