/// <reference types="node" />
import { coreBundle, type ResourceTypeDefinition } from "@scimkit/core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ENTERPRISE,
  ERROR,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  type TestServer,
  USER_SCHEMA,
} from "../replays/__fixtures__/server.js";
import { MemoryStore } from "../stores/memory-store.js";
import { create, server, user } from "./__fixtures__/handler.js";
import { createScimHandler } from "./handler.js";

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
      changePassword: { supported: true },
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
    // In the bundle's order, as RFC 7643 §8.6 lists them: User first.
    const names = all.body.Resources.map((t: { name: string }) => t.name);
    expect(names).toEqual(["User", "Group"]);
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
      expect(r.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("a filter on /Schemas or /ResourceTypes → 403 (RFC 7644 §4); other query parameters are ignored", async () => {
    for (const path of [
      '/Schemas?filter=id eq "urn:ietf:params:scim:schemas:core:2.0:User"',
      '/ResourceTypes?filter=name eq "User"',
      `/Schemas/${USER_SCHEMA}?filter=x`,
      "/ResourceTypes/User?filter=",
    ]) {
      const r = await s.request(path);
      expect(r.status, path).toBe(403);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: "403" });
      expect(r.body.detail).toMatch(/cannot be filtered \(RFC 7644 §4\)/);
    }
    const sorted = await s.request("/Schemas?sortBy=id&count=1&startIndex=2");
    expect(sorted.status).toBe(200);
    expect(sorted.body.totalResults).toBe(sorted.body.Resources.length);
    expect((await s.request("/ServiceProviderConfig?filter=x")).status).toBe(200);
  });
});

describe("a bundle with two resource types on one endpoint", () => {
  it("is refused at construction, naming both (a Device at /Users would take the User's requests)", () => {
    const registry = coreBundle();
    const device = {
      ...(registry.resourceTypes[0] as ResourceTypeDefinition),
      id: "Device",
      name: "Device",
      endpoint: "/users/",
    };
    const bundle = { ...registry, resourceTypes: [...registry.resourceTypes, device] };
    expect(() =>
      createScimHandler({ store: new MemoryStore(), auth: { tokens: ["a-test-token-0123456789"] }, bundle }),
    ).toThrow(/resource types "User" and "Device" both have endpoint "\/users\/"/);
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
    expect(wrong.headers.get("allow")).toBe("GET, POST, HEAD");
    const onResource = await s.request("/Users/123", { method: "POST", body: user("x") });
    expect(onResource.status).toBe(405);
    expect(onResource.headers.get("allow")).toBe("GET, PUT, PATCH, DELETE, HEAD");
    const bulk = await s.request("/Bulk");
    expect(bulk.status).toBe(405);
    expect(bulk.headers.get("allow")).toBe("POST");
    expect(bulk.body.detail).toBe("GET is not allowed on /Bulk; use POST");
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
    const outside = await s.request(`${s.origin}/scim/v2/Users`);
    expect(outside.status).toBe(404);
    expect(outside.body).toMatchObject({ schemas: [ERROR], status: "404" });
    expect(outside.body.detail).toBe(
      'no SCIM endpoint at "/scim/v2/Users": this handler serves SCIM under /api/scim (set the basePath option of createScimHandler to serve it elsewhere)',
    );
    // Said before authentication, so a client with the wrong URL learns it even before its token is right.
    const anonymous = await s.request(`${s.origin}/scim/v2/Users`, { token: null });
    expect(anonymous.status).toBe(404);
    expect(anonymous.body.detail).toContain("under /api/scim");
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
