/**
 * Something that runs one parameterized SQL statement: a connection, a pool, or a transaction.
 *
 * @example
 * const { rows } = await db.query<{ n: number }>("SELECT $1::int AS n", [1]);
 */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The little {@link PostgresStore} needs from a PostgreSQL driver: queries, transactions on one
 * connection, and closing. Build one with {@link fromPGlite}, {@link fromPgPool} or {@link openPGlite}.
 *
 * @example
 * const client = fromPgPool(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await client.transaction(async (tx) => tx.query("SELECT 1"));
 */
export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws (and rethrows). */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Releases the connections (and closes an embedded database). */
  close(): Promise<void>;
}

/** The part of a PGlite instance this module uses (structural, so `@electric-sql/pglite` stays optional). */
export interface PGliteLike {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  transaction<T>(
    fn: (tx: { query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** The part of a `pg` Pool this module uses (structural, so `pg` stays optional). */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgPoolClientLike>;
  end(): Promise<void>;
}

/** A client checked out of a `pg` Pool. */
export interface PgPoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  release(error?: Error | boolean): void;
}

/**
 * A {@link SqlClient} over an embedded PGlite database. PGlite has one connection and runs one
 * transaction at a time, so transactions never interleave.
 *
 * @example
 * import { PGlite } from "@electric-sql/pglite";
 * const client = fromPGlite(new PGlite("./.data/scim"));
 */
export function fromPGlite(db: PGliteLike): SqlClient {
  return {
    query: <R>(text: string, params: readonly unknown[] = []) => db.query<R>(text, [...params]),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({ query: <R>(text: string, params: readonly unknown[] = []) => tx.query<R>(text, [...params]) }),
      ),
    close: () => db.close(),
  };
}

/**
 * A {@link SqlClient} over a node-postgres `Pool`: single statements use any pooled connection; a
 * transaction checks out one connection for BEGIN … COMMIT / ROLLBACK.
 *
 * @example
 * import pg from "pg";
 * const client = fromPgPool(new pg.Pool({ connectionString: "postgres://scim@localhost/scim" }));
 */
export function fromPgPool(pool: PgPoolLike): SqlClient {
  const query = async <R>(
    runner: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> },
    text: string,
    params: readonly unknown[],
  ) => {
    const result = await runner.query(text, [...params]);
    return { rows: result.rows as R[] };
  };
  return {
    query: <R>(text: string, params: readonly unknown[] = []) => query<R>(pool, text, params),
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        await connection.query("BEGIN");
        const result = await fn({
          query: <R>(text: string, params: readonly unknown[] = []) => query<R>(connection, text, params),
        });
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await connection.query("ROLLBACK");
        } catch (rollbackError) {
          // A connection that cannot roll back is discarded rather than returned to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        connection.release(broken ?? false);
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Opens an embedded PGlite database (in memory without `dataDir`, else persisted there) as a
 * {@link SqlClient}. `@electric-sql/pglite` is loaded only when this is called.
 *
 * @example
 * const client = await openPGlite("./.data/scim");
 */
export async function openPGlite(dataDir?: string): Promise<SqlClient> {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  return fromPGlite(db as unknown as PGliteLike);
}
