/// <reference types="node" />
// kill -9 in the middle of `scimkit sync`, then the same command again: the server ends in the same state
// as after one uninterrupted run (DESIGN.md: "a run that was killed is finished by running it again").
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createScimClient } from "@scimkit/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, scimkit, startScimkit } from "./__fixtures__/bin.js";
import { type Reference, removeTemplate, startReference } from "./__fixtures__/reference.js";
import { expectedState, people, readState, writeCsv } from "./__fixtures__/state.js";

const dir = mkdtempSync(join(tmpdir(), "scimkit-sync-kill-"));
const servers: Reference[] = [];
beforeAll(() => ensureBuilt());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  removeTemplate();
  rmSync(dir, { recursive: true, force: true });
});

/** Users on the server, from one list request's totalResults (RFC 7644 §3.4.2). */
async function userCount(target: Reference): Promise<number> {
  const client = createScimClient({ baseUrl: target.url, token: target.token });
  return (await client.users.list({ count: 0 })).totalResults;
}

describe("scimkit sync killed with SIGKILL", () => {
  it("rerun after kill -9 half-way ends in the same state as an uninterrupted run", async () => {
    const [interrupted, uninterrupted] = await Promise.all([startReference(), startReference()]);
    servers.push(interrupted, uninterrupted);
    // Three bulk requests of 1,000 (the reference server's maxOperations), one in flight at a time: the
    // server writes a request's creates in one statement, so the kill lands between requests, with 1,000
    // or 2,000 users there. Otherwise the settings users run (bulk: the reference server advertises it).
    const rows = people(3000, "kill");
    const csv = join(dir, "users.csv");
    writeCsv(csv, rows);
    const args = (target: Reference) => ["sync", "--from", csv, "--to", target.url, "--concurrency", "1"];

    const run = startScimkit(args(interrupted), { SCIM_TOKEN: interrupted.token });
    let seen = 0;
    for (let i = 0; i < 2000 && seen === 0; i++) {
      seen = await userCount(interrupted);
      if (seen === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    run.child.kill("SIGKILL");
    const killed = await run.done;
    expect(killed.signal).toBe("SIGKILL");
    const partial = await userCount(interrupted);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(rows.length);

    const rerun = await scimkit(args(interrupted), { SCIM_TOKEN: interrupted.token });
    expect(rerun.code, rerun.err).toBe(0);
    const once = await scimkit(args(uninterrupted), { SCIM_TOKEN: uninterrupted.token });
    expect(once.code, once.err).toBe(0);

    const [after, reference] = await Promise.all([
      readState(interrupted.url, interrupted.token),
      readState(uninterrupted.url, uninterrupted.token),
    ]);
    expect(after).toEqual(reference);
    expect(reference).toEqual(expectedState(rows));
  }, 300_000);
});
