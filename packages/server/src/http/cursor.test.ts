/// <reference types="node" />
import { isScimError } from "@scimkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR, SEARCH_REQUEST, startServer, type TestServer } from "../replays/__fixtures__/server.js";
import { MemoryStore } from "../stores/memory-store.js";
import { group, user } from "./__fixtures__/handler.js";
import { LONG_TOKEN } from "./__fixtures__/stores.js";
import { type CursorBinding, checkCursorSecret, openCursor, sealCursor } from "./cursor.js";
import type { ScimHandlerOptions } from "./options.js";

const SECRET = "cursor-test-secret-0123456789abcdef";
const OTHER_TOKEN = "cursor-test-token-of-tenant-b-0123";
const NAMES = Array.from({ length: 9 }, (_, i) => `secret-name-${String.fromCharCode(97 + i)}@example.com`);

function fromBase64Url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}
function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

describe("RFC 9865 cursors through the handler", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({
      store: new MemoryStore(),
      token: LONG_TOKEN,
      auth: { tokens: { [LONG_TOKEN]: "tenant-a", [OTHER_TOKEN]: "tenant-b" } },
      cursorSecret: SECRET,
    });
    for (const name of NAMES) {
      const r = await s.request("/Users", { body: user(name, { title: "eng" }) });
      expect(r.status, r.text).toBe(201);
      const b = await s.request("/Users", { body: user(name, { title: "eng" }), token: OTHER_TOKEN });
      expect(b.status, b.text).toBe(201);
    }
    expect((await s.request("/Groups", { body: group("cursor-group") })).status).toBe(201);
  });
  afterAll(() => s.close());

  /** Every page of a cursor walk: the query string without cursor, the page size. */
  async function walk(query: string, token = LONG_TOKEN) {
    const names: string[] = [];
    const cursors: string[] = [];
    let cursor = "";
    for (let pages = 0; pages < 20; pages++) {
      const r = await s.request(`/Users?${query}&count=2&cursor=${cursor}`, { token });
      expect(r.status, r.text).toBe(200);
      names.push(...r.body.Resources.map((u: { userName: string }) => u.userName));
      if (r.body.nextCursor === undefined) return { names, cursors };
      cursor = r.body.nextCursor;
      cursors.push(cursor);
    }
    throw new Error("the cursor walk never ended");
  }

  async function expectInvalid(query: string, token = LONG_TOKEN) {
    const r = await s.request(`/Users?${query}`, { token });
    expect(r.status, `${query}: ${r.text}`).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], scimType: "invalidCursor" });
    return r.body.detail as string;
  }

  it("walks every page, sorted either way and filtered, and an empty cursor is the first page", async () => {
    const ascending = await walk("sortBy=userName");
    expect(ascending.names).toEqual([...NAMES].sort());
    expect(ascending.cursors).toHaveLength(4);
    const descending = await walk("sortBy=userName&sortOrder=descending");
    expect(descending.names).toEqual([...NAMES].sort().reverse());
    const filtered = await walk(
      `filter=${encodeURIComponent('userName sw "secret-name-" and title eq "eng"')}`,
    );
    expect(new Set(filtered.names)).toEqual(new Set(NAMES));
    const unsorted = await walk("");
    expect(new Set(unsorted.names)).toEqual(new Set(NAMES));
    for (const cursor of ascending.cursors) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("a cursor shows no userName or id: opaque even when base64-decoded", async () => {
    const { cursors } = await walk("sortBy=userName");
    const ids = (await s.request("/Users?count=20")).body.Resources.map((u: { id: string }) => u.id);
    for (const cursor of cursors) {
      const decoded = fromBase64Url(cursor);
      for (const text of [decoded.toString("latin1"), decoded.toString("utf8"), cursor]) {
        expect(text).not.toContain("secret-name");
        expect(text).not.toContain("@example.com");
        for (const id of ids) expect(text).not.toContain(id);
      }
    }
  });

  it("the same page twice gets different cursor text (a fresh salt each time) that both work", async () => {
    const one = await s.request("/Users?sortBy=userName&count=2&cursor");
    const two = await s.request("/Users?sortBy=userName&count=2&cursor");
    expect(one.body.nextCursor).not.toBe(two.body.nextCursor);
    const a = await s.request(`/Users?sortBy=userName&count=2&cursor=${one.body.nextCursor}`);
    const b = await s.request(`/Users?sortBy=userName&count=2&cursor=${two.body.nextCursor}`);
    expect(a.body.Resources).toEqual(b.body.Resources);
  });

  it("one changed byte anywhere, a cut or a longer cursor → 400 invalidCursor", async () => {
    const { cursors } = await walk("sortBy=userName");
    const cursor = cursors[0] as string;
    const bytes = fromBase64Url(cursor);
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] = (tampered[i] as number) ^ 0x01;
      await expectInvalid(`sortBy=userName&count=2&cursor=${toBase64Url(tampered)}`);
    }
    await expectInvalid(`sortBy=userName&count=2&cursor=${toBase64Url(bytes.subarray(0, -1))}`);
    await expectInvalid(`sortBy=userName&count=2&cursor=${cursor}A`);
    await expectInvalid(`sortBy=userName&count=2&cursor=${"A".repeat(10_000)}`);
  });

  it("garbage and the old unsigned form → 400 invalidCursor with one message for every cause", async () => {
    const legacy = toBase64Url(Buffer.from(JSON.stringify([NAMES[0], "some-id"])));
    const details = new Set<string>();
    for (const cursor of ["garbage", "%%%", "eyJhIjoxfQ", legacy, "AQ", "-_-_", "abc=", "a b"])
      details.add(await expectInvalid(`sortBy=userName&cursor=${encodeURIComponent(cursor)}`));
    const { cursors } = await walk("sortBy=userName");
    details.add(await expectInvalid(`sortBy=displayName&cursor=${cursors[0]}`));
    details.add(await expectInvalid(`sortBy=userName&cursor=${cursors[0]}`, OTHER_TOKEN));
    // RFC 9865 §5.2: the same answer whatever the reason, so it tells nothing about the data.
    expect(details.size).toBe(1);
    expect([...details][0]).toContain("RFC 9865");
  });

  it("a cursor of tenant A used by tenant B → invalidCursor, though B has the same users", async () => {
    const a = await walk("sortBy=userName");
    const b = await walk("sortBy=userName", OTHER_TOKEN);
    expect(b.names).toEqual(a.names);
    await expectInvalid(`sortBy=userName&count=2&cursor=${a.cursors[0]}`, OTHER_TOKEN);
    await expectInvalid(`sortBy=userName&count=2&cursor=${b.cursors[0]}`);
  });

  it("another filter, sortBy, sortOrder or resource type → invalidCursor; the count may change", async () => {
    const filter = encodeURIComponent('title eq "eng"');
    const { cursors } = await walk(`filter=${filter}&sortBy=userName`);
    const cursor = cursors[0] as string;
    const ok = await s.request(`/Users?filter=${filter}&sortBy=userName&count=5&cursor=${cursor}`);
    expect(ok.status, ok.text).toBe(200);
    await expectInvalid(`sortBy=userName&cursor=${cursor}`);
    await expectInvalid(`filter=${encodeURIComponent('title eq "ops"')}&sortBy=userName&cursor=${cursor}`);
    await expectInvalid(`filter=${filter}&cursor=${cursor}`);
    await expectInvalid(`filter=${filter}&sortBy=title&cursor=${cursor}`);
    await expectInvalid(`filter=${filter}&sortBy=userName&sortOrder=descending&cursor=${cursor}`);
    const plain = (await walk("")).cursors[0] as string;
    const groups = await s.request(`/Groups?count=2&cursor=${plain}`);
    expect(groups.status, groups.text).toBe(400);
    expect(groups.body.scimType).toBe("invalidCursor");
  });

  it("the same filter written differently is the same query (bound to the parsed filter)", async () => {
    const { cursors } = await walk(`filter=${encodeURIComponent('title eq "eng"')}&sortBy=userName`);
    const spaced = encodeURIComponent('  (title  eq  "eng")  ');
    const r = await s.request(`/Users?filter=${spaced}&sortBy=userName&count=2&cursor=${cursors[0]}`);
    expect(r.status, r.text).toBe(200);
  });

  it("POST /Users/.search pages by cursor too, with the same binding as GET", async () => {
    const first = await s.request("/Users/.search", {
      body: { schemas: [SEARCH_REQUEST], sortBy: "userName", count: 4, cursor: "" },
    });
    expect(first.status, first.text).toBe(200);
    const next = await s.request(`/Users?sortBy=userName&count=4&cursor=${first.body.nextCursor}`);
    expect(next.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(
      [...NAMES].sort().slice(4, 8),
    );
    const other = await s.request("/Users/.search", {
      body: { schemas: [SEARCH_REQUEST], sortBy: "title", count: 4, cursor: first.body.nextCursor },
    });
    expect(other.body.scimType).toBe("invalidCursor");
  });

  it("a handler without cursorSecret seals with its own random secret: another handler rejects its cursors", async () => {
    const store = new MemoryStore();
    const one = await startServer({ store, token: LONG_TOKEN });
    const two = await startServer({ store: { ...storeView(store) }, token: LONG_TOKEN });
    try {
      for (const name of NAMES.slice(0, 3)) await one.request("/Users", { body: user(name) });
      const page = await one.request("/Users?count=1&cursor");
      expect(page.body.nextCursor).toBeDefined();
      const same = await one.request(`/Users?count=1&cursor=${page.body.nextCursor}`);
      expect(same.status).toBe(200);
      const other = await two.request(`/Users?count=1&cursor=${page.body.nextCursor}`);
      expect(other.status).toBe(400);
      expect(other.body.scimType).toBe("invalidCursor");
    } finally {
      await one.close();
      await two.close();
    }
  });
});

/** The store's methods without close, so a second server on the same store does not close it twice. */
function storeView(store: MemoryStore) {
  return {
    get: store.get.bind(store),
    create: store.create.bind(store),
    update: store.update.bind(store),
    delete: store.delete.bind(store),
    query: store.query.bind(store),
  };
}

describe("sealCursor / openCursor", () => {
  const options = { store: new MemoryStore(), cursorSecret: SECRET } as ScimHandlerOptions;
  const binding: CursorBinding = {
    tenant: "acme",
    resourceType: "User",
    filter: 'userName sw "b"',
    sortBy: "userName",
    sortOrder: "ascending",
  };

  it("round-trips any raw cursor, unicode included", async () => {
    for (const raw of ["", "WyJiamVuc2VuIiwiMSJd", "ümlaut 😀", "x".repeat(2000)])
      expect(await openCursor(options, binding, await sealCursor(options, binding, raw))).toBe(raw);
  });

  it.each(["tenant", "resourceType", "filter", "sortBy", "sortOrder"] as const)(
    "a different %s does not open it",
    async (field) => {
      const sealed = await sealCursor(options, binding, "raw");
      const error = await openCursor(options, { ...binding, [field]: `${binding[field]}x` }, sealed).catch(
        (e: unknown) => e,
      );
      expect(isScimError(error) && error.scimType).toBe("invalidCursor");
    },
  );

  it("the same secret as a string or as its UTF-8 bytes is the same key; another secret is not", async () => {
    const sealed = await sealCursor(options, binding, "raw");
    const bytes = { ...options, cursorSecret: new TextEncoder().encode(SECRET) };
    expect(await openCursor(bytes, binding, sealed)).toBe("raw");
    const other = { ...options, cursorSecret: `${SECRET}!` };
    const error = await openCursor(other, binding, sealed).catch((e: unknown) => e);
    expect(isScimError(error) && error.scimType).toBe("invalidCursor");
  });

  it("cursorSecret must be at least 32 characters or bytes (a TypeError naming the option)", () => {
    expect(() => checkCursorSecret({ cursorSecret: "short" })).toThrow(/cursorSecret must be at least 32/);
    expect(() => checkCursorSecret({ cursorSecret: "" })).toThrow(TypeError);
    expect(() => checkCursorSecret({ cursorSecret: new Uint8Array(31) })).toThrow(TypeError);
    expect(() => checkCursorSecret({ cursorSecret: 42 as unknown as string })).toThrow(
      /string or a Uint8Array/,
    );
    expect(() => checkCursorSecret({ cursorSecret: "x".repeat(32) })).not.toThrow();
    expect(() => checkCursorSecret({ cursorSecret: new Uint8Array(32) })).not.toThrow();
    expect(() => checkCursorSecret({})).not.toThrow();
  });
});
