/// <reference types="node" />
import type { Break } from "./servers.js";

type Json = Record<string, unknown>;

function isList(request: Request): URL | undefined {
  const url = new URL(request.url);
  return request.method === "GET" && /\/Users$/.test(url.pathname) ? url : undefined;
}

function withUrl(request: Request, url: URL): Request {
  return new Request(url, { method: request.method, headers: request.headers });
}

async function rewrite(response: Response, edit: (body: Json) => Json): Promise<Response> {
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  if (text === "") return new Response(null, { status: response.status, headers });
  return new Response(JSON.stringify(edit(JSON.parse(text) as Json)), { status: response.status, headers });
}

/** A list query with one parameter removed before the reference handler sees it. */
function dropParameter(name: string, when: (value: string) => boolean = () => true): Break {
  return (inner) => async (request) => {
    const url = isList(request);
    const value = url?.searchParams.get(name);
    if (url === undefined || value === null || value === undefined || !when(value)) return inner(request);
    url.searchParams.delete(name);
    return inner(withUrl(request, url));
  };
}

/** `ne` is evaluated as `eq` (RFC 7644 §3.4.2.2 Table 3). */
export const neAsEq: Break = (inner) => async (request) => {
  const url = isList(request);
  const filter = url?.searchParams.get("filter");
  if (url === undefined || !filter?.includes(" ne ")) return inner(request);
  url.searchParams.set("filter", filter.split(" ne ").join(" eq "));
  return inner(withUrl(request, url));
};

/**
 * `userName eq "…"` and `userName sw "…"` compare case-sensitively although userName is caseExact false
 * (RFC 7643 §4.1.1): in a filter of ANDed terms, Users whose userName differs from a literal only in case
 * are dropped from the answer.
 */
export const caseSensitiveUserNameFilter: Break = (inner) => async (request) => {
  const url = isList(request);
  const filter = url?.searchParams.get("filter") ?? "";
  const terms = [...filter.matchAll(/userName (eq|sw) "([^"]*)"/gi)].map((m) => [m[1], m[2]] as const);
  if (url === undefined || terms.length === 0 || /\b(or|not)\b/i.test(filter)) return inner(request);
  const keep = (userName: unknown) =>
    typeof userName !== "string" ||
    terms.every(([op, v]) => (op?.toLowerCase() === "eq" ? userName === v : userName.startsWith(v ?? "")));
  return rewrite(await inner(request), (body) => {
    if (!Array.isArray(body.Resources)) return body;
    const Resources = (body.Resources as Json[]).filter((r) => keep(r.userName));
    const dropped = (body.Resources as Json[]).length - Resources.length;
    return {
      ...body,
      totalResults: (body.totalResults as number) - dropped,
      itemsPerPage: Resources.length,
      Resources,
    };
  });
};

/** `sortOrder` is ignored: results always come ascending (RFC 7644 §3.4.2.3). */
export const sortOrderIgnored: Break = dropParameter("sortOrder");

/** `excludedAttributes` is ignored on GET (RFC 7644 §3.4.2.5, §3.9). */
export const excludedAttributesIgnored: Break = (inner) => async (request) => {
  const url = new URL(request.url);
  if (request.method !== "GET" || !url.searchParams.has("excludedAttributes")) return inner(request);
  url.searchParams.delete("excludedAttributes");
  return inner(withUrl(request, url));
};

/** `attributes` drops `id`, which is returned "always" (RFC 7643 §3.1, RFC 7644 §3.9). */
export const attributesDropId: Break = (inner) => async (request) => {
  const url = new URL(request.url);
  const response = await inner(request);
  if (request.method !== "GET" || !url.searchParams.has("attributes")) return response;
  const strip = ({ id: _id, ...rest }: Json) => rest;
  return rewrite(response, (body) =>
    Array.isArray(body.Resources)
      ? { ...body, Resources: (body.Resources as Json[]).map(strip) }
      : strip(body),
  );
};

/** `count=0` (or negative) is ignored and a full page comes back (RFC 7644 §3.4.2.4). */
export const countZeroReturnsResources: Break = dropParameter("count", (value) => Number(value) <= 0);

/**
 * A cursor page answers its own cursor as nextCursor, so a client following nextCursor gets the same
 * page again (RFC 9865 §2).
 */
export const cursorRepeatsPage: Break = (inner) => async (request) => {
  const url = isList(request);
  const cursor = url?.searchParams.get("cursor");
  const response = await inner(request);
  if (url === undefined || !cursor) return response;
  return rewrite(response, (body) =>
    body.nextCursor === undefined ? body : { ...body, nextCursor: cursor },
  );
};

/** POST …/.search answers 404 as an unknown path (RFC 7644 §3.4.3). */
export const searchNotSupported: Break = (inner) => async (request) => {
  if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/.search")) return inner(request);
  return Response.json(
    {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
      detail: "no such endpoint",
    },
    { status: 404, headers: { "content-type": "application/scim+json" } },
  );
};

/**
 * Sorting compares raw code points even for caseExact false attributes (RFC 7644 §3.4.2.3): the page
 * is re-sorted by the top-level `sortBy` attribute's exact value.
 */
export const sortCaseSensitive: Break = (inner) => async (request) => {
  const url = isList(request);
  const sortBy = url?.searchParams.get("sortBy");
  if (url === undefined || !sortBy || sortBy.includes(".")) return inner(request);
  const sign = url.searchParams.get("sortOrder") === "descending" ? -1 : 1;
  // Missing values stay where the reference handler puts them: last ascending, first descending.
  const value = (r: Json) => (typeof r[sortBy] === "string" ? (r[sortBy] as string) : undefined);
  const compare = (a: string | undefined, b: string | undefined) =>
    a === undefined || b === undefined
      ? sign * (Number(a === undefined) - Number(b === undefined))
      : sign * (a < b ? -1 : a > b ? 1 : 0);
  return rewrite(await inner(request), (body) => {
    if (!Array.isArray(body.Resources)) return body;
    const Resources = [...(body.Resources as Json[])].sort((a, b) => compare(value(a), value(b)));
    return { ...body, Resources };
  });
};

/**
 * Value paths are flattened: `emails[type eq "work" and value co "x"]` is evaluated as
 * `emails.type eq "work" and emails.value co "x"`, each part on any value (RFC 7644 §3.4.2.2 Table 5).
 */
export const valuePathFlattened: Break = (inner) => async (request) => {
  const url = isList(request);
  const filter = url?.searchParams.get("filter");
  if (url === undefined || !filter?.includes("[")) return inner(request);
  const flat = filter.replace(
    /(\w+)\[([^\]]*)\]/g,
    (_all, parent: string, expression: string) =>
      `(${expression.replace(/(^|[\s(])(\w+)(?= (?:eq|ne|co|sw|ew|gt|ge|lt|le|pr)\b)/g, `$1${parent}.$2`)})`,
  );
  url.searchParams.set("filter", flat);
  return inner(withUrl(request, url));
};

/** /Schemas (list or one) with one User attribute's characteristics changed. */
function redeclare(attribute: string, change: Json): Break {
  return (inner) => async (request) => {
    const response = await inner(request);
    if (!/\/Schemas(\/|$)/.test(new URL(request.url).pathname) || response.status !== 200) return response;
    const edit = (schema: Json): Json =>
      schema.id !== "urn:ietf:params:scim:schemas:core:2.0:User"
        ? schema
        : {
            ...schema,
            attributes: (schema.attributes as Json[]).map((a) =>
              a.name === attribute ? { ...a, ...change } : a,
            ),
          };
    return rewrite(response, (body) =>
      Array.isArray(body.Resources)
        ? { ...body, Resources: (body.Resources as Json[]).map(edit) }
        : edit(body),
    );
  };
}

/**
 * Not a break: /Schemas declares userName caseExact true and the filter compares it so. The query
 * checks take caseExact from discovery, so this server is consistent and fails nothing.
 */
export const userNameDeclaredCaseExact: Break = (inner) =>
  redeclare("userName", { caseExact: true })(caseSensitiveUserNameFilter(inner));

/** /Schemas declares title returned "request", but it still comes back unasked (RFC 7643 §2.2). */
export const titleDeclaredRequest: Break = redeclare("title", { returned: "request" });

/**
 * DateTime literals are compared as text: a value written with a UTC offset is read as if it were UTC,
 * "…T11:30:00-05:00" as "…T11:30:00Z" (RFC 7644 §3.4.2.2: "for DateTime types, it is a chronological
 * comparison").
 */
export const dateTimeAsText: Break = (inner) => async (request) => {
  const url = isList(request);
  const filter = url?.searchParams.get("filter");
  if (url === undefined || !filter) return inner(request);
  url.searchParams.set("filter", filter.replace(/(T[\d:.]+)[+-]\d\d:\d\d"/g, '$1Z"'));
  return inner(withUrl(request, url));
};

/** Cursor pages ignore sortBy and sortOrder (RFC 9865 §2.2: "cursor-paged results should be sorted"). */
export const cursorIgnoresSort: Break = (inner) => async (request) => {
  const url = isList(request);
  if (url === undefined || !url.searchParams.has("cursor")) return inner(request);
  url.searchParams.delete("sortBy");
  url.searchParams.delete("sortOrder");
  return inner(withUrl(request, url));
};

/** ServiceProviderConfig advertises neither sorting nor cursors (the checks needing them are skipped). */
export const noSortNoCursor: Break = (inner) => async (request) => {
  const response = await inner(request);
  if (!new URL(request.url).pathname.endsWith("/ServiceProviderConfig")) return response;
  return rewrite(response, (body) => ({
    ...body,
    sort: { supported: false },
    pagination: { ...(body.pagination as Json), cursor: false },
  }));
};

const SUFFIX = "/+=";

/**
 * Cursors carry characters outside RFC 3986's unreserved set (RFC 9865 §2): each nextCursor gets "/+="
 * appended, and the suffix is taken off again when the cursor comes back, so paging still works.
 */
export const cursorNotUrlSafe: Break = (inner) => async (request) => {
  const url = isList(request);
  const cursor = url?.searchParams.get("cursor");
  if (url === undefined || cursor === null || cursor === undefined) return inner(request);
  if (cursor.endsWith(SUFFIX)) url.searchParams.set("cursor", cursor.slice(0, -SUFFIX.length));
  const response = await inner(withUrl(request, url));
  if (response.status !== 200) return response;
  return rewrite(response, (body) =>
    typeof body.nextCursor === "string" ? { ...body, nextCursor: `${body.nextCursor}${SUFFIX}` } : body,
  );
};
