/// <reference types="node" />
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { BULK_REQUEST, type TestServer, TOKEN } from "../replays/__fixtures__/server.js";
import { MemoryStore } from "../stores/memory-store.js";
import { group, server, user } from "./__fixtures__/handler.js";
import { createScimHandler } from "./handler.js";

/**
 * A reverse proxy on its own port, as nginx with `proxy_pass http://127.0.0.1:<port>` and
 * `proxy_set_header` lines would be: it forwards every request to `upstream` with the Host of the
 * upstream and the headers `forwarded(req)` returns (its `undefined` values drop the client's header).
 */
async function reverseProxy(
  upstream: TestServer,
  forwarded: (req: IncomingHttpHeaders) => Record<string, string | undefined>,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const target = new URL(upstream.origin);
  const proxy: Server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    for (const [name, value] of Object.entries(forwarded(req.headers))) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const out = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

const proxies: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
});

/** nginx's `proxy_set_header X-Forwarded-Proto https; proxy_set_header X-Forwarded-Host $host;` for scim.example.com. */
const nginxLike = (headers: IncomingHttpHeaders) => ({
  "x-forwarded-proto": "https",
  // The test's stand-in for a Host header the client chose ($host): forwarded as the proxy would.
  "x-forwarded-host": (headers["x-test-host"] as string | undefined) ?? "scim.example.com",
  "x-forwarded-for": "203.0.113.7",
});

/** A client of the SCIM endpoints through the proxy at `origin`. */
function through(s: TestServer, origin: string): TestServer["request"] {
  const base = `${origin}${new URL(s.base).pathname}`.replace(/\/$/, "");
  return (path, init) => s.request(`${base}${path}`, init);
}

/** Every `$ref`, `location` and `meta.location` in a response body. */
function locationsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) locationsIn(item, out);
  else if (typeof value === "object" && value !== null)
    for (const [key, item] of Object.entries(value)) {
      if ((key === "$ref" || key === "location") && typeof item === "string") out.push(item);
      else locationsIn(item, out);
    }
  return out;
}

describe("behind a reverse proxy that sets X-Forwarded-Proto / X-Forwarded-Host", () => {
  const PUBLIC = "https://scim.example.com/scim/v2";

  it("trustProxy: Location, meta.location, $ref, bulk and discovery locations use the public origin", async () => {
    const s = await server({ trustProxy: true });
    const proxy = await reverseProxy(s, nginxLike);
    proxies.push(proxy);
    const request = through(s, proxy.origin);

    const created = await request("/Users", { body: user("proxied") });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get("location")).toBe(`${PUBLIC}/Users/${id}`);
    expect(created.body.meta.location).toBe(`${PUBLIC}/Users/${id}`);
    expect(created.headers.get("content-location")).toBe(`${PUBLIC}/Users/${id}`);

    const g = await request("/Groups", { body: group("proxied-group", [id]) });
    expect(g.status, g.text).toBe(201);
    expect(g.body.meta.location).toBe(`${PUBLIC}/Groups/${g.body.id}`);
    // RFC 7643 §4.2: members carry "$ref", the URI of the member resource.
    expect(g.body.members).toEqual([expect.objectContaining({ value: id, $ref: `${PUBLIC}/Users/${id}` })]);
    for (const location of locationsIn(g.body))
      expect(location.startsWith(`${PUBLIC}/`), location).toBe(true);

    const u = await request(`/Users/${id}`);
    expect(u.body.groups).toEqual([
      expect.objectContaining({ value: g.body.id, $ref: `${PUBLIC}/Groups/${g.body.id}` }),
    ]);
    const list = await request("/Users?attributes=groups");
    const locations = locationsIn(list.body);
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) expect(location.startsWith(`${PUBLIC}/`), location).toBe(true);

    const bulk = await request("/Bulk", {
      body: {
        schemas: [BULK_REQUEST],
        Operations: [
          { method: "POST", path: "/Users", bulkId: "b1", data: user("proxied-bulk") },
          { method: "DELETE", path: "/Users/no-such-id" },
        ],
      },
    });
    expect(bulk.body.Operations[0].location).toMatch(new RegExp(`^${PUBLIC}/Users/[0-9a-f-]+$`));
    expect(bulk.body.Operations[1].location).toBe(`${PUBLIC}/Users/no-such-id`);

    const config = await request("/ServiceProviderConfig");
    expect(config.body.meta.location).toBe(`${PUBLIC}/ServiceProviderConfig`);
    const types = await request("/ResourceTypes");
    expect(types.body.Resources[0].meta.location).toMatch(new RegExp(`^${PUBLIC}/ResourceTypes/`));
    const schema = await request("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    expect(schema.body.meta.location).toBe(`${PUBLIC}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User`);
  });

  it("without trustProxy the forwarded headers are ignored", async () => {
    const s = await server();
    const proxy = await reverseProxy(s, nginxLike);
    proxies.push(proxy);
    const created = await through(s, proxy.origin)("/Users", { body: user("not-trusted") });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${s.base}/Users/${created.body.id}`);
    expect(created.body.meta.location).toBe(`${s.base}/Users/${created.body.id}`);
  });

  it("Forwarded (RFC 7239): the first element's proto and host, quoted or not, win over X-Forwarded-*", async () => {
    const s = await server({ trustProxy: true });
    const proxy = await reverseProxy(s, (headers) => ({
      forwarded: headers["x-test-forwarded"] as string | undefined,
      "x-forwarded-proto": "http",
      "x-forwarded-host": "x-forwarded.example.com",
    }));
    proxies.push(proxy);
    const request = through(s, proxy.origin);
    const cases: [string, string][] = [
      [
        'for=192.0.2.60;proto=https;host="scim.example.com:8443", for=10.0.0.1;proto=http;host=internal',
        "https://scim.example.com:8443",
      ],
      ["Proto=HTTPS;Host=Scim.Example.COM", "https://scim.example.com"],
      ['for="[2001:db8::1]";host="[2001:db8::17]:4711";proto=https', "https://[2001:db8::17]:4711"],
      ["proto=https;host=scim.example.com:443", "https://scim.example.com"],
      // only proto in Forwarded: the host comes from X-Forwarded-Host
      ["proto=https", "https://x-forwarded.example.com"],
    ];
    for (const [forwarded, origin] of cases) {
      const r = await request("/ServiceProviderConfig", { headers: { "x-test-forwarded": forwarded } });
      expect(r.body.meta.location, forwarded).toBe(`${origin}/scim/v2/ServiceProviderConfig`);
    }
  });

  it("hostile forwarded values are ignored, never reflected", async () => {
    const s = await server({ trustProxy: true });
    const proxy = await reverseProxy(s, nginxLike);
    proxies.push(proxy);
    const request = through(s, proxy.origin);
    const own = new URL(s.base).host;
    for (const host of [
      "evil.com/path",
      "a b",
      'x"y',
      "evil.com@attacker.example",
      "user:pass@evil.com",
      "evil.com?x=1",
      "evil.com#frag",
      "evil.com:99999",
      "evil.com:80:80",
      "https://evil.com",
      "[::1",
      "evil.com\\x",
      "<script>",
      "%65vil.com",
      `${"a".repeat(300)}.com`,
    ]) {
      const r = await request("/Users", {
        body: user(`hostile-${Math.random()}`),
        headers: { "x-test-host": host },
      });
      expect(r.status, host).toBe(201);
      // The proto (https) is still honoured; the host falls back to the request's own.
      expect(r.headers.get("location"), host).toBe(`https://${own}/scim/v2/Users/${r.body.id}`);
      expect(r.text, host).not.toContain("evil");
      expect(r.text, host).not.toContain("script");
    }
    const badProto = await reverseProxy(s, () => ({
      "x-forwarded-proto": "javascript",
      "x-forwarded-host": "scim.example.com",
    }));
    proxies.push(badProto);
    const r = await through(s, badProto.origin)("/ServiceProviderConfig");
    expect(r.body.meta.location).toBe("http://scim.example.com/scim/v2/ServiceProviderConfig");
    const badForwarded = await reverseProxy(s, () => ({ forwarded: 'proto=https;host="evil.com/x"' }));
    proxies.push(badForwarded);
    const f = await through(s, badForwarded.origin)("/ServiceProviderConfig");
    expect(f.body.meta.location).toBe(`https://${own}/scim/v2/ServiceProviderConfig`);
  });

  it("publicUrl wins over the request and the proxy headers, with or without trustProxy", async () => {
    for (const trustProxy of [true, false]) {
      const s = await server({ publicUrl: "https://idp-facing.example.org/tenant-a/scim/", trustProxy });
      const proxy = await reverseProxy(s, nginxLike);
      proxies.push(proxy);
      for (const request of [through(s, proxy.origin), s.request]) {
        const created = await request("/Users", { body: user(`public-${trustProxy}-${Math.random()}`) });
        expect(created.headers.get("location")).toBe(
          `https://idp-facing.example.org/tenant-a/scim/Users/${created.body.id}`,
        );
        const config = await request("/ServiceProviderConfig");
        expect(config.body.meta.location).toBe(
          "https://idp-facing.example.org/tenant-a/scim/ServiceProviderConfig",
        );
      }
    }
  });

  it("publicUrl must be an absolute http(s) URL without credentials, query or fragment", () => {
    const store = new MemoryStore();
    const auth = { tokens: [TOKEN] };
    for (const [publicUrl, message] of [
      ["scim.example.com/scim/v2", /is not an absolute URL/],
      ["/scim/v2", /is not an absolute URL/],
      ["", /is not an absolute URL/],
      ["ftp://scim.example.com/scim/v2", /must start with https:\/\/ or http:\/\//],
      ["https://user:secret@scim.example.com/scim/v2", /must not hold credentials/],
      ["https://scim.example.com/scim/v2?tenant=a", /must not have a query or a fragment/],
      ["https://scim.example.com/scim/v2#x", /must not have a query or a fragment/],
    ] as const) {
      const make = () => createScimHandler({ store, auth, publicUrl });
      expect(make, publicUrl).toThrow(TypeError);
      expect(make, publicUrl).toThrow(message);
      expect(make, publicUrl).toThrow(/such as "https:\/\/scim\.example\.com\/scim\/v2"/);
    }
    expect(() =>
      createScimHandler({ store, auth, publicUrl: "https://user:hunter2@scim.example.com/" }),
    ).toThrow(/^createScimHandler: publicUrl \(scim\.example\.com\) must not hold credentials;/);
    try {
      createScimHandler({ store, auth, publicUrl: "https://user:hunter2@scim.example.com/" });
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
    }
    expect(() => createScimHandler({ store, auth, publicUrl: "http://localhost:8080" })).not.toThrow();
  });
});
