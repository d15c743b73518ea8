/// <reference types="node" />
import { describe } from "vitest";
import { loadPg } from "../http/__fixtures__/stores.js";
import { fromPgPool, PostgresStore } from "./postgres.js";
import { storeSuite } from "./store-suite.js";

// Runs against a real PostgreSQL when DATABASE_URL is set (CI starts Debian's postgresql for it).
const databaseUrl = process.env.DATABASE_URL;
let store: PostgresStore | undefined;

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
