/// <reference types="node" />
import type { FetchHandler } from "@scimkit/server/node";
import type { Break } from "./servers.js";

type Json = Record<string, unknown>;

/** The response with its JSON body edited (status and other headers kept). */
async function editJson(response: Response, edit: (body: Json) => unknown): Promise<Response> {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  if (text === "") return new Response(null, { status: response.status, headers });
  return new Response(JSON.stringify(edit(JSON.parse(text) as Json)), { status: response.status, headers });
}

/** The request with some headers removed and, when `edit` is given, its JSON body edited. */
async function rewriteRequest(
  request: Request,
  dropHeaders: readonly string[],
  edit?: (body: Json) => Json,
): Promise<Request> {
  const headers = new Headers(request.headers);
  for (const name of dropHeaders) headers.delete(name);
  headers.delete("content-length");
  let body: string | undefined = request.body ? await request.text() : undefined;
  if (body !== undefined && edit) body = JSON.stringify(edit(JSON.parse(body) as Json));
  return new Request(request.url, { method: request.method, headers, ...(body ? { body } : {}) });
}

function endsWith(request: Request, suffix: string): boolean {
  return new URL(request.url).pathname.toLowerCase().endsWith(suffix.toLowerCase());
}

/** Edits the ServiceProviderConfig the server advertises; everything else is the reference handler. */
function advertising(edit: (spc: Json) => Json): Break {
  return (inner) => async (request) => {
    const response = await inner(request);
    return endsWith(request, "/ServiceProviderConfig") ? editJson(response, edit) : response;
  };
}

/** Applies `edit` to each bulk operation's request body before the reference handler sees it. */
function bulkRequests(edit: (body: Json) => Json): Break {
  return (inner) => async (request) =>
    request.method === "POST" && endsWith(request, "/Bulk")
      ? inner(await rewriteRequest(request, [], edit))
      : inner(request);
}

const MISSING = "urn:example:params:scim:schemas:extension:conformance:2.0:Missing";

/** The User resource type names an extension schema that /Schemas does not list (RFC 7643 §6). */
export const schemaMissing: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!new URL(request.url).pathname.includes("/ResourceTypes")) return response;
  const addMissing = (type: unknown) => {
    const t = type as Json;
    if (t.name !== "User") return t;
    const extensions = Array.isArray(t.schemaExtensions) ? t.schemaExtensions : [];
    return { ...t, schemaExtensions: [...extensions, { schema: MISSING, required: false }] };
  };
  return editJson(response, (body) =>
    Array.isArray(body.Resources) ? { ...body, Resources: body.Resources.map(addMissing) } : addMissing(body),
  );
};

/** An attribute of /Schemas has a type outside RFC 7643 §2.3 and a string attribute has subAttributes. */
export const badAttributeCharacteristics: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!endsWith(request, "/Schemas")) return response;
  const breakAttribute = (a: Json): Json =>
    a.name === "nickName"
      ? { ...a, type: "text" }
      : a.name === "title"
        ? { ...a, subAttributes: [{ name: "x", type: "string", multiValued: false }] }
        : a;
  return editJson(response, (body) => ({
    ...body,
    Resources: (body.Resources as Json[]).map((s) => ({
      ...s,
      attributes: (s.attributes as Json[]).map(breakAttribute),
    })),
  }));
};

/** Responses carry no ETag header although etag.supported is true (meta.version is still there). */
export const noEtagHeader: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!response.headers.has("etag")) return response;
  const headers = new Headers(response.headers);
  headers.delete("etag");
  return new Response(response.body, { status: response.status, headers });
};

/** If-Match is ignored: a write with a stale version goes through (RFC 7644 §3.14, RFC 7232 §3.1). */
export const ifMatchIgnored: Break = (inner) => async (request) =>
  request.headers.has("if-match") ? inner(await rewriteRequest(request, ["if-match"])) : inner(request);

/** If-None-Match is ignored: a GET never answers 304 (RFC 7232 §3.2). */
export const ifNoneMatchIgnored: Break = (inner) => async (request) =>
  request.headers.has("if-none-match")
    ? inner(await rewriteRequest(request, ["if-none-match"]))
    : inner(request);

/** `bulkId:` references are not resolved: members naming one are dropped (RFC 7644 §3.7.2). */
export const bulkIdUnresolved: Break = bulkRequests((body) => ({
  ...body,
  Operations: (body.Operations as Json[]).map((op) => {
    const data = op.data as Json | undefined;
    if (!data || !Array.isArray(data.members)) return op;
    const members = data.members.filter((m) => !String((m as Json).value).startsWith("bulkId:"));
    return { ...op, data: { ...data, members } };
  }),
}));

/** failOnErrors is ignored: every operation runs whatever the errors (RFC 7644 §3.7.3). */
export const failOnErrorsIgnored: Break = bulkRequests(({ failOnErrors: _, ...body }) => body);

/** bulk.maxOperations says 2, but a request with more is processed (RFC 7644 §3.7.4). */
export const maxOperationsNotEnforced: Break = advertising((spc) => ({
  ...spc,
  bulk: { ...(spc.bulk as Json), maxOperations: 2 },
}));

/** filter.maxResults says 2, but a list returns more (RFC 7643 §5). */
export const maxResultsExceeded: Break = advertising((spc) => ({
  ...spc,
  filter: { ...(spc.filter as Json), maxResults: 2 },
}));

/** Bulk is advertised unsupported, and POST /Bulk answers 500 instead of 501 (RFC 7644 §3.12). */
export const unsupportedBulk500: Break = (inner: FetchHandler) => {
  const advertised = advertising((spc) => ({ ...spc, bulk: { ...(spc.bulk as Json), supported: false } }))(
    inner,
  );
  return async (request) => {
    if (request.method !== "POST" || !endsWith(request, "/Bulk")) return advertised(request);
    const body = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "500",
      detail: "bulk failed",
    };
    return Response.json(body, { status: 500, headers: { "content-type": "application/scim+json" } });
  };
};

/** Error bodies carry `status` as a number (400) instead of a string ("400") (RFC 7644 §3.12). */
export const numericErrorStatus: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (response.status < 400) return response;
  return editJson(response, (body) => ({ ...body, status: response.status }));
};

function notImplemented(detail: string): Response {
  const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "501", detail };
  return Response.json(body, { status: 501, headers: { "content-type": "application/scim+json" } });
}

/**
 * Not a break: a server without PATCH, bulk, sorting or password changes that says so in its
 * ServiceProviderConfig and answers them 501 (RFC 7644 §3.12) or, for a password, 400.
 */
export const honestlyLimited: Break = (inner) => {
  const advertised = advertising((spc) => ({
    ...spc,
    patch: { supported: false },
    bulk: { ...(spc.bulk as Json), supported: false },
    sort: { supported: false },
    changePassword: { supported: false },
  }))(inner);
  return async (request) => {
    const url = new URL(request.url);
    if (request.method === "PATCH") return notImplemented("PATCH is not supported");
    if (endsWith(request, "/Bulk")) return notImplemented("bulk is not supported");
    if (url.searchParams.has("sortBy")) return notImplemented("sorting is not supported");
    if (request.method === "PUT" || request.method === "POST") {
      const text = await request.clone().text();
      if (/"password"\s*:/i.test(text)) {
        const body = {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "400",
          scimType: "invalidValue",
          detail: "password changes are not supported",
        };
        return Response.json(body, { status: 400, headers: { "content-type": "application/scim+json" } });
      }
    }
    return advertised(request);
  };
};

/** GET /ResourceTypes/{id} answers the resource type without its REQUIRED `name` (RFC 7643 §6). */
export const resourceTypeNameless: Break = (inner) => async (request) => {
  const response = await inner(request);
  const path = new URL(request.url).pathname;
  if (!/\/ResourceTypes\/[^/]+$/.test(path)) return response;
  return editJson(response, ({ name: _, ...type }) => type);
};

/** /Schemas also lists the Error message schema, which RFC 7644 §3.1 says is not discoverable there. */
export const messageSchemaListed: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!endsWith(request, "/Schemas")) return response;
  const error = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
    id: "urn:ietf:params:scim:api:messages:2.0:Error",
    name: "Error",
    attributes: [],
  };
  return editJson(response, (list) => {
    const resources = Array.isArray(list.Resources) ? list.Resources : [];
    return { ...list, totalResults: resources.length + 1, Resources: [...resources, error] };
  });
};

/** /ResourceTypes and /Schemas page by count, which RFC 7644 §4 says they SHALL ignore. */
export const discoveryPaged: Break = (inner) => async (request) => {
  const response = await inner(request);
  const count = new URL(request.url).searchParams.get("count");
  if (count === null || !(endsWith(request, "/Schemas") || endsWith(request, "/ResourceTypes")))
    return response;
  return editJson(response, (list) => {
    const resources = Array.isArray(list.Resources) ? list.Resources.slice(0, Number(count)) : [];
    return { ...list, itemsPerPage: resources.length, Resources: resources };
  });
};

/** /Schemas declares userName without uniqueness, unlike RFC 7643 §8.7.1 (the handler still enforces it). */
export const userNameDeclaredNotUnique: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!new URL(request.url).pathname.includes("/Schemas")) return response;
  const edit = (schema: unknown): unknown => {
    const s = schema as Json;
    if (s.id !== "urn:ietf:params:scim:schemas:core:2.0:User" || !Array.isArray(s.attributes)) return s;
    const attributes = (s.attributes as Json[]).map((a) =>
      a.name === "userName" ? { ...a, uniqueness: "none" } : a,
    );
    return { ...s, attributes };
  };
  return editJson(response, (body) =>
    Array.isArray(body.Resources) ? { ...body, Resources: body.Resources.map(edit) } : edit(body),
  );
};

/** A Group created without displayName gets one made up (RFC 7643 §4.2 says displayName is REQUIRED). */
export const groupDisplayNameOptional: Break = (inner) => async (request) => {
  if (request.method !== "POST" || !endsWith(request, "/Groups")) return inner(request);
  return inner(
    await rewriteRequest(request, [], (body) =>
      typeof body.displayName === "string" ? body : { ...body, displayName: "Unnamed group" },
    ),
  );
};

/** 401 answers carry no WWW-Authenticate header (RFC 7644 §2 says they SHALL). */
export const noWwwAuthenticate: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (response.status !== 401) return response;
  const headers = new Headers(response.headers);
  headers.delete("www-authenticate");
  return new Response(await response.text(), { status: 401, headers });
};

/** ServiceProviderConfig pagination.index is the string "yes", not a boolean (RFC 9865 §4). */
export const paginationIndexNotBoolean: Break = advertising((spc) => ({
  ...spc,
  pagination: { ...(spc.pagination as Json), index: "yes" },
}));

/** /Schemas gives the User's name a readOnly complex sub-attribute, which RFC 7643 §2.3.8 forbids. */
export const nestedComplexAttribute: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!endsWith(request, "/Schemas")) return response;
  const origin = {
    name: "origin",
    type: "complex",
    multiValued: false,
    mutability: "readOnly",
    returned: "default",
    subAttributes: [{ name: "source", type: "string", multiValued: false, mutability: "readOnly" }],
  };
  const nest = (a: Json): Json =>
    a.name === "name" && Array.isArray(a.subAttributes)
      ? { ...a, subAttributes: [...a.subAttributes, origin] }
      : a;
  return editJson(response, (body) => ({
    ...body,
    Resources: (body.Resources as Json[]).map((s) =>
      s.id === "urn:ietf:params:scim:schemas:core:2.0:User"
        ? { ...s, attributes: (s.attributes as Json[]).map(nest) }
        : s,
    ),
  }));
};
