import { scimkitProject } from "../../scripts/vitest-shared.mjs";

// The browser tests start the reference server on PGlite (initdb on a fresh data directory: ~7 s) and Chromium.
export default scimkitProject("console", { testTimeout: 120_000, hookTimeout: 180_000 });
