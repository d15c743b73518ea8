/// <reference types="node" />
// Where `scimkit sync` writes: plain lines for any caller, and for the real process a progress bar on a
// terminal (cli-progress) or plain progress lines in a log, and Ctrl-C.
import { SingleBar } from "cli-progress";
import { decimal } from "./summary.js";

/** A progress display for one phase (reading, applying): told the total, then how far along it is. */
export interface Progress {
  /** Starts a phase of `total` steps (undefined: unknown yet, e.g. while a file is streamed). */
  start(phase: string, total: number | undefined): void;
  /** `done` steps of the phase are finished; `failed` of them failed. */
  update(done: number, failed: number): void;
  /** Ends the phase (a bar is cleared; a log gets its last line). */
  stop(): void;
}

/** Where `scimkit sync` writes. Only `out` and `err` are needed; the rest is what a process adds. */
export interface SyncIo {
  /** One line of the plan or the summary (stdout). */
  out(line: string): void;
  /**
   * Back-pressure of `out`: a promise when the lines written are still queued (the reader is slower),
   * resolved once they are taken; `undefined` when writing may go on. The dry run waits on it after
   * each line, so a million plan lines never pile up in memory. Absent: never wait.
   */
  drained?(): Promise<void> | undefined;
  /** One line of diagnostics or progress (stderr). */
  err(line: string): void;
  /** Environment: SCIM_TOKEN, SCIM_FROM_TOKEN. Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Progress display; absent: none. */
  readonly progress?: Progress;
  /** Calls `listener` on Ctrl-C and returns a function that stops listening. */
  onInterrupt?(listener: () => void): () => void;
}

/** Least time between two plain progress lines, so a log of a 1,000,000-row run stays readable. */
export const PLAIN_PROGRESS_INTERVAL_MS = 2_000;

/**
 * Plain progress lines (`applying: 1200/10000 (3 failed)`) for a log or a pipe: one when a phase starts,
 * then at most one every {@link PLAIN_PROGRESS_INTERVAL_MS}, and one when it ends.
 *
 * @example
 * const progress = plainProgress((line) => process.stderr.write(`${line}\n`));
 */
export function plainProgress(
  write: (line: string) => void,
  intervalMs = PLAIN_PROGRESS_INTERVAL_MS,
): Progress {
  let phase = "";
  let total: number | undefined;
  let last = 0;
  let state = { done: 0, failed: 0 };
  const line = () =>
    `${phase}: ${state.done}${total === undefined ? "" : `/${Math.max(total, state.done)}`}${state.failed > 0 ? ` (${state.failed} failed)` : ""}`;
  return {
    start(name, of) {
      [phase, total, state, last] = [name, of, { done: 0, failed: 0 }, performance.now()];
      write(`${phase}…${of === undefined ? "" : ` ${of} to go`}`);
    },
    update(done, failed) {
      state = { done, failed };
      const now = performance.now();
      if (now - last < intervalMs) return;
      last = now;
      write(line());
    },
    stop() {
      if (phase === "") return;
      write(`${line()} done`);
      phase = "";
    },
  };
}

/**
 * A cli-progress bar on `stream` (a terminal): phase, bar, count, rate and time left; cleared when the
 * phase ends so the summary table follows on a clean screen.
 *
 * @example
 * const progress = barProgress(process.stderr);
 */
export function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: SingleBar | undefined;
  let started = 0;
  return {
    start(phase, total) {
      bar?.stop();
      started = performance.now();
      bar = new SingleBar({
        stream,
        format:
          total === undefined
            ? `${phase} {value} {failed}`
            : `${phase} [{bar}] {value}/{total} {percentage}% · {speed}/s · {eta_formatted} left {failed}`,
        barsize: 30,
        barCompleteChar: "\u2588",
        barIncompleteChar: "\u2591",
        clearOnComplete: true,
        hideCursor: true,
        etaBuffer: 200,
        fps: 10,
      });
      bar.start(total ?? 0, 0, { failed: "", speed: "0" });
    },
    update(done, failed) {
      if (bar === undefined) return;
      const seconds = Math.max(0.001, (performance.now() - started) / 1000);
      // Deactivations come after the rows, past a total counted from the file's lines.
      if (bar.getTotal() > 0 && done > bar.getTotal()) bar.setTotal(done);
      bar.update(done, {
        failed: failed > 0 ? `(${failed} failed)` : "",
        // per row: decimal() keeps the text out of V8's number-to-string cache (README "Memory")
        speed: decimal(Math.round(done / seconds)),
      });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/**
 * Lines to a writable stream, with the stream's back-pressure: `drained()` is a promise while the
 * stream's queue is above its highWaterMark (`write()` returned false) and resolves on 'drain' (or when
 * the stream closes or fails, so a closed pipe never hangs the run). On Linux, Node writes stdout to a
 * pipe or file synchronously and the queue stays empty; elsewhere (macOS pipes, sockets) it is not.
 *
 * @example
 * const lines = lineWriter(process.stdout);
 * for (const line of plan) { lines.write(line); await lines.drained(); }
 */
export function lineWriter(stream: NodeJS.WritableStream & { writableNeedDrain?: boolean }): {
  write(line: string): void;
  drained(): Promise<void> | undefined;
} {
  let waiting: Promise<void> | undefined;
  return {
    write(line) {
      stream.write(`${line}\n`);
    },
    drained() {
      if (stream.writableNeedDrain !== true) return undefined;
      waiting ??= new Promise<void>((resolve) => {
        const done = () => {
          for (const event of ["drain", "close", "error"]) stream.off(event, done);
          waiting = undefined;
          resolve();
        };
        for (const event of ["drain", "close", "error"]) stream.once(event, done);
      });
      return waiting;
    },
  };
}

/**
 * The real process: stdout and stderr, a progress bar when stderr is a terminal and plain progress lines
 * otherwise, and SIGINT.
 *
 * @example
 * process.exitCode = await runSyncCommand(process.argv.slice(2), processIo());
 */
export function processIo(): SyncIo {
  const { stdout, stderr, env } = process;
  // `scimkit sync --dry-run | head` closes stdout early: not an error worth a stack trace.
  for (const stream of [stdout, stderr])
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  const lines = lineWriter(stdout);
  return {
    out: lines.write,
    drained: lines.drained,
    err: (line) => stderr.write(`${line}\n`),
    env,
    progress:
      stderr.isTTY && env.TERM !== "dumb"
        ? barProgress(stderr)
        : plainProgress((line) => stderr.write(`scimkit sync: ${line}\n`)),
    onInterrupt(listener) {
      let count = 0;
      const onSigint = () => {
        count += 1;
        if (count === 1) return listener();
        stderr.write("scimkit sync: interrupted again: exiting now; run the same command again to finish\n");
        process.exit(130);
      };
      process.on("SIGINT", onSigint);
      return () => process.off("SIGINT", onSigint);
    },
  };
}
