/// <reference types="node" />

import type { IncomingMessage } from "node:http";
import { parseFilter } from "@scimkit/filter";
import type { GroupInput, UserInput } from "@scimkit/models";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, type Running, rejection } from "./__fixtures__/http.js";
import { createScimClient, isScimError, patchBuilder } from "./index.js";
import { putFallback } from "./put-fallback.js";

const TOKEN = "features-test-token-0123";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const user = (userName: string, extra: Partial<UserInput> = {}): UserInput => ({
  schemas: [USER],
  userName,
  ...extra,
});

let reference: Running;
let baseUrl: string;
const client = () => createScimClient({ baseUrl, token: TOKEN });

beforeAll(async () => {
  const handler = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: [TOKEN] },
    maxBulkOperations: 4,
    maxPayloadSize: 64 * 1024,
  });
  reference = await listen(toNodeListener(handler));
  baseUrl = `${reference.url}/scim/v2`;
});

afterAll(() => close(reference));

describe("filters from the typed builder", () => {
  it("accepts a builder callback, a Filter tree and text, all sent as the same filter", async () => {
    const scim = client();
    await scim.users.create(user("filter-ann", { title: "Engineer", active: true }));
    await scim.users.create(user("filter-bob", { title: "Engineer", active: false }));
    await scim.users.create(user("filter-cy", { title: "Manager", active: true }));

    const byCallback = await scim.users.list({
      filter: (f) => f.and(f.sw("userName", "filter-"), f.eq("title", "Engineer"), f.eq("active", true)),
    });
    const byTree = await scim.users.list({
      filter: parseFilter('userName sw "filter-" and title eq "Engineer" and active eq true'),
    });
    const byText = await scim.users.list({
      filter: 'userName sw "filter-" and title eq "Engineer" and active eq true',
    });
    expect(byCallback.Resources.map((u) => u.userName)).toStrictEqual(["filter-ann"]);
    expect(byTree.Resources).toStrictEqual(byCallback.Resources);
    expect(byText.Resources).toStrictEqual(byCallback.Resources);
    // the wire form is the canonical text
    expect(reference.log.at(-3)).toContain(
      `filter=${encodeURIComponent('userName sw "filter-" and title eq "Engineer" and active eq true').replace(/%20/g, "+")}`,
    );
  });

  it("escapes values in the built filter text (RFC 7644 §3.4.2.2 JSON strings)", async () => {
    const scim = client();
    const tricky = 'quote"and\\backslash';
    await scim.users.create(user(tricky));
    const found = await scim.users.find((f) => f.eq("userName", tricky));
    expect(found?.userName).toBe(tricky);
    expect(await scim.users.find((f) => f.eq("userName", "nobody-has-this"))).toBeUndefined();
  });

  it("uses the builder in search and iterate, and value paths on complex attributes", async () => {
    const scim = client();
    await scim.users.create(
      user("vp-work", {
        emails: [
          { value: "vp@work.example", type: "work" },
          { value: "vp@home.example", type: "home" },
        ],
      }),
    );
    await scim.users.create(user("vp-home", { emails: [{ value: "vp2@home.example", type: "home" }] }));
    const searched = await scim.users.search({
      filter: (f) =>
        f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.ew("value", "@work.example"))),
      attributes: ["userName"],
    });
    expect(searched.Resources.map((u) => u.userName)).toStrictEqual(["vp-work"]);
    const seen: string[] = [];
    for await (const u of scim.users.iterate({ filter: (f) => f.sw("userName", "vp-"), count: 1 }))
      seen.push(u.userName);
    expect(seen.sort()).toStrictEqual(["vp-home", "vp-work"]);
  });
});

describe("typed PATCH builder", () => {
  it("builds operations that the reference server applies", async () => {
    const scim = client();
    const created = await scim.users.create(
      user("pb-user", {
        active: true,
        emails: [
          { value: "pb@work.example", type: "work" },
          { value: "pb@home.example", type: "home", primary: true },
        ],
      }),
    );
    const patched = await scim.users.patch(created.id, (p) => [
      p.replace("active", false),
      p.replace("name.givenName", "Pat"),
      p.where("emails", (e) => e.eq("type", "work")).replace("value", "pat@work.example"),
      p.where("emails", (e) => e.eq("type", "home")).remove(),
      p.add("phoneNumbers", { value: "+1 555 0100", type: "work" }),
      p.add(`${ENTERPRISE}:employeeNumber`, "E-42"),
      p.replace({ nickName: "Patty" }),
    ]);
    expect(patched.active).toBe(false);
    expect(patched.name?.givenName).toBe("Pat");
    expect(patched.emails).toStrictEqual([{ value: "pat@work.example", type: "work" }]);
    expect(patched.phoneNumbers).toStrictEqual([{ value: "+1 555 0100", type: "work" }]);
    expect(patched[ENTERPRISE]?.employeeNumber).toBe("E-42");
    expect(patched.nickName).toBe("Patty");

    const removed = await scim.users.patch(created.id, (p) => p.remove(`${ENTERPRISE}:employeeNumber`));
    expect(removed[ENTERPRISE]).toBeUndefined();
  });

  it("writes the exact RFC 7644 §3.5.2 paths", () => {
    const p = patchBuilder();
    expect(p.where("members", (m) => m.eq("value", "2819c223")).remove()).toStrictEqual({
      op: "remove",
      path: 'members[value eq "2819c223"]',
    });
    expect(
      p.where("addresses", (a) => a.eq("type", "work")).replace("streetAddress", "1 Main St"),
    ).toStrictEqual({
      op: "replace",
      path: 'addresses[type eq "work"].streetAddress',
      value: "1 Main St",
    });
    expect(p.where("emails", (e) => e.pr("value")).replace({ primary: false })).toStrictEqual({
      op: "replace",
      path: "emails[value pr]",
      value: { primary: false },
    });
    expect(p.add({ displayName: "x" })).toStrictEqual({ op: "add", value: { displayName: "x" } });
  });

  it("rejects a malformed path before sending, as the server would (400 invalidPath)", () => {
    const p = patchBuilder();
    const error = (() => {
      try {
        p.replace("name..givenName", "x");
      } catch (e) {
        return e;
      }
    })();
    expect(isScimError(error) && error.status === 400 && error.scimType).toBe("invalidPath");
  });
});

describe("discovery", () => {
  it("reads the ServiceProviderConfig once and caches it", async () => {
    const scim = client();
    const before = reference.log.filter((l) => l.includes("ServiceProviderConfig")).length;
    const config = await scim.serviceProviderConfig();
    expect(config.patch.supported).toBe(true);
    expect(config.bulk).toMatchObject({ supported: true, maxOperations: 4, maxPayloadSize: 64 * 1024 });
    expect(config.pagination?.cursor).toBe(true);
    await scim.serviceProviderConfig();
    expect(reference.log.filter((l) => l.includes("ServiceProviderConfig")).length).toBe(before + 1);
    await scim.serviceProviderConfig({ refresh: true });
    expect(reference.log.filter((l) => l.includes("ServiceProviderConfig")).length).toBe(before + 2);
  });

  it("lists resource types and schemas", async () => {
    const scim = client();
    const types = await scim.resourceTypes();
    expect(types.map((t) => [t.name, t.endpoint]).sort()).toStrictEqual([
      ["Group", "/Groups"],
      ["User", "/Users"],
    ]);
    const schemas = await scim.schemas();
    expect(schemas.map((s) => s.id)).toEqual(expect.arrayContaining([USER, GROUP, ENTERPRISE]));
    const userSchema = schemas.find((s) => s.id === USER);
    expect(userSchema?.attributes.some((a) => a.name === "userName" && a.uniqueness === "server")).toBe(true);
  });

  it("iterates with RFC 9865 cursors when the server advertises them", async () => {
    const scim = client();
    for (let i = 0; i < 5; i++) await scim.users.create(user(`auto-${i}`));
    const names: string[] = [];
    const start = reference.log.length;
    for await (const u of scim.users.iterate({ filter: 'userName sw "auto-"', count: 2 }))
      names.push(u.userName);
    expect(names.sort()).toStrictEqual(["auto-0", "auto-1", "auto-2", "auto-3", "auto-4"]);
    const pages = reference.log.slice(start).filter((l) => l.startsWith("GET /scim/v2/Users?"));
    expect(pages).toHaveLength(3);
    expect(pages.every((l) => l.includes("cursor="))).toBe(true);
    // "index" is still there to be asked for
    const indexStart = reference.log.length;
    for await (const _ of scim.users.iterate({
      filter: 'userName sw "auto-"',
      count: 2,
      pagination: "index",
    })) {
      // drain
    }
    const indexPages = reference.log.slice(indexStart).filter((l) => l.startsWith("GET /scim/v2/Users?"));
    expect(indexPages.every((l) => l.includes("startIndex=") && !l.includes("cursor="))).toBe(true);
  });
});

describe("bulk", () => {
  it("creates a user and a group that refers to it by bulkId, typed results per operation", async () => {
    const scim = client();
    const result = await scim.bulk((b) => {
      const alice = b.create("User", user("bulk-alice"));
      const admins = b.create("Group", {
        schemas: [GROUP],
        displayName: "bulk-admins",
        members: [{ value: alice.ref }],
      });
      b.patch("User", alice, (p) => [p.replace("displayName", "Alice")]);
      return admins;
    });
    expect(result.errors).toBe(0);
    expect(result.requests).toBe(1);
    expect(result.operations.map((o) => o.outcome)).toStrictEqual(["ok", "ok", "ok"]);
    const [aliceResult, groupResult] = result.operations;
    if (aliceResult?.outcome !== "ok" || groupResult?.outcome !== "ok") throw new Error("expected ok");
    const group = await scim.groups.get(groupResult.id as string);
    expect(group.members?.map((m) => m.value)).toStrictEqual([aliceResult.id]);
    expect((await scim.users.get(aliceResult.id as string)).displayName).toBe("Alice");
  });

  it("splits by the server's maxOperations and resolves bulkIds created by an earlier request", async () => {
    const scim = client();
    const start = reference.log.length;
    const result = await scim.bulk((b) => {
      const members = Array.from({ length: 6 }, (_, i) => b.create("User", user(`split-${i}`)));
      b.create("Group", {
        schemas: [GROUP],
        displayName: "split-group",
        members: members.map((m) => ({ value: m.ref })),
      });
    });
    expect(reference.log.slice(start).filter((l) => l === "POST /scim/v2/Bulk")).toHaveLength(2);
    expect(result.requests).toBe(2);
    expect(result.errors).toBe(0);
    const last = result.operations.at(-1);
    if (last?.outcome !== "ok") throw new Error("expected the group to be created");
    const group = await scim.groups.get(last.id as string);
    const ids = result.operations.slice(0, 6).map((o) => (o.outcome === "ok" ? o.id : undefined));
    expect(group.members?.map((m) => m.value).sort()).toStrictEqual([...ids].sort());
  });

  it("splits by maxPayloadSize", async () => {
    const scim = client();
    const big = "x".repeat(1000);
    const result = await scim.bulk(
      (b) => {
        for (let i = 0; i < 3; i++) b.create("User", user(`payload-${i}`, { title: big }));
      },
      { maxOperations: 10, maxPayloadSize: 2500 },
    );
    expect(result.requests).toBe(2);
    expect(result.operations.every((o) => o.outcome === "ok")).toBe(true);
  });

  it("rejects an operation larger than maxPayloadSize on its own with 413, before sending", async () => {
    const scim = client();
    const start = reference.log.length;
    const error = await rejection(
      scim.bulk((b) => void b.create("User", user("too-big", { title: "y".repeat(5000) })), {
        maxOperations: 10,
        maxPayloadSize: 1000,
      }),
    );
    expect(error.status).toBe(413);
    expect(error.detail).toMatch(/maxPayloadSize of 1000 bytes/);
    expect(reference.log.length).toBe(start);
  });

  it("reports failures as ScimErrors, counts failOnErrors across requests and skips the rest", async () => {
    const scim = client();
    await scim.users.create(user("dup-1"));
    const result = await scim.bulk(
      (b) => {
        b.create("User", user("dup-1")); // 409 uniqueness
        b.create("User", user("fine-1"));
        b.delete("User", "no-such-id"); // 404
        b.create("User", user("fine-2"));
        b.create("User", user("fine-3")); // second request
        b.create("User", user("fine-4"));
      },
      { failOnErrors: 2 },
    );
    const outcomes = result.operations.map((o) => o.outcome);
    expect(outcomes.slice(0, 3)).toStrictEqual(["failed", "ok", "failed"]);
    expect(outcomes.slice(3).every((o) => o === "skipped")).toBe(true);
    expect(result.errors).toBe(2);
    expect(result.requests).toBe(1);
    const first = result.operations[0];
    expect(first?.outcome === "failed" && [first.error.status, first.error.scimType]).toStrictEqual([
      409,
      "uniqueness",
    ]);
    const third = result.operations[2];
    expect(third?.outcome === "failed" && third.error.status).toBe(404);
  });

  it("does not send an operation that refers to a bulkId whose POST failed", async () => {
    const scim = client();
    await scim.users.create(user("dup-2"));
    const result = await scim.bulk(
      (b) => {
        const dup = b.create("User", user("dup-2"));
        b.create("User", user("filler-a"));
        b.create("User", user("filler-b"));
        b.create("User", user("filler-c"));
        b.create("Group", { schemas: [GROUP], displayName: "dead-ref", members: [{ value: dup.ref }] });
      },
      { maxOperations: 4, maxPayloadSize: 1_000_000 },
    );
    const last = result.operations.at(-1);
    expect(last?.outcome).toBe("failed");
    expect(last?.outcome === "failed" && last.error.detail).toMatch(/bulkId "op1", whose POST failed/);
    expect(result.requests).toBe(1);
  });

  it("takes raw operations, as they go on the wire", async () => {
    const scim = client();
    const result = await scim.bulk([
      { method: "POST", path: "/Users", bulkId: "raw", data: user("bulk-raw") },
      {
        method: "PATCH",
        path: "/Users/bulkId:raw",
        data: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "title", value: "Raw" }],
        },
      },
    ]);
    expect(result.operations.map((o) => o.outcome)).toStrictEqual(["ok", "ok"]);
  });
});

/** The reference handler behind a server that does not support PATCH (ServiceProviderConfig patch.supported false, 501 on PATCH). */
async function withoutPatch(): Promise<Running> {
  const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
  const listener = toNodeListener(async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "PATCH") {
      return Response.json(
        {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "501",
          detail: "PATCH is not supported",
        },
        { status: 501 },
      );
    }
    const response = await handler(request);
    if (!path.endsWith("/ServiceProviderConfig")) return response;
    const config = await response.json();
    return Response.json(
      { ...config, patch: { supported: false } },
      { headers: { "content-type": "application/scim+json" } },
    );
  });
  return listen(listener);
}

describe("PUT fallback for servers without PATCH", () => {
  let legacy: Running;
  beforeAll(async () => {
    legacy = await withoutPatch();
  });
  afterAll(() => close(legacy));

  it("patch() reads, applies locally and PUTs with If-Match when the server says patch.supported is false", async () => {
    const scim = createScimClient({ baseUrl: `${legacy.url}/scim/v2`, token: TOKEN, patch: putFallback() });
    const created = await scim.users.create(
      user("legacy", {
        emails: [
          { value: "l@work.example", type: "work" },
          { value: "l@home.example", type: "home" },
        ],
      }),
    );
    const start = legacy.log.length;
    const patched = await scim.users.patch(created.id, (p) => [
      p.replace("displayName", "Legacy"),
      p.where("emails", (e) => e.eq("type", "home")).remove(),
      p.add(`${ENTERPRISE}:department`, "Ops"),
    ]);
    expect(patched.displayName).toBe("Legacy");
    expect(patched.emails).toStrictEqual([{ value: "l@work.example", type: "work" }]);
    expect(patched[ENTERPRISE]?.department).toBe("Ops");
    expect(patched.schemas).toContain(ENTERPRISE);
    const methods = legacy.log.slice(start).map((l) => l.split(" ")[0]);
    expect(methods).toStrictEqual(["GET", "GET", "PUT"]); // ServiceProviderConfig, the user, the PUT
  });

  it("update() applies the diff to a fresh GET and PUTs that, so a projected `before` clears nothing", async () => {
    const scim = createScimClient({
      baseUrl: `${legacy.url}/scim/v2`,
      token: TOKEN,
      patch: putFallback({ when: "always" }),
    });
    const created = await scim.users.create(user("legacy-update", { title: "A", displayName: "Kept" }));
    const projected = await scim.users.get(created.id, { attributes: ["title"] });
    const start = legacy.log.length;
    const saved = await scim.users.update(created.id, projected, { ...projected, title: "B" });
    expect(saved).toMatchObject({ title: "B", displayName: "Kept" });
    expect(legacy.log.slice(start).map((l) => l.split(" ")[0])).toStrictEqual(["GET", "PUT"]);
  });

  it("without the fallback the 501 surfaces as a ScimError", async () => {
    const scim = createScimClient({ baseUrl: `${legacy.url}/scim/v2`, token: TOKEN });
    const created = await scim.users.create(user("legacy-native"));
    const error = await rejection(scim.users.patch(created.id, (p) => p.replace("title", "x")));
    expect(error.status).toBe(501);
  });

  it("a value filter that matches nothing fails with 400 noTarget and sends no PUT", async () => {
    const scim = createScimClient({
      baseUrl: `${legacy.url}/scim/v2`,
      token: TOKEN,
      patch: putFallback({ when: "always" }),
    });
    const created = await scim.users.create(
      user("legacy-notarget", { emails: [{ value: "a@b.c", type: "work" }] }),
    );
    const start = legacy.log.length;
    const error = await rejection(
      scim.users.patch(created.id, (p) =>
        p.where("emails", (e) => e.eq("type", "other")).replace("value", "x"),
      ),
    );
    expect([error.status, error.scimType]).toStrictEqual([400, "noTarget"]);
    expect(legacy.log.slice(start).some((l) => l.startsWith("PUT"))).toBe(false);
  });

  it("re-reads and retries when a concurrent change makes the PUT fail with 412", async () => {
    const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
    let interfere = 1;
    const racing = await listen(
      toNodeListener(async (request: Request) => {
        if (request.method === "PUT" && interfere > 0) {
          interfere--;
          // another client changes the resource between our GET and our PUT
          const other = new Request(request.url, {
            method: "PATCH",
            headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
            body: JSON.stringify({
              schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              Operations: [{ op: "replace", path: "nickName", value: "concurrent" }],
            }),
          });
          await handler(other);
        }
        return handler(request);
      }),
    );
    try {
      const scim = createScimClient({
        baseUrl: `${racing.url}/scim/v2`,
        token: TOKEN,
        patch: putFallback({ when: "always" }),
      });
      const created = await scim.users.create(user("racing"));
      const patched = await scim.users.patch(created.id, (p) => p.replace("title", "mine"));
      expect(patched.title).toBe("mine");
      expect(patched.nickName).toBe("concurrent"); // the other change was kept, not overwritten
      const puts = racing.log.filter((l) => l.startsWith("PUT"));
      expect(puts).toHaveLength(2);
    } finally {
      await close(racing);
    }
  });
});

describe("slow servers", () => {
  let slow: Running;
  beforeAll(async () => {
    slow = await listen((request: IncomingMessage, response) => {
      const delay = Number(/^\/delay\/(\d+)/.exec(request.url ?? "")?.[1] ?? "0");
      setTimeout(() => {
        response.writeHead(200, { "content-type": "application/scim+json" });
        response.end(JSON.stringify({ schemas: [], totalResults: 0, Resources: [] }));
      }, delay).unref();
    });
  });
  afterAll(() => close(slow));

  it("answers within the timeout are read", async () => {
    const scim = createScimClient({ baseUrl: slow.url, timeout: 2_000 });
    const page = await scim.resource("Slow", { endpoint: "/delay/100" }).list({ count: 1 });
    expect(page.totalResults).toBe(0);
  });

  it("a response slower than the timeout rejects with a TimeoutError, without retrying", async () => {
    const scim = createScimClient({ baseUrl: slow.url, timeout: 200 });
    const start = slow.log.length;
    const began = Date.now();
    const error = await scim
      .resource("Slow", { endpoint: "/delay/5000" })
      .get("x")
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(slow.log.length - start).toBe(1);
    const viaList = await scim
      .resource("Slow", { endpoint: "/delay/5000" })
      .list()
      .catch((e: unknown) => e);
    expect((viaList as Error).name).toBe("TimeoutError");
    expect(String((viaList as Error).message)).not.toContain("Bearer");
  });
});

describe("group membership through the typed builder", () => {
  it("adds and removes members by value filter", async () => {
    const scim = client();
    const a = await scim.users.create(user("member-a"));
    const b = await scim.users.create(user("member-b"));
    const input: GroupInput = { schemas: [GROUP], displayName: "members-group" };
    const group = await scim.groups.create(input);
    await scim.groups.patch(group.id, (p) => p.add("members", [{ value: a.id }, { value: b.id }]));
    const after = await scim.groups.patch(group.id, (p) =>
      p.where("members", (m) => m.eq("value", a.id)).remove(),
    );
    expect(after.members?.map((m) => m.value)).toStrictEqual([b.id]);
  });
});
