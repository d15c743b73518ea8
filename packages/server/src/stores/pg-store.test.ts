/// <reference types="node" />
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe } from "vitest";
import { fromPgPool, type PgPoolLike, PostgresStore } from "./postgres.js";
import { storeSuite } from "./store-suite.js";

// Runs against a real PostgreSQL when DATABASE_URL is set (CI starts Debian's postgresql for it).
const databaseUrl = process.env.DATABASE_URL;
let store: PostgresStore | undefined;

/**
 * Loads pg in vitest. The workspace's vitest config resolves with the "import" condition, which vitest
 * hands to Node as `--conditions import`, so pg's `require("pg-pool")` would get pg-pool's ESM build (a
 * namespace, not a class). Outside vitest `await import("pg")` (PostgresStore.open) works as is.
 */
function loadPg(): { Pool: new (config: object) => PgPoolLike } {
  const require = createRequire(import.meta.url);
  const fromPg = createRequire(require.resolve("pg"));
  const resolved = fromPg.resolve("pg-pool");
  // The ESM build sits in esm/index.mjs beside the CommonJS index.js.
  const cjs = join(dirname(dirname(resolved)), "index.js");
  if (resolved.endsWith(".mjs")) {
    fromPg(cjs);
    const cached = require.cache[cjs];
    if (cached) require.cache[resolved] = cached;
  }
  return require("pg") as { Pool: new (config: object) => PgPoolLike };
}

describe.skipIf(!databaseUrl)("PostgreSQL server", () => {
  storeSuite(
    "PostgresStore on pg",
    async () => {
      const pg = loadPg();
      store = new PostgresStore(fromPgPool(new pg.Pool({ connectionString: databaseUrl, max: 10 })), {
        tablePrefix: "scim_test_",
      });
      await store.migrate();
      return store;
    },
    async () => store?.close(),
  );
});
