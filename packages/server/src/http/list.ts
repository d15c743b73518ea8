import { LIST_RESPONSE_URN, type SchemaRegistry, ScimError, SEARCH_REQUEST_URN } from "@scimkit/core";
import { type AttributePath, type Filter, parseFilter, stringifyFilter } from "@scimkit/filter";
import { isPlainObject } from "../resource/context.js";
import { projectResource } from "../resource/projection.js";
import type { StoredResource } from "../stores/store.js";
import { findBadCharacter } from "../stores/text.js";
import { type Call, json, schemaOptions, scope } from "./call.js";
import { type CursorBinding, openCursor, sealCursor } from "./cursor.js";
import { projection, renderPage } from "./render.js";
import { badCharacterDetail, checkParameter } from "./strings.js";

export interface ListParameters {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: number;
  count?: number;
  cursor?: string;
  attributes?: string | string[];
  excludedAttributes?: string | string[];
}

/**
 * An integer parameter (`startIndex`, `count`, bulk `failOnErrors`). Beyond ±(2^53 − 1) a number no
 * longer holds the integer the client wrote (9007199254740993 reads as …992) and no store's bigint
 * takes 1e300, so those are 400 `invalidValue` too, not a 500 from the database.
 */
export function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(n)) throw ScimError.invalidValue(`"${name}" must be an integer, got ${quote(value)}`);
  if (!Number.isSafeInteger(n))
    throw ScimError.invalidValue(
      `"${name}" must be an integer between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got ${quote(value)}`,
    );
  return n;
}

/** A client value for an error detail, cut to 100 characters. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

export function fromQuery(url: URL): ListParameters {
  const p = url.searchParams;
  const get = (name: string) => {
    for (const [k, v] of p) if (k.toLowerCase() === name.toLowerCase()) return v;
    return undefined;
  };
  const out: ListParameters = {};
  const filter = get("filter");
  if (filter !== undefined) out.filter = filter;
  const sortBy = get("sortBy");
  if (sortBy !== undefined) out.sortBy = sortBy;
  const sortOrder = get("sortOrder");
  if (sortOrder !== undefined) out.sortOrder = sortOrder;
  const startIndex = integer(get("startIndex"), "startIndex");
  if (startIndex !== undefined) out.startIndex = startIndex;
  const count = integer(get("count"), "count");
  if (count !== undefined) out.count = count;
  const cursor = get("cursor");
  if (cursor !== undefined) out.cursor = cursor;
  const attributes = get("attributes");
  if (attributes !== undefined) out.attributes = attributes;
  const excluded = get("excludedAttributes");
  if (excluded !== undefined) out.excludedAttributes = excluded;
  return out;
}

export function fromSearchBody(body: unknown): ListParameters {
  if (!isPlainObject(body))
    throw ScimError.invalidSyntax(
      `a search needs a JSON object with "schemas": ["${SEARCH_REQUEST_URN}"] (RFC 7644 §3.4.3)`,
    );
  const out: ListParameters = {};
  const read = (name: string) => {
    const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : body[key];
  };
  const filter = read("filter");
  if (filter !== undefined && typeof filter !== "string")
    throw ScimError.invalidValue('"filter" must be a string');
  if (filter !== undefined) out.filter = filter;
  const sortBy = read("sortBy");
  if (typeof sortBy === "string") out.sortBy = sortBy;
  const sortOrder = read("sortOrder");
  if (typeof sortOrder === "string") out.sortOrder = sortOrder;
  const startIndex = integer(read("startIndex"), "startIndex");
  if (startIndex !== undefined) out.startIndex = startIndex;
  const count = integer(read("count"), "count");
  if (count !== undefined) out.count = count;
  const cursor = read("cursor");
  if (typeof cursor === "string") out.cursor = cursor;
  for (const name of ["attributes", "excludedAttributes"] as const) {
    const v = read(name);
    if (typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")))
      out[name] = v as string | string[];
  }
  return out;
}

/**
 * Query parameters with a NUL or a lone surrogate (RFC 7643 §2.3.1): 400 with the parameter's own
 * `scimType` (RFC 7644 §3.12 `invalidFilter`, RFC 9865 §2.1 `invalidCursor`), never a 500 from a store.
 */
function checkStrings(params: ListParameters): void {
  checkParameter("filter", params.filter, "invalidFilter");
  checkParameter("cursor", params.cursor, "invalidCursor");
  checkParameter("sortBy", params.sortBy, "invalidValue");
  checkParameter("sortOrder", params.sortOrder, "invalidValue");
  checkParameter("attributes", params.attributes, "invalidValue");
  checkParameter("excludedAttributes", params.excludedAttributes, "invalidValue");
}

/** The parsed filter's values and names, which escapes may have filled with NUL or lone surrogates. */
function checkFilterValues(filter: Filter, parent?: AttributePath): void {
  const check = (text: string, where: () => string) => {
    const bad = findBadCharacter(text);
    if (bad)
      throw new ScimError({
        status: 400,
        scimType: "invalidFilter",
        detail: badCharacterDetail(where(), bad),
      });
  };
  const checkPath = (path: AttributePath) => {
    for (const part of [path.uri, path.attribute, path.subAttribute])
      if (part !== undefined) check(part, () => "an attribute name of the filter");
  };
  switch (filter.op) {
    case "and":
    case "or":
      for (const f of filter.filters) checkFilterValues(f, parent);
      return;
    case "not":
      checkFilterValues(filter.filter, parent);
      return;
    case "valuePath":
      checkPath(filter.path);
      checkFilterValues(filter.filter, filter.path);
      return;
    case "pr":
      checkPath(filter.path);
      return;
    default:
      checkPath(filter.path);
      if (typeof filter.value === "string")
        check(filter.value, () => {
          const name =
            parent === undefined ? pathText(filter.path) : `${pathText(parent)}.${pathText(filter.path)}`;
          return `the value the filter compares "${name}" with`;
        });
  }
}

export function pathText(path: AttributePath): string {
  return `${path.uri === undefined ? "" : `${path.uri}:`}${path.attribute}${path.subAttribute === undefined ? "" : `.${path.subAttribute}`}`;
}

/**
 * A filter as it applies to one resource type of a multi-type query (RFC 7644 §3.4.2.1): comparisons
 * of attributes the type does not define have no value, so they are false (`true`/`false` when the
 * whole filter folds to a constant).
 */
export function filterForType(
  registry: SchemaRegistry,
  resourceType: string,
  filter: Filter,
  parent?: string,
): Filter | boolean {
  const known = (path: AttributePath) =>
    registry.resolve(
      resourceType,
      parent !== undefined && path.uri === undefined && path.subAttribute === undefined
        ? `${parent}.${path.attribute}`
        : pathText(path),
    );
  switch (filter.op) {
    case "and":
    case "or": {
      const parts = filter.filters.map((f) => filterForType(registry, resourceType, f, parent));
      const absorbing = filter.op === "or";
      if (parts.includes(absorbing)) return absorbing;
      const kept = parts.filter((p): p is Filter => typeof p !== "boolean");
      if (kept.length === 0) return !absorbing;
      if (kept.length === 1) return kept[0] as Filter;
      return { op: filter.op, filters: kept as [Filter, Filter, ...Filter[]] };
    }
    case "not": {
      const inner = filterForType(registry, resourceType, filter.filter, parent);
      return typeof inner === "boolean" ? !inner : { op: "not", filter: inner };
    }
    case "valuePath": {
      const resolved = known(filter.path);
      if (!resolved) return false;
      const inner = filterForType(registry, resourceType, filter.filter, resolved.path);
      if (inner === false) return false;
      if (inner === true) return { op: "pr", path: filter.path };
      return { op: "valuePath", path: filter.path, filter: inner };
    }
    default: {
      if (known(filter.path)) return filter;
      // As the evaluator treats a value-less attribute: only `eq null` matches it.
      return filter.op === "eq" && filter.value === null;
    }
  }
}

export async function list(
  call: Call,
  resourceTypes: readonly string[],
  params: ListParameters,
): Promise<Response> {
  const { env } = call;
  checkStrings(params);
  const filter =
    params.filter === undefined || params.filter.trim() === ""
      ? undefined
      : parseFilter(params.filter, {
          maxLength: env.options.maxFilterLength ?? 8192,
          maxDepth: env.options.maxFilterDepth ?? 64,
        });
  // Escapes in filter literals ("\u0000") decode to characters no store can keep.
  if (filter !== undefined) checkFilterValues(filter);
  const order = params.sortOrder?.toLowerCase();
  if (order !== undefined && order !== "ascending" && order !== "descending") {
    throw ScimError.invalidValue(
      `"sortOrder" must be "ascending" or "descending", got ${quote(params.sortOrder)}`,
    );
  }
  // RFC 7644 §3.4.2.4: startIndex < 1 is 1; a negative count is 0. RFC 9865 §2.1: a count above the maximum is capped.
  const requested = params.count ?? env.defaultPageSize;
  const count = Math.min(Math.max(0, requested), env.maxResults);
  const useCursor = params.cursor !== undefined;
  if (useCursor && resourceTypes.length > 1)
    throw new ScimError({
      status: 400,
      scimType: "invalidCursor",
      detail: "cursor pagination works on one resource type at a time; query its endpoint",
    });

  const results: { type: string; stored: StoredResource }[] = [];
  let totalResults = 0;
  let nextCursor: string | undefined;
  for (const resourceType of resourceTypes) {
    const typeFilter =
      filter === undefined || resourceTypes.length === 1
        ? filter
        : filterForType(env.registry, resourceType, filter);
    if (typeFilter === false) continue;
    let sortBy: string | undefined;
    if (params.sortBy !== undefined) {
      // Strict handlers take RFC 7644 §3.10's qualified names only (an extension attribute with its URN).
      const resolved = env.registry.resolve(resourceType, params.sortBy, {
        strict: env.options.strict ?? false,
      });
      if (!resolved) {
        if (resourceTypes.length === 1)
          throw ScimError.invalidValue(
            `"sortBy" names no attribute of ${resourceType}: ${JSON.stringify(params.sortBy)}`,
          );
      } else sortBy = resolved.path;
    }
    // RFC 9865 §5.2: clients see sealed cursors; the store keeps its raw keyset cursors.
    const binding: CursorBinding | undefined = useCursor
      ? {
          tenant: call.principal.tenant,
          resourceType,
          filter: filter === undefined ? "" : stringifyFilter(filter),
          sortBy: sortBy ?? "",
          sortOrder: order ?? "",
        }
      : undefined;
    const cursor =
      binding === undefined || params.cursor === undefined || params.cursor === ""
        ? params.cursor
        : await openCursor(env.options, binding, params.cursor);
    const page = await env.options.store.query(scope(call, resourceType), {
      ...(typeFilter !== undefined && typeFilter !== true && { filter: typeFilter }),
      ...(sortBy !== undefined && { sortBy }),
      ...(order !== undefined && { sortOrder: order }),
      count: resourceTypes.length > 1 ? count + Math.max(1, params.startIndex ?? 1) - 1 : count,
      ...(cursor !== undefined
        ? { cursor }
        : { startIndex: resourceTypes.length > 1 ? 1 : Math.max(1, params.startIndex ?? 1) }),
    });
    totalResults += page.totalResults;
    for (const stored of page.resources) results.push({ type: resourceType, stored });
    if (page.nextCursor !== undefined && binding !== undefined)
      nextCursor = await sealCursor(env.options, binding, page.nextCursor);
  }
  const startIndex = Math.max(1, params.startIndex ?? 1);
  const pageItems =
    resourceTypes.length > 1 ? results.slice(startIndex - 1, startIndex - 1 + count) : results;
  const projectionOptions = projection(undefined, params as Record<string, unknown>);
  // One renderPage per resource type: derived memberships come from one store lookup per page.
  const byType = new Map<string, StoredResource[]>();
  for (const { type, stored } of pageItems) {
    const list = byType.get(type);
    if (list) list.push(stored);
    else byType.set(type, [stored]);
  }
  const rendered = new Map<StoredResource, Record<string, unknown>>();
  for (const [type, list] of byType) {
    const out = await renderPage(call, type, list, projectionOptions);
    for (const [i, stored] of list.entries()) rendered.set(stored, out[i] as Record<string, unknown>);
  }
  const Resources = pageItems.map(({ type, stored }) =>
    projectResource(rendered.get(stored) as Record<string, unknown>, {
      resourceType: type,
      ...schemaOptions(env),
      ...projectionOptions,
    }),
  );
  return json(200, {
    schemas: [LIST_RESPONSE_URN],
    totalResults,
    itemsPerPage: Resources.length,
    ...(useCursor ? {} : { startIndex }),
    ...(nextCursor !== undefined && { nextCursor }),
    Resources,
  });
}
