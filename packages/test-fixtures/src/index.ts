/**
 * @scimkit/test-fixtures (private): what the workspace's tests share. Tests only: nothing here is
 * published, and no package's built output imports it.
 */
export type { BinResult, BinRun, PackageScimkit } from "./bin.js";
export { BIN, CODEGEN_DIR, ensureScimkitBuilt, scimkitFor, startScimkit } from "./bin.js";
export { buildIfStale, newestSource } from "./fresh-dist.js";
export type { ServerProcess } from "./reference-process.js";
export { freePort, startServer, stopProcess } from "./reference-process.js";
export { ROOT } from "./root.js";
