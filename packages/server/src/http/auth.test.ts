/// <reference types="node" />
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR, SEARCH_REQUEST, type TestServer } from "../replays/__fixtures__/server.js";
import { create, patch, server, user } from "./__fixtures__/handler.js";

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
