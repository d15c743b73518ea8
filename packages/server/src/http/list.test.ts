/// <reference types="node" />
import { beforeAll, describe, expect, it } from "vitest";
import {
  ERROR,
  LIST_RESPONSE,
  SEARCH_REQUEST,
  type TestServer,
  USER_SCHEMA,
} from "../replays/__fixtures__/server.js";
import { create, group, server, user } from "./__fixtures__/handler.js";
import { LONG_TOKEN } from "./__fixtures__/stores.js";

describe("list (RFC 7644 §3.4.2)", () => {
  let s: TestServer;
  const names = ["carol", "alice", "eve", "bob", "dave"];
  beforeAll(async () => {
    s = await server({ maxResults: 3, token: LONG_TOKEN });
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
    const big = await server({ maxResults: 100, token: LONG_TOKEN });
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
    s = await server({ token: LONG_TOKEN });
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
