/// <reference types="node" />
import type { Break } from "./servers.js";

const VALID = "conformance-test-token-0123456789";

function withUrl(request: Request, url: URL): Request {
  return new Request(url, { method: request.method, headers: request.headers });
}

async function rewriteJson(response: Response, edit: (body: unknown) => unknown): Promise<Response> {
  const text = await response.text();
  if (text === "") return new Response(null, { status: response.status, headers: response.headers });
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(edit(JSON.parse(text))), { status: response.status, headers });
}

async function forwardJson(request: Request, body: unknown, inner: (r: Request) => Promise<Response>) {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return inner(new Request(request.url, { method: request.method, headers, body: JSON.stringify(body) }));
}

/** The `filter` query parameter is ignored: every list returns everything (RFC 7644 §3.4.2.2). */
export const filterIgnored: Break = (inner) => async (request) => {
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.searchParams.has("filter")) return inner(request);
  url.searchParams.delete("filter");
  return inner(withUrl(request, url));
};

/** startIndex is off by one: the page starts one item late but says it starts where asked (§3.4.2.4). */
export const startIndexOffByOne: Break = (inner) => async (request) => {
  const url = new URL(request.url);
  const startIndex = Number(url.searchParams.get("startIndex") ?? Number.NaN);
  if (request.method !== "GET" || !Number.isInteger(startIndex)) return inner(request);
  url.searchParams.set("startIndex", String(startIndex + 1));
  return rewriteJson(await inner(withUrl(request, url)), (body) => ({ ...(body as object), startIndex }));
};

/** PATCH remove ignores its value filter: `members[value eq "x"]` removes every member (§3.5.2.2). */
export const removeIgnoresValueFilter: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const body = (await request.json()) as { Operations: { op: string; path?: string }[] };
  const Operations = body.Operations.map((o) =>
    o.op === "remove" && o.path?.startsWith("members[") ? { ...o, path: "members" } : o,
  );
  return forwardJson(request, { ...body, Operations }, inner);
};

/** Users come back with a password (returned "never", RFC 7643 §4.1.1). */
export const passwordReturned: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!new URL(request.url).pathname.includes("/Users")) return response;
  const add = (r: unknown) =>
    typeof r === "object" && r !== null && "userName" in r ? { ...r, password: "t0ps3cret" } : r;
  return rewriteJson(response, (body) => {
    const resources = (body as { Resources?: unknown[] }).Resources;
    return resources ? { ...(body as object), Resources: resources.map(add) } : add(body);
  });
};

/** Errors are plain application/json without the SCIM Error schema or scimType (RFC 7644 §3.12). */
export const nonScimErrors: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (response.status < 400) return response;
  const detail = ((await response.json()) as { detail?: string }).detail ?? "error";
  return Response.json({ error: detail }, { status: response.status });
};

/** A PATCH is applied one operation at a time: a failing second operation leaves the first applied (§3.5.2). */
export const patchNotAtomic: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const body = (await request.json()) as { Operations: unknown[] };
  let response: Response | undefined;
  for (const operation of body.Operations) {
    response = await forwardJson(request, { ...body, Operations: [operation] }, inner);
    if (response.status >= 400) return response;
  }
  return response ?? forwardJson(request, body, inner);
};

/** Any bearer token is accepted (RFC 7644 §2); a request without one is still refused. */
export const anyTokenAccepted: Break = (inner) => async (request) => {
  if (!request.headers.has("authorization")) return inner(request);
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${VALID}`);
  const body = request.body ? await request.text() : undefined;
  return inner(new Request(request.url, { method: request.method, headers, ...(body ? { body } : {}) }));
};

/** The ServiceProviderConfig advertises neither PATCH nor filtering (the checks needing them are skipped). */
export const noPatchNoFilter: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!new URL(request.url).pathname.endsWith("/ServiceProviderConfig")) return response;
  return rewriteJson(response, (body) => ({
    ...(body as object),
    patch: { supported: false },
    filter: { supported: false, maxResults: 0 },
  }));
};

/** meta.version and the ETag never change: every resource is version W/"1" (RFC 7644 §3.14). */
export const fixedVersion: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!response.headers.has("etag")) return response;
  const fixed = await rewriteJson(response, (body) => {
    const meta = (body as { meta?: object }).meta;
    return meta ? { ...(body as object), meta: { ...meta, version: 'W/"1"' } } : body;
  });
  fixed.headers.set("etag", 'W/"1"');
  return fixed;
};

/** PATCH never answers until the client gives up; `onHang` is told when one arrives. */
export function hangOnPatch(onHang: () => void): Break {
  return (inner) => async (request) => {
    if (request.method !== "PATCH") return inner(request);
    onHang();
    await new Promise((resolve) => request.signal.addEventListener("abort", resolve, { once: true }));
    return new Response(null, { status: 503 });
  };
}
