/// <reference types="node" />
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BACKENDS } from "../../replays/__fixtures__/server.js";
import { fromPgPool, type PgPoolLike, PostgresStore } from "../../stores/postgres.js";
import type { ScimStore } from "../../stores/store.js";

/** A real PostgreSQL server for the tests, when CI (or you) set it: `postgres://scimkit:scimkit@127.0.0.1:5432/scimkit_ci`. */
export const DATABASE_URL = process.env.DATABASE_URL;

/** A bearer token long enough for the handler's checks (16 characters at least). */
export const LONG_TOKEN = "http-layer-test-token-0123456789";

/**
 * Loads pg in vitest. The workspace's vitest config resolves with the "import" condition, which vitest
 * hands to Node as `--conditions import`, so pg's `require("pg-pool")` would get pg-pool's ESM build (a
 * namespace, not a class); the CommonJS build is put in its place.
 */
export function loadPg(): { Pool: new (config: object) => PgPoolLike } {
  const require = createRequire(import.meta.url);
  const fromPg = createRequire(require.resolve("pg"));
  const resolved = fromPg.resolve("pg-pool");
  const cjs = join(dirname(dirname(resolved)), "index.js");
  if (resolved.endsWith(".mjs")) {
    fromPg(cjs);
    const cached = require.cache[cjs];
    if (cached) require.cache[resolved] = cached;
  }
  return require("pg") as { Pool: new (config: object) => PgPoolLike };
}

/** A PostgresStore on its own `pg` pool to DATABASE_URL, with its own tables (`tablePrefix`). */
export async function postgresStore(tablePrefix: string, max = 10): Promise<PostgresStore> {
  if (DATABASE_URL === undefined) throw new Error("DATABASE_URL is not set");
  const pg = loadPg();
  const store = new PostgresStore(fromPgPool(new pg.Pool({ connectionString: DATABASE_URL, max })), {
    tablePrefix,
  });
  await store.migrate();
  return store;
}

/** An in-memory PostgresStore on PGlite, as the replays open it. */
export function pgliteStore(): Promise<ScimStore> {
  const backend = BACKENDS.find((b) => b.name.includes("PGlite"));
  if (!backend) throw new Error("the replays' BACKENDS lost their PGlite entry");
  return backend.store();
}

/**
 * The stores the HTTP tests run on: the replays' backends (MemoryStore, PostgresStore on PGlite) and
 * PostgreSQL when DATABASE_URL is set, each with tables of its own.
 */
export function httpBackends(
  tablePrefix: string,
): readonly { readonly name: string; readonly store: () => Promise<ScimStore> }[] {
  return [
    ...BACKENDS,
    ...(DATABASE_URL === undefined
      ? []
      : [{ name: "PostgresStore on PostgreSQL", store: () => postgresStore(tablePrefix) }]),
  ];
}
