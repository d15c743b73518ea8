/// <reference types="node" />
// `scimkit sync` against a misbehaving server: 429 with Retry-After, 503 and slow answers. The run waits
// and retries (RFC 6585 §4, RFC 9110 §10.2.3), and ends with every row applied and the same state as
// against a well-behaved server.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ensureBuilt, SYNC_DIR, scimkit, startScimkit } from "./__fixtures__/bin.js";
import { type MisbehavingServer, startMisbehaving } from "./__fixtures__/misbehaving.js";
import { expectedState, people, readState, writeCsv } from "./__fixtures__/state.js";

const dir = mkdtempSync(join(tmpdir(), "scimkit-sync-misbehaving-"));
const servers: MisbehavingServer[] = [];
beforeAll(() => ensureBuilt());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe("scimkit sync against a misbehaving server", () => {
  it.each([
    ["one request per change (no bulk)", 0],
    ["bulk", 10],
  ])("%s: 429 with Retry-After, 503 and slow answers end with every row applied", async (_, bulk) => {
    const target = await startMisbehaving({
      tooManyEvery: 4,
      unavailableEvery: 7,
      delayMs: 15,
      maxBulkOperations: bulk,
    });
    servers.push(target);
    const rows = people(24, `misbehaving${bulk}`);
    const csv = join(dir, `users-${bulk}.csv`);
    writeCsv(csv, rows);
    const result = await scimkit(
      ["sync", "--from", csv, "--to", target.url, "--report", join(dir, `r${bulk}.json`)],
      {
        SCIM_TOKEN: target.token,
      },
    );
    expect(result.code, `${result.out}\n${result.err}`).toBe(0);
    expect(target.counts.tooMany).toBeGreaterThan(0);
    expect(target.counts.unavailable).toBeGreaterThan(0);
    expect(await readState(target.url, target.token)).toEqual(expectedState(rows));
    const again = await scimkit(["sync", "--from", csv, "--to", target.url], { SCIM_TOKEN: target.token });
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/\| unchanged +\| +24 \|/);
  });

  it("Ctrl-C stops after the requests in flight (exit 130); the same command again finishes the job", async () => {
    const target = await startMisbehaving({
      tooManyEvery: 0,
      unavailableEvery: 0,
      delayMs: 150,
      maxBulkOperations: 0,
    });
    servers.push(target);
    const rows = people(40, "interrupted");
    const csv = join(dir, "interrupted.csv");
    writeCsv(csv, rows);
    const args = ["sync", "--from", csv, "--to", target.url, "--concurrency", "1"];
    const run = startScimkit(args, { SCIM_TOKEN: target.token });
    while (target.counts.writes < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    run.child.kill("SIGINT");
    const stopped = await run.done;
    expect(stopped.code, stopped.err).toBe(130);
    expect(stopped.err).toMatch(/interrupted; run the same command again to finish/);
    const partial = Object.keys((await readState(target.url, target.token)).users).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(rows.length);
    const again = await scimkit(args, { SCIM_TOKEN: target.token });
    expect(again.code, again.err).toBe(0);
    expect(await readState(target.url, target.token)).toEqual(expectedState(rows));
  });

  it("on a terminal (script(1) gives it one) stderr shows a cli-progress bar", async () => {
    const target = await startMisbehaving({
      tooManyEvery: 0,
      unavailableEvery: 0,
      delayMs: 40,
      maxBulkOperations: 0,
    });
    servers.push(target);
    const csv = join(dir, "terminal.csv");
    writeCsv(csv, people(30, "terminal"));
    const command = [process.execPath, BIN, "sync", "--from", csv, "--to", target.url]
      .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
      .join(" ");
    // script runs the command on a pseudo-terminal and copies what it writes; the test itself must not
    // block the event loop, since the server answering the command runs in this process.
    const result = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = startScript(command, target.token);
      let output = "";
      child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
      });
      child.on("close", (status) => resolve({ status, output }));
    });
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(/applying \[[\u2588\u2591]+\] \d+\/30/);
    expect(result.output).toMatch(/\| created +\| +30 \|/);
  });
});

function startScript(command: string, token: string) {
  return spawn("script", ["-qec", command, "/dev/null"], {
    cwd: SYNC_DIR,
    env: { PATH: process.env.PATH ?? "", SCIM_TOKEN: token, TERM: "xterm", COLUMNS: "120" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
