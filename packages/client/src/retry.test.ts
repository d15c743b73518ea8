/// <reference types="node" />

import type { Server } from "node:http";
import type { UserInput } from "@scimkit/models";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, rejection } from "./__fixtures__/http.js";
import { createScimClient, type ScimClient, ScimError, versionOf } from "./index.js";

const TOKEN = "client-test-token-0123";

const user = (userName: string, extra: Partial<UserInput> = {}): UserInput => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName,
  ...extra,
});

let reference: { server: Server; url: string };
let baseUrl: string;
let client: ScimClient;
/** The User id the reference server's `me` hook answers for TOKEN. */
let meId: string | undefined;

beforeAll(async () => {
  const handler = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: [TOKEN] },
    me: () => meId,
  });
  reference = await listen(toNodeListener(handler));
  baseUrl = `${reference.url}/scim/v2`;
  client = createScimClient({ baseUrl, token: TOKEN });
});

afterAll(async () => {
  await new Promise((resolve) => reference.server.close(resolve));
});

describe("resource CRUD against the reference server", () => {
  it("creates, gets, replaces, patches and deletes a user", async () => {
    const created = await client.users.create(user("crud", { displayName: "Barbara" }));
    expect(created.id).toEqual(expect.any(String));
    expect(created.userName).toBe("crud");

    const fetched = await client.users.get(created.id);
    expect(fetched).toStrictEqual(created);

    const projected = await client.users.get(created.id, { attributes: ["userName"] });
    expect(projected.userName).toBe("crud");
    expect(Object.keys(projected).sort()).toStrictEqual(["id", "meta", "schemas", "userName"]);

    const replaced = await client.users.replace(created.id, user("crud", { displayName: "Babs" }));
    expect(replaced.displayName).toBe("Babs");

    const patched = await client.users.patch(created.id, [
      { op: "replace", path: "displayName", value: "B." },
      { op: "add", value: { title: "Engineer" } },
    ]);
    expect(patched.displayName).toBe("B.");
    expect(patched.title).toBe("Engineer");

    const patchedAgain = await client.users.patch(created.id, {
      Operations: [{ op: "remove", path: "title" }],
    });
    expect(patchedAgain.title).toBeUndefined();

    await client.users.delete(created.id);
    const gone = await rejection(client.users.get(created.id));
    expect(gone).toBeInstanceOf(ScimError);
    expect(gone.status).toBe(404);
  });

  it("works for groups and for resource(name) with the default endpoint", async () => {
    const member = await client.users.create(user("member"));
    const group = await client.groups.create({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Admins",
      members: [{ value: member.id }],
    });
    expect(group.members?.[0]?.value).toBe(member.id);
    const same = await client.resource("Group").get(group.id);
    expect(same.displayName).toBe("Admins");
    const untyped = await client.resource("Group", { endpoint: "/Groups/" }).get(group.id);
    expect(untyped.id).toBe(group.id);
  });

  it("sends If-Match: a stale version rejects with 412", async () => {
    const created = await client.users.create(user("etag"));
    const version = created.meta?.version;
    expect(version).toEqual(expect.any(String));
    await client.users.replace(created.id, user("etag", { nickName: "e" }), { ifMatch: version as string });
    const stale = await rejection(client.users.delete(created.id, { ifMatch: version as string }));
    expect(stale.status).toBe(412);
  });
});

describe("list, search and iterate", () => {
  const prefix = "page-";
  const total = 7;

  beforeAll(async () => {
    for (let i = 0; i < total; i++) await client.users.create(user(`${prefix}${i}`));
  });

  it("lists with a filter, count, sort and projection", async () => {
    const page = await client.users.list({
      filter: `userName sw "${prefix}"`,
      count: 3,
      sortBy: "userName",
      sortOrder: "descending",
      attributes: "userName",
    });
    expect(page.totalResults).toBe(total);
    expect(page.Resources.map((u) => u.userName)).toStrictEqual(["page-6", "page-5", "page-4"]);
    expect(page.Resources[0]).not.toHaveProperty("displayName");
  });

  it("lists an empty result with Resources = []", async () => {
    const page = await client.users.list({ filter: 'userName eq "nobody"' });
    expect(page.totalResults).toBe(0);
    expect(page.Resources).toStrictEqual([]);
  });

  it("searches through POST /.search", async () => {
    const page = await client.users.search({ filter: `userName eq "${prefix}3"`, attributes: ["userName"] });
    expect(page.Resources.map((u) => u.userName)).toStrictEqual(["page-3"]);
  });

  it("lists one RFC 9865 cursor page at a time", async () => {
    const first = await client.users.list({ filter: `userName sw "${prefix}"`, count: 5, cursor: "" });
    expect(first.Resources).toHaveLength(5);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.users.list({
      filter: `userName sw "${prefix}"`,
      count: 5,
      cursor: first.nextCursor as string,
    });
    expect(second.Resources).toHaveLength(total - 5);
    expect(second.nextCursor).toBeUndefined();
  });

  it.each(["index", "cursor"] as const)("iterates every page (%s pagination)", async (pagination) => {
    const names: string[] = [];
    for await (const found of client.users.iterate({
      filter: `userName sw "${prefix}"`,
      count: 2,
      pagination,
    })) {
      names.push(found.userName);
    }
    expect(names.sort()).toStrictEqual(Array.from({ length: total }, (_, i) => `${prefix}${i}`));
  });

  it("rejects a bad filter with 400 invalidFilter", async () => {
    const error = await rejection(client.users.list({ filter: "userName eq" }));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
  });
});

describe("SCIM errors", () => {
  it("a duplicate userName rejects with 409 uniqueness", async () => {
    await client.users.create(user("dupe"));
    const error = await rejection(client.users.create(user("dupe")));
    expect(error.status).toBe(409);
    expect(error.scimType).toBe("uniqueness");
  });

  it("a wrong token rejects with 401 and never shows the token", async () => {
    const secret = "super-secret-token-value";
    const wrong = createScimClient({ baseUrl, token: secret });
    const error = await rejection(wrong.users.list());
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  });

  it("asks a token provider again once on 401", async () => {
    const tokens = ["expired", TOKEN];
    let calls = 0;
    const refreshing = createScimClient({
      baseUrl,
      token: () => {
        calls++;
        return tokens.shift() ?? TOKEN;
      },
    });
    const page = await refreshing.users.list({ count: 1 });
    expect(page.totalResults).toBeGreaterThan(0);
    expect(calls).toBe(2);
  });

  it("a provider that stays wrong rejects with 401 after one more try", async () => {
    let calls = 0;
    const wrong = createScimClient({
      baseUrl,
      token: async () => {
        calls++;
        return "still-wrong";
      },
    });
    expect((await rejection(wrong.users.get("x"))).status).toBe(401);
    expect(calls).toBe(2);
  });
});

describe("a misbehaving server", () => {
  let bad: { server: Server; url: string };

  beforeAll(async () => {
    bad = await listen((req, res) => {
      if (req.url?.startsWith("/Devices")) {
        let body = "";
        req.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        req.on("end", () => {
          res.writeHead(200, { "content-type": "application/scim+json" });
          res.end(
            JSON.stringify({
              id: "d1",
              method: req.method,
              url: req.url,
              accept: req.headers.accept,
              contentType: req.headers["content-type"],
              ifMatch: req.headers["if-match"],
              authorization: req.headers.authorization,
              trace: req.headers["x-trace"],
              body: body === "" ? undefined : JSON.parse(body),
            }),
          );
        });
      } else if (req.url?.includes("/Users/html")) {
        res.writeHead(502, "Bad Gateway", { "content-type": "text/html" });
        res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
      } else if (req.url?.includes("/Users/json")) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "boom" }));
      } else {
        res.writeHead(200, { "content-type": "application/scim+json" });
        res.end("{not json");
      }
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => bad.server.close(resolve));
  });

  it("resource(name) uses /<name>s, SCIM headers, the bearer token and the caller's ky hooks", async () => {
    const echo = createScimClient({
      baseUrl: `${bad.url}/`,
      token: "abc",
      ky: { hooks: { beforeRequest: [(request) => request.headers.set("x-trace", "1")] } },
    });
    const devices = echo.resource("Device");
    const got = await devices.get("a/b", { excludedAttributes: ["x", "y"] });
    expect(got).toMatchObject({
      method: "GET",
      url: "/Devices/a%2Fb?excludedAttributes=x%2Cy",
      accept: "application/scim+json, application/json;q=0.9",
      authorization: "Bearer abc",
      trace: "1",
    });
    const replaced = await devices.replace("d1", { serial: "s" }, { ifMatch: 'W/"1"' });
    expect(replaced).toMatchObject({
      method: "PUT",
      contentType: "application/scim+json",
      ifMatch: 'W/"1"',
      body: { serial: "s" },
    });
    const custom = await echo.resource("Device", { endpoint: "/Devices/Custom" }).search({ count: 1 });
    expect(custom).toMatchObject({
      method: "POST",
      url: "/Devices/Custom/.search",
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 1 },
    });
  });

  it("an HTML 502 page becomes a clear ScimError", async () => {
    const secret = "html-secret-token";
    const error = await rejection(createScimClient({ baseUrl: bad.url, token: secret }).users.get("html"));
    expect(error).toBeInstanceOf(ScimError);
    expect(error.status).toBe(502);
    expect(error.scimType).toBeUndefined();
    expect(error.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/Users\/html failed with HTTP 502/);
    expect(error.message).toContain("non-JSON text/html body");
    expect(error.message).not.toContain(secret);
  });

  it("JSON that is not a SCIM Error keeps the HTTP status", async () => {
    const error = await rejection(createScimClient({ baseUrl: bad.url }).users.get("json"));
    expect(error.status).toBe(500);
    expect(error.message).toContain("JSON that is not a SCIM Error");
  });

  it("invalid JSON in a 200 answer becomes a ScimError 502", async () => {
    const error = await rejection(createScimClient({ baseUrl: bad.url, token: "tok" }).users.get("ok"));
    expect(error.status).toBe(502);
    expect(error.message).toContain("not valid JSON");
    expect(error.message).not.toContain("tok ");
  });
});

describe("ETags against the reference server", () => {
  it("captures the version from the ETag header and passes it back", async () => {
    const created = await client.users.create(user("etag-capture"));
    const version = versionOf(created);
    expect(version).toMatch(/^W\/".+"$/);
    const fetched = await client.users.get(created.id);
    expect(versionOf(fetched)).toBe(version);
    // a projection without meta still carries the version from the ETag header
    const projected = await client.users.get(created.id, { attributes: ["userName"] });
    expect(versionOf(projected)).toBe(version);

    expect(await client.users.get(created.id, { ifNoneMatch: version as string })).toBeUndefined();
    const replaced = await client.users.replace(created.id, user("etag-capture", { nickName: "n" }), {
      ifMatch: version as string,
    });
    expect(versionOf(replaced)).not.toBe(version);
    const changed = await client.users.get(created.id, { ifNoneMatch: version as string });
    expect(changed?.nickName).toBe("n");
    expect(versionOf(changed)).toBe(versionOf(replaced));
  });

  it("a stale If-Match on replace and patch rejects with ScimError 412", async () => {
    const created = await client.users.create(user("etag-412"));
    const stale = versionOf(created) as string;
    await client.users.patch(created.id, [{ op: "replace", path: "nickName", value: "x" }], {
      ifMatch: stale,
    });
    const onReplace = await rejection(client.users.replace(created.id, user("etag-412"), { ifMatch: stale }));
    expect(onReplace).toBeInstanceOf(ScimError);
    expect(onReplace.status).toBe(412);
    const onPatch = await rejection(
      client.users.patch(created.id, [{ op: "replace", path: "nickName", value: "y" }], { ifMatch: stale }),
    );
    expect(onPatch.status).toBe(412);
    expect((await client.users.get(created.id)).nickName).toBe("x");
  });
});

describe("/Me against the reference server", () => {
  it("gets, replaces, patches and deletes the authenticated subject's User", async () => {
    meId = undefined;
    expect((await rejection(client.me.get())).status).toBe(404);
    const created = await client.users.create(user("me-user", { displayName: "Me" }));
    meId = created.id;

    const me = await client.me.get();
    expect(me.id).toBe(created.id);
    expect(me.userName).toBe("me-user");
    expect(await client.me.get({ ifNoneMatch: versionOf(me) as string })).toBeUndefined();

    const replaced = await client.me.replace(user("me-user", { displayName: "Myself" }), {
      ifMatch: versionOf(me) as string,
    });
    expect(replaced.displayName).toBe("Myself");
    const patched = await client.me.patch([{ op: "replace", path: "nickName", value: "mine" }]);
    expect(patched.nickName).toBe("mine");
    expect((await client.users.get(created.id)).nickName).toBe("mine");
    expect((await rejection(client.me.delete({ ifMatch: versionOf(me) as string }))).status).toBe(412);

    await client.me.delete();
    expect((await rejection(client.users.get(created.id))).status).toBe(404);
    meId = undefined;
  });
});

describe("retries", () => {
  let flaky: { server: Server; url: string };
  /** Scripted answers per path: each request takes the next one; the last one repeats. */
  const scripts = new Map<string, Array<(res: import("node:http").ServerResponse) => void>>();
  const hits = new Map<string, number>();

  const ok = (res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-type": "application/scim+json" });
    res.end(JSON.stringify({ id: "r1", userName: "ok" }));
  };
  const status =
    (code: number, headers: Record<string, string> = {}) =>
    (res: import("node:http").ServerResponse) => {
      res.writeHead(code, { "content-type": "application/scim+json", ...headers });
      res.end(
        JSON.stringify({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: String(code),
          detail: `scripted ${code}`,
        }),
      );
    };

  beforeAll(async () => {
    flaky = await listen((req, res) => {
      req.resume();
      req.on("end", () => {
        const path = new URL(req.url ?? "/", "http://x").pathname;
        const n = hits.get(path) ?? 0;
        hits.set(path, n + 1);
        const script = scripts.get(path) ?? [status(404)];
        const answer = script[Math.min(n, script.length - 1)] as (r: typeof res) => void;
        answer(res);
      });
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => flaky.server.close(resolve));
  });

  const script = (id: string, ...answers: Array<(res: import("node:http").ServerResponse) => void>) => {
    scripts.set(`/Users/${id}`, answers);
    scripts.set("/Users", answers);
    hits.clear();
    return () => hits.get(`/Users/${id}`) ?? hits.get("/Users") ?? 0;
  };
  const fast = (retry: object = {}) =>
    createScimClient({ baseUrl: flaky.url, retry: { delay: 5, ...retry } });

  it("waits for Retry-After (seconds) after a 429, then succeeds", async () => {
    const count = script("ra", status(429, { "retry-after": "1" }), ok);
    const started = Date.now();
    const got = await fast().users.get("ra");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(got.userName).toBe("ok");
    expect(count()).toBe(2);
  });

  it("honours an HTTP-date Retry-After, capped by maxRetryDelay", async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    let count = script("date", status(503, { "retry-after": past }), ok);
    expect((await fast().users.get("date")).userName).toBe("ok");
    expect(count()).toBe(2);

    const future = new Date(Date.now() + 3_600_000).toUTCString();
    count = script("cap", status(429, { "retry-after": future }), status(429, { "retry-after": "3600" }), ok);
    const started = Date.now();
    expect((await fast({ maxRetryDelay: 50 }).users.get("cap")).userName).toBe("ok");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(count()).toBe(3);
  });

  it("retries 503 twice with backoff, then succeeds", async () => {
    const count = script("503", status(503), status(503), ok);
    expect((await fast().users.get("503")).userName).toBe("ok");
    expect(count()).toBe(3);
  });

  it("retries PUT and DELETE (idempotent) by default", async () => {
    let count = script("put", status(503), ok);
    expect((await fast().users.replace("put", user("ok"))).userName).toBe("ok");
    expect(count()).toBe(2);
    count = script("del", status(429, { "retry-after": "0" }), ok);
    await fast().users.delete("del");
    expect(count()).toBe(2);
  });

  it("does not retry POST or PATCH by default, and does when opted in", async () => {
    let count = script("post", status(503), ok);
    expect((await rejection(fast().users.create(user("x")))).status).toBe(503);
    expect(count()).toBe(1);
    count = script("patch", status(503), ok);
    expect((await rejection(fast().users.patch("patch", [{ op: "remove", path: "title" }]))).status).toBe(
      503,
    );
    expect(count()).toBe(1);

    const optIn = fast({ methods: ["GET", "PUT", "DELETE", "PATCH", "POST"] });
    count = script("post", status(503), ok);
    expect((await optIn.users.create(user("x"))).userName).toBe("ok");
    expect(count()).toBe(2);
    count = script("patch", status(429), ok);
    expect((await optIn.users.patch("patch", [{ op: "remove", path: "title" }])).userName).toBe("ok");
    expect(count()).toBe(2);
  });

  it("an exhausted limit rejects with a ScimError carrying the last status", async () => {
    let count = script("limit", status(503), status(503), status(429));
    const error = await rejection(fast().users.get("limit"));
    expect(error.status).toBe(429);
    expect(error.detail).toBe("scripted 429");
    expect(count()).toBe(3);

    count = script("limit", status(503));
    expect((await rejection(fast({ limit: 4 }).users.get("limit"))).status).toBe(503);
    expect(count()).toBe(5);
    count = script("limit", status(503));
    expect(
      (await rejection(createScimClient({ baseUrl: flaky.url, retry: false }).users.get("limit"))).status,
    ).toBe(503);
    expect(count()).toBe(1);
  });

  it("does not retry other errors (500, 404, 412)", async () => {
    for (const code of [500, 404, 412]) {
      const count = script("other", status(code), ok);
      expect((await rejection(fast().users.get("other"))).status).toBe(code);
      expect(count()).toBe(1);
    }
  });

  it("retries network errors for idempotent requests only", async () => {
    let drops = 0;
    const dropping = await listen((req, res) => {
      if (drops++ === 0) {
        req.socket.destroy();
        return;
      }
      ok(res);
    });
    try {
      const url = dropping.url;
      const got = await createScimClient({ baseUrl: url, retry: { delay: 5 } }).users.get("x");
      expect(got.userName).toBe("ok");
      expect(drops).toBe(2);

      drops = 0;
      await expect(
        createScimClient({ baseUrl: url, retry: { delay: 5 } }).users.create(user("x")),
      ).rejects.toThrow(TypeError);
      expect(drops).toBe(1);
    } finally {
      await new Promise((resolve) => dropping.server.close(resolve));
    }
  });
});
