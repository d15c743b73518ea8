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
  /**
   * Optional: `LISTEN` on a channel (an SQL identifier) on a connection of its own, calling `onPayload`
   * for each notification; resolves with the function that stops it. Request recording uses it to show
   * requests stored by other instances live ({@link fromPgPool} has it; an embedded PGlite database has
   * one process, whose store object already tells every subscriber).
   */
  listen?(
    channel: string,
    onPayload: (payload: string) => void,
    onLost?: () => void,
  ): Promise<() => Promise<void>>;
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
  /** pg's `Client` is an EventEmitter: `notification` events carry LISTEN payloads, `error` a lost connection. */
  on?(event: string, listener: (message: { channel?: string; payload?: string }) => void): unknown;
  off?(event: string, listener: (message: { channel?: string; payload?: string }) => void): unknown;
}

/** Runs `f` on a later turn of the event loop, after the I/O callbacks that are ready (a timer off Node). */
const later: (f: () => void) => void =
  typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : (f) => setTimeout(f, 0);
/** Runs `f` once the microtasks queued so far, and those they queue, have run. */
const afterMicrotasks: (f: () => void) => void =
  typeof globalThis.process?.nextTick === "function" ? (f) => globalThis.process.nextTick(f) : later;
const nextTurn = (): Promise<void> => new Promise((resolve) => later(resolve));

/** Database time a request may use in one turn before requests that arrived after it get theirs. */
const QUANTUM_MS = 250;

/** The statements that follow one another from one caller: one request, in practice. */
interface Chain {
  used: number;
}

/**
 * Runs jobs one at a time, each on a fresh turn of the event loop. PGlite runs a statement synchronously
 * on the calling thread and resolves its promise at once, so without the turn a backlog of statements
 * would run as one chain of microtasks: no socket read, accept or timer in between, and the requests not
 * yet read would wait in the kernel for all of it.
 *
 * The order is first come, first served by caller: a job submitted by the code that continues after one
 * of its own jobs (the next statement of the same request) goes before the jobs of callers that have not
 * started yet, so a request runs to the end instead of every request in the queue advancing one statement
 * at a time and all of them finishing late. A caller that has used QUANTUM_MS of database time goes to
 * the back of the queue, so one long request (a large page) delays the others by at most that much a turn.
 */
function fairQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  const current: (() => Promise<void>)[] = [];
  const waiting: (() => Promise<void>)[] = [];
  let running = false;
  let continuing: Chain | undefined;
  const next = (): void => {
    const job = current.shift() ?? waiting.shift();
    if (job === undefined) {
      running = false;
      return;
    }
    void job().finally(() => later(next));
  };
  return <T>(job: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const follows = continuing !== undefined && continuing.used < QUANTUM_MS;
      const chain: Chain = follows && continuing ? continuing : { used: 0 };
      (follows ? current : waiting).push(async () => {
        const started = performance.now();
        let settle: () => void;
        try {
          const value = await job();
          settle = () => resolve(value);
        } catch (error) {
          settle = () => reject(error);
        }
        chain.used += performance.now() - started;
        // The caller's continuation runs in the microtasks that settle() queues: what it submits follows.
        continuing = chain;
        afterMicrotasks(() => {
          if (continuing === chain) continuing = undefined;
        });
        settle();
      });
      if (!running) {
        running = true;
        later(next);
      }
    });
}

/**
 * A {@link SqlClient} over an embedded PGlite database. PGlite has one connection and runs each
 * statement synchronously on the calling thread, so statements and transactions wait in one queue,
 * first come, first served by request, and each starts on a new turn of the event loop (as do the
 * statements inside a transaction): the server keeps accepting and reading requests while the database
 * works through the queue. Transactions never interleave.
 *
 * @example
 * import { PGlite } from "@electric-sql/pglite";
 * const client = fromPGlite(new PGlite("./.data/scim"));
 */
export function fromPGlite(db: PGliteLike): SqlClient {
  const run = fairQueue();
  return {
    query: <R>(text: string, params: readonly unknown[] = []) => run(() => db.query<R>(text, [...params])),
    transaction: (fn) =>
      run(() =>
        db.transaction((tx) =>
          fn({
            query: async <R>(text: string, params: readonly unknown[] = []) => {
              await nextTurn();
              return tx.query<R>(text, [...params]);
            },
          }),
        ),
      ),
    // Queued too, so the statements submitted before close() still run.
    close: () => run(() => db.close()),
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
    async listen(channel, onPayload, onLost) {
      if (!/^[a-z_][a-z0-9_]*$/i.test(channel)) throw new TypeError(`not a channel name: ${channel}`);
      const connection = await pool.connect();
      const onNotification = (message: { channel?: string; payload?: string }) => {
        if (message.channel === channel) onPayload(message.payload ?? "");
      };
      let released = false;
      const release = (broken: boolean) => {
        if (released) return;
        released = true;
        connection.off?.("notification", onNotification);
        connection.off?.("error", onError);
        connection.release(broken);
      };
      // A lost connection is given back as broken, and the caller told, so it can listen again.
      const onError = () => {
        if (released) return;
        release(true);
        onLost?.();
      };
      connection.on?.("notification", onNotification);
      connection.on?.("error", onError);
      try {
        await connection.query(`LISTEN ${channel}`);
      } catch (error) {
        release(true);
        throw error;
      }
      return async () => {
        if (released) return;
        try {
          await connection.query(`UNLISTEN ${channel}`);
          release(false);
        } catch {
          release(true);
        }
      };
    },
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
