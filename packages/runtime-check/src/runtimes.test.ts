// The dynamic half: the smoke program (src/smoke.mjs) runs the public @scimkit/client API against the
// reference SCIM server in Node, Bun, Deno, workerd and headless Chromium. Bun, Deno and workerd come
// from npm into the folder named by SCIMKIT_RUNTIMES (.ci/run installs them there), Chromium from
// Debian's chromium (CI installs it). Locally, a runtime that is not there is skipped with the reason
// printed; in CI (CI set) a missing runtime fails the run instead.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bundle,
  CHROMIUM,
  freePort,
  hasChromium,
  locateRuntime,
  packageDir,
  RUNTIME_VERSIONS,
  type RunResult,
  type Runtime,
  resultLine,
  run,
  SMOKE_STEPS,
  type SmokeResult,
  startProcess,
  startTestServer,
  type TestServer,
  TOKEN,
} from "./harness.js";

let work: string;
let server: TestServer;
/** The CLI host bundled for platform "neutral": one file with no imports, for Bun and Deno. */
let portable: string;
let browserCode = "";

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "scimkit-runtime-check-"));
  portable = path.join(work, "smoke.mjs");
  const browser = path.join(work, "browser.mjs");
  await Promise.all([
    bundle("cli", portable, "neutral"),
    // The conditions a Cloudflare Workers bundler (wrangler) resolves with.
    bundle("worker", path.join(work, "worker.mjs"), "neutral", ["workerd", "worker", "browser"]),
    bundle("browser", browser, "browser"),
  ]);
  browserCode = await readFile(browser, "utf8");
  server = await startTestServer(() => browserCode);
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Fails with everything needed to see why, or returns the passing result. */
function expectPassed(result: SmokeResult | undefined, context: string): SmokeResult {
  if (!result?.ok) {
    expect.fail(
      result
        ? `smoke program failed at "${result.failedStep}" in ${result.runtime}: ${result.error}\n${context}`
        : `no JSON result line\n${context}`,
    );
  }
  expect(result.steps).toEqual(SMOKE_STEPS);
  return result;
}

function describeRun(command: string, { code, signal, timedOut, stdout, stderr }: RunResult): string {
  return [
    `${command}: exit ${code}${signal ? ` (${signal})` : ""}${timedOut ? ", timed out" : ""}`,
    `stdout: ${stdout.slice(-4000)}`,
    `stderr: ${stderr.slice(-4000)}`,
  ].join("\n");
}

async function runCli(name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const outcome = await run(command, args, { cwd: work, env, timeoutMs: 90_000 });
  const result = expectPassed(resultLine(outcome.stdout), describeRun(name, outcome));
  expect(outcome.code).toBe(0);
  return result;
}

/**
 * A test that runs in `name`: with its executable when it is installed; otherwise skipped with the
 * reason printed, or, in CI, failing with it.
 */
function inRuntime(name: Runtime, title: string, body: (executable: string) => Promise<void>): void {
  const found = locateRuntime(name);
  if ("path" in found) {
    it(title, () => body(found.path));
  } else if (process.env.CI) {
    it(title, () => {
      expect.fail(`${name} is not installed: ${found.missing}. CI must run every runtime.`);
    });
  } else {
    it.skip(title, () => body(""));
    // biome-ignore lint/suspicious/noConsole: say why the run is skipped
    console.warn(`runtime-check: ${name} skipped: ${found.missing}`);
  }
}

/** A small environment: PATH and HOME, nothing from the test runner. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1", ...extra };
}

describe("the smoke program", () => {
  it("runs in Node ≥ 20, unbundled, resolving @scimkit/client's package exports to its dist", async () => {
    const result = await runCli(
      "node",
      process.execPath,
      [path.join(packageDir, "src/hosts/cli.mjs"), server.baseUrl, TOKEN],
      cleanEnv(),
    );
    expect(result.runtime).toMatch(/^node v\d+\./);
    expect(Number(/^node v(\d+)/.exec(result.runtime)?.[1])).toBeGreaterThanOrEqual(20);
  });

  inRuntime("bun", "runs in Bun (the neutral bundle)", async (bun) => {
    const result = await runCli(
      "bun",
      bun,
      [portable, server.baseUrl, TOKEN],
      cleanEnv({ DO_NOT_TRACK: "1" }),
    );
    expect(result.runtime).toBe(`bun ${RUNTIME_VERSIONS.bun}`);
  });

  inRuntime(
    "deno",
    "runs in Deno with --allow-net=127.0.0.1 and no other permission (the neutral bundle)",
    async (deno) => {
      const result = await runCli(
        "deno",
        deno,
        [
          "run",
          "--allow-net=127.0.0.1",
          "--no-prompt",
          "--no-config",
          "--no-lock",
          portable,
          server.baseUrl,
          TOKEN,
        ],
        cleanEnv({ DENO_DIR: path.join(work, "deno-dir"), DENO_NO_UPDATE_CHECK: "1" }),
      );
      expect(result.runtime).toBe(`deno ${RUNTIME_VERSIONS.deno}`);
    },
  );

  inRuntime(
    "workerd",
    "runs in workerd, in a worker's fetch handler whose outbound network is loopback only",
    async (workerdBin) => {
      const port = await freePort();
      const config = path.join(work, "workerd.capnp");
      await writeFile(
        config,
        `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "smoke", worker = .smokeWorker),
    # The default "internet" service allows public addresses only; the SCIM server is on 127.0.0.1.
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "smoke")],
);

const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  # No compatibilityFlags: in particular no nodejs_compat.
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "SCIM_BASE_URL", text = ${JSON.stringify(server.baseUrl)}),
    (name = "SCIM_TOKEN", text = ${JSON.stringify(TOKEN)}),
  ],
  globalOutbound = "loopback",
);
`,
      );
      const workerd = startProcess(workerdBin, ["serve", config], { cwd: work, env: cleanEnv() });
      try {
        const response = await untilListening(`http://127.0.0.1:${port}/`, workerd.exited, workerd.output);
        const text = await response.text();
        const result = expectPassed(
          resultLine(text),
          `workerd answered ${response.status}: ${text}\nworkerd output: ${workerd.output()}`,
        );
        expect(response.status).toBe(200);
        expect(result.runtime).toMatch(/^workerd Cloudflare-Workers/);
      } finally {
        await workerd.stop();
      }
    },
  );

  it.skipIf(!hasChromium)(
    "runs in headless Chromium, on a page served from the SCIM server's origin",
    async () => {
      const profile = path.join(work, "chromium-profile");
      const chromium = startProcess(
        CHROMIUM,
        [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          `--user-data-dir=${profile}`,
          `${server.origin}/?token=${encodeURIComponent(TOKEN)}`,
        ],
        { cwd: work, env: cleanEnv() },
      );
      try {
        const result = await Promise.race([
          server.nextBrowserResult(),
          chromium.exited.then((code) => {
            throw new Error(`chromium exited (${code}) before reporting a result:\n${chromium.output()}`);
          }),
          new Promise<never>((_, reject) =>
            setTimeout(
              () => reject(new Error(`no result from chromium in 90 s:\n${chromium.output()}`)),
              90_000,
            ),
          ),
        ]);
        expectPassed(result, `chromium output: ${chromium.output()}`);
        expect(result.runtime).toMatch(/^chromium .*HeadlessChrome\//);
      } finally {
        await chromium.stop();
      }
    },
  );
  if (!hasChromium) {
    // biome-ignore lint/suspicious/noConsole: say why the browser run is skipped
    console.warn(`runtime-check: Chromium skipped: ${CHROMIUM} not found (CI installs Debian's chromium)`);
  }
});

/** Fetches `url` until the server accepts the connection, failing early if the process exits. */
async function untilListening(
  url: string,
  exited: Promise<number | null>,
  output: () => string,
): Promise<Response> {
  let stopped = false;
  void exited.then(() => {
    stopped = true;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      const refused = (error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED";
      if (!refused || stopped || Date.now() > deadline) {
        throw new Error(`workerd did not answer on ${url}: ${String(error)}\nworkerd output: ${output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
