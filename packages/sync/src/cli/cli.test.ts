/// <reference types="node" />
// `scimkit sync` through the real binary (node packages/codegen/bin/scimkit.js sync …, cwd packages/sync)
// against reference servers on real 127.0.0.1 ports: counts against the server's final state, dry run,
// reruns, bad cells, the deactivation guard, --report, and SCIM → SCIM.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, scimkit } from "./__fixtures__/bin.js";
import { freePort, type Reference, removeTemplate, startReference } from "./__fixtures__/reference.js";
import { expectedState, people, readState, writeCsv } from "./__fixtures__/state.js";

const dir = mkdtempSync(join(tmpdir(), "scimkit-sync-cli-"));
const servers: Reference[] = [];

beforeAll(() => ensureBuilt());
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  removeTemplate();
  rmSync(dir, { recursive: true, force: true });
});

async function server(): Promise<Reference> {
  const started = await startReference();
  servers.push(started);
  return started;
}

function file(name: string): string {
  return join(dir, name);
}

/** `scimkit sync --from <from> --to <target> …extra` with the target's token in SCIM_TOKEN. */
function sync(from: string, target: Reference, extra: string[] = [], env: Record<string, string> = {}) {
  return scimkit(["sync", "--from", from, "--to", target.url, ...extra], {
    SCIM_TOKEN: target.token,
    ...env,
  });
}

/** The counts of the summary table ("| created | 12 |"). */
function counts(out: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const match of out.matchAll(/^\| ([a-z ]+?) +\| +(\d+) \|$/gm))
    found[match[1] as string] = Number(match[2]);
  return found;
}

describe("scimkit sync: the command line", () => {
  it("--help and scimkit help sync show the usage; exit 0", async () => {
    const help = await scimkit(["sync", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: scimkit sync --from <file\|url> --to <url>/);
    expect(help.out).toContain("--deactivate-missing");
    expect((await scimkit(["help", "sync"])).out).toBe(help.out);
    expect((await scimkit(["--help"])).out).toMatch(/scimkit sync --from/);
  });

  it("a mistyped option is a usage error that names the right one; exit 2 and nothing sent", async () => {
    const result = await scimkit(
      ["sync", "--from", "users.csv", "--to", "http://127.0.0.1:9/scim/v2", "--dryrun"],
      {
        SCIM_TOKEN: "t",
      },
    );
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      "scimkit sync: unknown option --dryrun; did you mean --dry-run? (see scimkit sync --help)\n",
    );
  });

  it("a missing file and an unreachable target are exit 2 with one line", async () => {
    const missing = await scimkit(
      ["sync", "--from", file("nope.csv"), "--to", "http://127.0.0.1:9/scim/v2"],
      {
        SCIM_TOKEN: "t",
      },
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--from .*nope\.csv: no such file/);
    writeCsv(file("one.csv"), people(1));
    const closed = `http://127.0.0.1:${await freePort()}/scim/v2`;
    const unreachable = await scimkit(["sync", "--from", file("one.csv"), "--to", closed], {
      SCIM_TOKEN: "t",
    });
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toMatch(
      /^scimkit sync: cannot reach the target http:\/\/127\.0\.0\.1:\d+\/scim\/v2: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/,
    );
  });
});

describe("scimkit sync: CSV into the reference server", () => {
  let target: Reference;
  const rows = people(40);
  beforeAll(async () => {
    target = await server();
    writeCsv(file("users.csv"), rows);
  });

  it("a dry run prints the plan and leaves the server unchanged", async () => {
    const before = await readState(target.url, target.token);
    const result = await sync(file("users.csv"), target, ["--dry-run"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^create +row \d+: user-00001/m);
    expect(counts(result.out)).toMatchObject({ "to create": 40, "to update": 0, unchanged: 0 });
    expect(await readState(target.url, target.token)).toEqual(before);
  });

  it("creates every row, groups and memberships; the counts match the server", async () => {
    const result = await sync(file("users.csv"), target, ["--report", file("first.json")]);
    expect(result.code, result.err).toBe(0);
    expect(counts(result.out)).toMatchObject({
      created: 40,
      updated: 0,
      deactivated: 0,
      unchanged: 0,
      failed: 0,
    });
    expect(await readState(target.url, target.token)).toEqual(expectedState(rows));
    expect(JSON.parse(readFileSync(file("first.json"), "utf8"))).toEqual({
      created: 40,
      updated: 0,
      deactivated: 0,
      unchanged: 0,
      failed: [],
    });
  });

  it("a second run with the same input changes nothing", async () => {
    const before = await readState(target.url, target.token);
    const result = await sync(file("users.csv"), target);
    expect(result.code, result.err).toBe(0);
    expect(counts(result.out)).toMatchObject({ created: 0, updated: 0, deactivated: 0, unchanged: 40 });
    expect(await readState(target.url, target.token)).toEqual(before);
  });

  it("updates what changed; bad cells are reported by row while the rest land (exit 1, --report)", async () => {
    const changed = rows.map((p, i) => (i < 3 ? { ...p, givenName: `Renamed${i}` } : p));
    const bad = [
      ...changed,
      { ...people(1, "badactive")[0], active: "maybe" } as (typeof rows)[number],
      ...people(2, "late"),
    ];
    writeCsv(file("changed.csv"), bad);
    const result = await sync(file("changed.csv"), target, ["--report", file("changed.json")]);
    expect(result.code, result.err).toBe(1);
    // Row numbers as a spreadsheet shows them: the header is row 1, so the 41st data row is row 42.
    expect(result.out).toMatch(/^row 42: 400 invalidValue: .*active.*maybe/m);
    expect(counts(result.out)).toMatchObject({ created: 2, updated: 3, unchanged: 37, failed: 1 });
    const report = JSON.parse(readFileSync(file("changed.json"), "utf8"));
    expect(Object.keys(report)).toEqual(["created", "updated", "deactivated", "unchanged", "failed"]);
    expect(report.failed).toEqual([
      { row: 42, status: 400, scimType: "invalidValue", detail: expect.stringMatching(/active/) },
    ]);
    const state = await readState(target.url, target.token);
    expect(state.users["user-00001"]?.givenName).toBe("Renamed0");
    expect(state.users["late-00002"]).toBeDefined();
    expect(state.users["badactive-00001"]).toBeUndefined();
  });

  it("refuses to deactivate more than --max-deactivate (default 10%) without --force, then with --force does", async () => {
    const kept = rows.slice(0, 30);
    writeCsv(file("fewer.csv"), kept);
    const refused = await sync(file("fewer.csv"), target, [
      "--deactivate-missing",
      "--scope",
      'userName sw "user-"',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(
      /refused to deactivate 10 of the 40 users in scope: more than --max-deactivate 4 \(10% of the scope\)/,
    );
    let state = await readState(target.url, target.token);
    expect(Object.values(state.users).filter((u) => u.active === false)).toEqual([]);

    const forced = await sync(file("fewer.csv"), target, [
      "--deactivate-missing",
      "--scope",
      'userName sw "user-"',
      "--force",
      "--report",
      file("forced.json"),
    ]);
    expect(forced.code, forced.err).toBe(0);
    expect(counts(forced.out)).toMatchObject({ deactivated: 10 });
    state = await readState(target.url, target.token);
    const inactive = Object.entries(state.users)
      .filter(([, u]) => u.active === false)
      .map(([name]) => name);
    expect(inactive.sort()).toEqual(rows.slice(30).map((p) => p.userName));
    // Outside the scope: late-… users are absent from fewer.csv but not deactivated.
    expect(state.users["late-00001"]?.active).toBe(true);
    expect(JSON.parse(readFileSync(file("forced.json"), "utf8")).deactivated).toBe(10);

    const again = await sync(file("fewer.csv"), target, [
      "--deactivate-missing",
      "--scope",
      'userName sw "user-"',
    ]);
    expect(again.code, again.err).toBe(0);
    expect(counts(again.out)).toMatchObject({ deactivated: 0, created: 0, updated: 0 });
  });
});

describe("scimkit sync: JSON and SCIM sources", () => {
  it("SCIM → SCIM between two reference servers leaves the same users and groups", async () => {
    const [source, target] = await Promise.all([server(), server()]);
    const rows = people(25, "scim");
    writeCsv(file("scim.csv"), rows);
    expect((await sync(file("scim.csv"), source)).code).toBe(0);
    const result = await scimkit(
      ["sync", "--from", source.url, "--from-token", source.token, "--to", target.url],
      { SCIM_TOKEN: target.token },
    );
    expect(result.code, result.err).toBe(0);
    expect(counts(result.out)).toMatchObject({ created: 25, failed: 0 });
    expect(await readState(target.url, target.token)).toEqual(await readState(source.url, source.token));
  });

  it("a JSON array of SCIM User bodies", async () => {
    const target = await server();
    const bodies = people(5, "json").map((p) => ({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: p.userName,
      name: { givenName: p.givenName, familyName: p.familyName },
      emails: [{ type: "work", value: p.email }],
      active: true,
    }));
    writeFileSync(file("users.json"), JSON.stringify(bodies));
    const result = await sync(file("users.json"), target);
    expect(result.code, result.err).toBe(0);
    const state = await readState(target.url, target.token);
    expect(Object.keys(state.users).sort()).toEqual(bodies.map((b) => b.userName));
    expect(state.users["json-00003"]).toMatchObject({
      givenName: "Given00003",
      email: "json-00003@example.com",
    });
  });
});
