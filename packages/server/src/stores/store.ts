import { type AttributeDefinition, type SchemaRegistry, ScimError } from "@scimkit/core";
import type { Filter } from "@scimkit/filter";
import type { RecordingStore } from "../recording/types.js";

/**
 * A resource as a store keeps it: the SCIM attributes (`data`, without `meta`, which the handler builds)
 * and the bookkeeping the handler needs for `meta` and ETags (RFC 7643 §3.1, RFC 7644 §3.14).
 *
 * @example
 * const stored: StoredResource = { id: "2819c223", data: { userName: "bjensen" }, version: 1, created: "2026-11-23T10:00:00.000Z", lastModified: "2026-11-23T10:00:00.000Z" };
 */
export interface StoredResource {
  readonly id: string;
  readonly data: Record<string, unknown>;
  /** Increases by one on every change; the ETag is `W/"<version>"`. */
  readonly version: number;
  /** ISO 8601 instants. */
  readonly created: string;
  readonly lastModified: string;
}

/**
 * Where an operation happens: the tenant (stores isolate tenants completely) and the resource type,
 * with the registry that defines its attributes (for filters, sorting and uniqueness).
 *
 * @example
 * const scope: StoreScope = { tenant: "acme", resourceType: "User", registry };
 */
export interface StoreScope {
  readonly tenant: string;
  readonly resourceType: string;
  readonly registry: SchemaRegistry;
}

/**
 * One value that must be unique (RFC 7643 §7 `uniqueness: "server"` or `"global"`), e.g. a User's
 * `userName`, compared case-insensitively unless the attribute is caseExact.
 *
 * @example
 * const key: UniqueValue = { path: "userName", value: "bjensen", caseExact: false, scope: "server" };
 */
export interface UniqueValue {
  readonly path: string;
  readonly value: string | number | boolean;
  readonly caseExact: boolean;
  /** `server`: unique within the tenant and resource type; `global`: within the tenant, across types. */
  readonly scope: "server" | "global";
}

/**
 * A list query (RFC 7644 §3.4.2): an optional parsed filter, sorting (§3.4.2.3) and one of index
 * pagination (§3.4.2.4, 1-based `startIndex`) or cursor pagination (RFC 9865).
 *
 * @example
 * const q: StoreQuery = { filter: parseFilter('userName sw "b"'), sortBy: "userName", sortOrder: "ascending", count: 100, startIndex: 1 };
 */
export interface StoreQuery {
  readonly filter?: Filter;
  /** Canonical attribute path (as `SchemaRegistry.resolve(...).path` gives it). */
  readonly sortBy?: string;
  readonly sortOrder?: "ascending" | "descending";
  /** Page size; 0 asks only for `totalResults`. */
  readonly count: number;
  /** 1-based index of the first result. Ignored when `cursor` is given. */
  readonly startIndex?: number;
  /** Cursor from a previous page's `nextCursor` (RFC 9865 §2); `""` asks for the first page by cursor. */
  readonly cursor?: string;
}

/**
 * One page of results.
 *
 * @example
 * const page: StoreQueryResult = { resources: [], totalResults: 0 };
 */
export interface StoreQueryResult {
  readonly resources: readonly StoredResource[];
  readonly totalResults: number;
  /** With cursor pagination: the cursor of the next page, absent on the last page (RFC 9865 §2). */
  readonly nextCursor?: string;
}

/**
 * Options of {@link ScimStore.create}: which resource types the new resource's `members` may reference.
 *
 * @example
 * await store.create(groupScope, data, unique, { memberTypes: ["User", "Group"] });
 */
export interface CreateOptions {
  /**
   * RFC 7643 §4.2: every `members[].value` this write adds must be the id of one of the tenant's
   * resources of these types (the `$ref` sub-attribute's `referenceTypes`), else 400 `invalidValue`
   * naming it. Stores with membership support ({@link ScimStore.membershipsOf}) check it atomically
   * with the write: a member deleted concurrently is either refused here or removed by its delete.
   */
  readonly memberTypes?: readonly string[];
}

/**
 * One resource of {@link ScimStore.createMany}: its data and unique values, as {@link ScimStore.create} takes them.
 *
 * @example
 * const item: CreateItem = { data: { userName: "bjensen" }, unique: uniqueValues(registry, "User", { userName: "bjensen" }) };
 */
export interface CreateItem {
  readonly data: Record<string, unknown>;
  readonly unique: readonly UniqueValue[];
}

/**
 * Options of {@link ScimStore.createMany}: those of `create`, and where to stop.
 *
 * @example
 * await store.createMany(scope, items, { maxFailures: 1 }); // a bulk request's failOnErrors (RFC 7644 §3.7.3)
 */
export interface CreateManyOptions extends CreateOptions {
  /**
   * Stop once this many items have failed: the outcomes end with that failure and the items after it
   * are not created (a bulk request's `failOnErrors`, RFC 7644 §3.7.3). Default: no limit.
   */
  readonly maxFailures?: number;
}

/**
 * What {@link ScimStore.createMany} did with one item: the stored resource, or the `ScimError` that
 * `create` would have thrown for it (409 `uniqueness`, 400 `invalidValue`).
 *
 * @example
 * for (const outcome of outcomes) if ("error" in outcome) console.log(outcome.error.status);
 */
export type CreateOutcome = { readonly stored: StoredResource } | { readonly error: ScimError };

/**
 * Preconditions on a write: the version the client last saw (`If-Match`, RFC 7644 §3.14). A mismatch
 * is a 412, and so is a resource that no longer exists (RFC 9110 §13.1.1). `memberTypes` as for
 * {@link CreateOptions}.
 *
 * @example
 * await store.update(scope, id, (current) => next(current), { ifVersion: 3 });
 */
export interface WriteOptions extends CreateOptions {
  readonly ifVersion?: number;
}

/**
 * Options of {@link ScimStore.delete}.
 *
 * @example
 * await store.delete(scope, id, { ifVersion: 3, cascade: true });
 */
export interface DeleteOptions {
  readonly ifVersion?: number;
  /**
   * Also remove the resource from the `members` of every resource that lists it (bumping their
   * versions), in the same transaction as the delete. Default `true` in MemoryStore and PostgresStore.
   */
  readonly cascade?: boolean;
}

/**
 * A resource another one refers to through membership (RFC 7643 §4.1.2 `groups`, §4.2 `members`):
 * its id, its resource type, and its current name for `display` (`displayName`, else `userName`).
 *
 * @example
 * const ref: ResourceRef = { id: "e9e30dba", resourceType: "Group", display: "Tour Guides" };
 */
export interface ResourceRef {
  readonly id: string;
  readonly resourceType: string;
  readonly display?: string;
}

/**
 * Where the SCIM handler keeps resources. Implementations: {@link MemoryStore} (compiled filters) and
 * the PostgreSQL store (filters translated to SQL). Every method is scoped to a tenant and a resource
 * type; failures are `ScimError`s: 404 for a missing id, 409 `uniqueness`, 412 for a version mismatch
 * (or an `ifVersion` on a resource that no longer exists), 400 `invalidFilter` / `invalidCursor` for
 * queries the store cannot answer, 400 `invalidValue` for data it cannot keep (NUL, lone surrogates)
 * or members that do not exist.
 *
 * **Memberships** (RFC 7643 §4.2 `members`, §4.1.2 `groups`): `membershipsOf` and `membersOf` are
 * optional. A store that implements them owns membership integrity: it keeps an index of every
 * resource's `members[].value`s, checks `memberTypes` on create and update and removes a deleted
 * resource from every `members` list atomically with the write (`cascade`), and answers both lookups
 * for a whole page at once. Without them the handler falls back to what it can do from outside: it
 * removes a deleted User from groups in a second step (not atomic), derives `groups` with one `query`
 * per resource, and does not check member ids.
 *
 * @example
 * const store: ScimStore = new MemoryStore();
 */
export interface ScimStore {
  get(scope: StoreScope, id: string): Promise<StoredResource | undefined>;
  /** Creates a resource with a new id; `unique` values must not exist yet (else 409 uniqueness). */
  create(
    scope: StoreScope,
    data: Record<string, unknown>,
    unique: readonly UniqueValue[],
    options?: CreateOptions,
  ): Promise<StoredResource>;
  /**
   * Optional: creates several resources of one type, each exactly as `create` would have one after
   * another in order — every item succeeds or fails on its own (a failing item never undoes another),
   * a unique value taken by an earlier item of the same call is a 409 `uniqueness` for the later one —
   * but in fewer round trips (PostgresStore: one statement for a run of items without members). Used by
   * `/Bulk` (RFC 7644 §3.7) for consecutive POSTs; without it the handler calls `create` per item.
   * Resolves to one outcome per item processed, in order (fewer than the items when `maxFailures` stopped
   * it); rejects only for failures that are not `ScimError`s (a lost connection).
   */
  createMany?(
    scope: StoreScope,
    items: readonly CreateItem[],
    options?: CreateManyOptions,
  ): Promise<CreateOutcome[]>;
  /**
   * Reads, transforms and writes one resource atomically (a transaction, or a lock): used for PUT and
   * PATCH so that concurrent changes of one resource (a group's members) lose nothing. `update` gets the
   * current resource and returns the new data and its unique values; returning `undefined` keeps it
   * unchanged. It may be called more than once (a PostgreSQL transaction retried after a deadlock).
   */
  update(
    scope: StoreScope,
    id: string,
    update: (
      current: StoredResource,
    ) => { data: Record<string, unknown>; unique: readonly UniqueValue[] } | undefined,
    options?: WriteOptions,
  ): Promise<StoredResource>;
  delete(scope: StoreScope, id: string, options?: DeleteOptions): Promise<void>;
  query(scope: StoreScope, query: StoreQuery): Promise<StoreQueryResult>;
  /**
   * Optional (see Memberships above): for each id of `scope.resourceType` (e.g. User), the resources
   * whose `members` list it (e.g. its Groups), ordered by creation; ids with none are absent.
   */
  membershipsOf?(
    scope: StoreScope,
    memberIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly ResourceRef[]>>;
  /**
   * Optional (see Memberships above): for each id of `scope.resourceType` (e.g. Group), the existing
   * resources its `members` list, with their types and names; members that do not exist are absent.
   */
  membersOf?(scope: StoreScope, ids: readonly string[]): Promise<ReadonlyMap<string, readonly ResourceRef[]>>;
  /**
   * Optional: where `createScimHandler` records requests and their changes, and what the console's
   * read API reads (see {@link RecordingStore}). MemoryStore and PostgresStore have it; without it,
   * recording is off.
   */
  readonly recordings?: RecordingStore;
  /** Releases connections; the store is unusable afterwards. */
  close?(): Promise<void>;
}

/** The unique values of a resource (RFC 7643 §7 `uniqueness`), for {@link ScimStore.create} and `update`. */
export function uniqueValues(
  registry: SchemaRegistry,
  resourceType: string,
  data: Record<string, unknown>,
): UniqueValue[] {
  const out: UniqueValue[] = [];
  const { base, extensions } = registry.schemasOf(resourceType);
  const visit = (attributes: readonly AttributeDefinition[], holder: unknown, prefix: string) => {
    if (typeof holder !== "object" || holder === null) return;
    for (const attribute of attributes) {
      if (attribute.uniqueness === "none" || attribute.multiValued || attribute.type === "complex") continue;
      const value = (holder as Record<string, unknown>)[attribute.name];
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        out.push({
          path: prefix + attribute.name,
          value,
          caseExact: attribute.caseExact,
          scope: attribute.uniqueness,
        });
      }
    }
  };
  visit(base.attributes, data, "");
  for (const ext of extensions) visit(ext.schema.attributes, data[ext.schema.id], `${ext.schema.id}:`);
  return out;
}

/**
 * The resource a write (update, delete) may proceed on: 404 when it does not exist, 412 when `If-Match`
 * named another version (RFC 7644 §3.14) or named a version of a resource that no longer exists
 * (RFC 9110 §13.1.1). Every store calls this, so all answer alike.
 *
 * @example
 * const current = writable(scope, id, table.get(id), options);
 */
export function writable(
  scope: StoreScope,
  id: string,
  current: StoredResource | undefined,
  options: { readonly ifVersion?: number | undefined },
): StoredResource {
  if (!current) {
    // RFC 9110 §13.1.1: If-Match fails when no current representation exists.
    if (options.ifVersion !== undefined)
      throw new ScimError({
        status: 412,
        detail: `${scope.resourceType} ${id} no longer exists (If-Match gave version ${options.ifVersion}; RFC 9110 §13.1.1)`,
      });
    throw ScimError.notFound(`${scope.resourceType} ${id} not found`);
  }
  if (options.ifVersion !== undefined && options.ifVersion !== current.version) {
    throw new ScimError({
      status: 412,
      detail: `${scope.resourceType} ${id} has changed (version ${current.version}, If-Match gave ${options.ifVersion})`,
    });
  }
  return current;
}
