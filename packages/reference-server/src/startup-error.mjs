/**
 * A problem that stops the server from starting, told in one line on stderr (exit 1), without a stack:
 * a bad setting, a port in use, a database that cannot be reached.
 */
export class StartupError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "StartupError";
  }
}
