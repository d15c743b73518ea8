/// <reference types="node" />
import { createScimClient, type ScimClient } from "@scimkit/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Running, startServer, TOKEN, withoutPatch } from "./__fixtures__/servers.js";
import { isSyncUsageError } from "./errors.js";
import { apply, csvSource, jsonSource, plan, type SyncEvent, sync } from "./index.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const CSV = [
  `userName,name.givenName,name.familyName,emails[type eq "work"].value,active,${ENTERPRISE}:department,groups`,
  'ada,Ada,Lovelace,ada@example.com,true,Engineering,"Eng;Staff"',
  "alan,Alan,Turing,alan@example.com,TRUE,Engineering,Eng",
  "grace,Grace,Hopper,grace@example.com,false,Navy,",
].join("\n");

let server: Running;
let client: ScimClient;
beforeEach(async () => {
  server = await startServer();
  client = createScimClient({ baseUrl: server.url, token: TOKEN });
});
afterEach(() => server.close());

const to = () => ({ url: server.url, token: TOKEN });
const writes = () => server.log.filter((l) => !l.startsWith("GET"));
async function users() {
  const out: Record<string, Record<string, unknown>> = {};
  for await (const u of client.users.iterate({ count: 100 }))
    out[u.userName] = u as unknown as Record<string, unknown>;
  return out;
}
async function groups() {
  const out: Record<string, string[]> = {};
  const names = new Map(Object.values(await users()).map((u) => [u.id as string, u.userName as string]));
  for await (const g of client.groups.iterate({ count: 100 }))
    out[g.displayName] = (g.members ?? []).map((m) => names.get(m.value ?? "") ?? "?").sort();
  return out;
}

describe("sync from CSV into the reference server", () => {
  it("creates users with typed values and groups with members; the rerun changes nothing", async () => {
    const report = await sync({ to: to(), source: csvSource([CSV]) });
    expect(report).toEqual({ created: 3, updated: 0, deactivated: 0, unchanged: 0, failed: [] });
    const u = await users();
    expect(Object.keys(u).sort()).toEqual(["ada", "alan", "grace"]);
    expect(u.ada?.name).toEqual({ givenName: "Ada", familyName: "Lovelace" });
    expect(u.ada?.emails).toEqual([{ type: "work", value: "ada@example.com" }]);
    expect(u.alan?.active).toBe(true);
    expect(u.grace?.active).toBe(false);
    expect(u.grace?.[ENTERPRISE]).toEqual({ department: "Navy" });
    expect(await groups()).toEqual({ Eng: ["ada", "alan"], Staff: ["ada"] });
    // the reference server advertises bulk: the three users went in one /Bulk request, and each group's
    // members in one more (a bulk result is a status, where a PATCH answers the whole group)
    expect(writes().filter((w) => w.startsWith("POST /scim/v2/Users"))).toEqual([]);
    expect(writes().filter((w) => w.startsWith("PATCH"))).toEqual([]);
    expect(writes().filter((w) => w === "POST /scim/v2/Bulk")).toHaveLength(3);

    server.log.length = 0;
    const again = await sync({ to: to(), source: csvSource([CSV]) });
    expect(again).toEqual({ created: 0, updated: 0, deactivated: 0, unchanged: 3, failed: [] });
    expect(writes()).toEqual([]);
  });

  it("updates with a minimal PATCH, moves group memberships, and a dry run writes nothing", async () => {
    await sync({ to: to(), source: csvSource([CSV]) });
    // a group the file never names is managed by other means: sync leaves its members alone
    const alanId = String((await users()).alan?.id);
    await client.groups.create({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Admins",
      members: [{ value: alanId }],
    });
    const moved = CSV.replace(
      "alan,Alan,Turing,alan@example.com,TRUE,Engineering,Eng",
      "alan,Alan,Turing,,TRUE,Research,Staff",
    );
    server.log.length = 0;
    const dry = await sync({ to: to(), source: csvSource([moved]), dryRun: true });
    expect(dry).toEqual({ created: 0, updated: 1, deactivated: 0, unchanged: 2, failed: [] });
    expect(writes()).toEqual([]);

    const report = await sync({ to: to(), source: csvSource([moved]), bulk: false });
    expect(report).toEqual({ created: 0, updated: 1, deactivated: 0, unchanged: 2, failed: [] });
    const patches = writes().filter((w) => w.startsWith("PATCH /scim/v2/Users/"));
    expect(patches).toHaveLength(1);
    const u = await users();
    expect(u.alan?.emails).toBeUndefined();
    expect(u.alan?.[ENTERPRISE]).toEqual({ department: "Research" });
    expect(await groups()).toEqual({ Admins: ["alan"], Eng: ["ada"], Staff: ["ada", "alan"] });
  });

  it("a group named only by a later row still loses the members that moved out of it", async () => {
    await sync({ to: to(), source: csvSource(["userName,groups\nx,G1\ny,G2\n"]) });
    expect(await groups()).toEqual({ G1: ["x"], G2: ["y"] });
    const swapped = await sync({ to: to(), source: csvSource(["userName,groups\nx,G2\ny,G1\n"]) });
    expect(swapped.failed).toEqual([]);
    expect(await groups()).toEqual({ G1: ["y"], G2: ["x"] });
  });

  it("reports rows with bad cells by row and column while the other rows land", async () => {
    const csv = [
      "userName,active,name.givenName",
      "ok1,true,One",
      "bad1,yes,Two",
      "ok2,false,Three",
      ",true,NoKey",
    ].join("\r\n");
    const report = await sync({ to: to(), source: csvSource([csv]) });
    expect(report.created).toBe(2);
    expect(report.failed).toEqual([
      {
        row: 3,
        status: 400,
        scimType: "invalidValue",
        detail: 'row 3, column "active": "yes" is not a boolean (true or false)',
      },
      {
        row: 5,
        status: 400,
        scimType: "invalidValue",
        detail: "row 5 has no userName: it is the key users are matched by",
      },
    ]);
    expect(Object.keys(await users()).sort()).toEqual(["ok1", "ok2"]);
  });

  it("names the closest attribute path for an unknown header and writes nothing", async () => {
    const error = await sync({
      to: to(),
      source: csvSource(["userName,givenName,departmnt\nx,y,z\n"]),
    }).catch((e) => e);
    expect(isSyncUsageError(error)).toBe(true);
    expect(error.message).toMatch(/column 2 "givenName": .*did you mean "name.givenName"/);
    expect(error.message).toMatch(
      /column 3 "departmnt": .*did you mean "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"/,
    );
    expect(writes()).toEqual([]);
  });
});

describe("deactivateMissing", () => {
  const people = (n: number, dept = "Sales") =>
    [`userName,${ENTERPRISE}:department`, ...Array.from({ length: n }, (_, i) => `u${i},${dept}`)].join("\n");

  it("refuses above maxDeactivate (10% of the scope by default) unless forced, and stays inside the scope", async () => {
    await sync({ to: to(), source: csvSource([people(20)]) });
    await client.users.create({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "outsider",
    });
    const events: SyncEvent[] = [];
    const scope = `${ENTERPRISE}:department eq "Sales"`;
    // 17 of 20 left: 3 missing > 2 (10% of 20)
    const refused = await sync({
      to: to(),
      source: csvSource([people(17)]),
      deactivateMissing: true,
      scope,
      onEvent: (e) => events.push(e),
    });
    expect(refused.deactivated).toBe(0);
    expect(refused.failed).toEqual([
      expect.objectContaining({
        key: "deactivateMissing",
        status: 412,
        detail: expect.stringMatching(/refusing to deactivate 3 of 20 users .*maxDeactivate 2/),
      }),
    ]);
    expect(events).toContainEqual({ type: "refused", wouldDeactivate: 3, maxDeactivate: 2, inScope: 20 });
    expect(Object.values(await users()).filter((u) => u.active === false)).toEqual([]);

    const allowed = await sync({
      to: to(),
      source: csvSource([people(17)]),
      deactivateMissing: true,
      scope,
      maxDeactivate: 3,
    });
    expect(allowed).toEqual({ created: 0, updated: 0, deactivated: 3, unchanged: 17, failed: [] });
    const u = await users();
    expect(["u17", "u18", "u19"].map((n) => u[n]?.active)).toEqual([false, false, false]);
    expect(u.outsider?.active).not.toBe(false);
    // already inactive: nothing more to deactivate
    const third = await sync({ to: to(), source: csvSource([people(17)]), deactivateMissing: true, scope });
    expect(third).toEqual({ created: 0, updated: 0, deactivated: 0, unchanged: 17, failed: [] });
  });

  it("force deactivates above the threshold; without a scope everyone absent counts", async () => {
    await sync({ to: to(), source: csvSource([people(10)]) });
    const report = await sync({
      to: to(),
      source: csvSource([people(5)]),
      deactivateMissing: true,
      force: true,
    });
    expect(report.deactivated).toBe(5);
  });

  it("withholds every deactivation when a source row could not be read", async () => {
    await sync({ to: to(), source: csvSource([people(10)]) });
    const broken = `${people(9)}\n"unterminated,Sales`;
    const report = await sync({
      to: to(),
      source: csvSource([broken]),
      deactivateMissing: true,
      force: true,
    });
    expect(report.deactivated).toBe(0);
    expect(report.failed.map((f) => f.key ?? f.row)).toContain("deactivateMissing");
  });
});

describe("other sources", () => {
  it("JSON and NDJSON bodies, matched by externalId", async () => {
    const bodies = [
      { userName: "a", externalId: "E1", name: { givenName: "A" }, groups: ["Ops"] },
      { userName: "b", externalId: "E2", emails: [{ value: "b@x.org", type: "home" }] },
    ];
    const json = `[${bodies.map((b) => JSON.stringify(b)).join(",\n")}]`;
    expect(
      await sync({ to: to(), key: "externalId", source: jsonSource([json.slice(0, 20), json.slice(20)]) }),
    ).toEqual({
      created: 2,
      updated: 0,
      deactivated: 0,
      unchanged: 0,
      failed: [],
    });
    const renamed = bodies.map((b) => JSON.stringify({ ...b, userName: `${b.userName}2` })).join("\n");
    expect(await sync({ to: to(), key: "externalId", source: jsonSource([renamed]) })).toEqual({
      created: 0,
      updated: 2,
      deactivated: 0,
      unchanged: 0,
      failed: [],
    });
    expect(Object.keys(await users()).sort()).toEqual(["a2", "b2"]);
    expect(await groups()).toEqual({ Ops: ["a2"] });
  });

  it("SCIM → SCIM between two reference servers, converging on the second run", async () => {
    await sync({ to: to(), source: csvSource([CSV]) });
    const target = await startServer();
    try {
      const first = await sync({
        to: { url: target.url, token: TOKEN },
        source: (await import("./index.js")).scimSource(to()),
      });
      expect(first).toEqual({ created: 3, updated: 0, deactivated: 0, unchanged: 0, failed: [] });
      const second = await sync({
        to: { url: target.url, token: TOKEN },
        source: (await import("./index.js")).scimSource(to()),
      });
      expect(second).toEqual({ created: 0, updated: 0, deactivated: 0, unchanged: 3, failed: [] });
      const copy = createScimClient({ baseUrl: target.url, token: TOKEN });
      const ada = await copy.users.find('userName eq "ada"');
      expect(ada?.name).toEqual({ givenName: "Ada", familyName: "Lovelace" });
      const eng = await copy.groups.find('displayName eq "Eng"');
      expect(eng?.members).toHaveLength(2);
    } finally {
      await target.close();
    }
  });

  it.each([
    ["one request per change", false],
    ["bulk", true],
  ])(
    "a create that meets a user made after planning (409 uniqueness) updates it instead (%s)",
    async (_name, bulk) => {
      const p = await plan({ to: to(), source: csvSource([CSV]), bulk });
      await client.users.create({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "ADA",
        name: { givenName: "Someone" },
      });
      const events: SyncEvent[] = [];
      const report = await apply(p, { onEvent: (e) => events.push(e) });
      expect(report).toEqual({ created: 2, updated: 1, deactivated: 0, unchanged: 0, failed: [] });
      const u = await users();
      expect(Object.keys(u).sort()).toEqual(["ada", "alan", "grace"]);
      expect(u.ada?.name).toEqual({ givenName: "Ada", familyName: "Lovelace" });
      expect(await groups()).toEqual({ Eng: ["ada", "alan"], Staff: ["ada"] });
      expect(
        events
          .filter((e) => e.type === "action" && e.kind === "create")
          .map((e) => e.type === "action" && e.outcome),
      ).toEqual(expect.arrayContaining(["updated", "created", "created"]));
      expect(events.at(-1)).toEqual({ type: "done", report });
    },
  );

  it("the plan streams actions with counts", async () => {
    const p = await plan({ to: to(), source: csvSource([CSV]) });
    const kinds: string[] = [];
    for await (const a of p) kinds.push(a.kind);
    expect(kinds.filter((k) => k === "create")).toHaveLength(3);
    expect(p.counts).toMatchObject({ rows: 3, create: 3, createGroup: 2, memberChanges: 3, errors: 0 });
    expect(writes()).toEqual([]);
  });
});

describe("a target without PATCH or bulk", () => {
  it("updates, memberships and deactivations go by PUT; the rerun converges", async () => {
    const bare = await startServer({ wrap: withoutPatch });
    try {
      const target = { url: bare.url, token: TOKEN };
      const first = `${CSV}\nkay,Kay,Ker,kay@example.com,true,Eng,`;
      expect(await sync({ to: target, source: csvSource([first]) })).toEqual({
        created: 4,
        updated: 0,
        deactivated: 0,
        unchanged: 0,
        failed: [],
      });
      const moved = CSV.replace(
        "alan,Alan,Turing,alan@example.com,TRUE,Engineering,Eng",
        "alan,Al,Turing,alan@example.com,TRUE,Engineering,Staff",
      );
      const report = await sync({
        to: target,
        source: csvSource([moved]),
        deactivateMissing: true,
        force: true,
      });
      expect(report).toEqual({ created: 0, updated: 1, deactivated: 1, unchanged: 2, failed: [] });
      expect(bare.log.filter((l) => l.startsWith("PATCH") || l.startsWith("POST /scim/v2/Bulk"))).toEqual([]);
      expect(bare.log.filter((l) => l.startsWith("PUT")).length).toBeGreaterThanOrEqual(4);
      const bareClient = createScimClient({ baseUrl: bare.url, token: TOKEN });
      const alan = await bareClient.users.find('userName eq "alan"');
      expect(alan?.name?.givenName).toBe("Al");
      expect((await bareClient.users.find('userName eq "kay"'))?.active).toBe(false);
      const staff = await bareClient.groups.find('displayName eq "Staff"');
      expect(staff?.members?.map((m) => m.value).sort()).toEqual(
        [alan?.id, (await bareClient.users.find('userName eq "ada"'))?.id].sort(),
      );
      expect(await sync({ to: target, source: csvSource([moved]) })).toEqual({
        created: 0,
        updated: 0,
        deactivated: 0,
        unchanged: 3,
        failed: [],
      });
    } finally {
      await bare.close();
    }
  });
});
