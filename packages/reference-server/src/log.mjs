// The request log (one line per request on stdout) and the error log (stderr).

/** @param {string} line */
export const out = (line) => void process.stdout.write(`${line}\n`);
/** @param {string} line */
export const err = (line) => void process.stderr.write(`${line}\n`);

/**
 * Logs one line per request when its answer is sent, with the time since the request arrived at the
 * server (so time spent queued before the handler ran is counted); a request whose client went away
 * first is logged as aborted, not as an error.
 *
 * @param {import("node:http").Server} server
 * @param {(line: string) => void} [write]
 */
export function logRequests(server, write = out) {
  server.on(
    "request",
    (
      /** @type {import("node:http").IncomingMessage} */ req,
      /** @type {import("node:http").ServerResponse} */ res,
    ) => {
      const arrived = performance.now();
      const path = (req.url ?? "/").split("?")[0];
      const line = (/** @type {string} */ outcome) =>
        write(
          `${new Date().toISOString()} ${req.method} ${path} ${outcome} ${(performance.now() - arrived).toFixed(1)}ms`,
        );
      res.once("finish", () => line(String(res.statusCode)));
      res.once("close", () => {
        if (!res.writableFinished) line("aborted by the client after");
      });
    },
  );
}

/**
 * The handler's `onError`: an unexpected error is one line naming the request, with the stack (it was
 * answered 500). Errors of requests whose client already left are not errors of the server: skipped.
 *
 * @param {(line: string) => void} [write]
 * @returns {(error: unknown, request: Request) => void}
 */
export function reportErrors(write = err) {
  return (error, request) => {
    if (request.signal.aborted) return;
    const path = new URL(request.url).pathname;
    const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    write(
      `${new Date().toISOString()} ${request.method} ${path} 500 unexpected error: ${stack.replace(/\n\s*/g, " | ")}`,
    );
  };
}
