/// <reference types="node" />
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createScimHandler, MemoryStore } from "@scimkit/server";
import { type FetchHandler, toNodeListener } from "@scimkit/server/node";
import { type Break, type TestServer, TOKEN } from "./servers.js";

const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/** The reference handler with `strict: true` (RFC-literal PATCH and validation) on a real port of 127.0.0.1. */
export async function startStrictServer(): Promise<TestServer> {
  const inner = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, strict: true });
  const server = createServer(toNodeListener(inner));
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

function scimError(status: number, scimType: string | undefined, detail: string): Response {
  const body = { schemas: [ERROR_URN], status: String(status), ...(scimType ? { scimType } : {}), detail };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/scim+json" },
  });
}

async function withJson(
  response: Response,
  edit: (body: Record<string, unknown>) => unknown,
): Promise<Response> {
  const text = await response.text();
  if (text === "") return new Response(null, { status: response.status, headers: response.headers });
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(edit(JSON.parse(text))), { status: response.status, headers });
}

function forward(request: Request, body: unknown, inner: FetchHandler): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return inner(new Request(request.url, { method: request.method, headers, body: JSON.stringify(body) }));
}

/** The resource as it is, answered 200 as if the PATCH had been applied. */
function unchanged(request: Request, inner: FetchHandler): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  headers.delete("content-type");
  return inner(new Request(request.url, { method: "GET", headers }));
}

interface Operation {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

/** A PATCH break: `decide` sees each operation and may answer in place of the server (or rewrite the list). */
function onPatch(
  decide: (operations: Operation[], request: Request, inner: FetchHandler) => Promise<Response | Operation[]>,
): Break {
  return (inner) => async (request) => {
    if (request.method !== "PATCH") return inner(request);
    const body = (await request.json()) as { Operations?: Operation[] };
    const outcome = await decide(body.Operations ?? [], request, inner);
    return outcome instanceof Response ? outcome : forward(request, { ...body, Operations: outcome }, inner);
  };
}

const isList = (request: Request) =>
  request.method === "GET" && /\/(Users|Groups)$/.test(new URL(request.url).pathname);

/** A filter that matches nothing answers 404 with a SCIM Error, not an empty ListResponse (RFC 7644 §3.4.2). */
export const lookupNotFound: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!isList(request) || !new URL(request.url).searchParams.has("filter") || response.status !== 200)
    return response;
  const body = (await response.clone().json()) as { totalResults?: number };
  return body.totalResults === 0 ? scimError(404, undefined, "no resource matches the filter") : response;
};

/** PATCH `op` must be lower case: "Replace", "Add", "Remove" answer 400 invalidSyntax (strict RFC 7644 §3.5.2 reading). */
export const capitalisedOpsRejected: Break = onPatch(async (operations) => {
  const bad = operations.find((o) => typeof o.op === "string" && o.op !== o.op.toLowerCase());
  return bad ? scimError(400, "invalidSyntax", `unknown op "${String(bad.op)}"`) : operations;
});

/** "True"/"False" strings for booleans answer 400 invalidValue (RFC 7643 §2.3.2 booleans are JSON literals). */
export const stringBooleansRejected: Break = onPatch(async (operations) => {
  const isWord = (v: unknown) => v === "True" || v === "False";
  const bad = operations.find(
    (o) =>
      isWord(o.value) ||
      (typeof o.value === "object" && o.value !== null && Object.values(o.value).some(isWord)),
  );
  return bad ? scimError(400, "invalidValue", "a boolean must be true or false") : operations;
});

/** A path-less value holding `id` answers 400 mutability, even when the id is the resource's own (RFC 7643 §3.1). */
export const renameWithIdRejected: Break = onPatch(async (operations) => {
  const bad = operations.find(
    (o) => o.path === undefined && typeof o.value === "object" && o.value !== null && "id" in o.value,
  );
  return bad ? scimError(400, "mutability", '"id" is readOnly') : operations;
});

/** Path-less keys with a dot ("name.givenName") are silently dropped; the PATCH still answers 200. */
export const dottedKeysIgnored: Break = onPatch(async (operations) =>
  operations.map((o) =>
    o.path === undefined && typeof o.value === "object" && o.value !== null
      ? {
          ...o,
          value: Object.fromEntries(
            Object.entries(o.value).filter(([key]) => !key.includes(".") || key.startsWith("urn:")),
          ),
        }
      : o,
  ),
);

/** A bare string for the enterprise `manager` answers 400 invalidValue (RFC 7643 §4.3: manager is complex). */
export const managerStringRejected: Break = onPatch(async (operations) => {
  const bad = operations.find(
    (o) => typeof o.path === "string" && /manager$/i.test(o.path) && typeof o.value === "string",
  );
  return bad ? scimError(400, "invalidValue", "manager must be an object") : operations;
});

/** `remove` of `members` with a value list is answered 200 and changes nothing (the value is ignored). */
export const memberRemovalByValueIgnored: Break = onPatch(async (operations, request, inner) => {
  const isRemoval = (o: Operation) =>
    typeof o.op === "string" &&
    o.op.toLowerCase() === "remove" &&
    o.path === "members" &&
    o.value !== undefined;
  if (!operations.some(isRemoval)) return operations;
  const rest = operations.filter((o) => !isRemoval(o));
  return rest.length > 0 ? rest : unchanged(request, inner);
});

/** Path-less operations (a value holding attributes) are dropped; the PATCH still answers 200. */
export const pathlessIgnored: Break = onPatch(async (operations, request, inner) => {
  const rest = operations.filter((o) => o.path !== undefined);
  return rest.length > 0 ? rest : unchanged(request, inner);
});

/** Only the first operation of a PATCH is applied; the others are dropped without an error. */
export const onlyFirstOperation: Break = onPatch(async (operations) => operations.slice(0, 1));

/** `replace` of `members` adds the values to the members there are instead of replacing them. */
export const replaceMembersAppends: Break = onPatch(async (operations) =>
  operations.map((o) => (o.op === "replace" && o.path === "members" ? { ...o, op: "add" } : o)),
);

/** `excludedAttributes` is ignored: Groups come back with all their members (RFC 7644 §3.4.2.5). */
export const excludedAttributesIgnored: Break = (inner) => async (request) => {
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.searchParams.has("excludedAttributes")) return inner(request);
  url.searchParams.delete("excludedAttributes");
  return inner(new Request(url, { method: "GET", headers: request.headers }));
};

/** A ListResponse carries totalResults, startIndex and itemsPerPage as strings ("1"), not integers. */
export const pagingAsStrings: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!isList(request) || response.status !== 200) return response;
  return withJson(response, (body) => {
    const out: Record<string, unknown> = { ...body };
    for (const name of ["totalResults", "startIndex", "itemsPerPage"])
      if (typeof out[name] === "number") out[name] = String(out[name]);
    return out;
  });
};
