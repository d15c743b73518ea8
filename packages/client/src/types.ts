/**
 * The client's public types: the model map, the request and answer shapes, and the client interfaces.
 * Types only, so every module of the client can import them without a cycle.
 */
import type { AnyAttributePaths, Filter, FilterBuilder } from "@scimkit/filter";
import type { ResourceType, ResourceTypeModels, Schema, ServiceProviderConfiguration } from "@scimkit/models";
import type { BulkHandle, BulkOperation, BulkOptions, BulkResult } from "./bulk.js";
import type { PatchBuilder } from "./patch-builder.js";
import type { DiffOptions } from "./patch-diff.js";
import type { PatchOperation } from "./patch-operation.js";
import type { AttributeList, Projected, Returned } from "./projected.js";

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
