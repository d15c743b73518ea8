#!/usr/bin/env node
// `pnpm conformance`: starts the reference server (`node scripts/start.mjs`, as `pnpm start` runs it) on
// embedded PGlite in a scratch folder and a free port of 127.0.0.1, runs `scimkit test --profile all`
// against it through the real `scimkit` binary, stops the server with SIGTERM, and exits with the
// command's exit code (0: no MUST check failed). Extra arguments go to `scimkit test`, e.g.
// `pnpm conformance --format junit --out conformance.xml`. Needs a build (CI builds before it runs).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), "scimkit-conformance-"));
const token = randomBytes(24).toString("base64url");
const port = await freePort();
const began = performance.now();
const server = spawn(process.execPath, [join(root, "scripts", "start.mjs")], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SCIM_TOKEN: token, SCIM_DATA_DIR: dataDir },
  stdio: ["ignore", "pipe", "pipe"],
});
let serverErrors = "";
server.stderr.on("data", (chunk) => {
  serverErrors += chunk;
});

const url = await new Promise((resolve, reject) => {
  let out = "";
  const onData = (chunk) => {
    out += chunk;
    const match = /scimkit reference SCIM server: (\S+)/.exec(out);
    if (match) {
      server.stdout.off("data", onData);
      // Keep draining the per-request log so the pipe never fills.
      server.stdout.resume();
      resolve(match[1]);
    }
  };
  server.stdout.on("data", onData);
  server.once("exit", (code) =>
    reject(new Error(`the reference server exited (${code}) before listening:\n${out}${serverErrors}`)),
  );
});
process.stdout.write(
  `conformance: reference server on PGlite at ${url} (started in ${Math.round(performance.now() - began)} ms)\n`,
);

const test = spawn(
  process.execPath,
  [
    join(root, "packages", "codegen", "bin", "scimkit.js"),
    "test",
    "--url",
    url,
    "--profile",
    "all",
    ...process.argv.slice(2),
  ],
  // From the conformance package, where `scimkit test` finds @scimkit/conformance (codegen's scimkit looks
  // for it where the user installed it: see packages/codegen/src/cli-load.ts).
  {
    cwd: join(root, "packages", "conformance"),
    env: { ...process.env, SCIM_TOKEN: token },
    stdio: "inherit",
  },
);
const code = await new Promise((resolve) => test.once("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));

const stopped = new Promise((resolve) => server.once("exit", resolve));
server.kill("SIGTERM");
const serverCode = await stopped;
rmSync(dataDir, { recursive: true, force: true });
if (serverCode !== 0) {
  process.stderr.write(
    `conformance: the reference server exited ${serverCode} on SIGTERM:\n${serverErrors}\n`,
  );
  process.exit(1);
}
process.stdout.write(`conformance: done in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
process.exit(code);
