import {
  BULK_ID_PATH,
  BULK_REQUEST_URN,
  BULK_RESPONSE_URN,
  bulkIdReferences,
  isScimError,
  LIST_RESPONSE_URN,
  RESOURCE_TYPE_SCHEMA,
  readBoundedBody,
  replaceBulkIds,
  SCHEMA_SCHEMA,
  SCIM_MEDIA_TYPE,
  type SchemaRegistry,
  ScimError,
  SEARCH_REQUEST_URN,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from "@scimkit/core";
import { type AttributePath, type Filter, parseFilter } from "@scimkit/filter";
import { isPlainObject, registryOf, type SchemaOptions, typeContext } from "./context.js";
import { applyPatch } from "./patch.js";
import { projectResource } from "./projection.js";
import { type ScimStore, type StoredResource, type StoreScope, uniqueValues } from "./store.js";
import { validateResource } from "./validate.js";

/**
 * Who made a request: the tenant whose data it may touch and, for audit and `/Me`, the subject.
 *
 * @example
 * const principal: Principal = { tenant: "acme", subject: "okta-provisioning" };
 */
export interface Principal {
  readonly tenant: string;
  readonly subject?: string;
}

/**
 * How requests authenticate (RFC 7644 §2: OAuth 2.0 bearer tokens). Static tokens are compared in
 * constant time; `verify` covers anything else (JWT, introspection) and returns the principal, or
 * `undefined` to answer 401.
 *
 * @example
 * auth: { tokens: { [process.env.OKTA_TOKEN!]: "acme", [process.env.ENTRA_TOKEN!]: "globex" } }
 * auth: { verify: async (token) => (await verifyJwt(token)) ? { tenant: "acme", subject: "entra" } : undefined }
 */
export interface AuthOptions {
  /** Accepted tokens: a list (tenant "default"), or token → tenant. */
  readonly tokens?: readonly string[] | Readonly<Record<string, string>>;
  readonly verify?: (
    token: string,
    request: Request,
  ) => Principal | undefined | Promise<Principal | undefined>;
}

/**
 * One provisioning change, for the audit trail (who, what, when, result).
 *
 * @example
 * audit: (event) => logger.info(event)
 */
export interface AuditEvent {
  readonly time: string;
  readonly tenant: string;
  readonly subject: string | undefined;
  readonly action: "create" | "replace" | "patch" | "delete";
  readonly resourceType: string;
  readonly id: string | undefined;
  readonly outcome: "success" | "failure";
  readonly status: number;
  readonly detail?: string;
  /** For operations inside a bulk request: its bulkId. */
  readonly bulkId?: string;
}

/**
 * Options of {@link createScimHandler}.
 *
 * @example
 * const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: ["secret"] }, basePath: "/scim/v2" });
 */
export interface ScimHandlerOptions extends SchemaOptions {
  readonly store: ScimStore;
  /** Omit to accept every request as tenant "default" (tests, or when a proxy authenticates). */
  readonly auth?: AuthOptions;
  /** Path prefix the SCIM endpoints live under. Default "/scim/v2". */
  readonly basePath?: string;
  /** RFC literal mode for validation and PATCH (see validateResource/applyPatch). Default false. */
  readonly strict?: boolean;
  /** Largest request body in bytes; larger → 413 (RFC 7644 §3.7.4). Default 1 MiB. */
  readonly maxPayloadSize?: number;
  /** Most results on one page (RFC 7643 §5 filter.maxResults). Default 1,000. */
  readonly maxResults?: number;
  /** Page size when a list request gives no count. Default 100. */
  readonly defaultPageSize?: number;
  /** Most operations in one bulk request (RFC 7644 §3.7.4). Default 1,000. */
  readonly maxBulkOperations?: number;
  /** Longest filter accepted (characters) and deepest nesting. Defaults 8,192 and 64. */
  readonly maxFilterLength?: number;
  readonly maxFilterDepth?: number;
  /** Called per request after authentication; a number of seconds answers 429 with Retry-After. */
  readonly rateLimit?: (
    principal: Principal,
    request: Request,
  ) => number | undefined | Promise<number | undefined>;
  /** One event per provisioning change. */
  readonly audit?: (event: AuditEvent) => void | Promise<void>;
  /** `/Me` (RFC 7644 §3.11): the id of the User the principal is; `undefined` → 404. Without it, /Me answers 501. */
  readonly me?: (principal: Principal, request: Request) => string | undefined | Promise<string | undefined>;
  /** Unexpected errors (bugs, store outages): reported here, answered 500 without details. */
  readonly onError?: (error: unknown, request: Request) => void;
  /** Link to human documentation in ServiceProviderConfig. */
  readonly documentationUri?: string;
}

interface Env {
  readonly options: ScimHandlerOptions;
  readonly registry: SchemaRegistry;
  readonly basePath: string;
  readonly maxPayloadSize: number;
  readonly maxResults: number;
  readonly defaultPageSize: number;
  readonly maxBulkOperations: number;
}

interface Call {
  readonly env: Env;
  readonly request: Request;
  readonly principal: Principal;
  /** Absolute base URL of the SCIM endpoints, e.g. https://host/scim/v2. */
  readonly base: string;
}

const JSON_HEADERS = { "content-type": `${SCIM_MEDIA_TYPE}; charset=utf-8` };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: status === 204 ? headers : { ...JSON_HEADERS, ...headers },
  });
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i % (y.length || 1)] ?? 0);
  return diff === 0;
}

async function authenticate(env: Env, request: Request): Promise<Principal | undefined> {
  const auth = env.options.auth;
  if (!auth) return { tenant: "default" };
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const token = match[1] as string;
  if (auth.tokens) {
    const entries: [string, string][] = Array.isArray(auth.tokens)
      ? (auth.tokens as readonly string[]).map((t) => [t, "default"])
      : Object.entries(auth.tokens as Record<string, string>);
    let found: Principal | undefined;
    // Compare against every token so timing does not reveal which one (or whether any) matched.
    for (const [candidate, tenant] of entries)
      if (constantTimeEqual(token, candidate) && !found) found = { tenant, subject: `token:${tenant}` };
    if (found) return found;
  }
  if (auth.verify) return auth.verify(token, request);
  return undefined;
}

async function readBody(call: Call): Promise<unknown> {
  const { request, env } = call;
  if (!request.body) throw ScimError.invalidSyntax("the request has no body; send a JSON object");
  const bytes = await readBoundedBody(request, env.maxPayloadSize);
  if (bytes === undefined) throw tooLarge(env);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") throw ScimError.invalidSyntax("the request body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch {
    throw ScimError.invalidSyntax("the request body is not valid JSON");
  }
}

function tooLarge(env: Env): ScimError {
  return new ScimError({
    status: 413,
    detail: `the request body is larger than ${env.maxPayloadSize} bytes (maxPayloadSize, RFC 7644 §3.7.4)`,
  });
}

/** 405 with the Allow header RFC 9110 §15.5.6 requires. */
class MethodNotAllowed extends ScimError {
  readonly allow: string;
  constructor(method: string, where: string, allow: readonly string[]) {
    super({ status: 405, detail: `${method} is not allowed on ${where}; use ${allow.join(", ")}` });
    this.allow = allow.join(", ");
  }
}

/** A percent-decoded path segment; malformed escapes are the client's error, not a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw ScimError.invalidSyntax(`the URL path segment "${segment}" is not valid percent-encoding`);
  }
}

function etag(stored: StoredResource): string {
  return `W/"${stored.version}"`;
}

/** The version an If-Match / If-None-Match header names, when it is one of ours. */
function versionOf(header: string | null): number | undefined | "*" {
  if (header === null) return undefined;
  const value = header.trim();
  if (value === "*") return "*";
  const match = /^(?:W\/)?"(\d+)"$/.exec(value);
  return match ? Number(match[1]) : -1;
}

/** The versions an If-Match / If-None-Match list names (RFC 9110 §13.1: a comma-separated list of entity-tags). */
function versionsOf(header: string | null): number[] | undefined | "*" {
  if (header === null) return undefined;
  if (header.trim() === "*") return "*";
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? [])
    .map((tag) => versionOf(tag))
    .filter((v): v is number => typeof v === "number" && v >= 0);
}

function scope(call: Call, resourceType: string): StoreScope {
  return { tenant: call.principal.tenant, resourceType, registry: call.env.registry };
}

/** A stored resource as returned: attributes, `id`, `meta` (RFC 7643 §3.1), derived `groups` for Users. */
async function render(
  call: Call,
  resourceType: string,
  stored: StoredResource,
): Promise<Record<string, unknown>> {
  const type = call.env.registry.resourceType(resourceType);
  const endpoint = type?.endpoint ?? `/${resourceType}`;
  const out: Record<string, unknown> = {
    ...stored.data,
    id: stored.id,
    meta: {
      resourceType: type?.name ?? resourceType,
      created: stored.created,
      lastModified: stored.lastModified,
      location: `${call.base}${endpoint}/${stored.id}`,
      version: etag(stored),
    },
  };
  if (
    type?.name === "User" &&
    call.env.registry.resourceType("Group") &&
    call.env.registry.resolve("User", "groups")
  ) {
    out.groups = await groupsOf(call, stored.id);
  }
  return out;
}

/** RFC 7643 §4.1.2: a User's `groups` is read-only, derived from the groups whose members include it. */
async function groupsOf(call: Call, userId: string): Promise<Record<string, unknown>[] | undefined> {
  const filter: Filter = { op: "eq", path: { attribute: "members", subAttribute: "value" }, value: userId };
  const page = await call.env.options.store.query(scope(call, "Group"), {
    filter,
    count: call.env.maxResults * 10,
    startIndex: 1,
  });
  if (page.resources.length === 0) return undefined;
  const groups = call.env.registry.resourceType("Group");
  return page.resources.map((g) => ({
    value: g.id,
    $ref: `${call.base}${groups?.endpoint ?? "/Groups"}/${g.id}`,
    ...(typeof g.data.displayName === "string" && { display: g.data.displayName }),
    type: "direct",
  }));
}

function projection(url: URL | undefined, body: Record<string, unknown> | undefined) {
  const attributes = body?.attributes ?? url?.searchParams.get("attributes") ?? undefined;
  const excluded = body?.excludedAttributes ?? url?.searchParams.get("excludedAttributes") ?? undefined;
  const asList = (v: unknown) =>
    typeof v === "string"
      ? v
      : Array.isArray(v)
        ? v.filter((x): x is string => typeof x === "string")
        : undefined;
  const a = asList(attributes);
  const e = asList(excluded);
  return { ...(a !== undefined && { attributes: a }), ...(e !== undefined && { excludedAttributes: e }) };
}

async function respondWithResource(
  call: Call,
  resourceType: string,
  stored: StoredResource,
  status: number,
  url?: URL,
): Promise<Response> {
  const rendered = await render(call, resourceType, stored);
  const body = projectResource(rendered, {
    resourceType,
    ...schemaOptions(call.env),
    ...projection(url, undefined),
  });
  const location = (rendered.meta as { location: string }).location;
  return json(status, body, {
    etag: etag(stored),
    ...(status === 201 && { location }),
    "content-location": location,
  });
}

function schemaOptions(env: Env): SchemaOptions {
  return {
    ...(env.options.bundle !== undefined && { bundle: env.options.bundle }),
    ...(env.options.validators !== undefined && { validators: env.options.validators }),
  };
}

async function audit(call: Call, event: Omit<AuditEvent, "time" | "tenant" | "subject">): Promise<void> {
  const hook = call.env.options.audit;
  if (!hook) return;
  try {
    await hook({
      time: new Date().toISOString(),
      tenant: call.principal.tenant,
      subject: call.principal.subject,
      ...event,
    });
  } catch (error) {
    call.env.options.onError?.(error, call.request);
  }
}

/** Runs a write and reports it to the audit hook whatever the outcome. */
async function audited<T>(
  call: Call,
  action: AuditEvent["action"],
  resourceType: string,
  id: string | undefined,
  work: () => Promise<T & { status: number; id?: string }>,
  bulkId?: string,
): Promise<T & { status: number; id?: string }> {
  try {
    const result = await work();
    await audit(call, {
      action,
      resourceType,
      id: result.id ?? id,
      outcome: "success",
      status: result.status,
      ...(bulkId !== undefined && { bulkId }),
    });
    return result;
  } catch (error) {
    const status = isScimError(error) ? error.status : 500;
    await audit(call, {
      action,
      resourceType,
      id,
      outcome: "failure",
      status,
      ...(isScimError(error) && { detail: error.detail }),
      ...(bulkId !== undefined && { bulkId }),
    });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Resource operations, shared by the HTTP routes and /Bulk.

async function createResource(call: Call, resourceType: string, body: unknown, bulkId?: string) {
  return audited(
    call,
    "create",
    resourceType,
    undefined,
    async () => {
      const data = validateResource(resourceType, body, {
        operation: "create",
        strict: call.env.options.strict ?? false,
        ...schemaOptions(call.env),
      }) as Record<string, unknown>;
      const stored = await call.env.options.store.create(
        scope(call, resourceType),
        data,
        uniqueValues(call.env.registry, resourceType, data),
      );
      return { status: 201, id: stored.id, stored };
    },
    bulkId,
  );
}

/** PUT and PATCH: the new data computed from the stored data inside the store's update, then its unique values. */
async function updateResource(
  call: Call,
  action: "replace" | "patch",
  resourceType: string,
  id: string,
  ifVersion: number | undefined,
  bulkId: string | undefined,
  next: (current: Record<string, unknown>, strict: boolean) => Record<string, unknown>,
) {
  return audited(
    call,
    action,
    resourceType,
    id,
    async () => {
      const stored = await call.env.options.store.update(
        scope(call, resourceType),
        id,
        (current) => {
          const data = next(current.data, call.env.options.strict ?? false);
          return { data, unique: uniqueValues(call.env.registry, resourceType, data) };
        },
        ifVersion === undefined ? {} : { ifVersion },
      );
      return { status: 200, id, stored };
    },
    bulkId,
  );
}

async function replaceResource(
  call: Call,
  resourceType: string,
  id: string,
  body: unknown,
  ifVersion: number | undefined,
  bulkId?: string,
) {
  return updateResource(call, "replace", resourceType, id, ifVersion, bulkId, (existing, strict) => {
    const options = { operation: "replace", existing, strict, ...schemaOptions(call.env) } as const;
    return validateResource(resourceType, body, options) as Record<string, unknown>;
  });
}

async function patchResource(
  call: Call,
  resourceType: string,
  id: string,
  body: unknown,
  ifVersion: number | undefined,
  bulkId?: string,
) {
  return updateResource(call, "patch", resourceType, id, ifVersion, bulkId, (existing, strict) =>
    applyPatch(existing, body, { resourceType, strict, ...schemaOptions(call.env) }),
  );
}

async function deleteResource(
  call: Call,
  resourceType: string,
  id: string,
  ifVersion: number | undefined,
  bulkId?: string,
) {
  return audited(
    call,
    "delete",
    resourceType,
    id,
    async () => {
      await call.env.options.store.delete(
        scope(call, resourceType),
        id,
        ifVersion === undefined ? {} : { ifVersion },
      );
      if (resourceType === "User" && call.env.registry.resourceType("Group"))
        await removeFromGroups(call, id);
      return { status: 204, id };
    },
    bulkId,
  );
}

/** Deleting a User removes it from every group, so membership stays consistent. */
async function removeFromGroups(call: Call, userId: string): Promise<void> {
  const groupScope = scope(call, "Group");
  const filter: Filter = { op: "eq", path: { attribute: "members", subAttribute: "value" }, value: userId };
  const page = await call.env.options.store.query(groupScope, { filter, count: 100_000, startIndex: 1 });
  for (const group of page.resources) {
    await call.env.options.store
      .update(groupScope, group.id, (current) => {
        const members = Array.isArray(current.data.members) ? current.data.members : [];
        const kept = members.filter((m) => !(isPlainObject(m) && m.value === userId));
        if (kept.length === members.length) return undefined;
        const data = { ...current.data };
        if (kept.length === 0) delete data.members;
        else data.members = kept;
        return { data, unique: uniqueValues(call.env.registry, "Group", data) };
      })
      .catch((error: unknown) => {
        if (!(isScimError(error) && error.status === 404)) throw error;
      });
  }
}

// ---------------------------------------------------------------------------------------------------
// Queries

interface ListParameters {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: number;
  count?: number;
  cursor?: string;
  attributes?: string | string[];
  excludedAttributes?: string | string[];
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n) || !Number.isInteger(n))
    throw ScimError.invalidValue(`"${name}" must be an integer, got ${JSON.stringify(value)}`);
  return n;
}

function fromQuery(url: URL): ListParameters {
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

function fromSearchBody(body: unknown): ListParameters {
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

function pathText(path: AttributePath): string {
  return `${path.uri === undefined ? "" : `${path.uri}:`}${path.attribute}${path.subAttribute === undefined ? "" : `.${path.subAttribute}`}`;
}

/**
 * A filter as it applies to one resource type of a multi-type query (RFC 7644 §3.4.2.1): comparisons
 * of attributes the type does not define have no value, so they are false (`true`/`false` when the
 * whole filter folds to a constant).
 */
function filterForType(
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

async function list(call: Call, resourceTypes: readonly string[], params: ListParameters): Promise<Response> {
  const { env } = call;
  const filter =
    params.filter === undefined || params.filter.trim() === ""
      ? undefined
      : parseFilter(params.filter, {
          maxLength: env.options.maxFilterLength ?? 8192,
          maxDepth: env.options.maxFilterDepth ?? 64,
        });
  const order = params.sortOrder?.toLowerCase();
  if (order !== undefined && order !== "ascending" && order !== "descending") {
    throw ScimError.invalidValue(
      `"sortOrder" must be "ascending" or "descending", got ${JSON.stringify(params.sortOrder)}`,
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
      const resolved = env.registry.resolve(resourceType, params.sortBy);
      if (!resolved) {
        if (resourceTypes.length === 1)
          throw ScimError.invalidValue(
            `"sortBy" names no attribute of ${resourceType}: ${JSON.stringify(params.sortBy)}`,
          );
      } else sortBy = resolved.path;
    }
    const page = await env.options.store.query(scope(call, resourceType), {
      ...(typeFilter !== undefined && typeFilter !== true && { filter: typeFilter }),
      ...(sortBy !== undefined && { sortBy }),
      ...(order !== undefined && { sortOrder: order }),
      count: resourceTypes.length > 1 ? count + Math.max(1, params.startIndex ?? 1) - 1 : count,
      ...(useCursor
        ? { cursor: params.cursor as string }
        : { startIndex: resourceTypes.length > 1 ? 1 : Math.max(1, params.startIndex ?? 1) }),
    });
    totalResults += page.totalResults;
    for (const stored of page.resources) results.push({ type: resourceType, stored });
    if (page.nextCursor !== undefined) nextCursor = page.nextCursor;
  }
  const startIndex = Math.max(1, params.startIndex ?? 1);
  const pageItems =
    resourceTypes.length > 1 ? results.slice(startIndex - 1, startIndex - 1 + count) : results;
  const projectionOptions = projection(undefined, params as Record<string, unknown>);
  const Resources = [];
  for (const { type, stored } of pageItems) {
    Resources.push(
      projectResource(await render(call, type, stored), {
        resourceType: type,
        ...schemaOptions(env),
        ...projectionOptions,
      }),
    );
  }
  return json(200, {
    schemas: [LIST_RESPONSE_URN],
    totalResults,
    itemsPerPage: Resources.length,
    ...(useCursor ? {} : { startIndex }),
    ...(nextCursor !== undefined && { nextCursor }),
    Resources,
  });
}

// ---------------------------------------------------------------------------------------------------
// Discovery (RFC 7644 §4)

function serviceProviderConfig(call: Call): Record<string, unknown> {
  const { env } = call;
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(env.options.documentationUri !== undefined && { documentationUri: env.options.documentationUri }),
    patch: { supported: true },
    bulk: { supported: true, maxOperations: env.maxBulkOperations, maxPayloadSize: env.maxPayloadSize },
    filter: { supported: true, maxResults: env.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authentication with an OAuth 2.0 bearer token (RFC 6750)",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
      },
    ],
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: env.defaultPageSize,
      maxPageSize: env.maxResults,
    },
    meta: { resourceType: "ServiceProviderConfig", location: `${call.base}/ServiceProviderConfig` },
  };
}

function resourceTypeResource(call: Call, name: string): Record<string, unknown> | undefined {
  const type = call.env.registry.resourceType(name);
  if (!type || type.name.toLowerCase() !== name.toLowerCase()) return undefined;
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: type.id ?? type.name,
    name: type.name,
    endpoint: type.endpoint,
    ...(type.description !== undefined && { description: type.description }),
    schema: type.schema,
    schemaExtensions: type.schemaExtensions,
    meta: { resourceType: "ResourceType", location: `${call.base}/ResourceTypes/${type.name}` },
  };
}

function schemaResource(call: Call, id: string): Record<string, unknown> | undefined {
  const schema = call.env.registry.schema(id);
  if (!schema) return undefined;
  return {
    schemas: [SCHEMA_SCHEMA],
    ...schema,
    meta: { resourceType: "Schema", location: `${call.base}/Schemas/${schema.id}` },
  };
}

function listOf(resources: readonly Record<string, unknown>[]): Response {
  return json(200, {
    schemas: [LIST_RESPONSE_URN],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  });
}

// ---------------------------------------------------------------------------------------------------
// Bulk (RFC 7644 §3.7)

/** How deep into an operation's data bulkId references are looked for. */
const BULK_REFERENCE_DEPTH = 32;

async function bulk(call: Call, body: unknown): Promise<Response> {
  const { env } = call;
  if (!isPlainObject(body) || !Array.isArray(body.Operations)) {
    throw ScimError.invalidSyntax(
      `a bulk request needs "schemas": ["${BULK_REQUEST_URN}"] and an "Operations" array (RFC 7644 §3.7)`,
    );
  }
  const operations = body.Operations as unknown[];
  if (operations.length > env.maxBulkOperations) {
    throw new ScimError({
      status: 413,
      detail: `the bulk request has ${operations.length} operations; at most ${env.maxBulkOperations} are accepted (maxOperations, RFC 7644 §3.7.4)`,
    });
  }
  const failOnErrors = integer(body.failOnErrors, "failOnErrors");
  const parsed = operations.map((raw, index) => {
    if (!isPlainObject(raw))
      throw ScimError.invalidSyntax(`Operations[${index}] must be an object with "method" and "path"`);
    const method = typeof raw.method === "string" ? raw.method.toUpperCase() : "";
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(method))
      throw ScimError.invalidSyntax(`Operations[${index}].method must be POST, PUT, PATCH or DELETE`);
    if (typeof raw.path !== "string")
      throw ScimError.invalidSyntax(`Operations[${index}].path must be a string such as "/Users"`);
    const bulkId = typeof raw.bulkId === "string" ? raw.bulkId : undefined;
    if (method === "POST" && bulkId === undefined)
      throw ScimError.invalidSyntax(`Operations[${index}]: a POST needs a "bulkId" (RFC 7644 §3.7)`);
    const refs = new Set<string>();
    bulkIdReferences(raw.data, refs, BULK_REFERENCE_DEPTH);
    const pathRef = BULK_ID_PATH.exec(raw.path);
    if (pathRef) refs.add(pathRef[2] as string);
    return {
      index,
      method,
      path: raw.path,
      bulkId,
      data: raw.data,
      version: typeof raw.version === "string" ? raw.version : undefined,
      refs,
    };
  });
  const byBulkId = new Map<string, (typeof parsed)[number]>();
  for (const op of parsed) if (op.bulkId !== undefined) byBulkId.set(op.bulkId, op);
  // RFC 7644 §3.7.1: reject circular bulkId references instead of looping.
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, chain: string[]) => {
    if (done.has(id)) return;
    if (visiting.has(id))
      throw new ScimError({
        status: 409,
        detail: `circular bulkId references: ${[...chain, id].join(" → ")} (RFC 7644 §3.7.1)`,
      });
    visiting.add(id);
    for (const ref of byBulkId.get(id)?.refs ?? []) visit(ref, [...chain, id]);
    visiting.delete(id);
    done.add(id);
  };
  for (const id of byBulkId.keys()) visit(id, []);

  // Operations run in an order where a bulkId is created before it is referenced.
  const order: typeof parsed = [];
  const placed = new Set<number>();
  const place = (op: (typeof parsed)[number]) => {
    if (placed.has(op.index)) return;
    placed.add(op.index);
    for (const ref of op.refs) {
      const target = byBulkId.get(ref);
      if (target) place(target);
    }
    order.push(op);
  };
  for (const op of parsed) place(op);

  const ids = new Map<string, string>();
  const results = new Map<number, Record<string, unknown>>();
  let errors = 0;
  for (const op of order) {
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
    const result: Record<string, unknown> = {
      method: op.method,
      ...(op.bulkId !== undefined && { bulkId: op.bulkId }),
      ...(op.version !== undefined && { version: op.version }),
    };
    try {
      const pathRef = BULK_ID_PATH.exec(op.path);
      const pathId = pathRef ? ids.get(pathRef[2] as string) : undefined;
      if (pathRef && pathId === undefined)
        throw ScimError.invalidValue(
          `"${op.path}" refers to a bulkId that has not been created (RFC 7644 §3.7.2)`,
        );
      const path = pathRef ? `${pathRef[1]}${pathId}` : op.path;
      const data = replaceBulkIds(
        op.data,
        (bulkId, text) => {
          const id = ids.get(bulkId);
          if (id === undefined)
            throw ScimError.invalidValue(
              `"${text}" refers to a bulkId that has not been created (RFC 7644 §3.7.2)`,
            );
          return id;
        },
        BULK_REFERENCE_DEPTH,
      );
      const segments = path.replace(/^\/+/, "").split("/");
      const type = env.registry.resourceType(`/${segments[0] ?? ""}`);
      if (!type || segments.length > 2)
        throw ScimError.invalidPath(`"${op.path}" is not a resource endpoint of this service`);
      const id = segments[1];
      if ((op.method === "POST") !== (id === undefined))
        throw ScimError.invalidPath(
          `${op.method} needs ${op.method === "POST" ? "a resource endpoint such as /Users" : "a resource path such as /Users/{id}"}`,
        );
      // RFC 7644 §3.7.3: "location" is required in every result except a failed POST.
      if (id !== undefined) result.location = `${call.base}${type.endpoint}/${id}`;
      const ifVersion = op.version === undefined ? undefined : versionOf(op.version);
      const v = typeof ifVersion === "number" ? ifVersion : undefined;
      let outcome: { status: number; stored?: StoredResource; id?: string };
      if (op.method === "POST") outcome = await createResource(call, type.name, data, op.bulkId);
      else if (op.method === "PUT")
        outcome = await replaceResource(call, type.name, id as string, data, v, op.bulkId);
      else if (op.method === "PATCH")
        outcome = await patchResource(call, type.name, id as string, data, v, op.bulkId);
      else outcome = await deleteResource(call, type.name, id as string, v, op.bulkId);
      if (op.bulkId !== undefined && outcome.id !== undefined) ids.set(op.bulkId, outcome.id);
      result.status = String(outcome.status);
      if (outcome.stored) {
        result.location = `${call.base}${type.endpoint}/${outcome.stored.id}`;
        result.version = etag(outcome.stored);
      }
    } catch (error) {
      if (!isScimError(error)) throw error;
      errors++;
      result.status = String(error.status);
      result.response = error.toJSON();
    }
    results.set(op.index, result);
  }
  const Operations = parsed.filter((op) => results.has(op.index)).map((op) => results.get(op.index));
  return json(200, { schemas: [BULK_RESPONSE_URN], Operations });
}

// ---------------------------------------------------------------------------------------------------
// Routing

async function route(call: Call, url: URL, segments: string[]): Promise<Response> {
  const { request, env } = call;
  const method = request.method.toUpperCase();
  const [first, second, third] = segments;
  const allow = (methods: string) => {
    const allowed = methods.split(",");
    if (!allowed.includes(method)) throw new MethodNotAllowed(method, `/${segments.join("/")}`, allowed);
  };
  if (first === undefined)
    throw ScimError.notFound("the SCIM base URL has no resource; try /ServiceProviderConfig");
  const lower = first.toLowerCase();
  if (lower === "serviceproviderconfig" && second === undefined) {
    allow("GET");
    return json(200, serviceProviderConfig(call));
  }
  if (lower === "resourcetypes" && third === undefined) {
    allow("GET");
    if (second !== undefined) {
      const found = resourceTypeResource(call, decodeSegment(second));
      if (!found) throw ScimError.notFound(`resource type "${second}" not found`);
      return json(200, found);
    }
    return listOf(
      env.registry.bundle.resourceTypes.map(
        (t) => resourceTypeResource(call, t.name) as Record<string, unknown>,
      ),
    );
  }
  if (lower === "schemas" && third === undefined) {
    allow("GET");
    if (second !== undefined) {
      const found = schemaResource(call, decodeSegment(second));
      if (!found) throw ScimError.notFound(`schema "${second}" not found`);
      return json(200, found);
    }
    return listOf(
      env.registry.bundle.schemas.map((s) => schemaResource(call, s.id) as Record<string, unknown>),
    );
  }
  if (lower === "bulk" && second === undefined) {
    allow("POST");
    return bulk(call, await readBody(call));
  }
  if (lower === ".search" && second === undefined) {
    allow("POST");
    return list(
      call,
      env.registry.bundle.resourceTypes.map((t) => t.name),
      fromSearchBody(await readBody(call)),
    );
  }
  if (lower === "me" && second === undefined) return me(call, url);

  const type = env.registry.resourceType(`/${first}`);
  if (!type || type.endpoint.replace(/^\//, "").toLowerCase() !== lower || third !== undefined) {
    throw ScimError.notFound(`no SCIM endpoint at /${segments.join("/")}`);
  }
  if (second === undefined) {
    allow("GET,POST");
    if (method === "GET") return list(call, [type.name], fromQuery(url));
    const { stored } = await createResource(call, type.name, await readBody(call));
    return respondWithResource(call, type.name, stored, 201, url);
  }
  if (second === ".search") {
    allow("POST");
    return list(call, [type.name], fromSearchBody(await readBody(call)));
  }
  const id = decodeSegment(second);
  return resourceById(call, url, type.name, id);
}

async function resourceById(call: Call, url: URL, resourceType: string, id: string): Promise<Response> {
  const { request, env } = call;
  const method = request.method.toUpperCase();
  const ifMatch = versionsOf(request.headers.get("if-match"));
  let ifVersion: number | undefined;
  if (Array.isArray(ifMatch)) {
    if (ifMatch.length === 0)
      throw new ScimError({ status: 412, detail: "If-Match names no version this resource has had" });
    if (ifMatch.length === 1) ifVersion = ifMatch[0];
    else {
      // Several acceptable versions: the current one must be among them; the store then checks it atomically.
      const current = await env.options.store.get(scope(call, resourceType), id);
      if (current && !ifMatch.includes(current.version)) {
        throw new ScimError({
          status: 412,
          detail: `${resourceType} ${id} has changed (version ${current.version})`,
        });
      }
      ifVersion = current?.version;
    }
  }
  switch (method) {
    case "GET": {
      const stored = await env.options.store.get(scope(call, resourceType), id);
      if (!stored) throw ScimError.notFound(`${resourceType} ${id} not found`);
      const ifNoneMatch = versionsOf(request.headers.get("if-none-match"));
      if (ifNoneMatch === "*" || (Array.isArray(ifNoneMatch) && ifNoneMatch.includes(stored.version)))
        return new Response(null, { status: 304, headers: { etag: etag(stored) } });
      return respondWithResource(call, resourceType, stored, 200, url);
    }
    case "PUT": {
      const { stored } = await replaceResource(call, resourceType, id, await readBody(call), ifVersion);
      return respondWithResource(call, resourceType, stored, 200, url);
    }
    case "PATCH": {
      const { stored } = await patchResource(call, resourceType, id, await readBody(call), ifVersion);
      return respondWithResource(call, resourceType, stored, 200, url);
    }
    case "DELETE":
      await deleteResource(call, resourceType, id, ifVersion);
      return new Response(null, { status: 204 });
    default:
      throw new MethodNotAllowed(method, "a resource", ["GET", "PUT", "PATCH", "DELETE"]);
  }
}

/** RFC 7644 §3.11: /Me is an alias of the authenticated subject's own User resource. */
async function me(call: Call, url: URL): Promise<Response> {
  const hook = call.env.options.me;
  if (!hook)
    throw new ScimError({
      status: 501,
      detail: "this service provider does not support /Me (RFC 7644 §3.11)",
    });
  const id = await hook(call.principal, call.request);
  if (id === undefined) throw ScimError.notFound("the authenticated subject has no User resource here");
  const response = await resourceById(call, url, "User", id);
  return response;
}

/**
 * A SCIM 2.0 service provider (RFC 7644) as a web-standard request handler: `(Request) => Promise<Response>`.
 * Every route of RFC 7644 §3 for every resource type of the bundle, discovery (§4), /Bulk (§3.7), /Me
 * (§3.11), ETags (§3.14), index and cursor pagination (RFC 9865); bearer authentication with tenants;
 * body, filter, page and bulk limits; audit events. Errors are RFC 7644 §3.12 bodies; unexpected errors
 * are answered 500 without details and reported to `onError`. Mount it with the node:http, Express or
 * Hono adapters, or any runtime that speaks `Request`/`Response`.
 *
 * @example
 * const handle = createScimHandler({ store: new MemoryStore(), auth: { tokens: ["secret"] } });
 * const response = await handle(new Request("http://localhost/scim/v2/Users", { headers: { authorization: "Bearer secret" } }));
 */
export function createScimHandler(options: ScimHandlerOptions): (request: Request) => Promise<Response> {
  const registry = registryOf(options);
  // Fail at start-up, not on the first request, when a resource type has no validators.
  for (const type of registry.bundle.resourceTypes) typeContext(type.name, options);
  const basePath = `/${(options.basePath ?? "/scim/v2").replace(/^\/+|\/+$/g, "")}`.replace(/^\/$/, "");
  const env: Env = {
    options,
    registry,
    basePath,
    maxPayloadSize: options.maxPayloadSize ?? 1_048_576,
    maxResults: options.maxResults ?? 1000,
    defaultPageSize: options.defaultPageSize ?? 100,
    maxBulkOperations: options.maxBulkOperations ?? 1000,
  };
  return async (request: Request): Promise<Response> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return ScimError.invalidSyntax("the request URL is not valid").toResponse();
    }
    const path = url.pathname;
    const lowerPath = path.toLowerCase();
    if (
      basePath !== "" &&
      lowerPath !== basePath.toLowerCase() &&
      !lowerPath.startsWith(`${basePath.toLowerCase()}/`)
    ) {
      return ScimError.notFound(
        `no SCIM endpoint at ${path}; the endpoints are under ${basePath}`,
      ).toResponse();
    }
    try {
      const principal = await authenticate(env, request);
      if (!principal) {
        return new ScimError({
          status: 401,
          detail: "authentication required: send Authorization: Bearer <token>",
        }).toResponse({
          headers: { "www-authenticate": 'Bearer realm="SCIM"' },
        });
      }
      const wait = await options.rateLimit?.(principal, request);
      if (wait !== undefined && wait > 0) {
        return new ScimError({
          status: 429,
          detail: `too many requests; retry in ${Math.ceil(wait)} s`,
        }).toResponse({ headers: { "retry-after": String(Math.ceil(wait)) } });
      }
      const segments = path
        .slice(basePath.length)
        .split("/")
        .filter((s) => s !== "");
      const call: Call = { env, request, principal, base: `${url.origin}${basePath}` };
      return await route(call, url, segments);
    } catch (error) {
      if (error instanceof MethodNotAllowed) return error.toResponse({ headers: { allow: error.allow } });
      if (isScimError(error)) return error.toResponse();
      options.onError?.(error, request);
      return new ScimError({ status: 500, detail: "internal server error" }).toResponse();
    }
  };
}
