/// <reference types="node" />
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ERROR, SEARCH_REQUEST, type TestServer } from "../replays/__fixtures__/server.js";
import { MemoryStore } from "../stores/memory-store.js";
import { create, patch, server, user } from "./__fixtures__/handler.js";
import { createScimHandler } from "./handler.js";

describe("authentication and tenants", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({
      auth: {
        tokens: { "token-acme-0123456789": "acme", "token-globex-0123456789": "globex" },
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
      const r = await s.request(path, { token: "token-acmf-0123456789" });
      expect(r.status, path).toBe(401);
    }
  });

  it("each token sees only its tenant's resources", async () => {
    const a = await create(
      s,
      "/Users",
      user("shared-name", { displayName: "Acme" }),
      "token-acme-0123456789",
    );
    // The same userName in another tenant is no conflict.
    const b = await create(
      s,
      "/Users",
      user("shared-name", { displayName: "Globex" }),
      "token-globex-0123456789",
    );
    const listA = await s.request("/Users", { token: "token-acme-0123456789" });
    expect(listA.body.Resources.map((r: { id: string }) => r.id)).toEqual([a.id]);
    const listB = await s.request('/Users?filter=userName eq "shared-name"', {
      token: "token-globex-0123456789",
    });
    expect(listB.body.totalResults).toBe(1);
    expect(listB.body.Resources[0].id).toBe(b.id);
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", user("stolen")],
      ["PATCH", patch({ op: "replace", path: "displayName", value: "stolen" })],
      ["DELETE", undefined],
    ] as const) {
      const r = await s.request(`/Users/${a.id}`, { method, body, token: "token-globex-0123456789" });
      expect(r.status, method).toBe(404);
    }
    const root = await s.request("/.search", {
      body: { schemas: [SEARCH_REQUEST] },
      token: "token-globex-0123456789",
    });
    expect(root.body.Resources.map((r: { id: string }) => r.id)).toEqual([b.id]);
    const still = await s.request(`/Users/${a.id}`, { token: "token-acme-0123456789" });
    expect(still.body.displayName).toBe("Acme");
  });

  it("the verify hook yields a tenant", async () => {
    const c = await create(s, "/Users", user("initech-user"), "jwt-initech");
    const own = await s.request(`/Users/${c.id}`, { token: "jwt-initech" });
    expect(own.status).toBe(200);
    const other = await s.request(`/Users/${c.id}`, { token: "token-acme-0123456789" });
    expect(other.status).toBe(404);
    const denied = await s.request("/Users", { token: "jwt-unknown" });
    expect(denied.status).toBe(401);
  });
});

describe("bearer challenges (RFC 6750 §3)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await server({
      auth: {
        tokens: ["a-static-token-0123456789"],
        verify: (token) => (token === "jwt-that-verifies" ? { tenant: "jwt" } : undefined),
      },
    });
  });

  it("no credentials, or another scheme: a challenge without an error code (§3)", async () => {
    for (const headers of [{}, { authorization: "Basic YTpi" }, { authorization: "Bearer " }]) {
      const r = await s.request("/Users", { token: null, headers });
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Bearer realm="SCIM"');
      expect(r.body.detail).toBe("authentication required: send Authorization: Bearer <token>");
    }
  });

  it('a token nobody accepts: error="invalid_token" (§3.1), the token not echoed', async () => {
    for (const token of ["a-static-token-0123456780", "jwt-that-fails", "short-unknown"]) {
      const r = await s.request("/Users", { token });
      expect(r.status, token).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe('Bearer realm="SCIM", error="invalid_token"');
      expect(r.body).toMatchObject({ schemas: [ERROR], status: "401" });
      expect(r.text).not.toContain(token);
    }
    expect((await s.request("/Users", { token: "a-static-token-0123456789" })).status).toBe(200);
    expect((await s.request("/Users", { token: "jwt-that-verifies" })).status).toBe(200);
  });
});

describe("static tokens are checked when the handler is created", () => {
  const store = new MemoryStore();
  const attempt = (tokens: readonly string[] | Record<string, string>) => () =>
    createScimHandler({ store, auth: { tokens } });

  it.each([
    ["empty", [""], /auth\.tokens\[0\] is empty/],
    ["blank", ["a-good-token-0123456789", "   "], /auth\.tokens\[1\] is empty/],
    ["an unset variable as a string", ["undefined"], /auth\.tokens\[0\] is the text "undefined"/],
    ["null as a string", ["NULL"], /auth\.tokens\[0\] is the text "NULL"/],
    ["short", ["fifteen-chars-x"], /auth\.tokens\[0\] is 15 characters long, shorter than 16/],
    ["with whitespace", ["a token with spaces in it"], /auth\.tokens\[0\] holds whitespace/],
    [
      "a tenant map with an unset variable as its key",
      { [String(process.env.SCIMKIT_SURELY_UNSET_VARIABLE)]: "acme" },
      /the auth\.tokens entry for tenant "acme" is the text "undefined"/,
    ],
    ["a tenant map with a short token", { "short-secret": "globex" }, /tenant "globex" is 12 characters/],
  ])("%s → TypeError naming the entry, not the token", (_, tokens, message) => {
    expect(attempt(tokens)).toThrow(TypeError);
    expect(attempt(tokens)).toThrow(message);
    expect(attempt(tokens)).toThrow(/at least 16 characters/);
    try {
      attempt(tokens)();
    } catch (error) {
      for (const token of Array.isArray(tokens) ? tokens : Object.keys(tokens))
        if (token.trim().length > 4 && !/^(undefined|null)$/i.test(token))
          expect((error as Error).message).not.toContain(token);
    }
  });

  it("16 characters or more, and verify-only auth, are accepted", () => {
    expect(attempt(["sixteen-chars-ok"])).not.toThrow();
    expect(attempt({ "a-tenant-token-0123": "acme" })).not.toThrow();
    expect(() => createScimHandler({ store, auth: { verify: () => undefined } })).not.toThrow();
  });

  it("minTokenLength lowers the length rule on purpose, never the empty / unset-variable rules", () => {
    const short = (tokens: readonly string[], minTokenLength: number) => () =>
      createScimHandler({ store, auth: { tokens, minTokenLength } });
    expect(short(["secret"], 6)).not.toThrow();
    expect(short(["secret"], 7)).toThrow(/is 6 characters long, shorter than 7/);
    expect(short([""], 1)).toThrow(/is empty/);
    expect(short(["undefined"], 1)).toThrow(/is the text "undefined"/);
    expect(short(["secret"], 0)).toThrow(/minTokenLength must be a whole number of at least 1/);
  });
});

describe("a handler without auth", () => {
  it("warns once per process that every request is accepted", () => {
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("@scimkit/server:no-auth-warning")];
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      createScimHandler({ store: new MemoryStore() });
      createScimHandler({ store: new MemoryStore() });
      createScimHandler({ store: new MemoryStore(), auth: { tokens: ["a-good-token-0123456789"] } });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        /createScimHandler has no `auth` option, so every request is accepted as tenant "default"/,
      );
    } finally {
      warn.mockRestore();
    }
  });
});
