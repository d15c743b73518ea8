/// <reference types="node" />
import { beforeAll, describe, expect, it } from "vitest";
import { BULK_REQUEST, ERROR, type TestServer } from "../replays/__fixtures__/server.js";
import { create, group, patch, server, user } from "./__fixtures__/handler.js";
import { httpBackends, LONG_TOKEN } from "./__fixtures__/stores.js";

// Each run gets names of its own: the PostgreSQL tables outlive a run.
const run = Math.random().toString(36).slice(2, 8);

describe.each(httpBackends("scim_members_http_"))("group members on $name", ({ store }) => {
  // One server (and database) per store for the whole block; every test uses names of its own.
  let shared: TestServer;
  beforeAll(async () => {
    shared = await server({ store: await store(), token: LONG_TOKEN });
  }, 60_000);
  const start = async () => shared;

  it("answers 400 invalidValue naming an unknown member: create, replace, PATCH and bulk (RFC 7643 §4.2)", async () => {
    const s = await start();
    const alice = await create(s, "/Users", user(`m-alice-${run}`));
    const unknown = "00000000-0000-4000-8000-00000000dead";
    const expect400 = (r: { status: number; body: { scimType?: string; detail?: string } }) => {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], scimType: "invalidValue" });
      expect(r.body.detail).toContain(unknown);
      expect(r.body.detail).toContain("members");
    };
    expect400(await s.request("/Groups", { body: group(`m-g1-${run}`, [alice.id, unknown]) }));
    const g = await create(s, "/Groups", group(`m-g2-${run}`, [alice.id]));
    expect400(await s.request(`/Groups/${g.id}`, { method: "PUT", body: group(`m-g2-${run}`, [unknown]) }));
    expect400(
      await s.request(`/Groups/${g.id}`, {
        method: "PATCH",
        body: patch({ op: "add", path: "members", value: [{ value: unknown }] }),
      }),
    );
    const bulk = await s.request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: "POST", path: "/Groups", bulkId: "g", data: group(`m-g3-${run}`, [unknown]) },
          {
            method: "PATCH",
            path: `/Groups/${g.id}`,
            data: patch({ op: "add", path: "members", value: [{ value: unknown }] }),
          },
        ],
      },
    });
    expect(bulk.status).toBe(200);
    for (const op of bulk.body.Operations) {
      expect(op.status).toBe("400");
      expect(op.response.scimType).toBe("invalidValue");
      expect(op.response.detail).toContain(unknown);
    }
    const unchanged = await s.request(`/Groups/${g.id}`);
    expect(unchanged.body.meta.version).toBe('W/"1"');
    // A member created earlier in the same bulk request exists by the time the group is written.
    const ok = await s.request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: "POST", path: "/Groups", bulkId: "grp", data: group(`m-g4-${run}`, ["bulkId:usr"]) },
          { method: "POST", path: "/Users", bulkId: "usr", data: user(`m-bulk-${run}`) },
        ],
      },
    });
    expect(ok.body.Operations.map((o: { status: string }) => o.status)).toEqual(["201", "201"]);
  });

  it("returns members with value, $ref, type and display: the display sent is kept, else derived", async () => {
    const s = await start();
    const alice = await create(s, "/Users", user(`r-alice-${run}`, { displayName: "Alice Liddell" }));
    const bob = await create(s, "/Users", user(`r-bob-${run}`));
    const carol = await create(s, "/Users", user(`r-carol-${run}`, { displayName: "Carol" }));
    const inner = await create(s, "/Groups", group(`r-inner-${run}`, [bob.id]));
    const g = await create(s, "/Groups", {
      ...group(`r-outer-${run}`),
      members: [
        { value: alice.id, $ref: null },
        { value: inner.id },
        { value: carol.id, display: "C. as sent" },
      ],
    });
    const expected = (aliceName: string) => [
      { value: alice.id, $ref: `${s.base}/Users/${alice.id}`, type: "User", display: aliceName },
      { value: inner.id, $ref: `${s.base}/Groups/${inner.id}`, type: "Group", display: `r-inner-${run}` },
      // RFC 7643 §4.2: sub-attributes of members are immutable, so a display the client set stays.
      { value: carol.id, $ref: `${s.base}/Users/${carol.id}`, type: "User", display: "C. as sent" },
    ];
    expect(g.members).toEqual(expected("Alice Liddell"));
    for (const id of [alice.id, carol.id])
      await s.request(`/Users/${id}`, {
        method: "PATCH",
        body: patch({ op: "replace", path: "displayName", value: "Renamed" }),
      });
    expect((await s.request(`/Groups/${g.id}`)).body.members).toEqual(expected("Renamed"));
    const listed = await s.request(`/Groups?filter=${encodeURIComponent(`displayName eq "r-outer-${run}"`)}`);
    expect(listed.body.Resources[0].members).toEqual(expected("Renamed"));
    const without = await s.request(`/Groups/${g.id}?excludedAttributes=members`);
    expect(without.body.members).toBeUndefined();
    // A user's groups list direct memberships only.
    const b = await s.request(`/Users/${bob.id}`);
    expect(b.body.groups).toEqual([
      { value: inner.id, $ref: `${s.base}/Groups/${inner.id}`, display: `r-inner-${run}`, type: "direct" },
    ]);
  });

  it("derives groups for a whole page of users", async () => {
    const s = await start();
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await create(s, "/Users", user(`p${i}-${run}`)));
    const ids = people.map((p) => p.id);
    const even = await create(s, "/Groups", group(`even-${run}`, [ids[0], ids[2], ids[4]] as string[]));
    const all = await create(s, "/Groups", group(`all-${run}`, ids));
    const page = await s.request(
      `/Users?filter=${encodeURIComponent(`userName ew "-${run}" and userName sw "p"`)}&sortBy=userName&count=10`,
    );
    expect(page.body.Resources).toHaveLength(5);
    page.body.Resources.forEach((u: { groups: { value: string }[] }, i: number) => {
      expect(u.groups.map((gr) => gr.value)).toEqual(i % 2 === 0 ? [even.id, all.id] : [all.id]);
    });
  });

  it("answers 412 for If-Match on a deleted resource and 404 without (RFC 9110 §13.1.1)", async () => {
    const s = await start();
    const u = await create(s, "/Users", user(`gone-${run}`));
    expect((await s.request(`/Users/${u.id}`, { method: "DELETE" })).status).toBe(204);
    const ifMatch = { "if-match": u.meta.version };
    const put = await s.request(`/Users/${u.id}`, {
      method: "PUT",
      body: user(`gone-${run}`),
      headers: ifMatch,
    });
    expect(put.status).toBe(412);
    expect(put.body.schemas).toEqual([ERROR]);
    const patched = await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "x" }),
      headers: ifMatch,
    });
    expect(patched.status).toBe(412);
    expect((await s.request(`/Users/${u.id}`, { method: "DELETE", headers: ifMatch })).status).toBe(412);
    expect((await s.request(`/Users/${u.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await s.request(`/Users/${u.id}`)).status).toBe(404);
  });

  it("never leaves a deleted user in a group: delete racing add-member, 20 trials on a real port", async () => {
    const s = await start();
    const keep = await create(s, "/Users", user(`race-keep-${run}`));
    const outcomes = { added: 0, refused: 0 };
    for (let trial = 0; trial < 20; trial++) {
      const u = await create(s, "/Users", user(`race-${trial}-${run}`));
      const g = await create(s, "/Groups", group(`race-${trial}-${run}`, [keep.id]));
      const [add, del] = await Promise.all([
        s.request(`/Groups/${g.id}`, {
          method: "PATCH",
          body: patch({ op: "add", path: "members", value: [{ value: u.id }] }),
        }),
        // Odd trials give the PATCH a head start of a few milliseconds, so both orders happen.
        trial % 2 === 0
          ? s.request(`/Users/${u.id}`, { method: "DELETE" })
          : new Promise((resolve) => setTimeout(resolve, Math.random() * 6)).then(() =>
              s.request(`/Users/${u.id}`, { method: "DELETE" }),
            ),
      ]);
      expect(del.status).toBe(204);
      expect([200, 400], add.text).toContain(add.status);
      if (add.status === 200) outcomes.added++;
      else outcomes.refused++;
      const after = await s.request(`/Groups/${g.id}`);
      expect(after.body.members.map((m: { value: string }) => m.value)).toEqual([keep.id]);
      expect((await s.request(`/Users/${u.id}`)).status).toBe(404);
    }
    expect(outcomes.added + outcomes.refused).toBe(20);
  }, 120_000);
});
