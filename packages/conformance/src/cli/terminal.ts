/// <reference types="node" />
// Where `scimkit test` writes and what it listens to: plain lines for any caller, and for the real process
// colour, a progress line on a terminal, and Ctrl-C.

/** Where `scimkit test` writes. Only `out` and `err` are needed; the rest is what a terminal adds. */
export interface TestIo {
  /** One line of the report (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  /** Environment: SCIM_TOKEN. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Colour the report on `out`. Default false. */
  readonly color?: boolean;
  /** Replaces the one progress line (a terminal's stderr); `undefined` clears it. Absent: no progress. */
  progress?(line: string | undefined): void;
  /**
   * Calls `listener` on the first interrupt (Ctrl-C) and returns a function that stops listening. What a
   * second interrupt does is the io's business: the process exits at once.
   */
  onInterrupt?(listener: () => void): () => void;
}

/**
 * Whether to colour output for a stream: FORCE_COLOR wins ("0" or "false" turns colour off, any other
 * value on, as chalk and supports-color read it), then a non-empty NO_COLOR (https://no-color.org) turns
 * it off, otherwise colour only on a terminal whose TERM is not "dumb".
 *
 * @example
 * useColor(process.stdout.isTTY, process.env);
 */
export function useColor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTTY && env.TERM !== "dumb";
}

/**
 * The real process: stdout and stderr, colour by {@link useColor}, a progress line only when stderr is a
 * terminal (a CI log gets no progress at all: the report at the end says everything), and SIGINT.
 *
 * @example
 * process.exitCode = await runTestCommand(process.argv.slice(2), processIo());
 */
export function processIo(): TestIo {
  const { stdout, stderr, env } = process;
  // `scimkit test | head` closes stdout early; the run has finished (and cleaned up) by then, so the
  // broken pipe is not an error worth a stack trace.
  for (const stream of [stdout, stderr])
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  const io: TestIo = {
    out: (line) => stdout.write(`${line}\n`),
    err: (line) => stderr.write(`${line}\n`),
    env,
    color: useColor(stdout.isTTY === true, env),
    onInterrupt(listener) {
      let count = 0;
      const onSigint = () => {
        count += 1;
        if (count === 1) return listener();
        io.progress?.(undefined);
        stderr.write(
          "scimkit test: interrupted again: exiting now; resources named scimkit-conformance-… may be left on the server\n",
        );
        process.exit(130);
      };
      process.on("SIGINT", onSigint);
      return () => process.off("SIGINT", onSigint);
    },
  };
  if (stderr.isTTY) {
    let shown = false;
    io.progress = (line) => {
      if (line === undefined) {
        if (shown) stderr.write("\r\u001b[2K");
        shown = false;
        return;
      }
      // One terminal row, so "\r" can rewrite it.
      const width = Math.max(20, (stderr.columns || 80) - 1);
      stderr.write(`\r\u001b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    };
  }
  return io;
}
