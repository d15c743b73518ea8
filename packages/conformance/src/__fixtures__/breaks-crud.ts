/// <reference types="node" />
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { bundle, validators } from "./device/index.js";
import { type Break, type TestServer, TOKEN } from "./servers.js";

type Json = Record<string, unknown>;

async function jsonOf(request: Request): Promise<Json> {
  return (await request.json()) as Json;
}

function forward(request: Request, body: unknown): Request {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body: JSON.stringify(body) });
}

async function rewrite(response: Response, edit: (body: Json) => Json): Promise<Response> {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  if (text === "") return new Response(null, { status: response.status, headers });
  return new Response(JSON.stringify(edit(JSON.parse(text) as Json)), { status: response.status, headers });
}

const isUrn = (key: string) => key.toLowerCase().startsWith("urn:");

/** A create keeps only the base schema's attributes: extension values sent under their URN are dropped (RFC 7643 §3). */
export const extensionDroppedOnCreate: Break = (inner) => async (request) => {
  if (request.method !== "POST" || new URL(request.url).pathname.endsWith("/Bulk")) return inner(request);
  const text = await request.text();
  let body: Json;
  try {
    body = JSON.parse(text) as Json;
  } catch {
    // Not JSON: the reference handler answers it (400 invalidSyntax), as it would without the break.
    return inner(new Request(request.url, { method: "POST", headers: request.headers, body: text }));
  }
  const kept = Object.fromEntries(Object.entries(body).filter(([key]) => !isUrn(key)));
  const schemas = Array.isArray(body.schemas) ? body.schemas.slice(0, 1) : body.schemas;
  return inner(forward(request, { ...kept, schemas }));
};

/** A create answers with the extension values as sent, writeOnly ones included (RFC 7643 §7 says never). */
export const extensionEchoed: Break = (inner) => async (request) => {
  if (request.method !== "POST" || new URL(request.url).pathname.endsWith("/Bulk")) return inner(request);
  const body = await jsonOf(request);
  const echoed = Object.fromEntries(Object.entries(body).filter(([key]) => isUrn(key)));
  const response = await inner(forward(request, body));
  return response.status === 201 ? rewrite(response, (created) => ({ ...created, ...echoed })) : response;
};

/** GET /Schemas fails (RFC 7644 §4 says it MUST be served); everything else works. */
export const schemasUnreadable: Break = (inner) => async (request) =>
  new URL(request.url).pathname.endsWith("/Schemas")
    ? new Response("schemas are unavailable", { status: 503 })
    : inner(request);

/** A PUT carrying readOnly `meta` or `groups` is refused with 400 instead of ignoring them (RFC 7644 §3.5.1). */
export const readOnlyPutRejected: Break = (inner) => async (request) => {
  if (request.method !== "PUT") return inner(request);
  const body = await jsonOf(request);
  const readOnly = Object.keys(body).find((k) => k === "meta" || k === "groups");
  if (readOnly === undefined) return inner(forward(request, body));
  return Response.json(
    {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "400",
      scimType: "mutability",
      detail: `${readOnly} is readOnly`,
    },
    { status: 400, headers: { "content-type": "application/scim+json" } },
  );
};

/** Resources come back without meta.location (RFC 7643 §3.1); the Location header stays. */
export const metaLocationMissing: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!(response.headers.get("content-type") ?? "").includes("json")) return response;
  const strip = (r: unknown): unknown => {
    if (typeof r !== "object" || r === null || !("meta" in r)) return r;
    const { location: _dropped, ...meta } = (r as { meta: Json }).meta;
    return { ...r, meta };
  };
  return rewrite(response, (body) =>
    Array.isArray(body.Resources) ? { ...body, Resources: body.Resources.map(strip) } : (strip(body) as Json),
  );
};

/** A created Group lists its base schema twice in `schemas` (RFC 7643 §3: no duplicates). */
export const schemasRepeated: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (request.method !== "POST" || !request.url.endsWith("/Groups") || response.status !== 201)
    return response;
  return rewrite(response, (body) => {
    const schemas = Array.isArray(body.schemas) ? body.schemas : [];
    return { ...body, schemas: [...schemas, ...schemas.slice(0, 1)] };
  });
};

/** PUT to an id that does not exist creates the resource (RFC 7644 §3.2: PUT never creates). */
export const putUpserts: Break = (inner) => async (request) => {
  if (request.method !== "PUT") return inner(request);
  const body = await jsonOf(request);
  const response = await inner(forward(request, body));
  if (response.status !== 404) return response;
  const collection = request.url.replace(/\/[^/]+$/, "");
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return inner(new Request(collection, { method: "POST", headers, body: JSON.stringify(body) }));
};

/** A PUT without userName keeps the stored one instead of being refused (RFC 7644 §3.5.1). */
export const putFillsRequired: Break = (inner) => async (request) => {
  if (request.method !== "PUT" || !/\/Users\/[^/]+$/.test(new URL(request.url).pathname))
    return inner(request);
  const body = await jsonOf(request);
  if (typeof body.userName === "string") return inner(forward(request, body));
  const stored = await inner(new Request(request.url, { headers: request.headers }));
  const userName = stored.status === 200 ? ((await stored.json()) as Json).userName : undefined;
  return inner(forward(request, { ...body, userName }));
};

/** A deleted User's userName stays taken: creating it again answers 409 (RFC 7644 §3.6 SHOULD free it). */
export const deletedUserNamesReserved: Break = (inner) => {
  const reserved = new Set<string>();
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "DELETE" && /\/Users\/[^/]+$/.test(path)) {
      const before = await inner(new Request(request.url, { headers: request.headers }));
      const userName = before.status === 200 ? ((await before.json()) as Json).userName : undefined;
      const response = await inner(request);
      if (response.status === 204 && typeof userName === "string") reserved.add(userName.toLowerCase());
      return response;
    }
    if (request.method !== "POST" || !path.endsWith("/Users")) return inner(request);
    const text = await request.text();
    let body: Json;
    try {
      body = JSON.parse(text) as Json;
    } catch {
      // Not JSON: the reference handler answers it (400 invalidSyntax), as it would without the break.
      return inner(new Request(request.url, { method: "POST", headers: request.headers, body: text }));
    }
    if (typeof body.userName === "string" && reserved.has(body.userName.toLowerCase())) {
      return Response.json(
        {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "409",
          scimType: "uniqueness",
          detail: "userName was used by a deleted User",
        },
        { status: 409, headers: { "content-type": "application/scim+json" } },
      );
    }
    return inner(forward(request, body));
  };
};

/**
 * DELETE answers 200 instead of 204 (RFC 7644 §3.6), and a stale cache keeps serving the deleted
 * resource to GET: it is gone from the store (so clean-up still works) but still readable.
 */
export function deleteAnswers200(): Break {
  const stale = new Map<string, string>();
  return (inner) => async (request) => {
    const path = new URL(request.url).pathname;
    const cached = stale.get(path);
    if (request.method === "GET" && cached !== undefined) {
      return new Response(cached, { status: 200, headers: { "content-type": "application/scim+json" } });
    }
    if (request.method !== "DELETE") return inner(request);
    const before = await inner(new Request(request.url, { headers: request.headers }));
    const response = await inner(request);
    if (response.status !== 204) return response;
    stale.set(path, await before.text());
    return new Response(null, { status: 200 });
  };
}

/**
 * A PUT changing the immutable Device `serialNumber` answers 200 and shows the new value from then on
 * (RFC 7644 §3.5.1 says 400 `mutability`); the break stores it beside the reference handler, which
 * would refuse it.
 */
export function immutableChanged(): Break {
  const serials = new Map<string, unknown>();
  const show = (path: string) => (body: Json) =>
    serials.has(path) && typeof body.id === "string" ? { ...body, serialNumber: serials.get(path) } : body;
  return (inner) => async (request) => {
    const path = new URL(request.url).pathname;
    if (!path.includes("/Devices/")) return inner(request);
    if (request.method !== "PUT") return rewrite(await inner(request), show(path));
    const body = await jsonOf(request);
    const current = (await (
      await inner(new Request(request.url, { headers: request.headers }))
    ).json()) as Json;
    if (body.serialNumber !== undefined && body.serialNumber !== current.serialNumber) {
      serials.set(path, body.serialNumber);
    }
    return rewrite(
      await inner(forward(request, { ...body, serialNumber: current.serialNumber })),
      show(path),
    );
  };
}

/**
 * The reference handler serving only the custom `Device` resource type with its `DeviceSecurity`
 * extension (src/__fixtures__/device-schemas, generated into ./device by `pnpm generate`), on a real
 * port of 127.0.0.1, optionally broken by `wrap`.
 */
export async function startDeviceServer(wrap?: Break): Promise<TestServer> {
  const inner = createScimHandler({
    store: new MemoryStore(),
    auth: { tokens: [TOKEN] },
    bundle,
    validators,
  });
  const server = createServer(toNodeListener(wrap ? wrap(inner) : inner));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token: TOKEN,
    inner,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** How many Devices the reference handler behind a device server still holds. */
export async function deviceCount(server: TestServer): Promise<number> {
  const response = await server.inner(
    new Request("http://127.0.0.1/scim/v2/Devices?count=0", {
      headers: { authorization: `Bearer ${server.token}` },
    }),
  );
  return ((await response.json()) as { totalResults: number }).totalResults;
}
