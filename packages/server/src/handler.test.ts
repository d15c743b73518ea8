/// <reference types="node" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent, Principal } from "./handler.js";
import {
  BULK_REQUEST,
  BULK_RESPONSE,
  ENTERPRISE,
  ERROR,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  PATCH_OP,
  SEARCH_REQUEST,
  startServer,
  type TestServer,
  USER_SCHEMA,
} from "./replays/__fixtures__/server.js";

const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  ...extra,
});
const group = (displayName: string, members: string[] = []) => ({
  schemas: [GROUP_SCHEMA],
  displayName,
  ...(members.length > 0 && { members: members.map((value) => ({ value })) }),
});
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

const servers: TestServer[] = [];
async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function create(s: TestServer, path: string, body: unknown, token?: string) {
  const r = await s.request(path, { body, ...(token !== undefined && { token }) });
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; meta: { version: string; location: string } } & Record<string, unknown>;
}

describe("discovery (RFC 7644 §4)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({
      maxBulkOperations: 7,
      maxPayloadSize: 123_456,
      maxResults: 42,
      defaultPageSize: 10,
      documentationUri: "https://example.com/scim-help",
    });
  });

  it("/ServiceProviderConfig reflects the options", async () => {
    const r = await s.request("/ServiceProviderConfig");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(r.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      documentationUri: "https://example.com/scim-help",
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 7, maxPayloadSize: 123_456 },
      filter: { supported: true, maxResults: 42 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      pagination: { cursor: true, index: true, defaultPageSize: 10, maxPageSize: 42 },
      meta: { resourceType: "ServiceProviderConfig", location: `${s.base}/ServiceProviderConfig` },
    });
    expect(r.body.authenticationSchemes).toEqual([expect.objectContaining({ type: "oauthbearertoken" })]);
  });

  it("/ResourceTypes lists User and Group; by id; unknown → 404", async () => {
    const all = await s.request("/ResourceTypes");
    expect(all.status).toBe(200);
    expect(all.body.schemas).toEqual([LIST_RESPONSE]);
    expect(all.body.totalResults).toBe(2);
    const names = all.body.Resources.map((t: { name: string }) => t.name).sort();
    expect(names).toEqual(["Group", "User"]);
    const u = await s.request("/ResourceTypes/User");
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      name: "User",
      endpoint: "/Users",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: "ResourceType", location: `${s.base}/ResourceTypes/User` },
    });
    const missing = await s.request("/ResourceTypes/Device");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: [ERROR], status: "404" });
  });

  it("/Schemas lists the schemas; by URN; unknown → 404", async () => {
    const all = await s.request("/Schemas");
    expect(all.status).toBe(200);
    const ids = all.body.Resources.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE]));
    expect(all.body.totalResults).toBe(all.body.Resources.length);
    const one = await s.request(`/Schemas/${ENTERPRISE}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: ENTERPRISE,
      name: "EnterpriseUser",
      meta: { resourceType: "Schema", location: `${s.base}/Schemas/${ENTERPRISE}` },
    });
    expect(one.body.attributes.map((a: { name: string }) => a.name)).toContain("manager");
    const missing = await s.request("/Schemas/urn:example:nope");
    expect(missing.status).toBe(404);
  });

  it("discovery endpoints accept only GET", async () => {
    for (const path of ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"]) {
      const r = await s.request(path, { method: "POST", body: {} });
      expect(r.status, path).toBe(405);
      expect(r.headers.get("allow")).toBe("GET");
    }
  });
});

describe("authentication and tenants", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({
      auth: {
        tokens: { "token-acme": "acme", "token-globex": "globex" },
        verify: (token) =>
          token === "jwt-initech" ? { tenant: "initech", subject: "entra-app" } : undefined,
      },
    });
  });

  it("no token → 401 with WWW-Authenticate", async () => {
    const r = await s.request("/Users", { token: null });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe('Bearer realm="SCIM"');
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "401" });
  });

  it("a wrong token → 401 (discovery too)", async () => {
    for (const path of ["/Users", "/ServiceProviderConfig", "/Nope"]) {
      const r = await s.request(path, { token: "token-acmf" });
      expect(r.status, path).toBe(401);
    }
  });

  it("each token sees only its tenant's resources", async () => {
    const a = await create(s, "/Users", user("shared-name", { displayName: "Acme" }), "token-acme");
    // The same userName in another tenant is no conflict.
    const b = await create(s, "/Users", user("shared-name", { displayName: "Globex" }), "token-globex");
    const listA = await s.request("/Users", { token: "token-acme" });
    expect(listA.body.Resources.map((r: { id: string }) => r.id)).toEqual([a.id]);
    const listB = await s.request('/Users?filter=userName eq "shared-name"', { token: "token-globex" });
    expect(listB.body.totalResults).toBe(1);
    expect(listB.body.Resources[0].id).toBe(b.id);
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", user("stolen")],
      ["PATCH", patch({ op: "replace", path: "displayName", value: "stolen" })],
      ["DELETE", undefined],
    ] as const) {
      const r = await s.request(`/Users/${a.id}`, { method, body, token: "token-globex" });
      expect(r.status, method).toBe(404);
    }
    const root = await s.request("/.search", { body: { schemas: [SEARCH_REQUEST] }, token: "token-globex" });
    expect(root.body.Resources.map((r: { id: string }) => r.id)).toEqual([b.id]);
    const still = await s.request(`/Users/${a.id}`, { token: "token-acme" });
    expect(still.body.displayName).toBe("Acme");
  });

  it("the verify hook yields a tenant", async () => {
    const c = await create(s, "/Users", user("initech-user"), "jwt-initech");
    const own = await s.request(`/Users/${c.id}`, { token: "jwt-initech" });
    expect(own.status).toBe(200);
    const other = await s.request(`/Users/${c.id}`, { token: "token-acme" });
    expect(other.status).toBe(404);
    const denied = await s.request("/Users", { token: "jwt-unknown" });
    expect(denied.status).toBe(401);
  });
});

describe("ETags (RFC 7644 §3.14)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server();
  });

  it("ETag header = meta.version; If-None-Match → 304", async () => {
    const created = await s.request("/Users", { body: user("etag-user") });
    expect(created.headers.get("etag")).toBe(created.body.meta.version);
    expect(created.headers.get("location")).toBe(created.body.meta.location);
    const id = created.body.id as string;
    const got = await s.request(`/Users/${id}`);
    const tag = got.headers.get("etag") as string;
    expect(tag).toBe(got.body.meta.version);
    expect(tag).toMatch(/^W\/".+"$/);
    const notModified = await s.request(`/Users/${id}`, { headers: { "if-none-match": tag } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    expect(notModified.headers.get("etag")).toBe(tag);
    const changed = await s.request(`/Users/${id}`, { headers: { "if-none-match": 'W/"999"' } });
    expect(changed.status).toBe(200);
  });

  it("If-Match mismatch on PUT/PATCH/DELETE → 412, match → success with a new version", async () => {
    const created = await s.request("/Users", { body: user("etag-writes") });
    const id = created.body.id as string;
    const v1 = created.body.meta.version as string;
    const stale = 'W/"12345"';
    const put = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-writes"),
      headers: { "if-match": stale },
    });
    expect(put.status).toBe(412);
    expect(put.body).toMatchObject({ schemas: [ERROR], status: "412" });
    const p = await s.request(`/Users/${id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "x" }),
      headers: { "if-match": stale },
    });
    expect(p.status).toBe(412);
    const del = await s.request(`/Users/${id}`, { method: "DELETE", headers: { "if-match": stale } });
    expect(del.status).toBe(412);
    // nothing changed
    expect((await s.request(`/Users/${id}`)).body.meta.version).toBe(v1);

    const ok = await s.request(`/Users/${id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "x" }),
      headers: { "if-match": v1 },
    });
    expect(ok.status).toBe(200);
    const v2 = ok.headers.get("etag") as string;
    expect(v2).not.toBe(v1);
    expect(ok.body.meta.version).toBe(v2);
    const reuse = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-writes"),
      headers: { "if-match": v1 },
    });
    expect(reuse.status).toBe(412);
    const put2 = await s.request(`/Users/${id}`, {
      method: "PUT",
      body: user("etag-writes"),
      headers: { "if-match": v2 },
    });
    expect(put2.status).toBe(200);
    const star = await s.request(`/Users/${id}`, { method: "DELETE", headers: { "if-match": "*" } });
    expect(star.status).toBe(204);
  });
});

describe("list (RFC 7644 §3.4.2)", () => {
  let s: TestServer;
  const names = ["carol", "alice", "eve", "bob", "dave"];
  beforeAll(async () => {
    s = await server({ maxResults: 3 });
    for (const [i, n] of names.entries())
      await create(
        s,
        "/Users",
        user(n, {
          title: i % 2 === 0 ? "eng" : "ops",
          emails: [{ value: `${n}@example.com`, type: "work" }],
        }),
      );
  });

  it("filter", async () => {
    const r = await s.request('/Users?filter=title eq "eng" and userName sw "c"');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      schemas: [LIST_RESPONSE],
      totalResults: 1,
      itemsPerPage: 1,
      startIndex: 1,
    });
    expect(r.body.Resources[0].userName).toBe("carol");
    const none = await s.request('/Users?filter=userName eq "nobody"');
    expect(none.body.totalResults).toBe(0);
    expect(none.body.Resources ?? []).toEqual([]);
    const bad = await s.request("/Users?filter=userName eq");
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe("invalidFilter");
  });

  it("sortBy/sortOrder", async () => {
    const asc = await s.request("/Users?sortBy=userName&count=3");
    expect(asc.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
      "alice",
      "bob",
      "carol",
    ]);
    const desc = await s.request("/Users?sortBy=userName&sortOrder=descending&count=3");
    expect(desc.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
      "eve",
      "dave",
      "carol",
    ]);
    const bad = await s.request("/Users?sortBy=userName&sortOrder=sideways");
    expect(bad.status).toBe(400);
  });

  it("startIndex/count", async () => {
    const page = await s.request("/Users?sortBy=userName&startIndex=2&count=2");
    expect(page.body).toMatchObject({ totalResults: 5, itemsPerPage: 2, startIndex: 2 });
    expect(page.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["bob", "carol"]);
    const past = await s.request("/Users?startIndex=99");
    expect(past.body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    const low = await s.request("/Users?sortBy=userName&startIndex=0&count=1");
    expect(low.body.startIndex).toBe(1);
    expect(low.body.Resources[0].userName).toBe("alice");
  });

  it("count=0 → totalResults only", async () => {
    const r = await s.request("/Users?count=0");
    expect(r.body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    expect(r.body.Resources ?? []).toEqual([]);
  });

  it("a count above maxResults is capped", async () => {
    const r = await s.request("/Users?count=1000");
    expect(r.status).toBe(200);
    expect(r.body.itemsPerPage).toBe(3);
    expect(r.body.Resources).toHaveLength(3);
    expect(r.body.totalResults).toBe(5);
    const noCount = await s.request("/Users");
    expect(noCount.body.Resources).toHaveLength(3);
  });

  it("attributes / excludedAttributes", async () => {
    const only = await s.request('/Users?filter=userName eq "alice"&attributes=userName,emails.value');
    const a = only.body.Resources[0];
    expect(Object.keys(a).sort()).toEqual(["emails", "id", "schemas", "userName"].sort());
    expect(a.emails).toEqual([{ value: "alice@example.com" }]);
    const excl = await s.request('/Users?filter=userName eq "alice"&excludedAttributes=emails,meta');
    const b = excl.body.Resources[0];
    expect(b.emails).toBeUndefined();
    expect(b.userName).toBe("alice");
    expect(b.id).toBeDefined();
    const one = await s.request(`/Users/${a.id}?attributes=title`);
    expect(one.body).toEqual({ schemas: [USER_SCHEMA], id: a.id, title: "ops" });
  });

  it("cursor pagination walks every page without duplicates or gaps", async () => {
    const big = await server({ maxResults: 100 });
    const ids = new Set<string>();
    for (let i = 0; i < 11; i++) ids.add((await create(big, "/Users", user(`cursor-${i}`))).id);
    for (const sort of ["", "&sortBy=userName&sortOrder=descending"]) {
      const seen: string[] = [];
      let cursor = "";
      let pages = 0;
      for (;;) {
        const r = await big.request(`/Users?count=2&cursor=${encodeURIComponent(cursor)}${sort}`);
        expect(r.status, r.text).toBe(200);
        expect(r.body.totalResults).toBe(11);
        expect(r.body.startIndex).toBeUndefined();
        pages++;
        seen.push(...r.body.Resources.map((u: { id: string }) => u.id));
        if (r.body.nextCursor === undefined) break;
        expect(r.body.Resources).toHaveLength(2);
        cursor = r.body.nextCursor;
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(pages).toBeLessThan(20);
      }
      expect(pages).toBe(6);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(ids);
      if (sort !== "") {
        const all = await big.request(`/Users?count=20${sort}`);
        expect(seen).toEqual(all.body.Resources.map((u: { id: string }) => u.id));
      }
    }
    // RFC 9865's bare "cursor" (no value) asks for the first page
    const bare = await big.request("/Users?cursor&count=3");
    expect(bare.body.Resources).toHaveLength(3);
    expect(bare.body.nextCursor).toBeDefined();
  });

  it("a bad cursor → 400 invalidCursor", async () => {
    for (const cursor of ["not-a-cursor", "%%%", "eyJhIjoxfQ"]) {
      const r = await s.request(`/Users?cursor=${encodeURIComponent(cursor)}`);
      expect(r.status, cursor).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], scimType: "invalidCursor" });
    }
  });
});

describe("POST /.search (RFC 7644 §3.4.3)", () => {
  let s: TestServer;
  let groupId: string;
  beforeAll(async () => {
    s = await server();
    for (const n of ["sam", "sue", "tom"]) await create(s, "/Users", user(n));
    groupId = (await create(s, "/Groups", group("search-group"))).id;
  });

  it("per resource type", async () => {
    const r = await s.request("/Users/.search", {
      body: {
        schemas: [SEARCH_REQUEST],
        filter: 'userName sw "s"',
        sortBy: "userName",
        sortOrder: "descending",
        attributes: ["userName"],
        startIndex: 1,
        count: 10,
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(2);
    expect(r.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["sue", "sam"]);
    expect(Object.keys(r.body.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
  });

  it("at the root: every resource type, a filter naming attributes of only one of them", async () => {
    const all = await s.request("/.search", { body: { schemas: [SEARCH_REQUEST] } });
    expect(all.status).toBe(200);
    expect(all.body.totalResults).toBe(4);
    const users = await s.request("/.search", {
      body: { schemas: [SEARCH_REQUEST], filter: 'userName eq "tom"' },
    });
    expect(users.status, users.text).toBe(200);
    expect(users.body.totalResults).toBe(1);
    expect(users.body.Resources[0].userName).toBe("tom");
    const either = await s.request("/.search", {
      body: { schemas: [SEARCH_REQUEST], filter: 'userName eq "sam" or displayName eq "search-group"' },
    });
    expect(either.body.totalResults).toBe(2);
    const groups = await s.request("/.search", {
      body: { schemas: [SEARCH_REQUEST], filter: 'meta.resourceType eq "Group"' },
    });
    expect(groups.body.Resources.map((g: { id: string }) => g.id)).toEqual([groupId]);
    const page = await s.request("/.search", {
      body: { schemas: [SEARCH_REQUEST], startIndex: 2, count: 2 },
    });
    expect(page.body).toMatchObject({ totalResults: 4, itemsPerPage: 2, startIndex: 2 });
  });

  it("GET /.search and a non-object body are rejected", async () => {
    expect((await s.request("/.search")).status).toBe(405);
    const bad = await s.request("/Users/.search", { method: "POST", body: "[]" });
    expect(bad.status).toBe(400);
  });
});

describe("/Bulk (RFC 7644 §3.7)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({ maxBulkOperations: 5 });
  });
  const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({
    schemas: [BULK_REQUEST],
    ...extra,
    Operations,
  });

  it("resolves bulkId references from a POSTed User into a Group POST and PATCH", async () => {
    const r = await s.request("/Bulk", {
      body: bulk([
        // listed before the User it references: the server orders them
        { method: "POST", path: "/Groups", bulkId: "g1", data: group("bulk-group", ["bulkId:u1"]) },
        { method: "POST", path: "/Users", bulkId: "u1", data: user("bulk-user-1") },
        { method: "POST", path: "/Users", bulkId: "u2", data: user("bulk-user-2") },
        {
          method: "PATCH",
          path: "/Groups/bulkId:g1",
          data: patch({ op: "add", path: "members", value: [{ value: "bulkId:u2" }] }),
        },
      ]),
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.schemas).toEqual([BULK_RESPONSE]);
    const ops = r.body.Operations as Record<string, string>[];
    expect(ops.map((o) => [o.method, o.bulkId, o.status])).toEqual([
      ["POST", "g1", "201"],
      ["POST", "u1", "201"],
      ["POST", "u2", "201"],
      ["PATCH", undefined, "200"],
    ]);
    for (const op of ops) {
      expect(op.location).toMatch(new RegExp(`^${s.base}/(Users|Groups)/[0-9a-f-]+$`));
      expect(op.version).toMatch(/^W\/"\d+"$/);
    }
    const [groupOp, u1Op, u2Op, patchOp] = ops as [
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
    ];
    const u1 = u1Op.location?.split("/").pop();
    const u2 = u2Op.location?.split("/").pop();
    expect(patchOp.location).toBe(groupOp.location);
    const g = await s.request(String(groupOp.location).slice(s.base.length));
    expect(g.body.members.map((m: { value: string }) => m.value).sort()).toEqual([u1, u2].sort());
    expect(g.headers.get("etag")).toBe(patchOp.version);
  });

  it("a failed operation answers its error in place", async () => {
    await create(s, "/Users", user("taken"));
    const r = await s.request("/Bulk", {
      body: bulk([
        { method: "POST", path: "/Users", bulkId: "dup", data: user("taken") },
        { method: "DELETE", path: "/Users/no-such-id" },
      ]),
    });
    expect(r.status).toBe(200);
    expect(r.body.Operations[0]).toMatchObject({
      method: "POST",
      bulkId: "dup",
      status: "409",
      response: { schemas: [ERROR], status: "409", scimType: "uniqueness" },
    });
    // RFC 7644 §3.7.3: location is required except for a failed POST
    expect(r.body.Operations[0].location).toBeUndefined();
    expect(r.body.Operations[1]).toMatchObject({
      method: "DELETE",
      status: "404",
      location: `${s.base}/Users/no-such-id`,
      response: { schemas: [ERROR], status: "404" },
    });
  });

  it("failOnErrors stops after that many errors", async () => {
    const bad = { schemas: [USER_SCHEMA] }; // no userName → 400
    const ops = (n: string) => [
      { method: "POST", path: "/Users", bulkId: `a${n}`, data: bad },
      { method: "POST", path: "/Users", bulkId: `b${n}`, data: user(`foe-b-${n}`) },
      { method: "POST", path: "/Users", bulkId: `c${n}`, data: bad },
      { method: "POST", path: "/Users", bulkId: `d${n}`, data: user(`foe-d-${n}`) },
    ];
    const statuses = (r: { body: { Operations: { status: string }[] } }) =>
      r.body.Operations.map((o) => o.status);
    const one = await s.request("/Bulk", { body: bulk(ops("1"), { failOnErrors: 1 }) });
    expect(statuses(one)).toEqual(["400"]);
    const two = await s.request("/Bulk", { body: bulk(ops("2"), { failOnErrors: 2 }) });
    expect(statuses(two)).toEqual(["400", "201", "400"]);
    const all = await s.request("/Bulk", { body: bulk(ops("3")) });
    expect(statuses(all)).toEqual(["400", "201", "400", "201"]);
    // the users before the stop exist, the ones after it do not
    const list = await s.request('/Users?filter=userName sw "foe-d"');
    expect(list.body.Resources.map((u: { userName: string }) => u.userName).sort()).toEqual(["foe-d-3"]);
    const bs = await s.request('/Users?filter=userName sw "foe-b"');
    expect(bs.body.totalResults).toBe(2);
  });

  it("circular bulkId references → 409 (RFC 7644 §3.7.1), nothing created", async () => {
    const before = (await s.request("/Groups?count=0")).body.totalResults;
    const r = await s.request("/Bulk", {
      body: bulk([
        { method: "POST", path: "/Groups", bulkId: "qwerty", data: group("Group A", ["bulkId:ytrewq"]) },
        { method: "POST", path: "/Groups", bulkId: "ytrewq", data: group("Group B", ["bulkId:qwerty"]) },
      ]),
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "409" });
    expect(r.body.detail).toMatch(/circular/);
    const self = await s.request("/Bulk", {
      body: bulk([{ method: "POST", path: "/Groups", bulkId: "me", data: group("Self", ["bulkId:me"]) }]),
    });
    expect(self.status).toBe(409);
    expect((await s.request("/Groups?count=0")).body.totalResults).toBe(before);
  });

  it("more than maxBulkOperations → 413", async () => {
    const ops = Array.from({ length: 6 }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `m${i}`,
      data: user(`max-${i}`),
    }));
    const r = await s.request("/Bulk", { body: bulk(ops) });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "413" });
    expect(r.body.detail).toMatch(/5/);
    expect((await s.request('/Users?filter=userName sw "max-"')).body.totalResults).toBe(0);
  });

  it("PUT and DELETE with version; malformed requests", async () => {
    const u = await create(s, "/Users", user("bulk-put"));
    const r = await s.request("/Bulk", {
      body: bulk([
        {
          method: "PUT",
          path: `/Users/${u.id}`,
          version: u.meta.version,
          data: user("bulk-put", { title: "x" }),
        },
        { method: "DELETE", path: `/Users/${u.id}`, version: u.meta.version },
      ]),
    });
    expect(r.body.Operations.map((o: { status: string }) => o.status)).toEqual(["200", "412"]);
    const del = await s.request("/Bulk", { body: bulk([{ method: "DELETE", path: `/Users/${u.id}` }]) });
    expect(del.body.Operations).toEqual([
      { method: "DELETE", status: "204", location: `${s.base}/Users/${u.id}` },
    ]);
    expect((await s.request(`/Users/${u.id}`)).status).toBe(404);
    expect((await s.request("/Bulk", { body: { schemas: [BULK_REQUEST] } })).status).toBe(400);
    const noBulkId = await s.request("/Bulk", {
      body: bulk([{ method: "POST", path: "/Users", data: user("nb") }]),
    });
    expect(noBulkId.status).toBe(400);
    const badPath = await s.request("/Bulk", {
      body: bulk([{ method: "POST", path: "/Nope", bulkId: "x", data: {} }]),
    });
    expect(badPath.body.Operations[0].status).toBe("400");
  });
});

describe("/Me (RFC 7644 §3.11)", () => {
  it("501 without a hook", async () => {
    const s = await server();
    const r = await s.request("/Me");
    expect(r.status).toBe(501);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "501" });
  });

  it("with a hook: the principal's user; 404 when the hook returns undefined", async () => {
    const seen: Principal[] = [];
    let meId: string | undefined;
    const s = await server({
      me: (principal) => {
        seen.push(principal);
        return meId;
      },
    });
    const missing = await s.request("/Me");
    expect(missing.status).toBe(404);
    const u = await create(s, "/Users", user("me-user"));
    meId = u.id;
    const r = await s.request("/Me");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, userName: "me-user" });
    const patched = await s.request("/Me", {
      method: "PATCH",
      body: patch({ op: "replace", path: "nickName", value: "me" }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.nickName).toBe("me");
    expect(seen[0]).toMatchObject({ tenant: "default" });
  });
});

describe("User.groups derived from the groups' members", () => {
  it("shows a user's groups and cleans members when a user is deleted", async () => {
    const s = await server();
    const alice = await create(s, "/Users", user("g-alice"));
    const bob = await create(s, "/Users", user("g-bob"));
    expect((await s.request(`/Users/${alice.id}`)).body.groups).toBeUndefined();
    const g1 = await create(s, "/Groups", group("Admins", [alice.id, bob.id]));
    const g2 = await create(s, "/Groups", group("Staff"));
    const added = await s.request(`/Groups/${g2.id}`, {
      method: "PATCH",
      body: patch({ op: "add", path: "members", value: [{ value: alice.id }] }),
    });
    expect(added.status).toBe(200);
    const a = await s.request(`/Users/${alice.id}`);
    expect(a.body.groups).toEqual(
      expect.arrayContaining([
        { value: g1.id, $ref: `${s.base}/Groups/${g1.id}`, display: "Admins", type: "direct" },
        { value: g2.id, $ref: `${s.base}/Groups/${g2.id}`, display: "Staff", type: "direct" },
      ]),
    );
    expect(a.body.groups).toHaveLength(2);
    // groups is readOnly: a client cannot set it
    const ignored = await s.request(`/Users/${bob.id}`, {
      method: "PUT",
      body: user("g-bob", { groups: [{ value: g2.id }] }),
    });
    expect(ignored.status).toBe(200);
    expect(ignored.body.groups).toEqual([expect.objectContaining({ value: g1.id })]);
    const listed = await s.request(`/Users?filter=userName eq "g-alice"`);
    expect(listed.body.Resources[0].groups).toHaveLength(2);

    expect((await s.request(`/Users/${alice.id}`, { method: "DELETE" })).status).toBe(204);
    const after1 = await s.request(`/Groups/${g1.id}`);
    expect(after1.body.members).toEqual([{ value: bob.id }]);
    const after2 = await s.request(`/Groups/${g2.id}`);
    expect(after2.body.members).toBeUndefined();
  });
});

describe("audit events", () => {
  it("one per create/replace/patch/delete, with outcome and status, failures too", async () => {
    const events: AuditEvent[] = [];
    const s = await server({ audit: (e) => void events.push(e) });
    const u = await create(s, "/Users", user("audited"));
    await s.request(`/Users/${u.id}`, { method: "PUT", body: user("audited", { title: "t" }) });
    await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "title", value: "u" }),
    });
    await s.request(`/Users/${u.id}`, { method: "DELETE" });
    await s.request("/Users", { body: { schemas: [USER_SCHEMA] } }); // no userName
    await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "replace", path: "title", value: "v" }),
    });
    await s.request("/Users"); // reads are not audited
    expect(events.map((e) => [e.action, e.resourceType, e.outcome, e.status])).toEqual([
      ["create", "User", "success", 201],
      ["replace", "User", "success", 200],
      ["patch", "User", "success", 200],
      ["delete", "User", "success", 204],
      ["create", "User", "failure", 400],
      ["patch", "User", "failure", 404],
    ]);
    for (const e of events) {
      expect(e.tenant).toBe("default");
      expect(e.subject).toBe("token:default");
      expect(Date.parse(e.time)).not.toBeNaN();
    }
    expect(events.slice(0, 4).every((e) => e.id === u.id)).toBe(true);
    expect(events[4]?.detail).toMatch(/userName/);
    expect(events[5]?.id).toBe(u.id);
  });

  it("bulk operations carry their bulkId; a throwing hook does not fail the request", async () => {
    const events: AuditEvent[] = [];
    const s = await server({ audit: (e) => void events.push(e) });
    await s.request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [{ method: "POST", path: "/Users", bulkId: "b1", data: user("ab") }],
      },
    });
    expect(events).toEqual([expect.objectContaining({ action: "create", bulkId: "b1", status: 201 })]);
    const errors: unknown[] = [];
    const t = await server({
      audit: () => {
        throw new Error("log sink down");
      },
      onError: (e) => void errors.push(e),
    });
    expect((await t.request("/Users", { body: user("still-created") })).status).toBe(201);
    expect(errors).toHaveLength(1);
  });
});

describe("limits, routing, base path", () => {
  it("rateLimit → 429 with Retry-After", async () => {
    const s = await server({
      rateLimit: (_principal, request) => (request.headers.get("x-burst") ? 2.2 : undefined),
    });
    const r = await s.request("/Users", { headers: { "x-burst": "1" } });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("3");
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "429" });
    expect((await s.request("/Users")).status).toBe(200);
  });

  it("unknown routes → 404; wrong methods → 405 with Allow", async () => {
    const s = await server();
    for (const path of ["/Nope", "/Users/a/b", "/", "/Groupz/1", "/ServiceProviderConfig/x"]) {
      const r = await s.request(path);
      expect(r.status, path).toBe(404);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: "404" });
    }
    expect((await s.request(`${s.origin}/other/Users`)).status).toBe(404);
    const wrong = await s.request("/Users", { method: "PUT", body: user("x") });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
    const onResource = await s.request("/Users/123", { method: "POST", body: user("x") });
    expect(onResource.status).toBe(405);
    expect(onResource.headers.get("allow")).toBe("GET, PUT, PATCH, DELETE");
    expect((await s.request("/Bulk")).status).toBe(405);
  });

  it("a missing resource → 404 SCIM error", async () => {
    const s = await server();
    const r = await s.request("/Users/00000000-0000-0000-0000-000000000000");
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "404" });
  });

  it("basePath: endpoints live under it, meta.location uses it", async () => {
    const s = await server({ basePath: "/api/scim/" });
    expect(s.base.endsWith("/api/scim")).toBe(true);
    const u = await create(s, "/Users", user("bp"));
    expect(u.meta.location).toBe(`${s.origin}/api/scim/Users/${u.id}`);
    expect((await s.request(`${s.origin}/scim/v2/Users`)).status).toBe(404);
    expect((await s.request(`${s.origin}/api/scimUsers`)).status).toBe(404);
    expect((await s.request(`${s.origin}/api/scim/Users/${u.id}`)).status).toBe(200);
    const root = await server({ basePath: "/" });
    expect(root.base).toBe(root.origin);
    const r = await create(root, "/Users", user("rooted"));
    expect(r.meta.location).toBe(`${root.origin}/Users/${r.id}`);
  });

  it("duplicate userName → 409 uniqueness; case-insensitive", async () => {
    const s = await server();
    await create(s, "/Users", user("Unique.Person"));
    const dup = await s.request("/Users", { body: user("unique.person") });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
  });
});

describe("consistency under concurrency", () => {
  it("concurrent PATCHes of one group's members lose nothing", async () => {
    const s = await server();
    const g = await create(s, "/Groups", group("busy"));
    const users = await Promise.all(
      Array.from({ length: 25 }, (_, i) => create(s, "/Users", user(`c-${i}`))),
    );
    const results = await Promise.all(
      users.map((u) =>
        s.request(`/Groups/${g.id}`, {
          method: "PATCH",
          body: patch({ op: "add", path: "members", value: [{ value: u.id }] }),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
    const after = await s.request(`/Groups/${g.id}`);
    expect(after.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      users.map((u) => u.id).sort(),
    );
    expect(after.body.meta.version).toBe('W/"26"');
  });

  it("concurrent creates of one userName: exactly one wins", async () => {
    const s = await server();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => s.request("/Users", { body: user("race") })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it("a User's groups cannot be written; PATCH is all-or-nothing", async () => {
    const s = await server();
    const u = await create(s, "/Users", user("ro"));
    const g = await create(s, "/Groups", group("ro-group"));
    const r = await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch({ op: "add", path: "groups", value: [{ value: g.id }] }),
    });
    expect(r.status).toBe(400);
    expect(r.body.scimType).toBe("mutability");
    const partial = await s.request(`/Users/${u.id}`, {
      method: "PATCH",
      body: patch(
        { op: "replace", path: "nickName", value: "set" },
        { op: "add", path: "groups", value: [{ value: g.id }] },
      ),
    });
    expect(partial.status).toBe(400);
    expect(partial.body.detail).toMatch(/Operations\[1\]/);
    const got = await s.request(`/Users/${u.id}`);
    expect(got.body.nickName).toBeUndefined();
    expect(got.body.meta.version).toBe(u.meta.version);
  });
});
