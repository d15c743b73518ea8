import { recordingStatements } from "../recording/recording.sql.js";
import { displaySql } from "./postgres-members.js";
import { checkPrefix, literal } from "./sql-filter.js";

/**
 * The text expression {@link filterToSql} and {@link sortKeySql} produce for a top-level, single-valued
 * string attribute, so that one expression index serves `eq`, `sw`, ranges and sorting on it.
 */
function stringIndexExpression(name: string, caseExact: boolean): string {
  const text = `(data ->> ${literal(name)})`;
  return `((CASE WHEN jsonb_typeof((data -> ${literal(name)})) = 'string' THEN ${caseExact ? text : `lower(${text})`} END) COLLATE "C")`;
}

/**
 * The statements that create the PostgresStore tables, indexes and helper functions and fill the
 * members table of a database from before it; every one is idempotent (`IF NOT EXISTS` / `OR REPLACE`,
 * one-time fills recorded in `${prefix}migrations`), so running them on every start is safe. Re-keying
 * unique values for Unicode folding needs JavaScript: `PostgresStore.migrate()` runs it after these.
 *
 * Tenancy: the tenant leads every primary key and index (but the recording tables' `time` indexes, which
 * age retention deletes by for all tenants at once, a statement Citus runs on every shard), and no
 * statement joins rows of two tenants, so the tables can be distributed by tenant on Citus when one
 * machine is outgrown:
 *
 *   SELECT create_distributed_table('scim_resources', 'tenant');
 *   SELECT create_distributed_table('scim_unique', 'tenant', colocate_with => 'scim_resources');
 *   SELECT create_distributed_table('scim_members', 'tenant', colocate_with => 'scim_resources');
 *   SELECT create_reference_table('scim_migrations');
 *   SELECT create_distributed_table('scim_requests', 'tenant', colocate_with => 'scim_resources');
 *   SELECT create_distributed_table('scim_changes', 'tenant', colocate_with => 'scim_resources');
 *
 * (Citus 11+ propagates the helper functions to the workers by itself; on older versions run
 * `SELECT create_distributed_function('scim_instant(text)')` and likewise for the other `scim_*` functions.)
 *
 * @example
 * for (const sql of schemaStatements("scim_")) await client.query(sql);
 */
export function schemaStatements(prefix = "scim_"): string[] {
  const p = checkPrefix(prefix);
  const present = (x: string, inner: (y: string) => string, depth: number) =>
    `CASE jsonb_typeof(${x})
      WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(${x}) = 'array' THEN ${x} END) AS a${depth}(v) WHERE ${inner(`a${depth}.v`)})
      WHEN 'object' THEN EXISTS (SELECT 1 FROM jsonb_each(CASE WHEN jsonb_typeof(${x}) = 'object' THEN ${x} END) AS o${depth}(k, v) WHERE ${inner(`o${depth}.v`)})
      ELSE ${scalarPresent(x)} END`;
  // compileFilter's isPresent: two levels of nesting are inspected; deeper, any element or key is a value.
  const deepest = (x: string) =>
    `CASE jsonb_typeof(${x}) WHEN 'array' THEN ${x} <> '[]'::jsonb WHEN 'object' THEN ${x} <> '{}'::jsonb ELSE ${scalarPresent(x)} END`;
  return [
    `CREATE TABLE IF NOT EXISTS ${p}resources (
      tenant text NOT NULL,
      resource_type text NOT NULL,
      id text COLLATE "C" NOT NULL,
      data jsonb NOT NULL,
      version integer NOT NULL,
      created timestamptz NOT NULL,
      last_modified timestamptz NOT NULL,
      PRIMARY KEY (tenant, resource_type, id)
    )`,
    // One row per unique value (RFC 7643 §7 uniqueness): scope is the resource type, or '*' for "global".
    `CREATE TABLE IF NOT EXISTS ${p}unique (
      tenant text NOT NULL,
      scope text NOT NULL,
      path text NOT NULL,
      value text NOT NULL,
      resource_type text NOT NULL,
      id text COLLATE "C" NOT NULL,
      PRIMARY KEY (tenant, scope, path, value)
    )`,
    `CREATE INDEX IF NOT EXISTS ${p}unique_owner ON ${p}unique (tenant, resource_type, id)`,
    // RFC 7643 §4.2: one row per member of a resource's "members" that exists (postgres-members.ts),
    // found by holder (the primary key) or by member (a User's groups, cascading deletes), with the
    // member's current name for "display", and the holder's current name for the member's "groups"
    // (read from the holder's data, a group of 10,000 members would be de-TOASTed whole for its name).
    `CREATE TABLE IF NOT EXISTS ${p}members (
      tenant text NOT NULL,
      group_type text NOT NULL,
      group_id text COLLATE "C" NOT NULL,
      member_type text NOT NULL,
      member_id text COLLATE "C" NOT NULL,
      member_display text,
      group_display text,
      PRIMARY KEY (tenant, group_type, group_id, member_id)
    )`,
    `ALTER TABLE ${p}members ADD COLUMN IF NOT EXISTS member_display text`,
    `ALTER TABLE ${p}members ADD COLUMN IF NOT EXISTS group_display text`,
    `CREATE INDEX IF NOT EXISTS ${p}members_member ON ${p}members (tenant, member_type, member_id, group_type, group_id)`,
    // One-time data migrations done (a name per migration), so that starting does not redo them.
    `CREATE TABLE IF NOT EXISTS ${p}migrations (
      name text PRIMARY KEY,
      applied timestamptz NOT NULL DEFAULT now()
    )`,
    // Databases from before the members table: index the members of existing resources once (the
    // member's type is the resource found with that id, the entry's own "type" when it names one).
    `INSERT INTO ${p}members (tenant, group_type, group_id, member_type, member_id, member_display)
      SELECT g.tenant, g.resource_type, g.id, r.resource_type, r.id,
        CASE WHEN jsonb_typeof(r.data -> 'displayName') = 'string' THEN r.data ->> 'displayName'
          WHEN jsonb_typeof(r.data -> 'userName') = 'string' THEN r.data ->> 'userName' END
      FROM ${p}resources g
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(g.data -> 'members') = 'array' THEN g.data -> 'members' END) AS e(v)
      JOIN ${p}resources r ON r.tenant = g.tenant AND r.id = (e.v ->> 'value')
        AND (jsonb_typeof(e.v -> 'type') IS DISTINCT FROM 'string' OR lower(e.v ->> 'type') = lower(r.resource_type))
      WHERE jsonb_typeof(e.v) = 'object' AND NOT EXISTS (SELECT 1 FROM ${p}migrations WHERE name = 'members-backfill')
      ON CONFLICT DO NOTHING`,
    `INSERT INTO ${p}migrations (name) VALUES ('members-backfill') ON CONFLICT DO NOTHING`,
    // Databases from before group_display: the holders' names, once.
    `UPDATE ${p}members m SET group_display = ${displaySql("g")}
      FROM ${p}resources g
      WHERE g.tenant = m.tenant AND g.resource_type = m.group_type AND g.id = m.group_id
        AND NOT EXISTS (SELECT 1 FROM ${p}migrations WHERE name = 'members-group-display')`,
    `INSERT INTO ${p}migrations (name) VALUES ('members-group-display') ON CONFLICT DO NOTHING`,
    `CREATE INDEX IF NOT EXISTS ${p}resources_created ON ${p}resources (tenant, resource_type, created, id)`,
    `CREATE INDEX IF NOT EXISTS ${p}resources_user_name ON ${p}resources (tenant, resource_type, ${stringIndexExpression("userName", false)}, id)`,
    `CREATE INDEX IF NOT EXISTS ${p}resources_display_name ON ${p}resources (tenant, resource_type, ${stringIndexExpression("displayName", false)}, id)`,
    `CREATE INDEX IF NOT EXISTS ${p}resources_external_id ON ${p}resources (tenant, resource_type, ${stringIndexExpression("externalId", true)}, id)`,
    // Epoch milliseconds → timestamptz, exactly (to_timestamp of a fraction would round).
    `CREATE OR REPLACE FUNCTION ${p}ms(ms bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
      SELECT to_timestamp(div(ms, 1000)::double precision) + mod(ms, 1000) * interval '1 millisecond'
    $fn$`,
    // xsd:dateTime → instant as compileFilter (V8's Date.parse) reads it, NULL instead of an error when invalid:
    // 4-digit years, day 1–31 rolling over into the next month, 24:00:00 allowed, fractions truncated to ms.
    `CREATE OR REPLACE FUNCTION ${p}instant(value text) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
      SELECT CASE
        WHEN m IS NULL THEN NULL
        WHEN m[2]::int NOT BETWEEN 1 AND 12 OR m[3]::int NOT BETWEEN 1 AND 31 OR m[4]::int > 24
          OR m[5]::int > 59 OR m[6]::int > 59 OR coalesce(m[10]::int, 0) > 23 OR coalesce(m[11]::int, 0) > 59
          OR (m[4]::int = 24 AND (m[5]::int > 0 OR m[6]::int > 0 OR coalesce(m[7], '') ~ '[1-9]')) THEN NULL
        ELSE (make_date(CASE WHEN m[1]::int = 0 THEN -1 ELSE m[1]::int END, m[2]::int, 1)::timestamp
          + (m[3]::int - 1) * interval '1 day' + m[4]::int * interval '1 hour' + m[5]::int * interval '1 minute'
          + (m[6]::int * 1000 + rpad(coalesce(substr(m[7], 1, 3), ''), 3, '0')::int) * interval '1 millisecond'
          - (CASE m[9] WHEN '-' THEN -1 WHEN '+' THEN 1 ELSE 0 END)
            * (coalesce(m[10]::int, 0) * 60 + coalesce(m[11]::int, 0)) * interval '1 minute') AT TIME ZONE 'UTC'
      END
      FROM (SELECT regexp_match(value, '^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))?$') AS m) AS parsed
    $fn$`,
    // compileFilter's "pr": not null, not "", not an empty array, and a complex value with some value.
    `CREATE OR REPLACE FUNCTION ${p}present(value jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
      SELECT ${present("value", (y) => present(y, deepest, 2), 1)}
    $fn$`,
    // A property by name in any case (RFC 7643 §2.1), for shapes: "any": the exact spelling first.
    `CREATE OR REPLACE FUNCTION ${p}get(node jsonb, name text) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
      SELECT coalesce(node -> name, (SELECT e.value FROM jsonb_each(CASE WHEN jsonb_typeof(node) = 'object' THEN node END) AS e
        WHERE length(e.key) = length(name) AND lower(e.key) = lower(name) LIMIT 1))
    $fn$`,
    ...recordingStatements(p),
  ];
}

function scalarPresent(x: string): string {
  return `(CASE jsonb_typeof(${x}) WHEN 'string' THEN ${x} <> '""'::jsonb WHEN 'number' THEN true WHEN 'boolean' THEN true ELSE false END)`;
}
