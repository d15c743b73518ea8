/// <reference types="node" />
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { UserInput } from "@scimkit/models";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScimClient, isScimError, type ScimClient, ScimError } from "./index.js";

const TOKEN = "t";

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

async function rejection(promise: Promise<unknown>): Promise<ScimError> {
  try {
    await promise;
  } catch (error) {
    if (isScimError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

const user = (userName: string, extra: Partial<UserInput> = {}): UserInput => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName,
  ...extra,
});

let reference: { server: Server; url: string };
let baseUrl: string;
let client: ScimClient;

beforeAll(async () => {
  const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
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
    expect(projected.displayName).toBeUndefined();

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
    expect(page.Resources[0]?.displayName).toBeUndefined();
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
