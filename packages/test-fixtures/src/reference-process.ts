// The reference server as `pnpm start` runs it (`node scripts/start.mjs`), spawned on a free 127.0.0.1
// port with only the variables a test gives it, watched until it prints what the test waits for, stopped
// with SIGTERM (it drains and exits 0, DESIGN.md).
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "./root.js";

/** A reference server process: what it printed so far, and a way to wait for a line of it. */
export interface ServerProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout match of `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the server with exactly these variables (plus PATH and HOME), none inherited from the test.
 *
 * @example
 * const server = startServer({ SCIM_DATA_DIR: dir, HOST: "127.0.0.1", PORT: String(await freePort()), SCIM_TOKEN: token });
 * await server.waitFor(/scimkit reference SCIM server: (http:\S+)/);
 */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let errors = "";
  const waiters: (() => void)[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => errors,
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) return resolve(match);
          if (child.exitCode !== null || child.signalCode !== null) {
            return reject(new Error(`the server exited before printing ${pattern}:\n${out}\n${errors}`));
          }
          waiters.push(check);
        };
        check();
      });
    },
  };
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Sends SIGTERM and waits for the exit; with `killAfterMs`, a process still running after that long gets
 * SIGKILL. Resolves at once for a process that already exited.
 */
export async function stopProcess(child: ChildProcess, killAfterMs?: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  if (killAfterMs === undefined) return exited;
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, killAfterMs))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await exited;
  }
}
