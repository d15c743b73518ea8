import { scimkitProject } from "../../scripts/vitest-shared.mjs";

// The process tests spawn the server on PGlite: the first start of a fresh data directory runs initdb.
export default scimkitProject("reference-server", { testTimeout: 180_000, hookTimeout: 180_000 });
