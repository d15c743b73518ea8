import type { SqlQueryable } from "./sql-client.js";
import { foldUnique, legacyUniqueKeyText } from "./unique.js";

const REKEY = "unique-fold";
const BATCH = 1000;

/** The value of a unique attribute in stored data, by the lower-cased canonical path the unique table keeps. */
function valueAt(data: Record<string, unknown>, path: string): unknown {
  const find = (holder: unknown, name: string) => {
    if (typeof holder !== "object" || holder === null || Array.isArray(holder)) return undefined;
    const key = Object.keys(holder).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : (holder as Record<string, unknown>)[key];
  };
  const direct = find(data, path);
  if (direct !== undefined || !path.includes(":")) return direct;
  // An extension attribute: "urn:…:enterprise:2.0:user:employeenumber" under the extension's key.
  const urn = Object.keys(data)
    .filter((k) => k.includes(":") && path.startsWith(`${k.toLowerCase()}:`))
    .sort((a, b) => b.length - a.length)[0];
  return urn === undefined ? undefined : find(data[urn], path.slice(urn.length + 1));
}

/**
 * Re-keys the unique values an earlier version lower-cased to their Unicode-folded form
 * (unique.ts foldUnique), once per database (recorded in `${prefix}migrations`), inside the migration's
 * transaction. Only keys with non-ASCII characters can differ, so only those are read. A value whose
 * folded key is already taken (two accounts that only now count as the same) keeps its old key, so
 * neither account is lost; renaming one of them re-keys it.
 */
export async function rekeyUniqueValues(tx: SqlQueryable, prefix: string): Promise<void> {
  const done = await tx.query(`SELECT 1 FROM ${prefix}migrations WHERE name = $1`, [REKEY]);
  if (done.rows.length > 0) return;
  let after: [string, string, string, string] = ["", "", "", ""];
  for (;;) {
    const { rows } = await tx.query<{
      tenant: string;
      scope: string;
      path: string;
      value: string;
      resource_type: string;
      id: string;
      data: string;
    }>(
      `SELECT u.tenant, u.scope, u.path, u.value, u.resource_type, u.id, r.data::text AS data
        FROM ${prefix}unique u JOIN ${prefix}resources r ON r.tenant = u.tenant AND r.resource_type = u.resource_type AND r.id = u.id
        WHERE u.value ~ '[^\\x01-\\x7f]' AND (u.tenant, u.scope, u.path, u.value) > ($1, $2, $3, $4)
        ORDER BY u.tenant, u.scope, u.path, u.value LIMIT ${BATCH}`,
      after,
    );
    for (const row of rows) {
      const value = valueAt(JSON.parse(row.data) as Record<string, unknown>, row.path);
      if (typeof value !== "string") continue;
      const legacy = { path: row.path, value, caseExact: false, scope: "server" as const };
      // Only keys the old code lower-cased; caseExact and non-string keys are JSON and stay.
      if (row.value !== legacyUniqueKeyText(legacy) || row.value === JSON.stringify(value)) continue;
      const folded = foldUnique(value);
      if (folded === row.value) continue;
      const inserted = await tx.query(
        `INSERT INTO ${prefix}unique (tenant, scope, path, value, resource_type, id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [row.tenant, row.scope, row.path, folded, row.resource_type, row.id],
      );
      if (inserted.rows.length > 0)
        await tx.query(
          `DELETE FROM ${prefix}unique WHERE tenant = $1 AND scope = $2 AND path = $3 AND value = $4`,
          [row.tenant, row.scope, row.path, row.value],
        );
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < BATCH) break;
    after = [last.tenant, last.scope, last.path, last.value];
  }
  await tx.query(`INSERT INTO ${prefix}migrations (name) VALUES ($1) ON CONFLICT DO NOTHING`, [REKEY]);
}
