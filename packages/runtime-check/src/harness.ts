// Test harness: the reference SCIM server (with the browser page and a result collector on the same
// origin), esbuild bundles of the smoke program, and running a runtime as a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import * as esbuild from "esbuild";

export const packageDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = path.resolve(packageDir, "../..");

/** The runtimes the smoke program runs in besides Node, installed from npm only where the check runs. */
export type Runtime = "bun" | "deno" | "workerd";

/**
 * The environment variable naming the folder where `npm install --prefix <folder>` put Bun, Deno and
 * workerd (`.ci/run` does). They are ~355 MB, so they are not devDependencies: an ordinary
 * `pnpm install` does not download them.
 */
export const RUNTIMES_ENV = "SCIMKIT_RUNTIMES";

/** The versions `.ci/run` installs: the `runtimes` field of this package's package.json. */
export const RUNTIME_VERSIONS = (
  JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
    runtimes: Record<Runtime, string>;
  }
).runtimes;

/**
 * Where a runtime's executable is, or why it cannot be run: `SCIMKIT_RUNTIMES` unset, or the runtime
 * missing from that folder.
 */
export function locateRuntime(
  name: Runtime,
  env: NodeJS.ProcessEnv = process.env,
): { path: string } | { missing: string } {
  const dir = env[RUNTIMES_ENV];
  const install = `npm install --no-save --prefix <dir> ${Object.entries(RUNTIME_VERSIONS)
    .map(([n, v]) => `${n}@${v}`)
    .join(" ")}`;
  if (!dir)
    return {
      missing: `${RUNTIMES_ENV} is not set (run \`${install}\`, then set ${RUNTIMES_ENV}=<dir>; .ci/run does)`,
    };
  const executable = path.join(path.resolve(dir), "node_modules", ".bin", name);
  if (!existsSync(executable))
    return {
      missing: `${executable} does not exist (${RUNTIMES_ENV}=${dir}; run \`${install.replace("<dir>", dir)}\`)`,
    };
  return { path: executable };
}

export const TOKEN = "runtime-check-token";

/** The smoke program's result line (see src/smoke.mjs). */
export interface SmokeResult {
  ok: boolean;
  runtime: string;
  steps: string[];
  ms?: number;
  failedStep?: string;
  error?: string;
}

export const SMOKE_STEPS = [
  "create",
  "create second",
  "get",
  "list with a filter string",
  "list with filterBuilder",
  "patch",
  "iterate",
  "delete",
  "404 is a ScimError",
];

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `<origin>/scim/v2` */
  baseUrl: string;
  /** The next result the browser page POSTs to `/__result`. */
  nextBrowserResult(): Promise<SmokeResult>;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>scimkit runtime check</title>
<script>
  // A module that fails to load or throws reports that instead of leaving the test waiting.
  const report = (error) =>
    fetch("/__result", { method: "POST", body: JSON.stringify({ ok: false, runtime: "chromium " + navigator.userAgent, steps: [], failedStep: "page", error: String(error) }) });
  addEventListener("error", (event) => report(event.error ?? event.message));
  addEventListener("unhandledrejection", (event) => report(event.reason));
</script>
<script type="module" src="/smoke.js" onerror="report('could not load /smoke.js')"></script>
`;

/**
 * The reference handler (`createScimHandler` + `MemoryStore`, bearer {@link TOKEN}) on `/scim/v2`,
 * and, on the same origin, the browser page (`/`), its bundle (`/smoke.js`) and `/__result`.
 */
export async function startTestServer(browserBundle: () => string): Promise<TestServer> {
  const scim = toNodeListener(createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } }));
  const waiting: ((result: SmokeResult) => void)[] = [];
  const arrived: SmokeResult[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname === "/scim/v2" || url.pathname.startsWith("/scim/v2/")) {
      scim(req, res);
    } else if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else if (req.method === "GET" && url.pathname === "/smoke.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(browserBundle());
    } else if (req.method === "POST" && url.pathname === "/__result") {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        res.writeHead(204).end();
        let result: SmokeResult;
        try {
          result = JSON.parse(body) as SmokeResult;
        } catch {
          result = {
            ok: false,
            runtime: "chromium",
            steps: [],
            error: `unreadable result: ${body.slice(0, 500)}`,
          };
        }
        const resolve = waiting.shift();
        if (resolve) resolve(result);
        else arrived.push(result);
      });
    } else {
      // favicon.ico and anything else
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/scim/v2`,
    nextBrowserResult: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Bundles one host of the smoke program into a single ESM file (no imports left). */
export async function bundle(
  host: "cli" | "worker" | "browser",
  outfile: string,
  platform: "neutral" | "browser",
  conditions: string[] = [],
): Promise<void> {
  const { metafile } = await esbuild.build({
    entryPoints: [path.join(packageDir, "src/hosts", `${host}.mjs`)],
    absWorkingDir: packageDir,
    outfile,
    bundle: true,
    format: "esm",
    platform,
    conditions,
    ...(platform === "neutral" && { mainFields: ["module", "main"] }),
    target: "es2022",
    metafile: true,
    logLevel: "silent",
  });
  // The packages as published: their dist, never their TypeScript source.
  const sources = Object.keys(metafile.inputs).filter((file) => /\.[cm]?tsx?$/.test(file));
  if (sources.length > 0) {
    throw new Error(`the ${host} bundle includes TypeScript sources: ${sources.join(", ")}`);
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command to completion (or kills it after `timeoutMs`), collecting its output. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? packageDir,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Starts a long-running process in its own process group; `stop()` kills that group (and only it). */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; output: () => string; exited: Promise<number | null>; stop: () => Promise<void> } {
  const child = spawn(command, args, {
    cwd: options.cwd ?? packageDir,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const collect = (chunk: string) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout?.setEncoding("utf8").on("data", collect);
  child.stderr?.setEncoding("utf8").on("data", collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", (error) => {
      collect(`\n${error.message}`);
      resolve(null);
    });
    child.once("exit", (code) => resolve(code));
  });
  return {
    child,
    output: () => output,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
        await exited;
      }
    },
  };
}

/** The last line of a program's stdout, parsed as the smoke result. */
export function resultLine(stdout: string): SmokeResult | undefined {
  const line = stdout.trim().split("\n").at(-1);
  if (!line) return undefined;
  try {
    return JSON.parse(line) as SmokeResult;
  } catch {
    return undefined;
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1 (for workerd, which cannot report the port it got). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Chromium from Debian's `chromium` package (CI installs it; see .ci/run). */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
