/// <reference types="node" />
import type { FetchHandler } from "@scimkit/server/node";
import type { Break } from "./servers.js";

/** One PATCH operation as a break reads it. */
interface Operation {
  readonly op: string;
  readonly path?: string;
  readonly value?: unknown;
}

type Json = Record<string, unknown>;

async function operationsOf(request: Request): Promise<{ body: Json; operations: Operation[] }> {
  const body = (await request.json()) as Json;
  return { body, operations: Array.isArray(body.Operations) ? (body.Operations as Operation[]) : [] };
}

/** The PATCH sent on with other operations (the URL, including ?attributes=, and headers kept). */
function forward(request: Request, body: Json, operations: readonly Operation[], inner: FetchHandler) {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  const forwarded = JSON.stringify({ ...body, Operations: operations });
  return inner(new Request(request.url, { method: "PATCH", headers, body: forwarded }));
}

/** The resource as the reference handler stores it now. */
async function current(request: Request, inner: FetchHandler): Promise<Json> {
  const url = new URL(request.url);
  const read = await inner(new Request(`${url.origin}${url.pathname}`, { headers: request.headers }));
  return (await read.json()) as Json;
}

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/scim+json" },
  });
}

function emailsOf(resource: Json): Json[] {
  return Array.isArray(resource.emails) ? (resource.emails as Json[]) : [];
}

const isAdd = (o: Operation) => o.op.toLowerCase() === "add";

/** PATCH `add` without a path is answered 200 but ignored (RFC 7644 §3.5.2.1: the value's attributes are added). */
export const pathLessAddIgnored: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  const kept = operations.filter((o) => !(isAdd(o) && o.path === undefined));
  if (kept.length > 0) return forward(request, body, kept, inner);
  return answer(await current(request, inner));
};

/** A PATCH path with a schema URN prefix is not understood: 400 invalidPath (RFC 7644 §3.10 allows it). */
export const extensionPathRefused: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  if (!operations.some((o) => o.path?.toLowerCase().startsWith("urn:")))
    return forward(request, body, operations, inner);
  return answer(
    {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "400",
      scimType: "invalidPath",
      detail: "unknown attribute",
    },
    400,
  );
};

/**
 * `add` to emails appends every value sent, also one the User already has (RFC 7644 §3.5.2.1: no change);
 * a new primary still clears the others, so only the duplicate is wrong.
 */
export const addDuplicatesEmail: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  if (!operations.some((o) => isAdd(o) && o.path === "emails"))
    return forward(request, body, operations, inner);
  const existing = emailsOf(await current(request, inner));
  const rewritten = operations.map((o) => {
    if (!(isAdd(o) && o.path === "emails" && Array.isArray(o.value))) return o;
    const added = o.value as Json[];
    const primary = added.some((v) => v.primary === true);
    const kept = existing.map((e) => (primary ? { ...e, primary: false } : e));
    return { op: "replace", path: "emails", value: [...kept, ...added] };
  });
  return forward(request, body, rewritten, inner);
};

/**
 * Setting a new primary email leaves the old one primary too (RFC 7644 §3.5.2: the server SHALL clear it):
 * the handler clears it, and the break puts it back in every answer about that User.
 */
export const primaryNotCleared: Break = (inner) => {
  const stale = new Map<string, Set<unknown>>();
  const restore = async (pathname: string, response: Response): Promise<Response> => {
    const values = stale.get(pathname);
    if (!values || response.status !== 200) return response;
    const resource = (await response.json()) as Json;
    const emails = emailsOf(resource).map((e) => (values.has(e.value) ? { ...e, primary: true } : e));
    return answer({ ...resource, emails });
  };
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (!pathname.includes("/Users/")) return inner(request);
    if (request.method !== "PATCH") return restore(pathname, await inner(request));
    const was = emailsOf(await current(request, inner)).filter((e) => e.primary === true);
    const response = await inner(request);
    const now = emailsOf(await current(request, inner));
    for (const old of was) {
      const after = now.find((e) => e.value === old.value);
      const other = now.some((e) => e.primary === true && e.value !== old.value);
      if (after && after.primary !== true && other) {
        stale.set(pathname, (stale.get(pathname) ?? new Set()).add(old.value));
      }
    }
    return restore(pathname, response);
  };
};

/** `replace` through a filter matching nothing answers 200 with the unchanged resource, not 400 noTarget (§3.5.2.3). */
export const noMatchReplaceAccepted: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  const response = await forward(request, body, operations, inner);
  if (response.status !== 400 || !operations.every((o) => o.op.toLowerCase() === "replace")) return response;
  const error = (await response.clone().json()) as Json;
  return error.scimType === "noTarget" ? answer(await current(request, inner)) : response;
};

/** The attribute RFC 7643 makes required on each core resource type's endpoint. */
function requiredOf(request: Request): string | undefined {
  const { pathname } = new URL(request.url);
  if (pathname.includes("/Users/")) return "userName";
  return pathname.includes("/Groups/") ? "displayName" : undefined;
}

/**
 * `remove` of a required attribute (userName, a Group's displayName) answers 200 without it and is
 * dropped, instead of 400 mutability (RFC 7644 §3.5.2.2); the stored resource keeps it.
 */
export const removeRequiredAccepted: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  const required = requiredOf(request)?.toLowerCase();
  const removesRequired = (o: Operation) =>
    o.op.toLowerCase() === "remove" && o.path?.toLowerCase() === required;
  const kept = operations.filter((o) => !removesRequired(o));
  if (kept.length === operations.length) return forward(request, body, operations, inner);
  if (kept.length > 0) {
    const response = await forward(request, body, kept, inner);
    if (response.status !== 200) return response;
  }
  const resource = await current(request, inner);
  return answer(
    Object.fromEntries(Object.entries(resource).filter(([key]) => key.toLowerCase() !== required)),
  );
};

/**
 * `replace` of a singular complex attribute (`name`, `urn:…:User:manager`) with an object drops the
 * sub-attributes the value leaves out, instead of keeping them (RFC 7644 §3.5.2.3).
 */
export const complexReplaceDropsOthers: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  const rewritten = operations.flatMap((o) => {
    const whole =
      o.op.toLowerCase() === "replace" &&
      o.path !== undefined &&
      !/[.[]/.test(o.path.replace(/^urn:.*:/, ""));
    if (!whole || typeof o.value !== "object" || o.value === null || Array.isArray(o.value)) return [o];
    return [
      { op: "remove", path: o.path },
      { op: "add", path: o.path, value: o.value },
    ];
  });
  return forward(request, body, rewritten, inner);
};

/** An `add` without a value is skipped instead of refused (RFC 7644 §3.5.2.1: it MUST contain a value). */
export const addWithoutValueIgnored: Break = (inner) => async (request) => {
  if (request.method !== "PATCH") return inner(request);
  const { body, operations } = await operationsOf(request);
  const kept = operations.filter((o) => !(isAdd(o) && o.value === undefined));
  if (kept.length === operations.length) return forward(request, body, operations, inner);
  return kept.length === 0 ? answer(await current(request, inner)) : forward(request, body, kept, inner);
};
