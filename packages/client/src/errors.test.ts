/// <reference types="node" />

import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, rejection } from "./__fixtures__/http.js";
import { type Reference, startReference, TOKEN, user } from "./__fixtures__/reference-server.js";
import { createScimClient, type ScimClient, ScimError } from "./index.js";

let reference: Reference;
let baseUrl: string;
let client: ScimClient;

beforeAll(async () => {
  reference = await startReference();
  baseUrl = reference.baseUrl;
  client = createScimClient({ baseUrl, token: TOKEN });
});

afterAll(() => close(reference));

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
