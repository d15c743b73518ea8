import { PostgresStore } from "./postgres.js";
import { storeSuite } from "./store-suite.js";

// One embedded database for the whole file (initdb is slow); every test uses its own tenant.
let store: PostgresStore | undefined;

storeSuite(
  "PostgresStore on PGlite",
  async () => {
    store = await PostgresStore.open({ memory: true });
    return store;
  },
  async () => store?.close(),
);
