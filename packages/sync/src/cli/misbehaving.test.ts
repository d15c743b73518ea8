/// <reference types="node" />
// `scimkit sync` against a misbehaving server: 429 with Retry-After, 503 and slow answers. The run waits
// and retries (RFC 6585 §4, RFC 9110 §10.2.3), and ends with every row applied and the same state as
// against a well-behaved server.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, scimkit } from "./__fixtures__/bin.js";
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
});
