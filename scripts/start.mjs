#!/usr/bin/env node
// `pnpm start`: builds the workspace (with --build), then runs the reference SCIM 2.0 server,
// packages/reference-server (its settings are in the README's "The reference server" section).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

if (process.argv.includes("--build")) {
  const built = existsSync(join(import.meta.dirname, "..", "packages", "server", "dist", "index.js"));
  process.stdout.write(
    built
      ? "scimkit: checking the workspace build (turbo)…\n"
      : "scimkit: building the workspace with turbo (the first run takes about a minute)…\n",
  );
  const began = performance.now();
  const build = spawnSync("turbo", ["run", "build", "--output-logs=errors-only"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  if (build.error || build.status !== 0) {
    process.stderr.write(
      `scimkit: the build failed${build.error ? `: ${build.error.message}` : ""}; see the errors above\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`scimkit: built in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

const { main } = await import("../packages/reference-server/src/main.mjs");
await main();
