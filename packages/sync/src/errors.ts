/**
 * A problem with the run as a whole rather than one row: an unknown CSV column, a source that is not
 * a JSON array, an unreadable target. `scimkit sync` exits 2 on it; nothing has been written.
 *
 * @example try { await sync(options) } catch (e) { if (e instanceof SyncUsageError) console.error(e.message) }
 */
export class SyncUsageError extends Error {
  override readonly name = "SyncUsageError" as const;
}

/** Whether `value` is a {@link SyncUsageError}, also across realms (compares `name`). */
export function isSyncUsageError(value: unknown): value is SyncUsageError {
  return value instanceof Error && value.name === "SyncUsageError";
}
