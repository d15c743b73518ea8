// PostgresStore's unique-value claims: one row per (tenant, scope, path, value) in `${prefix}unique`, so
// two concurrent writers of one value meet at the primary key and exactly one wins (RFC 7643 §2.1
// uniqueness "server"/"global"; the loser gets RFC 7644 §3.12 409 uniqueness).
import { ScimError } from "@scimkit/core";
import type { SqlQueryable } from "./sql-client.js";
import type { StoreScope, UniqueValue } from "./store.js";
import { type UniqueKey, uniqueKeyText, uniqueRow } from "./unique.js";

/** The rows `unique` needs in the unique table, each once. */
export function uniqueKeysOf(scope: StoreScope, unique: readonly UniqueValue[]): UniqueKey[] {
  const keys = new Map<string, UniqueKey>();
  for (const u of unique) {
    const key = uniqueRow(scope.resourceType, u);
    keys.set(JSON.stringify(key), key);
  }
  return [...keys.values()];
}

/**
 * Claims each unique value for resource `id` in `table` (the unique table) inside transaction `tx`;
 * a value already held by this same resource is kept, one held by another is a 409 `uniqueness`.
 */
export async function claimUnique(
  tx: SqlQueryable,
  table: string,
  scope: StoreScope,
  id: string,
  unique: readonly UniqueValue[],
): Promise<void> {
  for (const u of unique) {
    const value = uniqueKeyText(u);
    const keyScope = u.scope === "global" ? "*" : scope.resourceType;
    const path = u.path.toLowerCase();
    const inserted = await tx.query(
      `INSERT INTO ${table} (tenant, scope, path, value, resource_type, id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
      [scope.tenant, keyScope, path, value, scope.resourceType, id],
    );
    if (inserted.rows.length > 0) continue;
    const owner = await tx.query<{ resource_type: string; id: string }>(
      `SELECT resource_type, id FROM ${table} WHERE tenant = $1 AND scope = $2 AND path = $3 AND value = $4`,
      [scope.tenant, keyScope, path, value],
    );
    const holder = owner.rows[0];
    if (holder && holder.id === id && holder.resource_type === scope.resourceType) continue;
    throw ScimError.uniqueness(
      `${u.path} ${JSON.stringify(u.value)} is already taken by another ${scope.resourceType}`,
    );
  }
}
