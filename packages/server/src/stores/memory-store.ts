import { type SchemaRegistry, ScimError } from "@scimkit/core";
import { compileFilter, type Filter, type FilterPredicate, stringifyFilter } from "@scimkit/filter";
import { MemoryRecordings } from "../recording/memory-recordings.js";
import { createEach } from "./create-many.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { candidateTypes, displayOf, memberChanges, resolveMembers, withoutMember } from "./members.js";
import { MemoryMemberships } from "./memory-members.js";
import {
  type CreateItem,
  type CreateManyOptions,
  type CreateOptions,
  type CreateOutcome,
  type DeleteOptions,
  type ResourceRef,
  type ScimStore,
  type StoredResource,
  type StoreQuery,
  type StoreQueryResult,
  type StoreScope,
  type UniqueValue,
  type WriteOptions,
  writable,
} from "./store.js";
import { checkStorableData, checkStorableFilter, checkTenant } from "./text.js";
import { uniqueKeyText } from "./unique.js";

type Table = Map<string, StoredResource>;

/** The resource as filters and sorting see it: its attributes plus `id` and `meta` (RFC 7643 §3.1). */
export function filterView(resourceType: string, stored: StoredResource): Record<string, unknown> {
  return {
    ...stored.data,
    id: stored.id,
    meta: {
      resourceType,
      created: stored.created,
      lastModified: stored.lastModified,
      version: `W/"${stored.version}"`,
    },
  };
}

/** Value of a canonical path (`name.familyName`, `urn:…:User:manager.value`) in a filter view, for sorting. */
export function sortValue(
  registry: SchemaRegistry,
  resourceType: string,
  view: Record<string, unknown>,
  path: string,
): unknown {
  const resolved = registry.resolve(resourceType, path);
  if (!resolved) return undefined;
  let holder: unknown = view;
  if (resolved.extension && resolved.schemaId !== undefined) holder = view[resolved.schemaId];
  if (typeof holder !== "object" || holder === null) return undefined;
  let value = (holder as Record<string, unknown>)[resolved.names[0]];
  // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first.
  if (Array.isArray(value))
    value =
      value.find(
        (v) => typeof v === "object" && v !== null && (v as { primary?: unknown }).primary === true,
      ) ?? value[0];
  if (resolved.names[1] !== undefined)
    value =
      typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[resolved.names[1]]
        : undefined;
  if (typeof value === "string" && !resolved.attribute.caseExact) return value.toLowerCase();
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? value
    : undefined;
}

/** Orders sort keys: missing values last when ascending, first when descending (RFC 7644 §3.4.2.3), ties by id. */
export function compareKeys(
  a: { readonly key: unknown; readonly id: string },
  b: { readonly key: unknown; readonly id: string },
  descending: boolean,
): number {
  const aMissing = a.key === undefined;
  const bMissing = b.key === undefined;
  // RFC 7644 §3.4.2.3: resources without a value sort last when ascending and first when descending.
  if (aMissing !== bMissing) return (aMissing ? 1 : -1) * (descending ? -1 : 1);
  if (!aMissing && a.key !== b.key) {
    const order = (a.key as string | number) < (b.key as string | number) ? -1 : 1;
    return descending ? -order : order;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function uniqueKey(tenant: string, resourceType: string, u: UniqueValue): string {
  return `${tenant}\u0000${u.scope === "global" ? "*" : resourceType}\u0000${u.path.toLowerCase()}\u0000${uniqueKeyText(u)}`;
}

/**
 * A {@link ScimStore} in memory: for tests, demos and small deployments. Filters run as compiled
 * predicates (@scimkit/filter); writes are atomic because JavaScript runs one at a time between awaits.
 * Memberships (`members`, RFC 7643 §4.2) are indexed, checked and cascaded like PostgresStore does.
 *
 * @example
 * const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [process.env.SCIM_TOKEN ?? ""] } }); // "" (unset) → TypeError
 */
export class MemoryStore implements ScimStore {
  readonly #tables = new Map<string, Table>();
  readonly #unique = new Map<string, string>();
  readonly #filters = new Map<string, FilterPredicate>();
  readonly #views = new WeakMap<StoredResource, Record<string, unknown>>();
  readonly #memberships = new MemoryMemberships();
  /** Recorded requests: a bounded log per tenant (see MemoryRecordings). */
  readonly recordings = new MemoryRecordings();
  #clock = 0;

  #table(scope: StoreScope): Table {
    return this.#tableOf(scope.tenant, scope.resourceType);
  }

  #tableOf(tenant: string, resourceType: string): Table {
    const key = `${tenant}\u0000${resourceType}`;
    let table = this.#tables.get(key);
    if (!table) {
      table = new Map();
      this.#tables.set(key, table);
    }
    return table;
  }

  #now(): string {
    // Strictly increasing instants, so lastModified orders writes even within one millisecond.
    const now = Math.max(Date.now(), this.#clock + 1);
    this.#clock = now;
    return new Date(now).toISOString();
  }

  #claim(
    scope: StoreScope,
    id: string,
    unique: readonly UniqueValue[],
    previous: readonly UniqueValue[],
  ): void {
    const keys = unique.map((u) => uniqueKey(scope.tenant, scope.resourceType, u));
    keys.forEach((key, i) => {
      const owner = this.#unique.get(key);
      if (owner !== undefined && owner !== id) {
        const u = unique[i] as UniqueValue;
        throw ScimError.uniqueness(
          `${u.path} ${JSON.stringify(u.value)} is already taken by another ${scope.resourceType}`,
        );
      }
    });
    for (const u of previous) {
      const key = uniqueKey(scope.tenant, scope.resourceType, u);
      if (this.#unique.get(key) === id) this.#unique.delete(key);
    }
    for (const key of keys) this.#unique.set(key, id);
  }

  async get(scope: StoreScope, id: string): Promise<StoredResource | undefined> {
    return this.#table(scope).get(id);
  }

  /**
   * The members a write adds, resolved to existing resources (400 invalidValue for unknown ones when
   * `memberTypes` is given), and the ids it removes. Checked before anything changes.
   */
  #memberWrite(
    scope: StoreScope,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown>,
    memberTypes: readonly string[] | undefined,
  ): { added: [string, string][]; removed: string[] } {
    const { added, removed } = memberChanges(before, after);
    if (added.size === 0) return { added: [], removed };
    const types = candidateTypes(scope, memberTypes);
    const found = new Map<string, Set<string>>();
    for (const type of types) {
      const table = this.#tableOf(scope.tenant, type);
      for (const id of added.keys()) {
        if (!table.has(id)) continue;
        let have = found.get(id);
        if (!have) {
          have = new Set();
          found.set(id, have);
        }
        have.add(type);
      }
    }
    return { added: resolveMembers(scope, added, found, types, memberTypes !== undefined), removed };
  }

  async create(
    scope: StoreScope,
    data: Record<string, unknown>,
    unique: readonly UniqueValue[],
    options: CreateOptions = {},
  ): Promise<StoredResource> {
    checkTenant(scope.tenant);
    checkStorableData(data);
    const id = crypto.randomUUID();
    const members = this.#memberWrite(scope, undefined, data, options.memberTypes);
    this.#claim(scope, id, unique, []);
    const now = this.#now();
    const stored: StoredResource = { id, data, version: 1, created: now, lastModified: now };
    this.#table(scope).set(id, stored);
    this.#uniqueOf.set(stored, unique);
    this.#memberships.apply(scope.tenant, scope.resourceType, id, members.added, []);
    return stored;
  }

  /** One create after another ({@link createEach}): in memory a create costs no round trip to save. */
  createMany(
    scope: StoreScope,
    items: readonly CreateItem[],
    options?: CreateManyOptions,
  ): Promise<CreateOutcome[]> {
    return createEach(this, scope, items, options);
  }

  readonly #uniqueOf = new WeakMap<StoredResource, readonly UniqueValue[]>();

  async update(
    scope: StoreScope,
    id: string,
    update: (
      current: StoredResource,
    ) => { data: Record<string, unknown>; unique: readonly UniqueValue[] } | undefined,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    const table = this.#table(scope);
    const current = writable(scope, id, table.get(id), options);
    const next = update(current);
    if (!next) return current;
    checkStorableData(next.data);
    const members = this.#memberWrite(scope, current.data, next.data, options.memberTypes);
    this.#claim(scope, id, next.unique, this.#uniqueOf.get(current) ?? []);
    const stored: StoredResource = {
      id,
      data: next.data,
      version: current.version + 1,
      created: current.created,
      lastModified: this.#now(),
    };
    table.set(id, stored);
    this.#uniqueOf.set(stored, next.unique);
    this.#memberships.apply(scope.tenant, scope.resourceType, id, members.added, members.removed);
    return stored;
  }

  /** Deletes, and (unless `cascade: false`) removes it from every resource's members at once. */
  async delete(scope: StoreScope, id: string, options: DeleteOptions = {}): Promise<void> {
    const table = this.#table(scope);
    const current = writable(scope, id, table.get(id), options);
    if (options.cascade !== false) {
      for (const [type, holderId] of this.#memberships.listing(scope.tenant, scope.resourceType, id)) {
        const holders = this.#tableOf(scope.tenant, type);
        const holder = holders.get(holderId);
        const data = holder && withoutMember(holder.data, id);
        if (!holder || !data) continue;
        const stored: StoredResource = {
          id: holderId,
          data,
          version: holder.version + 1,
          created: holder.created,
          lastModified: this.#now(),
        };
        holders.set(holderId, stored);
        this.#uniqueOf.set(stored, this.#uniqueOf.get(holder) ?? []);
      }
    }
    this.#memberships.forget(scope.tenant, scope.resourceType, id);
    this.#claim(scope, id, [], this.#uniqueOf.get(current) ?? []);
    table.delete(id);
  }

  async membershipsOf(
    scope: StoreScope,
    memberIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly ResourceRef[]>> {
    const out = new Map<string, ResourceRef[]>();
    for (const id of new Set(memberIds)) {
      const refs: (ResourceRef & { created: string })[] = [];
      for (const [type, holderId] of this.#memberships.listing(scope.tenant, scope.resourceType, id)) {
        const holder = this.#tableOf(scope.tenant, type).get(holderId);
        if (!holder) continue;
        const display = displayOf(holder.data);
        refs.push({
          id: holderId,
          resourceType: type,
          created: holder.created,
          ...(display !== undefined && { display }),
        });
      }
      if (refs.length === 0) continue;
      refs.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1));
      out.set(
        id,
        refs.map(({ created: _, ...ref }) => ref),
      );
    }
    return out;
  }

  async membersOf(
    scope: StoreScope,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, readonly ResourceRef[]>> {
    const out = new Map<string, ResourceRef[]>();
    for (const id of new Set(ids)) {
      const holder = this.#table(scope).get(id);
      if (!holder) continue;
      const indexed = [...this.#memberships.membersOf(scope.tenant, scope.resourceType, id)];
      indexed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const refs: ResourceRef[] = [];
      for (const [memberId, type] of indexed) {
        const member = this.#tableOf(scope.tenant, type).get(memberId);
        if (!member) continue;
        const display = displayOf(member.data);
        refs.push({ id: memberId, resourceType: type, ...(display !== undefined && { display }) });
      }
      if (refs.length > 0) out.set(id, refs);
    }
    return out;
  }

  /**
   * `attr eq value` on an attribute with uniqueness server or global (`userName`): the one candidate
   * from the uniqueness index instead of a scan. The compiled filter still decides the match.
   */
  #byUniqueValue(scope: StoreScope, filter: Filter): StoredResource[] | undefined {
    if (filter.op !== "eq" || filter.value === null) return undefined;
    const { uri, attribute, subAttribute } = filter.path;
    const text = `${uri === undefined ? "" : `${uri}:`}${attribute}${subAttribute === undefined ? "" : `.${subAttribute}`}`;
    const resolved = scope.registry.resolve(scope.resourceType, text);
    const definition = resolved?.attribute;
    if (!resolved || !definition || resolved.parent !== undefined || definition.multiValued) return undefined;
    if (resolved.path === "id") {
      const stored = typeof filter.value === "string" ? this.#table(scope).get(filter.value) : undefined;
      return stored ? [stored] : [];
    }
    // Only schema attributes are in the uniqueness index (uniqueValues); common attributes are not.
    if (resolved.schemaId === undefined || definition.uniqueness === "none" || definition.type === "complex")
      return undefined;
    const unique: UniqueValue = {
      path: resolved.path,
      value: filter.value,
      caseExact: definition.caseExact,
      scope: definition.uniqueness,
    };
    const id = this.#unique.get(uniqueKey(scope.tenant, scope.resourceType, unique));
    const stored = id === undefined ? undefined : this.#table(scope).get(id);
    return stored ? [stored] : [];
  }

  async query(scope: StoreScope, query: StoreQuery): Promise<StoreQueryResult> {
    if (query.filter) checkStorableFilter(query.filter);
    const table = this.#table(scope);
    let predicate: FilterPredicate | undefined;
    if (query.filter) {
      const key = `${scope.resourceType}\u0000${stringifyFilter(query.filter)}`;
      predicate = this.#filters.get(key);
      if (!predicate) {
        predicate = compileFilter(query.filter, { resourceType: scope.resourceType, bundle: scope.registry });
        if (this.#filters.size > 1000) this.#filters.clear();
        this.#filters.set(key, predicate);
      }
    }
    const rows: { stored: StoredResource; key: unknown; id: string }[] = [];
    for (const stored of (query.filter && this.#byUniqueValue(scope, query.filter)) || table.values()) {
      // Stored rows are replaced, never changed, so each one's view is built once.
      let view = this.#views.get(stored);
      if (!view) {
        view = filterView(scope.resourceType, stored);
        this.#views.set(stored, view);
      }
      if (predicate && !predicate(view)) continue;
      rows.push({
        stored,
        id: stored.id,
        key: query.sortBy
          ? sortValue(scope.registry, scope.resourceType, view, query.sortBy)
          : stored.created,
      });
    }
    const descending = query.sortOrder === "descending";
    if (rows.length > 1) rows.sort((a, b) => compareKeys(a, b, descending));
    const count = Math.max(0, query.count);
    if (query.cursor !== undefined) {
      let start = 0;
      if (query.cursor !== "") {
        const after = decodeCursor(query.cursor);
        start = rows.findIndex((r) => compareKeys(r, after, descending) > 0);
        if (start < 0) start = rows.length;
      }
      const page = rows.slice(start, start + count);
      const last = page[page.length - 1];
      const more = start + count < rows.length;
      return {
        resources: page.map((r) => r.stored),
        totalResults: rows.length,
        ...(more && last && { nextCursor: encodeCursor(last.key, last.stored.id) }),
      };
    }
    const startIndex = Math.max(1, query.startIndex ?? 1);
    return {
      resources: rows.slice(startIndex - 1, startIndex - 1 + count).map((r) => r.stored),
      totalResults: rows.length,
    };
  }
}
