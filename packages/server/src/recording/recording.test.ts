/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { server, user } from "../http/__fixtures__/handler.js";
import { httpBackends, LONG_TOKEN } from "../http/__fixtures__/stores.js";
import { BULK_REQUEST, PATCH_OP, type TestServer } from "../replays/__fixtures__/server.js";
import type { ScimStore } from "../stores/store.js";
import { consoleGet, waitForRequests } from "./__fixtures__/console.js";
import type { RequestRecord, ResourceChange } from "./types.js";

const OKTA = "Okta SCIM Client 1.0.0";
const ENTRA = "Microsoft Azure AD SCIM provisioning 1.0.0";

describe.each(httpBackends("scim_rec_"))("recording on $name", ({ store }) => {
  let s: TestServer;
  let owned: ScimStore;
  beforeAll(async () => {
    owned = await store();
    // A tenant per run: PostgreSQL keeps its tables between runs.
    s = await server({
      store: owned,
      token: LONG_TOKEN,
      auth: { tokens: { [LONG_TOKEN]: `rec-${randomUUID()}` } },
      recording: { bodies: "failures" },
    });
  });

  it("records a failed request with its status, scimType, detail, IdP and bodies, never the token", async () => {
    const r = await s.request(`/Users?filter=${encodeURIComponent("userName eq")}`, {
      headers: { "user-agent": OKTA },
    });
    expect(r.status).toBe(400);
    const [summary] = await waitForRequests(s, "?status=4xx&idp=okta", (items) => items.length > 0);
    expect(summary).toMatchObject({
      method: "GET",
      path: "/scim/v2/Users",
      status: 400,
      scimType: "invalidFilter",
      idp: "okta",
      userAgent: OKTA,
      resourceType: "User",
      subject: expect.stringMatching(/^token:rec-/),
    });
    expect(summary?.detail).toBe(r.body.detail);
    expect(summary?.query).toContain("filter=");
    expect(summary?.durationMs).toBeGreaterThanOrEqual(0);
    const detail = await consoleGet(s, `/requests/${summary?.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.requestHeaders.authorization).toBe("Bearer [redacted]");
    expect(detail.body.responseBody).toMatchObject({ scimType: "invalidFilter", status: "400" });
    expect(detail.text).not.toContain(LONG_TOKEN);
  });

  it("redacts password in a failed create, in PATCH operations and in bulk data, case-insensitively", async () => {
    const created = await s.request("/Users", {
      body: user(`pw-${randomUUID()}`, { password: "Hunter2-first" }),
    });
    expect(created.status).toBe(201);
    const duplicate = await s.request("/Users", {
      body: user(created.body.userName, { PassWord: "Hunter2-second" }),
      headers: { "user-agent": ENTRA },
    });
    expect(duplicate.status).toBe(409);
    const badPatch = await s.request(`/Users/${created.body.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: "replace",
            path: "urn:ietf:params:scim:schemas:core:2.0:User:password",
            value: "Hunter2-third",
          },
          { op: "replace", value: { PASSWORD: "Hunter2-fourth" } },
          { op: "frobnicate", path: "displayName", value: "x" },
        ],
      },
    });
    expect(badPatch.status).toBe(400);
    const bulk = await s.request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [
          {
            method: "POST",
            path: "/Users",
            bulkId: "b1",
            data: user(created.body.userName, { password: "Hunter2-fifth" }),
          },
        ],
      },
    });
    expect(bulk.status).toBe(200);
    const items = await waitForRequests(s, "?limit=10", (found) =>
      found.some((f) => f.path === "/scim/v2/Bulk"),
    );
    const texts = await Promise.all(
      items.map(async (item) => (await consoleGet(s, `/requests/${item.id}`)).text),
    );
    const all = texts.join("\n");
    expect(all).not.toMatch(/Hunter2/);
    expect(all).toContain("[redacted]");
    const conflict = items.find(
      (i) => i.status === 409 && i.method === "POST" && i.path === "/scim/v2/Users",
    );
    expect(conflict).toMatchObject({ scimType: "uniqueness", idp: "entra" });
    const record = (await consoleGet(s, `/requests/${conflict?.id}`)).body as RequestRecord;
    expect(record.requestBody).toMatchObject({ userName: created.body.userName, PassWord: "[redacted]" });
    // The successful create kept no bodies (bodies: "failures"), but its change is in the user's history.
    const ok = items.find((i) => i.status === 201);
    const okRecord = (await consoleGet(s, `/requests/${ok?.id}`)).body as RequestRecord;
    expect(okRecord.requestBody).toBeUndefined();
    expect(okRecord.changes).toMatchObject([
      { action: "create", outcome: "success", resourceId: created.body.id },
    ]);
  });

  it("keeps a PATCHed user's history: which request changed what, when, from which IdP", async () => {
    const created = await s.request("/Users", {
      body: user(`hist-${randomUUID()}`),
      headers: { "user-agent": OKTA },
    });
    const patched = await s.request(`/Users/${created.body.id}`, {
      method: "PATCH",
      headers: { "user-agent": ENTRA },
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "displayName", value: "Patched Name" }],
      },
    });
    expect(patched.status).toBe(200);
    let history: ResourceChange[] = [];
    const deadline = Date.now() + 3000;
    while (history.length < 2 && Date.now() < deadline) {
      const r = await consoleGet(s, `/resources/Users/${created.body.id}/history`);
      expect(r.status, r.text).toBe(200);
      history = r.body.items;
      if (history.length < 2) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(history).toMatchObject([
      {
        action: "patch",
        outcome: "success",
        status: 200,
        idp: "entra",
        method: "PATCH",
        resourceType: "User",
      },
      { action: "create", outcome: "success", status: 201, idp: "okta", method: "POST" },
    ]);
    expect(JSON.parse(history[0]?.body ?? "{}")).toMatchObject({
      Operations: [{ path: "displayName", value: "Patched Name" }],
    });
    const request = await consoleGet(s, `/requests/${history[0]?.requestId}`);
    expect(request.body).toMatchObject({ method: "PATCH", resourceId: created.body.id, status: 200 });
    const byName = await consoleGet(s, `/resources/user/${created.body.id}/history?limit=1`);
    expect(byName.body.items).toHaveLength(1);
    expect(byName.body.nextCursor).toBe(history[0]?.id);
  });

  it("pages newest first with a cursor and filters by status, IdP, method, resource type and text", async () => {
    const marker = `page-${randomUUID()}`;
    for (let i = 0; i < 5; i++)
      await s.request(`/Users?filter=${encodeURIComponent(`userName eq "${marker}-${i}"`)}`);
    await s.request(`/Groups/${marker}`, { headers: { "user-agent": OKTA } });
    const found = await waitForRequests(s, `?q=${marker}&limit=50`, (items) => items.length === 6);
    expect(found[0]?.path).toBe(`/scim/v2/Groups/${marker}`);
    const first = await consoleGet(s, `/requests?q=${marker}&limit=4`);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(found.slice(0, 4).map((i) => i.id));
    const second = await consoleGet(s, `/requests?q=${marker}&limit=4&before=${first.body.nextCursor}`);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual(found.slice(4).map((i) => i.id));
    expect(second.body.nextCursor).toBeUndefined();
    const newer = await consoleGet(s, `/requests?q=${marker}&after=${found[1]?.id}`);
    expect(newer.body.items).toHaveLength(1);
    const checks: [string, number][] = [
      ["status=4xx", 1],
      ["status=2xx", 5],
      ["status=error", 1],
      ["idp=okta", 1],
      ["idp=other", 5],
      ["method=get", 6],
      ["method=PATCH", 0],
      ["resourceType=group", 1],
      ["resourceType=User", 5],
      [`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, 0],
      [`until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, 6],
    ];
    for (const [filter, count] of checks) {
      const r = await consoleGet(s, `/requests?q=${marker}&${filter}`);
      expect(r.body.items, filter).toHaveLength(count);
    }
    const upper = await consoleGet(s, `/requests?q=${marker.toUpperCase()}`);
    expect(upper.body.items).toHaveLength(6);
  });

  it("answers the overview: per-minute counts with errors, per IdP, last success, error rate", async () => {
    await s.request("/Users", { headers: { "user-agent": OKTA } });
    await waitForRequests(s, "?idp=okta&status=2xx", (items) => items.length > 0);
    const r = await consoleGet(s, "/stats");
    expect(r.status).toBe(200);
    expect(r.body.perMinute).toHaveLength(60);
    const sum = r.body.perMinute.reduce((n: number, m: { requests: number }) => n + m.requests, 0);
    const errors = r.body.perMinute.reduce((n: number, m: { errors: number }) => n + m.errors, 0);
    expect(sum).toBe(r.body.total);
    expect(errors).toBeGreaterThanOrEqual(3);
    const okta = r.body.idps.find((i: { idp: string }) => i.idp === "okta");
    expect(okta.lastSuccess).toBeDefined();
    expect(okta.requests).toBeGreaterThan(0);
    expect(r.body.errorRate.rate).toBeCloseTo(r.body.errorRate.errors / r.body.errorRate.requests);
  });

  it("refuses the read API without the bearer token, and bad parameters with 400 naming them", async () => {
    for (const token of [null, "not-the-token-of-this-server"]) {
      const r = await consoleGet(s, "/requests", token);
      expect(r.status).toBe(401);
      expect(r.text).not.toContain("items");
    }
    const bad = await consoleGet(s, "/requests?status=oops");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ scimType: "invalidValue" });
    expect(bad.body.detail).toContain("status");
    expect((await consoleGet(s, "/requests?limit=0")).status).toBe(400);
    expect((await consoleGet(s, "/requests?before=abc")).status).toBe(400);
    expect((await consoleGet(s, "/requests?since=yesterday")).status).toBe(400);
    expect((await consoleGet(s, "/requests/999999999999")).status).toBe(404);
    expect((await consoleGet(s, "/nothing")).status).toBe(404);
    expect((await s.request("/_console/requests", { method: "DELETE" })).status).toBe(405);
  });
});
