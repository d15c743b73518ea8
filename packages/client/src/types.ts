import {
  isScimError,
  PATCH_OP_URN,
  SCIM_MEDIA_TYPE,
  type ScimBundle,
  ScimError,
  SEARCH_REQUEST_URN,
} from "@scimkit/core";
import {
  type AnyAttributePaths,
  type Filter,
  type FilterBuilder,
  filterBuilder,
  stringifyFilter,
} from "@scimkit/filter";
import type { ResourceType, ResourceTypeModels, Schema, ServiceProviderConfiguration } from "@scimkit/models";
import type { Options as KyOptions } from "ky";
import type { BulkHandle, BulkOperation, BulkOptions, BulkResult } from "./bulk.js";
import { builderFor, type PatchBuilder } from "./patch-builder.js";
import type { DiffOptions } from "./patch-diff.js";
import {
  listValues,
  type MultiValued,
  multiValuedAttributes,
  type PatchOperation,
} from "./patch-operation.js";
import type { AttributeList, Projected, Returned } from "./projected.js";

export type { PatchOperation };

/**
 * The shapes a resource type has: what the server returns, what create/replace take, what PATCH values
 * take, and (optionally) its attribute-path map, which types filters and PATCH paths.
 */
export interface ResourceModel {
  resource: object;
  input: object;
  patch: object;
  paths?: object;
}

/**
 * Resource type name → its model, as `scimkit generate` emits it (`ResourceTypeModels`).
 *
 * @example type Models = ResourceTypeModels & { Device: { resource: Device; input: DeviceInput; patch: DevicePatch; paths: DeviceAttributePaths } };
 */
export type ModelMap = { [name: string]: ResourceModel };

/** Model of a resource type the map does not name: plain JSON objects with an `id`. */
export interface UntypedModel {
  resource: { id: string; [attribute: string]: unknown };
  input: { [attribute: string]: unknown };
  patch: { [attribute: string]: unknown };
}

type ModelOf<M, K extends string> = K extends keyof M
  ? M[K] extends ResourceModel
    ? M[K]
    : UntypedModel
  : UntypedModel;

/** The attribute-path map of a model (any path, any value when the model has none). */
export type PathsOf<Model> = Model extends { paths: infer P extends object } ? P : AnyAttributePaths;

/**
 * A filter (RFC 7644 §3.4.2.2): its text, a {@link Filter} tree (from `parseFilter` or `filterBuilder`),
 * or a callback that builds one with a builder typed by the resource type's attribute paths.
 *
 * @example (f) => f.and(f.eq("active", true), f.sw("userName", "b"))
 */
export type FilterInput<P = AnyAttributePaths> = string | Filter | ((builder: FilterBuilder<P>) => Filter);

/** A bearer token, or a function that provides one (asked before each request, and again once on 401). */
export type TokenSource = string | (() => string | Promise<string>);

/**
 * Options of {@link createScimClient}. An option set to `undefined` takes its default, so
 * `token: process.env.SCIM_TOKEN` compiles under `exactOptionalPropertyTypes`.
 *
 * @example { baseUrl: "https://idp.example.com/scim/v2", token: () => vault.read("scim"), timeout: 10_000 }
 */
export interface ScimClientOptions {
  /** The SCIM service root, e.g. `https://example.com/scim/v2`. */
  baseUrl: string | URL;
  /** Bearer token or token provider. A provider is asked again once when the server answers 401. */
  token?: TokenSource | undefined;
  /** Request timeout in milliseconds, or `false` for none. Default 30,000. */
  timeout?: number | false | undefined;
  /**
   * Retries of 429, 503 and network errors with exponential backoff and full jitter, honouring
   * `Retry-After`; idempotent methods only unless `methods` says otherwise. A number is the `limit`;
   * `0` or `false` turns retries off. Default `{ limit: 2 }`.
   */
  retry?: number | false | RetryOptions | undefined;
  /**
   * Send every request through ky with these options and hooks (`beforeRequest`, `afterResponse`,
   * `headers`, `fetch`, …). ky is loaded only when this is given; without it the client calls `fetch`
   * directly (see README, "Transport"). ky's own `retry`, `prefixUrl`, `timeout` and `throwHttpErrors`
   * are the client's: use `retry` and `timeout`.
   */
  ky?:
    | Omit<
        KyOptions,
        "prefixUrl" | "retry" | "timeout" | "throwHttpErrors" | "searchParams" | "method" | "body" | "json"
      >
    | undefined;
  /** The `fetch` to call (default `globalThis.fetch`), e.g. one with a proxy or custom TLS agent. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Endpoint per resource type name (`{ Device: "/Devices" }`); default is the name plus "s". */
  endpoints?: Readonly<Record<string, string>> | undefined;
  /**
   * How `patch` and `update` change a resource (RFC 7644 §3.5.2): `"native"` (default) sends PATCH;
   * `putFallback()` from `@scimkit/client/put-fallback` reads the resource, applies the operations
   * locally and sends PUT with `If-Match` — always, or when the server's ServiceProviderConfig says
   * `patch.supported: false`.
   */
  patch?: "native" | PutFallback | undefined;
  /**
   * The schemas and resource types the server uses (`bundle` of the `scimkit generate` output, or
   * `bundle` of `@scimkit/models`); default: RFC 7643's User (with EnterpriseUser) and Group. The
   * client reads which attributes are multi-valued from it, to send their PATCH values as lists.
   */
  bundle?: ScimBundle | undefined;
}

/**
 * How the client emulates PATCH with PUT; made by `putFallback()` of `@scimkit/client/put-fallback`.
 */
export interface PutFallback {
  /** `"unsupported"`: when ServiceProviderConfig says `patch.supported: false`; `"always"`: every time. */
  readonly when: "unsupported" | "always";
  /** Applies PatchOp operations to a copy of the resource (RFC 7644 §3.5.2). */
  readonly apply: (
    resource: object,
    operations: readonly PatchOperation[],
    context: { resourceType: string },
  ) => object;
}

/**
 * How the client retries (see README, "Retries").
 *
 * @example { limit: 3, methods: ["GET", "PUT", "DELETE", "PATCH"], maxRetryDelay: 5_000 }
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  limit?: number;
  /** Methods that are retried (case-insensitive). Default GET, HEAD, OPTIONS, PUT, DELETE; add PATCH / POST to opt in. */
  methods?: readonly string[];
  /** HTTP statuses that are retried. Default 429 and 503. */
  statusCodes?: readonly number[];
  /** Base of the exponential backoff, ms: the n-th retry waits a random time in [0, delay × 2^(n-1)). Default 300. */
  delay?: number;
  /** Longest wait before a retry, ms; caps both the backoff and `Retry-After`. Default 30,000. */
  maxRetryDelay?: number;
}

/** A ListResponse (RFC 7644 §3.4.2, RFC 9865); `Resources` is `[]` when the server omits it. */
export interface ListResponse<T> {
  schemas: string[];
  totalResults: number;
  itemsPerPage?: number;
  startIndex?: number;
  nextCursor?: string;
  previousCursor?: string;
  Resources: T[];
}

/** Projection of the returned attributes (RFC 7644 §3.9); literal names narrow the result type. */
export interface ProjectionQuery {
  attributes?: string | readonly string[] | undefined;
  excludedAttributes?: string | readonly string[] | undefined;
}

type SortPath<P> = Extract<keyof P, string> | (string & Record<never, never>);

/**
 * Query of `list` and `search` (RFC 7644 §3.4.2; `cursor` per RFC 9865, `""` asks for the first page).
 * An option set to `undefined` is left out, as if absent.
 */
export interface ListQuery<P = AnyAttributePaths> extends ProjectionQuery {
  filter?: FilterInput<P> | undefined;
  startIndex?: number | undefined;
  count?: number | undefined;
  cursor?: string | undefined;
  sortBy?: SortPath<P> | undefined;
  sortOrder?: "ascending" | "descending" | undefined;
}

/** Query of `iterate`: `count` is the page size; `pagination` chooses index or RFC 9865 cursor pages. */
export interface IterateQuery<P = AnyAttributePaths> extends ProjectionQuery {
  filter?: FilterInput<P> | undefined;
  count?: number | undefined;
  sortBy?: SortPath<P> | undefined;
  sortOrder?: "ascending" | "descending" | undefined;
  /**
   * `"auto"` (default): cursors when the ServiceProviderConfig says `pagination.cursor: true` (RFC 9865 §4),
   * otherwise index; `"index"`: `startIndex`/`count`, which every SCIM server supports; `"cursor"`: RFC 9865
   * cursors (carrying on by index if the server answers without a `nextCursor`).
   */
  pagination?: "auto" | "index" | "cursor" | undefined;
}

/**
 * Precondition of replace/patch/delete (RFC 7644 §3.14). `ifMatch: undefined` (what {@link versionOf}
 * gives for a resource without a version) sends no `If-Match`.
 *
 * @example await client.users.replace(id, input, { ifMatch: versionOf(user) });
 */
export interface WriteOptions {
  /** ETag the resource must still have; a mismatch rejects with ScimError 412. */
  ifMatch?: string | undefined;
}

/** Options of `get`: a projection, and `ifNoneMatch` for a conditional GET (RFC 7644 §3.14). */
export interface GetOptions extends ProjectionQuery {
  /** ETag the caller already has; when the resource still has it the server answers 304 and `get` resolves to `undefined`. */
  ifNoneMatch?: string | undefined;
}

/** A PatchOp request body (RFC 7644 §3.5.2). */
export interface PatchRequest<P = Record<string, unknown>> {
  schemas?: string[];
  Operations: readonly PatchOperation<P>[];
}

/**
 * What `patch` takes: operations, a PatchOp body, or a callback that builds operations with a
 * {@link PatchBuilder} typed by the resource type's attribute paths.
 *
 * @example (p) => [p.replace("active", false), p.where("emails", (e) => e.eq("type", "work")).remove()]
 */
export type PatchInput<Model extends ResourceModel = UntypedModel> =
  | readonly PatchOperation<Model["patch"]>[]
  | PatchRequest<Model["patch"]>
  | ((builder: PatchBuilder<PathsOf<Model>, Model["patch"]>) => PatchOperation | readonly PatchOperation[]);

/** The projection of a request, as type parameters so that literal names narrow the result. */
type Projection<A, E> = { attributes?: A; excludedAttributes?: E };

/**
 * Typed CRUD, list, search and iteration for one resource type. Literal `attributes` /
 * `excludedAttributes` narrow the result type (see {@link Projected}).
 *
 * @example const user = await client.users.get("2819c223"); user.userName;
 */
export interface ResourceClient<Model extends ResourceModel = UntypedModel> {
  /** POST the resource; resolves to what the server stored. @example await client.users.create({ userName: "bjensen" }) */
  create(body: Model["input"]): Promise<Returned<Model["resource"]>>;
  /** GET one resource; 404 rejects with ScimError. @example await client.users.get(id, { attributes: ["userName"] }) */
  get<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    id: string,
    query?: Projection<A, E> & { ifNoneMatch?: undefined },
  ): Promise<Projected<Returned<Model["resource"]>, A, E>>;
  /**
   * Conditional GET: resolves to `undefined` when the server answers 304 Not Modified.
   *
   * @example const fresh = await client.users.get(id, { ifNoneMatch: versionOf(cached) }) ?? cached;
   */
  get<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    id: string,
    query: Projection<A, E> & { ifNoneMatch?: string | undefined },
  ): Promise<Projected<Returned<Model["resource"]>, A, E> | undefined>;
  /** PUT the whole resource. @example await client.users.replace(id, { userName: "bjensen", active: false }) */
  replace(id: string, body: Model["input"], options?: WriteOptions): Promise<Returned<Model["resource"]>>;
  /**
   * PATCH with operations, a PatchOp body or a builder callback; a 204 answer is followed by a GET so
   * the result is the resource.
   *
   * @example await client.users.patch(id, (p) => [p.replace("active", false)])
   */
  patch(
    id: string,
    operations: PatchInput<Model>,
    options?: WriteOptions,
  ): Promise<Returned<Model["resource"]>>;
  /**
   * PATCH with `diff(before, after)` (see {@link diff}); when nothing changed no request is sent and
   * `before` is returned as is (hence the `| B` in the type: a projected `before` stays projected).
   *
   * @example const saved = await client.users.update(user.id, user, { ...user, active: false });
   */
  update<B extends Partial<Model["resource"]>>(
    id: string,
    before: B,
    after: Model["resource"] | Model["input"] | Partial<Model["resource"]>,
    options?: WriteOptions & DiffOptions,
  ): Promise<Returned<Model["resource"]> | B>;
  /** DELETE the resource. @example await client.users.delete(id) */
  delete(id: string, options?: WriteOptions): Promise<void>;
  /** One page. @example await client.users.list({ filter: (f) => f.sw("userName", "b"), count: 50 }) */
  list<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    query?: ListQuery<PathsOf<Model>> & Projection<A, E>,
  ): Promise<ListResponse<Projected<Returned<Model["resource"]>, A, E>>>;
  /** One page through POST `/.search` (RFC 7644 §3.4.3). @example await client.users.search({ filter: 'active eq true' }) */
  search<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    query?: ListQuery<PathsOf<Model>> & Projection<A, E>,
  ): Promise<ListResponse<Projected<Returned<Model["resource"]>, A, E>>>;
  /** Every matching resource across pages. @example for await (const u of client.users.iterate({ count: 100 })) … */
  iterate<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    query?: IterateQuery<PathsOf<Model>> & Projection<A, E>,
  ): AsyncIterable<Projected<Returned<Model["resource"]>, A, E>>;
  /** The first resource matching a filter, or `undefined`. @example await client.users.find((f) => f.eq("userName", "bjensen")) */
  find(filter: FilterInput<PathsOf<Model>>): Promise<Returned<Model["resource"]> | undefined>;
}

/**
 * `/Me` (RFC 7644 §3.11): the authenticated subject's own User resource.
 *
 * @example const me = await client.me.get(); await client.me.patch([{ op: "replace", path: "nickName", value: "Babs" }]);
 */
export interface MeClient<Model extends ResourceModel = UntypedModel> {
  /** GET /Me. @example await client.me.get({ attributes: ["userName"] }) */
  get<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    query?: Projection<A, E> & { ifNoneMatch?: undefined },
  ): Promise<Projected<Returned<Model["resource"]>, A, E>>;
  /** Conditional GET /Me: `undefined` on 304. */
  get<
    const A extends AttributeList | undefined = undefined,
    const E extends AttributeList | undefined = undefined,
  >(
    query: Projection<A, E> & { ifNoneMatch?: string | undefined },
  ): Promise<Projected<Returned<Model["resource"]>, A, E> | undefined>;
  /** PUT /Me. */
  replace(body: Model["input"], options?: WriteOptions): Promise<Returned<Model["resource"]>>;
  /** PATCH /Me; a 204 answer is followed by a GET /Me. */
  patch(operations: PatchInput<Model>, options?: WriteOptions): Promise<Returned<Model["resource"]>>;
  /** DELETE /Me. */
  delete(options?: WriteOptions): Promise<void>;
}

/** Options of {@link ScimClient.resource}. */
export interface ResourceOptions {
  /** Endpoint of the resource type, e.g. `/Devices`. */
  endpoint?: string;
}

/** RFC 9865 §4: the `pagination` attribute of a ServiceProviderConfig. */
export interface PaginationConfig {
  cursor: boolean;
  index: boolean;
  defaultPaginationMethod?: "cursor" | "index";
  defaultPageSize?: number;
  maxPageSize?: number;
  cursorTimeout?: number;
}

/** A ServiceProviderConfig (RFC 7643 §5), with RFC 9865's `pagination`. */
export type ServiceProviderConfig = ServiceProviderConfiguration & { pagination?: PaginationConfig };

/**
 * The bulk builder: typed operations on any resource type of the model map; `create` returns a
 * handle whose `ref` stands for the new resource's id in later operations (RFC 7644 §3.7.2).
 *
 * @example
 * const alice = b.create("User", { schemas, userName: "alice" });
 * b.create("Group", { schemas: [GROUP], displayName: "Admins", members: [{ value: alice.ref }] });
 */
export interface BulkBuilder<M extends object> {
  create<K extends keyof M & string>(
    type: K,
    body: ModelOf<M, K>["input"],
    options?: { bulkId?: string },
  ): BulkHandle<Returned<ModelOf<M, K>["resource"]>>;
  replace<K extends keyof M & string>(
    type: K,
    id: string | BulkHandle,
    body: ModelOf<M, K>["input"],
    options?: WriteOptions,
  ): BulkHandle<Returned<ModelOf<M, K>["resource"]>>;
  patch<K extends keyof M & string>(
    type: K,
    id: string | BulkHandle,
    operations: PatchInput<ModelOf<M, K>>,
    options?: WriteOptions,
  ): BulkHandle<Returned<ModelOf<M, K>["resource"]>>;
  delete<K extends keyof M & string>(
    type: K,
    id: string | BulkHandle,
    options?: WriteOptions,
  ): BulkHandle<never>;
  /** Any operation as it goes on the wire. */
  operation(operation: BulkOperation): BulkHandle;
}

/**
 * A SCIM client: `users`, `groups`, any resource type through `resource(name)`, `/Me`, `/Bulk` and
 * discovery.
 *
 * @example const devices = client.resource("Device", { endpoint: "/Devices" });
 */
export interface ScimClient<M extends object = ResourceTypeModels> {
  readonly users: ResourceClient<ModelOf<M, "User">>;
  readonly groups: ResourceClient<ModelOf<M, "Group">>;
  resource<K extends keyof M & string>(name: K, options?: ResourceOptions): ResourceClient<ModelOf<M, K>>;
  resource(name: string, options?: ResourceOptions): ResourceClient<UntypedModel>;
  /** `/Me` (RFC 7644 §3.11), typed as the User model. */
  readonly me: MeClient<ModelOf<M, "User">>;
  /**
   * POST `/Bulk` (RFC 7644 §3.7), split into as many requests as the server's `maxOperations` and
   * `maxPayloadSize` need. Resolves to every operation's outcome; rejects only when the first request
   * fails as a whole (nothing was applied).
   *
   * @example const result = await client.bulk((b) => { b.create("User", alice); b.delete("User", oldId); }, { failOnErrors: 1 });
   */
  bulk(
    operations: ((builder: BulkBuilder<M>) => void) | readonly BulkOperation[],
    options?: BulkOptions,
  ): Promise<BulkResult>;
  /** GET `/ServiceProviderConfig` (RFC 7644 §4), fetched once and cached; `{ refresh: true }` fetches it again. */
  serviceProviderConfig(options?: { refresh?: boolean }): Promise<ServiceProviderConfig>;
  /** GET `/ResourceTypes` (RFC 7644 §4). */
  resourceTypes(): Promise<ResourceType[]>;
  /** GET `/Schemas` (RFC 7644 §4). */
  schemas(): Promise<Schema[]>;
}

/**
 * The version (ETag) of a resource the client returned: `meta.version`, which the client fills from the
 * `ETag` response header. Pass it as `ifMatch` / `ifNoneMatch`.
 *
 * @example await client.users.replace(id, input, { ifMatch: versionOf(user) });
 */
export function versionOf(resource: object | undefined): string | undefined {
  const meta = (resource as { meta?: { version?: unknown } } | undefined)?.meta;
  return typeof meta?.version === "string" ? meta.version : undefined;
}

const IDEMPOTENT = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];

interface RetryPolicy {
  limit: number;
  methods: Set<string>;
  statusCodes: Set<number>;
  delay: number;
  maxRetryDelay: number;
}

function retryPolicy(retry: ScimClientOptions["retry"]): RetryPolicy {
  const given: RetryOptions =
    retry === false ? { limit: 0 } : typeof retry === "number" ? { limit: retry } : (retry ?? {});
  return {
    limit: Math.max(0, given.limit ?? 2),
    methods: new Set((given.methods ?? IDEMPOTENT).map((m) => m.toUpperCase())),
    statusCodes: new Set(given.statusCodes ?? [429, 503]),
    delay: Math.max(0, given.delay ?? 300),
    maxRetryDelay: Math.max(0, given.maxRetryDelay ?? 30_000),
  };
}

/** Milliseconds a `Retry-After` header asks for (delay-seconds or an HTTP-date), or `undefined`. */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `METHOD origin/path` — never the query (it may hold a filter with personal data) nor credentials. */
function describe(method: string, url: string): string {
  const parsed = new URL(url);
  return `${method} ${parsed.origin}${parsed.pathname}`;
}

/** Errors thrown by the fetch call itself (fetch's TypeError on a refused or reset connection): the retriable kind. */
const networkFailures = new WeakSet<object>();
function networkFailure(error: unknown): unknown {
  if (error instanceof TypeError) networkFailures.add(error);
  return error;
}

/** A request that ran out of time (`timeout`): named like ky's and the platform's, with the request in the message. */
class RequestTimeoutError extends Error {
  override name = "TimeoutError";
}

async function errorFromResponse(method: string, url: string, response: Response): Promise<ScimError> {
  const status = response.status >= 300 && response.status <= 599 ? response.status : 502;
  let text = "";
  try {
    text = await response.text();
  } catch {
    // an unreadable body is reported like an empty one
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fromBody = ScimError.fromBody(body, status);
  if (fromBody) return fromBody;
  const type = response.headers.get("content-type")?.split(";")[0]?.trim() || "no content type";
  const what =
    text === ""
      ? "an empty body"
      : body === undefined
        ? `a non-JSON ${type} body`
        : "JSON that is not a SCIM Error";
  return new ScimError({
    status,
    detail: `${describe(method, url)} failed with HTTP ${response.status} ${response.statusText} and ${what} (${text.length} characters) instead of a SCIM Error`,
  });
}

async function readJson<T>(response: Response, request: string): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ScimError({
      status: 502,
      detail: `${request} answered HTTP ${response.status} with a body that is not valid JSON (${text.length} characters)`,
    });
  }
}

function projection(params: URLSearchParams, query: ProjectionQuery): void {
  for (const key of ["attributes", "excludedAttributes"] as const) {
    const value = query[key];
    if (value === undefined) continue;
    params.set(key, typeof value === "string" ? value : value.join(","));
  }
}

const anyFilter = filterBuilder();

/** The filter text a {@link FilterInput} stands for. */
export function filterText(filter: FilterInput<never> | FilterInput): string {
  if (typeof filter === "string") return filter;
  const tree =
    typeof filter === "function"
      ? (filter as (b: FilterBuilder<AnyAttributePaths>) => Filter)(anyFilter)
      : filter;
  return stringifyFilter(tree);
}

function listParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.filter !== undefined) params.set("filter", filterText(query.filter));
  if (query.startIndex !== undefined) params.set("startIndex", String(query.startIndex));
  if (query.count !== undefined) params.set("count", String(query.count));
  if (query.cursor !== undefined) params.set("cursor", query.cursor);
  if (query.sortBy !== undefined) params.set("sortBy", query.sortBy);
  if (query.sortOrder !== undefined) params.set("sortOrder", query.sortOrder);
  projection(params, query);
  return params;
}

function searchBody(query: ListQuery): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SEARCH_REQUEST_URN] };
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    body[key] =
      key === "filter"
        ? filterText(value as FilterInput)
        : (key === "attributes" || key === "excludedAttributes") && typeof value === "string"
          ? value.split(",")
          : value;
  }
  return body;
}

function normalizeList<T>(page: Partial<ListResponse<T>> | null, request: string): ListResponse<T> {
  if (typeof page !== "object" || page === null || Array.isArray(page)) {
    throw new ScimError({
      status: 502,
      detail: `${request} answered with JSON that is not a ListResponse (RFC 7644 §3.4.2)`,
    });
  }
  return {
    ...page,
    schemas: page.schemas ?? [],
    totalResults: page.totalResults ?? 0,
    Resources: page.Resources ?? [],
  };
}

/** The operations a {@link PatchInput} stands for, with the values of multi-valued attributes as lists. */
function patchOperations(input: PatchInput<ResourceModel>, multiValued: MultiValued): PatchOperation[] {
  let operations: readonly PatchOperation[];
  if (typeof input === "function") {
    const built = input(builderFor(multiValued) as never);
    operations = Array.isArray(built) ? built : [built as PatchOperation];
  } else operations = Array.isArray(input) ? input : (input as PatchRequest).Operations;
  return operations.map((operation) => listValues(operation, multiValued));
}

/** The resource without what a PUT must not carry back: `meta` is the server's (RFC 7643 §3.1). */
function forPut(resource: object): object {
  const { meta: _meta, ...rest } = resource as { meta?: unknown };
  return rest;
}

const ACCEPT = `${SCIM_MEDIA_TYPE}, application/json;q=0.9`;
/** What a header value may hold (RFC 9110 §5.5: visible ASCII, spaces and tabs, and obs-text). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** What the client's methods ask of the transport. */
interface Request_ {
  method?: string;
  headers?: Record<string, string>;
  searchParams?: URLSearchParams;
  body?: string;
}

/** How many times an emulated PATCH re-reads the resource after a 412 from a concurrent change. */
const PUT_FALLBACK_ATTEMPTS = 3;

/**
 * Create a SCIM 2.0 client (on `fetch`, or on ky when `ky` options are given).
 *
 * @example
 * const client = createScimClient({ baseUrl: "http://localhost:8080/scim/v2", token: "secret" });
 * const user = await client.users.create({ userName: "bjensen" });
 */
export function createScimClient<M extends object = ResourceTypeModels>(
  options: ScimClientOptions,
): ScimClient<M> {
  const { token } = options;
  // which attributes are multi-valued, per resource type: their PATCH values are sent as lists
  const multiValuedOf = (resourceType: string) => multiValuedAttributes(resourceType, options.bundle);

  const root = String(options.baseUrl).replace(/\/+$/, "");
  const timeout = options.timeout ?? 30_000;
  const policy = retryPolicy(options.retry);
  const fetcher = options.fetch ?? options.ky?.fetch;

  // ky, only when the caller wants its options or hooks: loaded once, on the first request.
  let kyClient: Promise<(url: string, init: RequestInit) => Promise<Response>> | undefined;
  const viaKy = () =>
    (kyClient ??= import("ky").then(({ default: ky }) => {
      const instance = ky.create({
        ...options.ky,
        ...(fetcher !== undefined && { fetch: fetcher }),
        retry: 0,
        timeout,
        throwHttpErrors: false,
      });
      return (url: string, init: RequestInit) => instance(url, init as KyOptions);
    }));

  /** One HTTP exchange: the SCIM headers and bearer token, the timeout, and one re-ask of a token provider on 401. */
  async function exchange(method: string, url: string, init: Request_): Promise<Response> {
    const timedOut = () =>
      new RequestTimeoutError(
        `${describe(method, url)} got no answer within ${timeout} ms (the "timeout" option)`,
      );
    const attempt = async (value: string | undefined) => {
      const headers: Record<string, string> = init.headers
        ? { accept: ACCEPT, ...init.headers }
        : { accept: ACCEPT };
      if (value !== undefined) {
        // checked here, so that a token no header can carry fails at once instead of as a "network" error
        if (!HEADER_VALUE.test(value))
          throw new TypeError("the bearer token has characters an HTTP header cannot carry");
        headers.authorization = `Bearer ${value}`;
      }
      const request: RequestInit = { method, headers, ...(init.body !== undefined && { body: init.body }) };
      if (options.ky !== undefined) {
        const viaKyClient = await viaKy();
        try {
          return await viaKyClient(url, request);
        } catch (error) {
          // ky's TimeoutError keeps the Request (and its Authorization header) and the query: not ours to pass on
          if (error instanceof Error && error.name === "TimeoutError") throw timedOut();
          throw networkFailure(error);
        }
      }
      if (timeout === false)
        return (fetcher ?? globalThis.fetch)(url, request).catch((e) => Promise.reject(networkFailure(e)));
      // Like ky, the timeout runs until the response headers arrive. An AbortController with one timer
      // costs about half of AbortSignal.timeout() per request in Node 20 (packages/bench client-profile).
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeout);
      request.signal = controller.signal;
      try {
        return await (fetcher ?? globalThis.fetch)(url, request);
      } catch (error) {
        if (controller.signal.aborted) throw timedOut();
        throw networkFailure(error);
      } finally {
        clearTimeout(timer);
      }
    };
    const response = await attempt(
      token === undefined ? undefined : typeof token === "string" ? token : await token(),
    );
    if (response.status !== 401 || typeof token !== "function") return response;
    await response.body?.cancel();
    return attempt(await token());
  }

  /** A request with the retry policy; resolves to a 2xx/304 response, rejects with a ScimError for any other status. */
  async function send(path: string, init: Request_): Promise<Response> {
    const method = (init.method ?? "get").toUpperCase();
    const query = init.searchParams?.toString();
    const url = `${root}/${path.replace(/^\/+/, "")}${query ? `?${query}` : ""}`;
    const retriable = policy.methods.has(method);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await exchange(method, url, init);
      } catch (error) {
        // only failures of the fetch call itself (connection refused or reset) are retried; timeouts,
        // aborts, a token provider's own errors and invalid header values are not
        if (!retriable || attempt > policy.limit || !networkFailures.has(error as object)) throw error;
        await sleep(Math.min(Math.random() * policy.delay * 2 ** (attempt - 1), policy.maxRetryDelay));
        continue;
      }
      if (response.ok) return response;
      const failure = await errorFromResponse(method, url, response);
      if (!retriable || attempt > policy.limit || !policy.statusCodes.has(response.status)) throw failure;
      // full jitter: a random wait in [0, delay × 2^(attempt-1)), unless the server said how long
      const asked = retryAfter(response.headers.get("retry-after"));
      const wait = asked ?? Math.random() * policy.delay * 2 ** (attempt - 1);
      await sleep(Math.min(wait, policy.maxRetryDelay));
    }
  }

  /** Reads a single resource and records the `ETag` header as its `meta.version`. */
  async function readResource<T>(response: Response, request: string): Promise<T> {
    const resource = await readJson<T>(response, request);
    const tag = response.headers.get("etag");
    if (tag && typeof resource === "object" && resource !== null && !Array.isArray(resource)) {
      const record = resource as { meta?: Record<string, unknown> };
      const meta = typeof record.meta === "object" && record.meta !== null ? record.meta : {};
      record.meta = { ...meta, version: tag };
    }
    return resource;
  }

  function jsonInit(method: string, body: unknown, write?: WriteOptions): Request_ {
    const headers: Record<string, string> = { "content-type": SCIM_MEDIA_TYPE };
    if (write?.ifMatch !== undefined) headers["if-match"] = write.ifMatch;
    return { method, headers, body: JSON.stringify(body) };
  }

  const describeCall = (name: string, path: string, init: Request_) =>
    `${init.method?.toUpperCase() ?? "GET"} ${name} ${path}`;
  const call = async <T>(name: string, path: string, init: Request_): Promise<T> =>
    readJson<T>(await send(path, init), describeCall(name, path, init));
  const callResource = async <T>(name: string, path: string, init: Request_): Promise<T> =>
    readResource<T>(await send(path, init), describeCall(name, path, init));

  // Discovery (RFC 7644 §4), cached per client: iterate's "auto" pagination, the PUT fallback and bulk limits read it.
  let config: Promise<ServiceProviderConfig> | undefined;
  const serviceProviderConfig = ({ refresh = false }: { refresh?: boolean } = {}) => {
    if (refresh || config === undefined) {
      const pending = call<ServiceProviderConfig>("ServiceProviderConfig", "ServiceProviderConfig", {
        method: "get",
      });
      config = pending;
      pending.catch(() => {
        if (config === pending) config = undefined; // a failure is not cached
      });
    }
    return config;
  };
  const listAll = async <T>(path: string): Promise<T[]> => {
    const answer = await call<Partial<ListResponse<T>> | T[] | null>(path, path, { method: "get" });
    return Array.isArray(answer) ? answer : normalizeList(answer, `GET ${path}`).Resources;
  };

  const fallback = typeof options.patch === "object" ? options.patch : undefined;
  const usePut = async (): Promise<boolean> => {
    if (fallback === undefined) return false;
    if (fallback.when === "always") return true;
    return (await serviceProviderConfig()).patch?.supported === false;
  };

  /** GET of the resource at `path`; `undefined` on 304 when `ifNoneMatch` was given. The hot path: nothing is built that the query does not need. */
  async function getAt(name: string, path: string, query?: GetOptions): Promise<object | undefined> {
    const init: Request_ = { method: "get" };
    if (query !== undefined) {
      if (query.attributes !== undefined || query.excludedAttributes !== undefined) {
        init.searchParams = new URLSearchParams();
        projection(init.searchParams, query);
      }
      if (query.ifNoneMatch !== undefined) init.headers = { "if-none-match": query.ifNoneMatch };
    }
    try {
      return await callResource<object>(name, path, init);
    } catch (error) {
      if (query?.ifNoneMatch !== undefined && isScimError(error) && error.status === 304) return undefined;
      throw error;
    }
  }

  /** get / replace / patch / delete of the resource at `path` (`Users/{id}` or `Me`). */
  function single(
    name: string,
    path: string,
    resourceType: string,
    multiValued = multiValuedOf(resourceType),
  ) {
    const get = (query?: GetOptions) => getAt(name, path, query);
    const replace = (body: object, write?: WriteOptions) =>
      callResource<object>(name, path, jsonInit("put", body, write));

    /** PATCH emulated with GET + local PatchOp + PUT If-Match, re-read when a concurrent change answers 412. */
    const patchWithPut = async (
      apply: PutFallback["apply"],
      operations: readonly PatchOperation[],
      write?: WriteOptions,
    ) => {
      for (let attempt = 1; ; attempt++) {
        const current = (await get()) as object;
        const next = apply(current, operations, { resourceType });
        const ifMatch = write?.ifMatch ?? versionOf(current);
        try {
          return await replace(forPut(next), ifMatch === undefined ? {} : { ifMatch });
        } catch (error) {
          const raced = isScimError(error) && error.status === 412 && write?.ifMatch === undefined;
          if (!raced || attempt >= PUT_FALLBACK_ATTEMPTS) throw error;
        }
      }
    };

    const patch = async (input: PatchInput<ResourceModel>, write?: WriteOptions) => {
      const operations = patchOperations(input, multiValued);
      if (fallback !== undefined && (await usePut())) return patchWithPut(fallback.apply, operations, write);
      const body = { schemas: [PATCH_OP_URN], Operations: operations };
      const init = jsonInit("patch", body, write);
      const response = await send(path, init);
      if (response.status === 204) return get();
      return readResource<object>(response, describeCall(name, path, init));
    };

    return {
      get,
      replace,
      patch,
      /** `diff(before, after)` as a PATCH, or `after` as a PUT when PATCH is emulated. */
      update: async (before: object, after: object, update: WriteOptions & DiffOptions = {}) => {
        const { ifMatch, ...diffOptions } = update;
        const { diff } = await import("./patch-diff.js"); // loaded on first use, like bulk
        const operations = diff(before, after, diffOptions);
        if (operations.length === 0) return before;
        // through patch(), so the PUT fallback applies the diff to a fresh GET and sends it with If-Match
        // rather than PUT `after`, which may be a projection missing attributes the server would then clear
        return patch(operations, ifMatch === undefined ? {} : { ifMatch });
      },
      delete: async (write?: WriteOptions): Promise<void> => {
        const headers: Record<string, string> = {};
        if (write?.ifMatch !== undefined) headers["if-match"] = write.ifMatch;
        const response = await send(path, { method: "delete", headers });
        await response.body?.cancel(); // a 200 with a body must not hold the connection
      },
    };
  }

  const pagination = async (asked: IterateQuery["pagination"]): Promise<"index" | "cursor"> => {
    if (asked === "index" || asked === "cursor") return asked;
    try {
      const { pagination: supported } = await serviceProviderConfig();
      return supported?.cursor === true ? "cursor" : "index";
    } catch {
      return "index"; // no readable ServiceProviderConfig: index pages work on every SCIM server
    }
  };

  function resourceClient(name: string, endpoint: string): ResourceClient<ResourceModel> {
    const root = endpoint.replace(/^\/+|\/+$/g, "");
    const multiValued = multiValuedOf(name);
    const one = (id: string) => single(name, `${root}/${encodeURIComponent(id)}`, name, multiValued);

    const client = {
      create: (body: object) => callResource(name, root, jsonInit("post", body)),
      get: (id: string, query?: GetOptions) => getAt(name, `${root}/${encodeURIComponent(id)}`, query),
      replace: (id: string, body: object, write?: WriteOptions) => one(id).replace(body, write),
      patch: (id: string, operations: PatchInput<ResourceModel>, write?: WriteOptions) =>
        one(id).patch(operations, write),
      update: (id: string, before: object, after: object, update?: WriteOptions & DiffOptions) =>
        one(id).update(before, after, update),
      delete: (id: string, write?: WriteOptions) => one(id).delete(write),
      list: async (query: ListQuery = {}) =>
        normalizeList<object>(
          await call(name, root, { method: "get", searchParams: listParams(query) }),
          `GET ${name} ${root}`,
        ),
      search: async (query: ListQuery = {}) =>
        normalizeList<object>(
          await call(name, `${root}/.search`, jsonInit("post", searchBody(query))),
          `POST ${name} ${root}/.search`,
        ),
      iterate: (query: IterateQuery = {}) => iterate(client, query, pagination),
      find: async (filter: FilterInput) => (await client.list({ filter, count: 1 })).Resources[0],
    };
    return client as unknown as ResourceClient<ResourceModel>;
  }

  const endpointOf = (name: string, given?: string) => given ?? options.endpoints?.[name] ?? `/${name}s`;
  const clients = new Map<string, ResourceClient<ResourceModel>>();
  const resource = (name: string, resourceOptions: ResourceOptions = {}) => {
    const endpoint = endpointOf(name, resourceOptions.endpoint);
    const key = `${name}\u0000${endpoint}`;
    const found = clients.get(key) ?? resourceClient(name, endpoint);
    clients.set(key, found);
    return found;
  };

  const bulk = async (
    input: ((builder: BulkBuilder<M>) => void) | readonly BulkOperation[],
    bulkOptions: BulkOptions = {},
  ): Promise<BulkResult> => {
    const operations = typeof input === "function" ? buildBulk(input, endpointOf, multiValuedOf) : [...input];
    let { maxOperations, maxPayloadSize } = bulkOptions;
    if (maxOperations === undefined || maxPayloadSize === undefined) {
      // a server without a readable ServiceProviderConfig (404, 501) gets one request; it answers 413 if too big
      const limits = await serviceProviderConfig().then(
        (config) => config.bulk,
        (error: unknown) => {
          if (isScimError(error) && (error.status === 404 || error.status === 501)) return undefined;
          throw error;
        },
      );
      if (limits?.supported === false) {
        throw new ScimError({
          status: 501,
          detail:
            "the server's ServiceProviderConfig says bulk.supported is false (RFC 7644 §3.7); send the operations one by one",
        });
      }
      maxOperations ??= limits?.maxOperations ?? Number.POSITIVE_INFINITY;
      maxPayloadSize ??= limits?.maxPayloadSize ?? Number.POSITIVE_INFINITY;
    }
    // loaded on first use, like the PUT fallback: clients that never send bulk requests do not carry it
    const { runBulk } = await import("./bulk.js");
    return runBulk(operations, { ...bulkOptions, maxOperations, maxPayloadSize }, (chunk) =>
      call("Bulk", "Bulk", jsonInit("post", chunk.body)),
    );
  };

  return {
    users: resource("User"),
    groups: resource("Group"),
    resource,
    me: single("Me", "Me", "User"),
    bulk,
    serviceProviderConfig,
    resourceTypes: () => listAll<ResourceType>("ResourceTypes"),
    schemas: () => listAll<Schema>("Schemas"),
  } as unknown as ScimClient<M>;
}

/** Collects the operations a bulk builder callback adds, with bulkIds for every POST. */
function buildBulk<M extends object>(
  build: (builder: BulkBuilder<M>) => void,
  endpointOf: (name: string) => string,
  multiValuedOf: (resourceType: string) => MultiValued,
): BulkOperation[] {
  const operations: BulkOperation[] = [];
  const used = new Set<string>();
  const add = (operation: BulkOperation): BulkHandle<never> => {
    if (operation.bulkId !== undefined) {
      if (used.has(operation.bulkId)) throw new TypeError(`bulkId "${operation.bulkId}" is used twice`);
      used.add(operation.bulkId);
    }
    const index = operations.push(operation) - 1;
    return { index, bulkId: operation.bulkId, ref: `bulkId:${operation.bulkId ?? ""}` };
  };
  const target = (type: string, id: string | BulkHandle) => {
    const endpoint = endpointOf(type).replace(/\/+$/, "");
    if (typeof id === "string") return `${endpoint}/${encodeURIComponent(id)}`;
    if (id.bulkId === undefined) throw new TypeError(`operation ${id.index} has no bulkId to refer to`);
    return `${endpoint}/${id.ref}`;
  };
  const version = (write?: WriteOptions) => (write?.ifMatch === undefined ? {} : { version: write.ifMatch });
  const builder: BulkBuilder<M> = {
    create: (type, body, create = {}) => {
      let bulkId = create.bulkId;
      for (let n = operations.length + 1; bulkId === undefined || used.has(bulkId); n++) bulkId = `op${n}`;
      return add({ method: "POST", path: endpointOf(type), bulkId, data: body });
    },
    replace: (type, id, body, write) =>
      add({ method: "PUT", path: target(type, id), ...version(write), data: body }),
    patch: (type, id, input, write) =>
      add({
        method: "PATCH",
        path: target(type, id),
        ...version(write),
        data: {
          schemas: [PATCH_OP_URN],
          Operations: patchOperations(input as PatchInput<ResourceModel>, multiValuedOf(type)),
        },
      }),
    delete: (type, id, write) => add({ method: "DELETE", path: target(type, id), ...version(write) }),
    operation: (operation) => add({ ...operation }),
  };
  build(builder);
  return operations;
}

async function* iterate<T extends object>(
  client: { list: (query: ListQuery) => Promise<ListResponse<T>> },
  query: IterateQuery,
  choose: (asked: IterateQuery["pagination"]) => Promise<"index" | "cursor">,
): AsyncGenerator<T> {
  const { pagination: asked, ...rest } = query;
  const list = (page: ListQuery) => client.list(page);
  let cursor: string | undefined = (await choose(asked)) === "cursor" ? "" : undefined;
  let startIndex = 1;
  for (;;) {
    if (cursor !== undefined) {
      const first = cursor === "";
      const page = await list({ ...rest, cursor });
      yield* page.Resources;
      // RFC 9865 §2: nextCursor is left out only on the last page (an empty page may still have one)
      if (page.nextCursor !== undefined && page.nextCursor !== "") {
        if (page.nextCursor === cursor) return; // a server repeating a cursor would loop forever
        cursor = page.nextCursor;
        continue;
      }
      // a server without RFC 9865 ignores `cursor` on the first request and answers an index page:
      // carry on by index from there; after real cursor pages, no nextCursor is the end
      if (!first || page.startIndex === undefined) return;
      startIndex = page.startIndex + page.Resources.length;
      if (page.Resources.length === 0 || startIndex > page.totalResults) return;
      cursor = undefined;
      continue;
    }
    const page = await list({ ...rest, startIndex });
    yield* page.Resources;
    if (page.nextCursor !== undefined && page.nextCursor !== "" && page.startIndex === undefined) {
      // a cursor-only server (RFC 9865 §2.3) ignored startIndex: follow its cursors instead
      cursor = page.nextCursor;
      continue;
    }
    startIndex += page.Resources.length;
    if (page.Resources.length === 0 || startIndex > page.totalResults) return;
  }
}
