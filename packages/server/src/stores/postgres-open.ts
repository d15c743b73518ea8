import { fromPgPool, openPGlite, type PgPoolLike, type SqlClient } from "./sql-client.js";

/**
 * Where `PostgresStore.open` connects — exactly one of: `databaseUrl` for a PostgreSQL server (through
 * `pg`), `dataDir` for an embedded PGlite database persisted in that folder (created if missing), or
 * `memory: true` for an embedded PGlite database that is gone when the store closes.
 *
 * @example
 * const where: PostgresConnectOptions = process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: ".data/scim" };
 */
export interface PostgresConnectOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string | undefined;
  /** An in-memory PGlite database: for tests and demos; it must be asked for, never a silent default. */
  readonly memory?: boolean | undefined;
  /** Maximum connections of the `pg` pool; default 10. */
  readonly maxConnections?: number;
}

/**
 * Imports an optional peer dependency, turning "not installed" into an error that says what to install.
 *
 * @example
 * const pg = await importOptional(() => import("pg"), "pg", "PostgresStore.open({ databaseUrl })");
 */
export async function importOptional<T>(load: () => Promise<T>, name: string, needer: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : "";
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(name))
      throw new Error(
        `${needer} needs the optional package "${name}", which is not installed: run \`pnpm add ${name}\` (or \`npm install ${name}\`)`,
        { cause: error },
      );
    throw error;
  }
}

type PoolConstructor = new (config: { connectionString: string; max: number }) => PgPoolLike;

/** A PGlite location that is a URL (`idb://…`, `memory://`, `opfs-ahp://…`) rather than a folder. */
const URL_DATA_DIR = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The client `PostgresStore.open` works on: `pg` for `databaseUrl`, PGlite for `dataDir` (folders
 * created like `mkdir -p`) or `memory: true`. Anything else is a `TypeError` saying what to pass.
 */
export async function connect(options: PostgresConnectOptions): Promise<SqlClient> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== "") {
    const pg = await importOptional(
      () =>
        import("pg") as Promise<unknown> as Promise<{
          default?: { Pool: PoolConstructor };
          Pool?: PoolConstructor;
        }>,
      "pg",
      "PostgresStore.open({ databaseUrl })",
    );
    const Pool = (pg.default?.Pool ?? pg.Pool) as PoolConstructor;
    return fromPgPool(new Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 }));
  }
  const dataDir = options.dataDir === "" ? undefined : options.dataDir;
  if (dataDir === undefined && options.memory !== true)
    throw new TypeError(
      "PostgresStore.open needs where to keep the data: { databaseUrl } for a PostgreSQL server, { dataDir } for an embedded PGlite database in a folder, or { memory: true } for one that is lost on close",
    );
  await importOptional(
    () => import("@electric-sql/pglite"),
    "@electric-sql/pglite",
    `PostgresStore.open({ ${dataDir === undefined ? "memory: true" : "dataDir"} })`,
  );
  if (dataDir !== undefined && !URL_DATA_DIR.test(dataDir)) {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(dataDir, { recursive: true });
  }
  return openPGlite(dataDir);
}
