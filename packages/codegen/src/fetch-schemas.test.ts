// fetchSchemas, parseFetched and saveSchemas against small real node:http servers on 127.0.0.1: the
// answers live SCIM servers give (pages, bare arrays, meta, nulls, common attributes) and the failures
// (a refused token, an HTML error page, nothing listening, no answer in time).
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { SchemaLoadError } from "@scimkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, snapshotFolder } from "./__fixtures__/consumer.js";
import { answer, closeServers, serve, type TestHttpServer } from "./__fixtures__/http.js";
import { CORE_DIR, removeTempFolders, tempFolder } from "./__fixtures__/model.js";
import { type FetchedSchemas, fetchSchemas, SchemaFetchError } from "./fetch-schemas.js";
import { render } from "./generate.js";
import { listJsonFiles, loadSchemaFolder, resolveModel } from "./load.js";
import { parseFetched } from "./parse-fetched.js";
import { kebabCase, saveSchemas } from "./save-schemas.js";

afterAll(async () => {
  await closeServers();
  await removeTempFolders();
});

const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const TOKEN = "fetch-test-token-6a0e41";

type Json = Record<string, unknown>;

/** The RFC 7643 core schemas and resource types of schemas/core, as JSON objects, in file order. */
async function coreDefinitions(): Promise<{ Schemas: Json[]; ResourceTypes: Json[] }> {
  const out: { Schemas: Json[]; ResourceTypes: Json[] } = { Schemas: [], ResourceTypes: [] };
  for (const file of (await listJsonFiles(CORE_DIR)).sort()) {
    const value = JSON.parse(await readFile(file, "utf8")) as Json;
    if ("endpoint" in value) out.ResourceTypes.push(value);
    else if ("attributes" in value) out.Schemas.push(value);
  }
  return out;
}

/**
 * A SCIM server's discovery endpoints serving `lists` under /scim/v2: ListResponses paged by
 * startIndex/count at most `pageSize` long, or bare arrays.
 */
function discovery(
  lists: { Schemas: unknown[]; ResourceTypes: unknown[] },
  options: { pageSize?: number; arrays?: boolean; ignoreStartIndex?: boolean; overlap?: number } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const endpoint = url.pathname.replace(/^\/scim\/v2\//, "");
    const items = endpoint === "Schemas" || endpoint === "ResourceTypes" ? lists[endpoint] : undefined;
    if (!items) return answer(404, { status: "404", detail: "no such endpoint" })(req, res);
    if (options.arrays) return answer(200, items, { "content-type": "application/json" })(req, res);
    const asked = Number(url.searchParams.get("startIndex") ?? "1");
    const start = options.ignoreStartIndex
      ? 1
      : Math.max(1, asked - (asked > 1 ? (options.overlap ?? 0) : 0));
    const size = Math.min(Number(url.searchParams.get("count") ?? Infinity), options.pageSize ?? Infinity);
    const page = items.slice(start - 1, start - 1 + size);
    answer(200, {
      schemas: [LIST_RESPONSE],
      totalResults: items.length,
      itemsPerPage: page.length,
      startIndex: start,
      Resources: page,
    })(req, res);
  };
}

/** What generating from schemas/core renders, by file. */
async function coreOutput(): Promise<Record<string, string>> {
  const files = await render(resolveModel(await loadSchemaFolder(CORE_DIR)));
  return Object.fromEntries(files.map((f) => [f.path, f.contents]));
}

async function renderFetched(fetched: FetchedSchemas): Promise<Record<string, string>> {
  const model = resolveModel(parseFetched(fetched), { origin: "the server's /Schemas" });
  return Object.fromEntries((await render(model)).map((f) => [f.path, f.contents]));
}

/** The SchemaFetchError (or other error) a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<SchemaFetchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SchemaFetchError))
    throw new Error(`expected a SchemaFetchError, got ${String(error)}`);
  return error;
}

let core: { Schemas: Json[]; ResourceTypes: Json[] };
let expected: Record<string, string>;
beforeAll(async () => {
  core = await coreDefinitions();
  expected = await coreOutput();
}, 30_000);

describe("fetchSchemas: lists", () => {
  it("follows startIndex pagination (RFC 7644 §3.4.2.4) when a server pages the lists", async () => {
    const server = await serve(discovery(core, { pageSize: 2 }));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2` });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/scim/v2/ResourceTypes",
      "/scim/v2/Schemas",
      "/scim/v2/Schemas?startIndex=3&count=2",
      "/scim/v2/Schemas?startIndex=5&count=2",
    ]);
    expect(fetched.schemas.map((s) => [s.file, s.pointer])).toEqual([
      [`${server.origin}/scim/v2/Schemas`, "/Resources/0"],
      [`${server.origin}/scim/v2/Schemas`, "/Resources/1"],
      [`${server.origin}/scim/v2/Schemas (page at startIndex 3)`, "/Resources/0"],
      [`${server.origin}/scim/v2/Schemas (page at startIndex 3)`, "/Resources/1"],
      [`${server.origin}/scim/v2/Schemas (page at startIndex 5)`, "/Resources/0"],
      [`${server.origin}/scim/v2/Schemas (page at startIndex 5)`, "/Resources/1"],
    ]);
    expect(fetched.notes).toEqual([]);
    expect(await renderFetched(fetched)).toEqual(expected);
  }, 30_000);

  it("accepts bare JSON arrays, which some servers return", async () => {
    const server = await serve(discovery(core, { arrays: true }));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2/` });
    expect(fetched.schemas.map((s) => s.pointer)).toEqual(["/0", "/1", "/2", "/3", "/4", "/5"]);
    expect(await renderFetched(fetched)).toEqual(expected);
  }, 30_000);

  it("drops a definition repeated identically by overlapping pages", async () => {
    const server = await serve(discovery(core, { pageSize: 4, overlap: 1 }));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2` });
    expect(fetched.schemas).toHaveLength(6);
    expect(fetched.notes).toEqual([]);
  });

  it("stops, with a note, when a server that pages ignores startIndex", async () => {
    const server = await serve(discovery(core, { pageSize: 4, ignoreStartIndex: true }));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2` });
    expect(fetched.schemas).toHaveLength(4);
    expect(fetched.notes).toEqual([
      `GET ${server.origin}/scim/v2/Schemas reported totalResults 6 but returned 4 schemas (the page at startIndex 5 added none); generating from those`,
    ]);
  });

  it("keeps the service URL's query string in requests but never shows it", async () => {
    const server = await serve(discovery(core));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2?code=k3y#frag` });
    expect(server.requests.map((r) => r.url)).toEqual([
      "/scim/v2/ResourceTypes?code=k3y",
      "/scim/v2/Schemas?code=k3y",
    ]);
    expect(JSON.stringify(fetched)).not.toContain("k3y");
  });
});

describe("fetchSchemas: what live servers add", () => {
  /** The core definitions as a vendor might serve them. */
  function vendorFlavoured(): { Schemas: Json[]; ResourceTypes: Json[] } {
    const copy = structuredClone(core);
    const user = copy.Schemas.find((s) => s.id === USER) as Json & { attributes: Json[] };
    user.attributes = [
      { name: "id", type: "string", mutability: "readWrite", returned: "default", caseExact: false },
      { name: "ExternalId", type: "string" },
      { name: "meta", type: "complex", subAttributes: [{ name: "created", type: "dateTime" }] },
      ...user.attributes.map((a) => ({ ...a, canonicalValues: a.canonicalValues ?? null })),
    ];
    for (const schema of copy.Schemas)
      schema.meta = { resourceType: "Schema", location: `https://example.com/v2/Schemas/${schema.id}` };
    for (const type of copy.ResourceTypes) {
      type.schemaExtensions ??= null;
      type.meta = { resourceType: "ResourceType", location: "https://example.com/v2/ResourceTypes/x" };
    }
    return copy;
  }

  it("leaves out meta, null members and the common attributes of base schemas (RFC 7643 §3.1, §2.5)", async () => {
    const server = await serve(discovery(vendorFlavoured()));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2` });
    expect(fetched.notes).toEqual([
      `schema ${USER} lists the common attributes id, ExternalId, meta; they are left out, since every resource has them with the characteristics of RFC 7643 §3 and §3.1, which take precedence`,
    ]);
    for (const item of [...fetched.schemas, ...fetched.resourceTypes]) {
      expect(item.value).not.toHaveProperty("meta");
      expect(JSON.stringify(item.value)).not.toContain("null");
    }
    expect(await renderFetched(fetched)).toEqual(expected);
  }, 30_000);

  it("keeps an id attribute of a schema that is no resource type's base (the Schema schema's own id)", async () => {
    const server = await serve(discovery(core));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2` });
    const schemaSchema = fetched.schemas.find(
      (s) => (s.value as Json).id === "urn:ietf:params:scim:schemas:core:2.0:Schema",
    );
    const attributes = ((schemaSchema?.value ?? {}) as { attributes?: Json[] }).attributes ?? [];
    expect(attributes.map((a) => a.name)).toContain("id");
  });

  it("points a fault at its place in the server's answer, counting the attributes it left out", async () => {
    const lists = vendorFlavoured();
    const user = lists.Schemas.find((s) => s.id === USER) as Json & { attributes: Json[] };
    user.attributes.splice(5, 0, { name: "nickname2", type: "text" });
    const server = await serve(discovery(lists));
    const fetched = await fetchSchemas({ url: `${server.origin}/scim/v2` });
    const index = lists.Schemas.indexOf(user);
    expect(() => parseFetched(fetched)).toThrow(
      new SchemaLoadError({
        file: `${server.origin}/scim/v2/Schemas`,
        pointer: `/Resources/${index}/attributes/5/type`,
        problem:
          'unknown attribute type "text" (expected one of string, boolean, decimal, integer, dateTime, binary, reference, complex)',
      }),
    );
  });

  it("fills schemas the server does not list from the RFC 7643 built-ins, and names a missing extension", async () => {
    const only = { Schemas: [], ResourceTypes: core.ResourceTypes };
    const server = await serve(discovery(only));
    const model = resolveModel(parseFetched(await fetchSchemas({ url: `${server.origin}/scim/v2` })));
    expect(model.builtins).toHaveLength(6);

    const acme = {
      Schemas: [],
      ResourceTypes: [
        { ...core.ResourceTypes[1], schemaExtensions: [{ schema: "urn:acme:User", required: false }] },
      ],
    };
    const other = await serve(discovery(acme));
    const fetched = await fetchSchemas({ url: `${other.origin}/scim/v2` });
    expect(() => resolveModel(parseFetched(fetched), { origin: "the server's /Schemas" })).toThrow(
      `${other.origin}/scim/v2/ResourceTypes: /Resources/0/schemaExtensions/0/schema: resource type "User" names extension "urn:acme:User", which is neither in the server's /Schemas nor one of the RFC 7643 core schemas`,
    );
  });
});

describe("fetchSchemas: failures say what came back and from where", () => {
  it("401 with a token: the token was refused, and it is never printed, even when the server echoes it", async () => {
    const server = await serve((req, res) =>
      answer(401, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "401",
        detail: `token ${req.headers.authorization} is not valid`,
      })(req, res),
    );
    const error = await failure(fetchSchemas({ url: `${server.origin}/scim/v2`, token: TOKEN }));
    expect(error.message).toBe(
      `GET ${server.origin}/scim/v2/ResourceTypes answered HTTP 401 Unauthorized ("(withheld: it contains the token)"): the server refused the token; check --token or SCIM_TOKEN (the token is never printed)`,
    );
    expect(error).toMatchObject({ status: 401, url: `${server.origin}/scim/v2/ResourceTypes` });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("403 with a token, through the CLI: exit 1, the token nowhere in the output", async () => {
    const server = await serve(answer(403, { status: "403", detail: "insufficient scope" }));
    const result = await run(
      "generate",
      "--from-url",
      `${server.origin}/scim/v2`,
      "--token",
      TOKEN,
      "--out",
      "x",
    );
    expect(result).toEqual({
      code: 1,
      out: "",
      err: `scimkit: GET ${server.origin}/scim/v2/ResourceTypes answered HTTP 403 Forbidden ("insufficient scope"): the server refused the token; check --token or SCIM_TOKEN (the token is never printed)`,
    });
  });

  it("an HTML 502 page: status, content type, size and the URL without its query string", async () => {
    const page = "<!doctype html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>";
    const server = await serve(answer(502, page, { "content-type": "text/html; charset=utf-8" }));
    const result = await run("generate", "--from-url", `${server.origin}/scim/v2?code=s3cr3t`, "--out", "x");
    expect(result).toEqual({
      code: 1,
      out: "",
      err: `scimkit: GET ${server.origin}/scim/v2/ResourceTypes answered HTTP 502 Bad Gateway with text/html (${page.length} bytes)`,
    });
    expect(server.requests[0]?.url).toBe("/scim/v2/ResourceTypes?code=s3cr3t");
  });

  it("a 404 asks whether the URL is the service root", async () => {
    const server = await serve(answer(404, "Not Found", { "content-type": "text/plain" }));
    const error = await failure(fetchSchemas({ url: `${server.origin}/api` }));
    expect(error.message).toBe(
      `GET ${server.origin}/api/ResourceTypes answered HTTP 404 Not Found with text/plain (9 bytes). Is ${server.origin}/api the SCIM service root (the URL /Users, /Schemas and /ResourceTypes are under, e.g. https://example.com/scim/v2)?`,
    );
  });

  it("a 200 HTML login page is not SCIM JSON", async () => {
    const page = "<html><form action=/login></form></html>";
    const server = await serve(answer(200, page, { "content-type": "text/html" }));
    const error = await failure(fetchSchemas({ url: `${server.origin}/scim/v2` }));
    expect(error.message).toBe(
      `GET ${server.origin}/scim/v2/ResourceTypes answered HTTP 200 OK with text/html (${page.length} bytes), which is not JSON; expected SCIM JSON (application/scim+json). Is ${server.origin}/scim/v2 the SCIM service root?`,
    );
  });

  it("broken JSON says where it breaks", async () => {
    const server = await serve(answer(200, '{"Resources": [}', { "content-type": "application/scim+json" }));
    const error = await failure(fetchSchemas({ url: `${server.origin}/scim/v2` }));
    expect(error.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/ResourceTypes answered HTTP 200 OK with application\/scim\+json \(16 bytes\), which is not JSON \(line 1, column 16: .+\); expected SCIM JSON/,
    );
  });

  it("JSON that is not a list names what it holds", async () => {
    const server = await serve(
      answer(200, { message: "hello", version: 2 }, { "content-type": "application/json" }),
    );
    const error = await failure(fetchSchemas({ url: `${server.origin}/scim/v2` }));
    expect(error.message).toBe(
      `GET ${server.origin}/scim/v2/ResourceTypes answered a JSON object with "message", "version", not a list of resource types: expected a ListResponse with "Resources" (RFC 7644 §3.4.2) or a JSON array. Is ${server.origin}/scim/v2 the SCIM service root?`,
    );
  });

  it("a hostile answer nested 10,000 levels deep is refused, not a crash", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const server = await serve(answer(200, `{"Resources": [${deep}]}`));
    const error = await failure(fetchSchemas({ url: `${server.origin}/scim/v2` }));
    expect(error.message).toBe(
      `GET ${server.origin}/scim/v2/ResourceTypes: /Resources/0 nests more than 64 levels deep, far deeper than a schema definition`,
    );
  });

  it("no resource types", async () => {
    const server = await serve(answer(200, { schemas: [LIST_RESPONSE], totalResults: 0 }));
    const error = await failure(fetchSchemas({ url: `${server.origin}/scim/v2` }));
    expect(error.message).toBe(
      `GET ${server.origin}/scim/v2/ResourceTypes listed no resource types, so there is nothing to generate: a SCIM server lists the resource types it serves (Users, Groups, …) there (RFC 7644 §4)`,
    );
  });

  it("connection refused names the host", async () => {
    const server = await serve(answer(200, []));
    await server.close();
    const result = await run("generate", "--from-url", `${server.origin}/scim/v2`, "--out", "x");
    expect(result).toEqual({
      code: 1,
      out: "",
      err: `scimkit: GET ${server.origin}/scim/v2/ResourceTypes: cannot connect to 127.0.0.1:${server.port}: connection refused. Is the SCIM server running, and are the host and port right?`,
    });
  });

  it("no answer in time", async () => {
    const server: TestHttpServer = await serve(() => {
      // never answers
    });
    const result = await run(
      "generate",
      "--from-url",
      `${server.origin}/scim/v2`,
      "--timeout",
      "0.3",
      "--out",
      "x",
    );
    expect(result).toEqual({
      code: 1,
      out: "",
      err: `scimkit: GET ${server.origin}/scim/v2/ResourceTypes: no answer from 127.0.0.1:${server.port} within 0.3 s`,
    });
  });
});

describe("saveSchemas", () => {
  it("names files after the definitions' names, with the URN namespace when two agree", async () => {
    const acmeUser = { id: "urn:acme:params:scim:schemas:core:2.0:User", name: "User", attributes: [] };
    const fetched: FetchedSchemas = {
      url: "http://localhost/scim/v2",
      schemas: [...core.Schemas, acmeUser].map((value, i) => ({ value, file: "f", pointer: `/${i}` })),
      resourceTypes: core.ResourceTypes.map((value, i) => ({ value, file: "f", pointer: `/${i}` })),
      notes: [],
    };
    const dir = await tempFolder({ "old.json": { id: "urn:gone", attributes: [] }, ".git/config.json": {} });
    const saved = await saveSchemas(fetched, dir);
    expect(saved.files.map((f) => f.path)).toEqual([
      "acme-user.schema.json",
      "enterprise-user.schema.json",
      "group.resource-type.json",
      "group.schema.json",
      "ietf-user.schema.json",
      "resource-type.schema.json",
      "schema.schema.json",
      "service-provider-configuration.schema.json",
      "user.resource-type.json",
    ]);
    expect(saved.others).toEqual(["old.json"]);
    expect(JSON.parse(await readFile(join(dir, "acme-user.schema.json"), "utf8"))).toEqual(acmeUser);
    const before = await snapshotFolder(dir);
    expect((await saveSchemas(fetched, dir)).files.every((f) => !f.changed)).toBe(true);
    expect(await snapshotFolder(dir)).toEqual(before);
  });

  it("saves what the server returned, so that a failing definition can be corrected offline", async () => {
    const lists = structuredClone(core);
    (lists.Schemas[0] as Json & { attributes: Json[] }).attributes.push({ name: "bad name" });
    const server = await serve(discovery(lists));
    const saved = await tempFolder();
    const result = await run(
      "generate",
      "--from-url",
      `${server.origin}/scim/v2`,
      "--save-schemas",
      saved,
      "--out",
      await tempFolder(),
    );
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `scimkit: ${server.origin}/scim/v2/Schemas: /Resources/0/attributes/6/name: invalid attribute name "bad name": it must start with a letter and contain only letters, digits, "-" and "_" (RFC 7643 §2.1). What the server returned is saved in ${saved}: correct it there and generate with --schemas ${saved}`,
    );
    expect((await listJsonFiles(saved)).length).toBe(8);
  });

  it.each([
    ["EnterpriseUser", "enterprise-user"],
    ["Service Provider Configuration", "service-provider-configuration"],
    ["SCIMDevice", "scim-device"],
    ["x509Certificate", "x509-certificate"],
    ["../../etc/passwd", "etc-passwd"],
    ["", ""],
  ])("kebabCase(%j) is %j", (given, want) => {
    expect(kebabCase(given)).toBe(want);
  });
});

describe("fetchSchemas: redirects", () => {
  it("follows a redirect to another origin without sending the token there", async () => {
    const target = await serve(discovery(core));
    const gateway = await serve((req, res) => {
      res.writeHead(307, { location: `${target.origin}${req.url ?? "/"}` });
      res.end();
    });
    const fetched = await fetchSchemas({ url: `${gateway.origin}/scim/v2`, token: TOKEN });
    expect(fetched.resourceTypes).toHaveLength(2);
    expect(gateway.requests.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${TOKEN}`,
    ]);
    expect(target.requests.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
  });
});
