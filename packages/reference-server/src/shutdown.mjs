// Graceful shutdown on SIGTERM and SIGINT: stop accepting, let in-flight requests finish within the
// grace period, then close the store, exit 0. A second signal cuts the remaining requests off at once.
import { err, out } from "./log.mjs";

/**
 * @param {{ running: import("@scimkit/server/node").RunningServer, store: { close(): Promise<void> }, gracePeriod: number }} parts
 * @param {(code: number) => void} [exit]
 */
export function stopOnSignals({ running, store, gracePeriod }, exit = (code) => process.exit(code)) {
  let stopping = false;
  /** @param {NodeJS.Signals} signal */
  const stop = async (signal) => {
    if (stopping) {
      out(`${signal} again: closing the remaining connections now`);
      running.server.closeAllConnections();
      return;
    }
    stopping = true;
    // Stop listening first, in this tick, so no connection is accepted after the signal.
    const closed = running.close({ gracePeriod });
    const open = await new Promise((resolve) => running.server.getConnections((_e, n) => resolve(n ?? 0)));
    out(
      `${signal}: no longer accepting connections; letting ${open} open connection(s) finish (up to ${gracePeriod} ms)`,
    );
    await closed;
    try {
      await store.close();
    } catch (error) {
      err(`closing the store failed: ${error instanceof Error ? error.message : String(error)}`);
      exit(1);
      return;
    }
    out("stopped");
    exit(0);
  };
  process.on("SIGINT", (signal) => void stop(signal));
  process.on("SIGTERM", (signal) => void stop(signal));
}
