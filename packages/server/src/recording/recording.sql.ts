/**
 * The tables of request recording (PostgresStore): requests and their changes (audit events), keyed by
 * tenant like the resources, with one sequence for both (ids increase in the order rows are stored,
 * across instances). Few indexes, since every one costs each recorded request a write: requests by
 * tenant and id (newest first, cursors, count retention), by tenant and time (stats, time windows, age
 * retention) and by tenant and IdP; changes by tenant and request (a request's changes, retention) and
 * by resource (its history). The tenant leads each. Idempotent, run with the store's other statements
 * on every start.
 *
 * @example
 * for (const sql of recordingStatements("scim_")) await client.query(sql);
 */
export function recordingStatements(p: string): string[] {
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${p}recording_seq`,
    `CREATE TABLE IF NOT EXISTS ${p}requests (
      tenant text NOT NULL,
      seq bigint NOT NULL,
      time timestamptz NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      query text,
      status integer NOT NULL,
      scim_type text,
      detail text,
      duration_ms double precision NOT NULL,
      resource_type text,
      resource_id text,
      subject text,
      idp text NOT NULL,
      user_agent text,
      request_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
      request_body text,
      response_body text,
      PRIMARY KEY (tenant, seq)
    )`,
    // The read API's text search (`q`): the searched fields lower-cased once when a row is written, so a
    // search is one LIKE per row instead of seven ILIKEs that lower-case every field of every row again
    // (100,000 requests: ~10× faster on PGlite). Fields are joined by U+0001, which a needle holding it
    // cannot use (postgres-recording-read.ts falls back to the fields). Added to older tables in place.
    `ALTER TABLE ${p}requests ADD COLUMN IF NOT EXISTS search text GENERATED ALWAYS AS (lower(
      coalesce(path, '') || E'\\x01' || coalesce(query, '') || E'\\x01' || coalesce(scim_type, '') || E'\\x01' ||
      coalesce(detail, '') || E'\\x01' || coalesce(resource_id, '') || E'\\x01' || coalesce(subject, '') || E'\\x01' ||
      coalesce(user_agent, ''))) STORED`,
    `CREATE INDEX IF NOT EXISTS ${p}requests_tenant_time ON ${p}requests (tenant, time)`,
    `CREATE INDEX IF NOT EXISTS ${p}requests_idp ON ${p}requests (tenant, idp, seq)`,
    `CREATE TABLE IF NOT EXISTS ${p}changes (
      tenant text NOT NULL,
      seq bigint NOT NULL,
      request_seq bigint NOT NULL,
      time timestamptz NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      subject text,
      idp text NOT NULL,
      resource_type text NOT NULL,
      resource_id text,
      action text NOT NULL,
      outcome text NOT NULL,
      status integer NOT NULL,
      detail text,
      bulk_id text,
      body text,
      PRIMARY KEY (tenant, request_seq, seq)
    )`,
    `CREATE INDEX IF NOT EXISTS ${p}changes_resource ON ${p}changes (tenant, resource_type, resource_id, seq)`,
  ];
}
