#!/usr/bin/env node
// Measures the console with 100,000 recorded requests (README, "Performance"): fills a fresh PGlite
// data directory through the store's own `recordings.append`, starts the reference server on it as
// `pnpm start` does, and times in Chromium the first contentful paint and the first page of Activity
// rows after a reload, plus the read API calls behind each view. Run `pnpm --filter @scimkit/console
// first-paint` after `pnpm build`. Prints one line per figure.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresStore } from "@scimkit/server/postgres";
import { chromium } from "playwright-core";

const COUNT = Number(process.env.COUNT ?? 100_000);
const CHROMIUM = "/usr/bin/chromium";
const ROOT = join(import.meta.dirname, "..", "..", "..");
const TOKEN = "first-paint-token-0123456789abcdef";
const say = (line) => process.stdout.write(`${line}\n`);

if (!existsSync(CHROMIUM)) {
  say(`first-paint: ${CHROMIUM} not found`);
  process.exit(1);
}
const dataDir = mkdtempSync(join(tmpdir(), "scimkit-first-paint-"));
const began = performance.now();
mkdirSync(join(dataDir, "pglite"));
const store = await PostgresStore.open({ dataDir: join(dataDir, "pglite") });
const agents = ["Microsoft Azure AD SCIM provisioning 1.0", "Okta SCIM Client 1.0.0", "curl/8.5.0"];
const idps = ["entra", "okta", "other"];
const now = Date.now();
for (let start = 0; start < COUNT; start += 1000) {
  const batch = [];
  for (let i = start; i < Math.min(COUNT, start + 1000); i++) {
    const failed = i % 23 === 0;
    const k = i % 3;
    batch.push({
      // Spread over the last 24 hours, oldest first.
      time: new Date(now - (COUNT - i) * (86_400_000 / COUNT)).toISOString(),
      tenant: "default",
      method: failed ? "PATCH" : i % 2 ? "GET" : "POST",
      path: `/scim/v2/Users/${i.toString(16).padStart(8, "0")}`,
      status: failed ? 400 : 200,
      ...(failed && { scimType: "invalidPath", detail: `no attribute "nope${i}"` }),
      durationMs: 1 + (i % 17),
      resourceType: "User",
      resourceId: i.toString(16).padStart(8, "0"),
      subject: "token:default",
      idp: idps[k],
      userAgent: agents[k],
      requestHeaders: { "user-agent": agents[k] },
      ...(failed && { requestBody: '{"Operations":[{"op":"replace","path":"nope","value":1}]}' }),
      changes: [],
    });
  }
  await store.recordings.append(batch, { maxAgeMs: 7 * 86_400_000, maxCount: COUNT });
}
await store.close();
say(
  `recorded ${COUNT.toLocaleString("en")} requests in ${((performance.now() - began) / 1000).toFixed(1)} s`,
);

const port = 20_000 + Math.floor(Math.random() * 20_000);
const child = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs")], {
  cwd: ROOT,
  env: {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SCIM_DATA_DIR: dataDir,
    PORT: String(port),
    SCIM_TOKEN: TOKEN,
  },
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
    if (out.includes("scimkit reference SCIM server")) resolve();
  });
  child.once("exit", () => reject(new Error(`server exited:\n${out}`)));
});
const origin = `http://127.0.0.1:${port}`;
try {
  for (const [name, path] of [
    ["Activity page (50 newest)", "/_console/requests?limit=50"],
    ["Activity, failures from Okta", "/_console/requests?limit=50&status=error&idp=okta"],
    ["Activity, text search", "/_console/requests?limit=50&q=nope99"],
    ["Overview stats", "/_console/stats"],
  ]) {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const response = await fetch(`${origin}/scim/v2${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      await response.text();
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    say(`${name}: median ${times[2].toFixed(0)} ms (5 calls, GET ${path})`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${origin}/`);
  await page.getByLabel("Bearer token").fill(TOKEN);
  await page.keyboard.press("Enter");
  await page.locator("li.request").first().waitFor();
  for (let run = 1; run <= 3; run++) {
    const t = performance.now();
    await page.reload();
    await page.locator("li.request").nth(49).waitFor();
    const rows = performance.now() - t;
    const fcp = await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
    );
    say(
      `reload ${run}: first contentful paint ${fcp.toFixed(0)} ms; 50 Activity rows shown ${rows.toFixed(0)} ms`,
    );
  }
  await browser.close();
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
