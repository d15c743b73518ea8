// Opens the store: PostgreSQL when DATABASE_URL is set, else PGlite persisted under the data directory.
// Failures become one readable line.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PostgresStore } from "@scimkit/server/postgres";
import { StartupError } from "./startup-error.mjs";

/**
 * @param {{ databaseUrl: string | undefined, dataDir: string }} config
 * @returns {Promise<{ store: PostgresStore, description: string }>}
 */
export async function openStore(config) {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    const where = `${url.hostname}:${url.port || "5432"}${url.pathname}`;
    try {
      const store = await PostgresStore.open({ databaseUrl: config.databaseUrl });
      return { store, description: `PostgreSQL at ${where}` };
    } catch (error) {
      throw new StartupError(`cannot use the PostgreSQL at ${where} (DATABASE_URL): ${reason(error)}`);
    }
  }
  const dataDir = join(config.dataDir, "pglite");
  try {
    mkdirSync(dataDir, { recursive: true });
    const store = await PostgresStore.open({ dataDir });
    return { store, description: `embedded PGlite in ${dataDir}` };
  } catch (error) {
    throw new StartupError(
      `cannot open the embedded database in ${dataDir}: ${reason(error)} (is another server using that directory?)`,
    );
  }
}

/** @param {unknown} error */
function reason(error) {
  const e = /** @type {{ code?: string, message?: string, errors?: { message?: string }[] }} */ (error);
  // pg reports a refused connection to every resolved address as an AggregateError with an empty message.
  const message = e?.message || e?.errors?.map((inner) => inner.message).join("; ") || String(error);
  const code = e?.code && !message.includes(e.code) ? ` (${e.code})` : "";
  return `${message.split("\n")[0]}${code}`;
}
