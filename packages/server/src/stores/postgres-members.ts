import { candidateTypes, displayOf, MEMBERS, memberChanges, resolveMembers } from "./members.js";
import type { SqlQueryable } from "./sql-client.js";
import type { ResourceRef, StoreScope } from "./store.js";

/**
 * PostgresStore's memberships (RFC 7643 §4.2 `members`): `${prefix}members` holds one row per
 * (tenant, holder type, holder id, member id) with the member's type and current name, mirroring the
 * holders' JSON, so that a member's groups are an index lookup on (tenant, member_type, member_id) and a
 * group's members render without reading each member (10,000 lookups cost ~1 s on PGlite).
 *
 * Concurrency: a write of a holder runs with the holder's row locked `FOR UPDATE` and locks the rows of
 * the members it adds `FOR SHARE` (the check that they exist, and the name it copies, hold until it
 * commits; a rename waits, then renames the new row too); a delete
 * locks its own row `FOR UPDATE`, then the holders listing it, and removes it from them. Whichever
 * locks the member row first wins: the add sees the member gone (400), or the delete sees the new
 * membership (it commits first) and removes it. Opposite lock orders can deadlock; PostgreSQL aborts
 * one transaction (40P01) and the store runs it again.
 */
export interface MemberTables {
  readonly resources: string;
  readonly members: string;
}

/** SQL for the name a member or group shows as `display`: `displayName`, else `userName` (members.ts displayOf). */
export function displaySql(alias: string): string {
  return `CASE WHEN jsonb_typeof(${alias}.data -> 'displayName') = 'string' THEN ${alias}.data ->> 'displayName'
    WHEN jsonb_typeof(${alias}.data -> 'userName') = 'string' THEN ${alias}.data ->> 'userName' END`;
}

/** Whether a new resource with this data lists members (so its create must check and lock them). */
export function addsMembers(data: Record<string, unknown>): boolean {
  return memberChanges(undefined, data).added.size > 0;
}

/**
 * Inside a holder's write transaction: checks and locks the members the write adds, then brings the
 * index in step with the new data. 400 `invalidValue` for an unknown member when `memberTypes` is given.
 */
export async function writeMembers(
  tx: SqlQueryable,
  t: MemberTables,
  scope: StoreScope,
  id: string,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  memberTypes: readonly string[] | undefined,
): Promise<void> {
  const { added, removed } = memberChanges(before, after);
  let resolved: [string, string][] = [];
  const displays = new Map<string, string | null>();
  if (added.size > 0) {
    const types = candidateTypes(scope, memberTypes);
    const { rows } = await tx.query<{ resource_type: string; id: string; display: string | null }>(
      `SELECT r.resource_type, r.id, ${displaySql("r")} AS display FROM ${t.resources} r
        WHERE r.tenant = $1 AND r.resource_type = ANY($2::text[]) AND r.id = ANY($3::text[])
        ORDER BY r.resource_type, r.id FOR SHARE`,
      [scope.tenant, types, [...added.keys()]],
    );
    const found = new Map<string, Set<string>>();
    for (const row of rows) {
      displays.set(`${row.resource_type}\u0000${row.id}`, row.display);
      let have = found.get(row.id);
      if (!have) {
        have = new Set();
        found.set(row.id, have);
      }
      have.add(row.resource_type);
    }
    resolved = resolveMembers(scope, added, found, types, memberTypes !== undefined);
  }
  if (removed.length > 0)
    await tx.query(
      `DELETE FROM ${t.members} WHERE tenant = $1 AND group_type = $2 AND group_id = $3 AND member_id = ANY($4::text[])`,
      [scope.tenant, scope.resourceType, id, removed],
    );
  if (resolved.length > 0)
    await tx.query(
      `INSERT INTO ${t.members} (tenant, group_type, group_id, member_type, member_id, member_display, group_display)
        SELECT $1, $2, $3, m.type, m.id, m.display, $7 FROM unnest($4::text[], $5::text[], $6::text[]) AS m(type, id, display)
        ON CONFLICT DO NOTHING`,
      [
        scope.tenant,
        scope.resourceType,
        id,
        resolved.map((r) => r[1]),
        resolved.map((r) => r[0]),
        resolved.map((r) => displays.get(`${r[1]}\u0000${r[0]}`) ?? null),
        displayOf(after) ?? null,
      ],
    );
}

/**
 * Inside a write of any resource (its row locked `FOR UPDATE`): when its name changed, the name the
 * membership rows listing it show (an index lookup by member) and the name its own members' rows show
 * for it (by holder, the primary key).
 */
export async function renameMember(
  tx: SqlQueryable,
  t: MemberTables,
  scope: StoreScope,
  id: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Promise<void> {
  const display = displayOf(after);
  if (display === displayOf(before)) return;
  // The rows listing it as a member and the rows of its own members, in one statement.
  await tx.query(
    `UPDATE ${t.members} SET
        member_display = CASE WHEN member_type = $2 AND member_id = $3 THEN $4 ELSE member_display END,
        group_display = CASE WHEN group_type = $2 AND group_id = $3 THEN $4 ELSE group_display END
      WHERE tenant = $1 AND ((member_type = $2 AND member_id = $3) OR (group_type = $2 AND group_id = $3))`,
    [scope.tenant, scope.resourceType, id, display ?? null],
  );
}

/**
 * Inside a delete's transaction (the deleted row already locked): removes the resource from the
 * `members` of every resource listing it (one UPDATE, in SQL, so large groups never travel to Node),
 * bumping their versions, unless `cascade` is false. The caller then drops its index rows on both
 * sides (with its own row, in one statement).
 */
export async function deleteMembers(
  tx: SqlQueryable,
  t: MemberTables,
  scope: StoreScope,
  id: string,
  cascade: boolean,
  now: string,
): Promise<void> {
  if (cascade) {
    const { rows } = await tx.query<{ resource_type: string; id: string }>(
      `SELECT g.resource_type, g.id FROM ${t.resources} g JOIN ${t.members} m
        ON m.tenant = g.tenant AND m.group_type = g.resource_type AND m.group_id = g.id
        WHERE m.tenant = $1 AND m.member_type = $2 AND m.member_id = $3
        ORDER BY g.resource_type, g.id FOR UPDATE OF g`,
      [scope.tenant, scope.resourceType, id],
    );
    if (rows.length > 0)
      await tx.query(
        `UPDATE ${t.resources} g SET
          data = CASE WHEN k.kept IS NULL THEN g.data - '${MEMBERS}' ELSE jsonb_set(g.data, '{${MEMBERS}}', k.kept) END,
          version = g.version + 1, last_modified = $3::timestamptz
        FROM (SELECT h.resource_type, h.id,
            (SELECT jsonb_agg(e.v ORDER BY e.n) FROM jsonb_array_elements(h.data -> '${MEMBERS}') WITH ORDINALITY AS e(v, n)
              WHERE e.v -> 'value' IS DISTINCT FROM to_jsonb($2::text)) AS kept
          FROM ${t.resources} h
          WHERE h.tenant = $1 AND (h.resource_type, h.id) IN (SELECT * FROM unnest($4::text[], $5::text[]))
            AND jsonb_typeof(h.data -> '${MEMBERS}') = 'array') AS k
        WHERE g.tenant = $1 AND g.resource_type = k.resource_type AND g.id = k.id`,
        [scope.tenant, id, now, rows.map((r) => r.resource_type), rows.map((r) => r.id)],
      );
  }
}

function grouped(rows: readonly { key: string; ref: ResourceRef }[]): Map<string, ResourceRef[]> {
  const out = new Map<string, ResourceRef[]>();
  for (const { key, ref } of rows) {
    const list = out.get(key);
    if (list) list.push(ref);
    else out.set(key, [ref]);
  }
  return out;
}

function refOf(resourceType: string, id: string, display: string | null): ResourceRef {
  return { id, resourceType, ...(display !== null && { display }) };
}

/**
 * For each member id, the resources listing it, in one statement: the index gives the holders and
 * their names (group_display), and each distinct holder's row is read once for its creation time (a
 * group of 10,000 members is one large JSON value: neither it nor its name is read from it).
 */
export async function membershipsOf(
  db: SqlQueryable,
  t: MemberTables,
  scope: StoreScope,
  memberIds: readonly string[],
): Promise<Map<string, ResourceRef[]>> {
  if (memberIds.length === 0) return new Map();
  const { rows } = await db.query<{
    member_id: string;
    resource_type: string;
    id: string;
    display: string | null;
  }>(
    `WITH m AS MATERIALIZED (
        SELECT member_id, group_type, group_id, group_display FROM ${t.members}
        WHERE tenant = $1 AND member_type = $2 AND member_id = ANY($3::text[])),
      g AS MATERIALIZED (
        SELECT r.resource_type, r.id, r.created FROM ${t.resources} r
        WHERE r.tenant = $1 AND (r.resource_type, r.id) IN (SELECT DISTINCT group_type, group_id FROM m))
    SELECT m.member_id, g.resource_type, g.id, m.group_display AS display FROM m JOIN g ON g.resource_type = m.group_type AND g.id = m.group_id
    ORDER BY m.member_id, g.created, g.id`,
    [scope.tenant, scope.resourceType, [...new Set(memberIds)]],
  );
  return grouped(rows.map((r) => ({ key: r.member_id, ref: refOf(r.resource_type, r.id, r.display) })));
}

/** For each holder id, its existing members with their types and names, ordered by member id. */
export async function membersOf(
  db: SqlQueryable,
  t: MemberTables,
  scope: StoreScope,
  ids: readonly string[],
): Promise<Map<string, ResourceRef[]>> {
  if (ids.length === 0) return new Map();
  // One row per holder with its members as one JSON text: PGlite spends ~30 µs per result row, so
  // 10,000 rows cost 0.3 s where one JSON.parse costs milliseconds.
  const { rows } = await db.query<{ group_id: string; members: string }>(
    `SELECT m.group_id, json_agg(json_build_array(m.member_type, m.member_id, m.member_display) ORDER BY m.member_id)::text AS members
      FROM ${t.members} m
      WHERE m.tenant = $1 AND m.group_type = $2 AND m.group_id = ANY($3::text[])
      GROUP BY m.group_id`,
    [scope.tenant, scope.resourceType, [...new Set(ids)]],
  );
  const out = new Map<string, ResourceRef[]>();
  for (const row of rows) {
    const members = JSON.parse(row.members) as [string, string, string | null][];
    out.set(
      row.group_id,
      members.map(([type, id, display]) => refOf(type, id, display)),
    );
  }
  return out;
}
