import { ScimError } from "@scimkit/core";
import { compileFilter, stringifyFilter } from "@scimkit/filter";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { badInput, retrying } from "./pg-errors.js";
import {
  deleteMembers,
  type MemberTables,
  membershipsOf,
  membersOf,
  renameMember,
  writeMembers,
} from "./postgres-members.js";
import { rekeyUniqueValues } from "./postgres-migrate.js";
import { connect, type PostgresConnectOptions } from "./postgres-open.js";
import { schemaStatements } from "./schema.sql.js";
import type { SqlClient, SqlQueryable } from "./sql-client.js";
import {
  checkPrefix,
  filterToSql,
  type SortKey,
  type SqlFilterOptions,
  SqlParams,
  sortKeySql,
} from "./sql-filter.js";
import {
  type CreateOptions,
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
import { checkStorableData, checkStorableFilter, checkTenant, storableId } from "./text.js";
import { uniqueKeyText } from "./unique.js";

export type { PostgresConnectOptions } from "./postgres-open.js";
export { schemaStatements } from "./schema.sql.js";
export type { PGliteLike, PgPoolClientLike, PgPoolLike, SqlClient, SqlQueryable } from "./sql-client.js";
export { fromPGlite, fromPgPool, openPGlite } from "./sql-client.js";
export type { SortKey, SqlFilterOptions } from "./sql-filter.js";
export { filterToSql, SqlParams, sortKeySql } from "./sql-filter.js";

/**
 * How a {@link PostgresStore} names its tables and reads its data.
 *
 * @example
 * new PostgresStore(client, { tablePrefix: "scim_", shapes: "schema" });
 */
export interface PostgresStoreOptions {
  /** Prefix of the tables and helper functions (letters, digits, `_`); default `scim_`. */
  readonly tablePrefix?: string;
  /** See {@link SqlFilterOptions.shapes}; default `"schema"`. */
  readonly shapes?: "schema" | "any";
  /** Create the tables on first use (idempotent); default true. Turn off when a migration tool owns them. */
  readonly migrate?: boolean;
  /** The clock for `meta.created` / `meta.lastModified`; default: the system clock, strictly increasing. */
  readonly now?: () => Date;
}

/**
 * Where {@link PostgresStore.open} connects — `databaseUrl` for a PostgreSQL server (through `pg`),
 * else `dataDir` for an embedded PGlite database persisted there (folders created), else `memory: true`
 * for an in-memory PGlite database — plus the store's own options.
 *
 * @example
 * await PostgresStore.open(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: ".data/scim" });
 */
export interface PostgresOpenOptions extends PostgresStoreOptions, PostgresConnectOptions {}

interface Row {
  id: string;
  data: string;
  version: number;
  created: string;
  last_modified: string;
  k?: unknown;
  k_text?: string | null;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function invalidCursor(): ScimError {
  return new ScimError({
    status: 400,
    scimType: "invalidCursor",
    detail: "the cursor is not one this server issued (RFC 9865 §2.1)",
  });
}

function toStored(row: Row): StoredResource {
  return {
    id: row.id,
    data: JSON.parse(row.data) as Record<string, unknown>,
    version: Number(row.version),
    created: row.created,
    lastModified: row.last_modified,
  };
}

/**
 * A {@link ScimStore} on PostgreSQL: resources as JSONB rows keyed by (tenant, resource type, id),
 * filters translated to parameterized SQL with compileFilter's semantics, unique values in their own
 * table (so a uniqueness violation is a 409 even under concurrency), updates as `SELECT … FOR UPDATE`
 * transactions, and cursor pagination by keyset. Runs on a PostgreSQL server through `pg`, or embedded
 * on PGlite.
 *
 * @example
 * const store = await PostgresStore.open({ databaseUrl: process.env.DATABASE_URL, dataDir: ".data/scim" });
 * const handler = createScimHandler({ store, auth: { tokens: [process.env.SCIM_TOKEN ?? ""] } }); // "" (unset) → TypeError
 */
export class PostgresStore implements ScimStore {
  readonly #client: SqlClient;
  readonly #prefix: string;
  readonly #resources: string;
  readonly #unique: string;
  readonly #tables: MemberTables;
  readonly #shapes: "schema" | "any";
  readonly #now: (() => Date) | undefined;
  #ready: Promise<void> | undefined;
  #clock = 0;
  readonly #validated = new Map<string, true>();

  constructor(client: SqlClient, options: PostgresStoreOptions = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.tablePrefix ?? "scim_");
    this.#resources = `${this.#prefix}resources`;
    this.#unique = `${this.#prefix}unique`;
    this.#tables = { resources: this.#resources, members: `${this.#prefix}members` };
    this.#shapes = options.shapes ?? "schema";
    this.#now = options.now;
    if (options.migrate === false) this.#ready = Promise.resolve();
  }

  /**
   * Opens a store: on PostgreSQL through `pg` when `databaseUrl` is given, else on PGlite persisted under
   * `dataDir` (created like `mkdir -p`), else on an in-memory PGlite when `memory: true`; with none of
   * them, a `TypeError`. A missing optional package (`pg`, `@electric-sql/pglite`) is an error naming
   * it. Creates the tables if needed.
   *
   * @example
   * const store = await PostgresStore.open({ dataDir: ".data/scim" });
   * await store.close();
   */
  static async open(options: PostgresOpenOptions): Promise<PostgresStore> {
    // Without arguments from plain JavaScript: the same TypeError as an empty object.
    const client = await connect(options ?? {});
    const store = new PostgresStore(client, options);
    try {
      await store.migrate();
    } catch (error) {
      await client.close();
      throw error;
    }
    return store;
  }

  /**
   * Creates the tables, indexes and helper functions if they do not exist ({@link schemaStatements}),
   * then re-keys unique values of older versions for Unicode folding (once). Concurrent callers wait
   * for each other (an advisory lock). With `migrate: false`, call it once after your migration tool
   * has run `schemaStatements()`.
   *
   * @example
   * await new PostgresStore(client).migrate();
   */
  migrate(): Promise<void> {
    this.#ready = this.#client.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`scimkit:${this.#prefix}`]);
      for (const statement of schemaStatements(this.#prefix)) await tx.query(statement);
      await rekeyUniqueValues(tx, this.#prefix);
    });
    return this.#ready;
  }

  #readyOnce(): Promise<void> {
    this.#ready ??= this.migrate();
    return this.#ready;
  }

  #timestamp(): string {
    if (this.#now) return this.#now().toISOString();
    // Strictly increasing instants, so lastModified orders this process's writes even within one millisecond.
    const now = Math.max(Date.now(), this.#clock + 1);
    this.#clock = now;
    return new Date(now).toISOString();
  }

  #columns(alias: string): string {
    return `${alias}.id, ${alias}.data::text AS data, ${alias}.version, to_char(${alias}.created AT TIME ZONE 'UTC', ${ISO}) AS created, to_char(${alias}.last_modified AT TIME ZONE 'UTC', ${ISO}) AS last_modified`;
  }

  async #claim(
    tx: SqlQueryable,
    scope: StoreScope,
    id: string,
    unique: readonly UniqueValue[],
  ): Promise<void> {
    for (const u of unique) {
      const value = uniqueKeyText(u);
      const keyScope = u.scope === "global" ? "*" : scope.resourceType;
      const path = u.path.toLowerCase();
      const inserted = await tx.query(
        `INSERT INTO ${this.#unique} (tenant, scope, path, value, resource_type, id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
        [scope.tenant, keyScope, path, value, scope.resourceType, id],
      );
      if (inserted.rows.length > 0) continue;
      const owner = await tx.query<{ resource_type: string; id: string }>(
        `SELECT resource_type, id FROM ${this.#unique} WHERE tenant = $1 AND scope = $2 AND path = $3 AND value = $4`,
        [scope.tenant, keyScope, path, value],
      );
      const holder = owner.rows[0];
      if (holder && holder.id === id && holder.resource_type === scope.resourceType) continue;
      throw ScimError.uniqueness(
        `${u.path} ${JSON.stringify(u.value)} is already taken by another ${scope.resourceType}`,
      );
    }
  }

  async #locked(
    tx: SqlQueryable,
    scope: StoreScope,
    id: string,
    options: { readonly ifVersion?: number | undefined },
  ): Promise<StoredResource> {
    if (!storableId(scope.tenant) || !storableId(id)) return writable(scope, id, undefined, options);
    const { rows } = await tx.query<Row>(
      `SELECT ${this.#columns("r")} FROM ${this.#resources} r WHERE r.tenant = $1 AND r.resource_type = $2 AND r.id = $3 FOR UPDATE`,
      [scope.tenant, scope.resourceType, id],
    );
    const row = rows[0];
    return writable(scope, id, row === undefined ? undefined : toStored(row), options);
  }

  /**
   * A write transaction: run again after a deadlock or serialization failure (pg-errors.ts), and a
   * value PostgreSQL cannot take is a 400 `invalidValue`, not a 500.
   */
  async #write<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    await this.#readyOnce();
    try {
      return await retrying(() => this.#client.transaction(fn));
    } catch (error) {
      throw badInput(error, "invalidValue");
    }
  }

  async get(scope: StoreScope, id: string): Promise<StoredResource | undefined> {
    // No stored row has such an id (writes refuse them), and PostgreSQL could not compare it.
    if (!storableId(scope.tenant) || !storableId(id)) return undefined;
    await this.#readyOnce();
    const { rows } = await this.#client.query<Row>(
      `SELECT ${this.#columns("r")} FROM ${this.#resources} r WHERE r.tenant = $1 AND r.resource_type = $2 AND r.id = $3`,
      [scope.tenant, scope.resourceType, id],
    );
    const row = rows[0];
    return row ? toStored(row) : undefined;
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
    const now = this.#timestamp();
    await this.#write(async (tx) => {
      await writeMembers(tx, this.#tables, scope, id, undefined, data, options.memberTypes);
      await this.#claim(tx, scope, id, unique);
      await tx.query(
        `INSERT INTO ${this.#resources} (tenant, resource_type, id, data, version, created, last_modified) VALUES ($1, $2, $3, $4::jsonb, 1, $5::timestamptz, $5::timestamptz)`,
        [scope.tenant, scope.resourceType, id, JSON.stringify(data), now],
      );
    });
    return { id, data, version: 1, created: now, lastModified: now };
  }

  async update(
    scope: StoreScope,
    id: string,
    update: (
      current: StoredResource,
    ) => { data: Record<string, unknown>; unique: readonly UniqueValue[] } | undefined,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    return this.#write(async (tx) => {
      const current = await this.#locked(tx, scope, id, options);
      const next = update(current);
      if (!next) return current;
      checkStorableData(next.data);
      await writeMembers(tx, this.#tables, scope, id, current.data, next.data, options.memberTypes);
      await renameMember(tx, this.#tables, scope, id, current.data, next.data);
      await tx.query(`DELETE FROM ${this.#unique} WHERE tenant = $1 AND resource_type = $2 AND id = $3`, [
        scope.tenant,
        scope.resourceType,
        id,
      ]);
      await this.#claim(tx, scope, id, next.unique);
      const now = this.#timestamp();
      await tx.query(
        `UPDATE ${this.#resources} SET data = $4::jsonb, version = version + 1, last_modified = $5::timestamptz WHERE tenant = $1 AND resource_type = $2 AND id = $3`,
        [scope.tenant, scope.resourceType, id, JSON.stringify(next.data), now],
      );
      return {
        id,
        data: next.data,
        version: current.version + 1,
        created: current.created,
        lastModified: now,
      };
    });
  }

  /** Deletes, and (unless `cascade: false`) removes it from every resource's members in the same transaction. */
  async delete(scope: StoreScope, id: string, options: DeleteOptions = {}): Promise<void> {
    await this.#write(async (tx) => {
      await this.#locked(tx, scope, id, options);
      await deleteMembers(tx, this.#tables, scope, id, options.cascade !== false, this.#timestamp());
      const key = [scope.tenant, scope.resourceType, id];
      await tx.query(`DELETE FROM ${this.#unique} WHERE tenant = $1 AND resource_type = $2 AND id = $3`, key);
      await tx.query(
        `DELETE FROM ${this.#resources} WHERE tenant = $1 AND resource_type = $2 AND id = $3`,
        key,
      );
    });
  }

  /** The same validation (and 400 invalidFilter errors) as MemoryStore's compiled filters. */
  #validate(scope: StoreScope, query: StoreQuery): void {
    if (!query.filter) return;
    const key = `${scope.resourceType}\u0000${stringifyFilter(query.filter)}`;
    if (this.#validated.has(key)) return;
    compileFilter(query.filter, { resourceType: scope.resourceType, bundle: scope.registry });
    if (this.#validated.size > 1000) this.#validated.clear();
    this.#validated.set(key, true);
  }

  async membershipsOf(
    scope: StoreScope,
    memberIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly ResourceRef[]>> {
    const ids = memberIds.filter(storableId);
    if (!storableId(scope.tenant) || ids.length === 0) return new Map();
    await this.#readyOnce();
    return membershipsOf(this.#client, this.#tables, scope, ids);
  }

  async membersOf(
    scope: StoreScope,
    ids: readonly string[],
  ): Promise<ReadonlyMap<string, readonly ResourceRef[]>> {
    const kept = ids.filter(storableId);
    if (!storableId(scope.tenant) || kept.length === 0) return new Map();
    await this.#readyOnce();
    return membersOf(this.#client, this.#tables, scope, kept);
  }

  async query(scope: StoreScope, query: StoreQuery): Promise<StoreQueryResult> {
    checkTenant(scope.tenant);
    if (query.filter) checkStorableFilter(query.filter);
    this.#validate(scope, query);
    await this.#readyOnce();
    try {
      return await this.#query(scope, query);
    } catch (error) {
      throw badInput(error, "invalidFilter");
    }
  }

  async #query(scope: StoreScope, query: StoreQuery): Promise<StoreQueryResult> {
    const params = new SqlParams();
    const options: SqlFilterOptions = {
      resourceType: scope.resourceType,
      registry: scope.registry,
      params,
      prefix: this.#prefix,
      shapes: this.#shapes,
    };
    const conditions = [
      `r.tenant = ${params.add(scope.tenant)}`,
      `r.resource_type = ${params.add(scope.resourceType)}`,
    ];
    if (query.filter) conditions.push(filterToSql(query.filter, options));
    const where = conditions.join(" AND ");
    const totalPromise = this.#client
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.#resources} r WHERE ${where}`, [
        ...params.values,
      ])
      .then((result) => Number(result.rows[0]?.n ?? 0));
    // Beyond 2^53 a page size or offset means "all" / "past the end"; bigint would refuse 1e300.
    const count = Number.isFinite(query.count)
      ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(query.count)))
      : 0;
    const key = sortKeySql(query.sortBy, options);
    const descending = query.sortOrder === "descending";
    const direction = descending ? "DESC" : "ASC";
    const select = `${this.#columns("r")}, ${key.sql} AS k${key.kind === "timestamp" ? `, to_char(${key.sql} AT TIME ZONE 'UTC', ${ISO}) AS k_text` : ""}`;
    const from = `FROM ${this.#resources} r WHERE ${where}`;
    const order = `ORDER BY ${key.sql} ${direction} NULLS LAST, r.id ASC`;

    if (query.cursor === undefined) {
      const startIndex = Number.isFinite(query.startIndex)
        ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.floor(query.startIndex ?? 1)))
        : 1;
      if (count === 0) return { resources: [], totalResults: await totalPromise };
      const page = this.#client.query<Row>(
        `SELECT ${select} ${from} ${order} LIMIT ${params.add(count)} OFFSET ${params.add(startIndex - 1)}`,
        params.values,
      );
      const [rows, totalResults] = await Promise.all([page, totalPromise]);
      return { resources: rows.rows.map(toStored), totalResults };
    }

    const after = query.cursor === "" ? undefined : decodeCursor(query.cursor);
    if (count === 0) return { resources: [], totalResults: await totalPromise };
    const limit = params.add(count + 1);
    let text: string;
    if (after === undefined) {
      text = `SELECT ${select} ${from} ${order} LIMIT ${limit}`;
    } else if (after.key === undefined) {
      // The cursor is among the rows without a sort value, which come last, ordered by id.
      text = `SELECT ${select} ${from} AND ${key.sql} IS NULL AND r.id > ${params.add(after.id)} ORDER BY r.id LIMIT ${limit}`;
    } else {
      const k = this.#cursorKey(key, after.key, params);
      const id = params.add(after.id);
      if (descending) {
        text = `SELECT ${select} ${from} AND (${key.sql} < ${k} OR (${key.sql} = ${k} AND r.id > ${id}) OR ${key.sql} IS NULL) ${order} LIMIT ${limit}`;
      } else {
        // Keyset: a row comparison the (tenant, resource_type, key, id) indexes answer without OFFSET,
        // then the rows without a sort value, which sort last.
        text = `SELECT * FROM ((SELECT ${select}, 0 AS part ${from} AND (${key.sql}, r.id) > (${k}, ${id}) ${order} LIMIT ${limit})
          UNION ALL (SELECT ${select}, 1 AS part ${from} AND ${key.sql} IS NULL ORDER BY r.id LIMIT ${limit})) AS page
          ORDER BY page.part, page.k ASC, page.id ASC LIMIT ${limit}`;
      }
    }
    const [result, totalResults] = await Promise.all([
      this.#client.query<Row>(text, params.values),
      totalPromise,
    ]);
    const rows = result.rows;
    const more = rows.length > count;
    const page = more ? rows.slice(0, count) : rows;
    const last = page[page.length - 1];
    return {
      resources: page.map(toStored),
      totalResults,
      ...(more && last && { nextCursor: encodeCursor(this.#keyOf(key, last), last.id) }),
    };
  }

  /** The sort value as memory-store's cursors carry it. */
  #keyOf(key: SortKey, row: Row): unknown {
    if (row.k === null || row.k === undefined) return undefined;
    switch (key.kind) {
      case "timestamp":
        return key.lower ? row.k_text?.toLowerCase() : row.k_text;
      case "numeric":
        return Number(row.k);
      default:
        return row.k;
    }
  }

  #cursorKey(key: SortKey, value: unknown, params: SqlParams): string {
    switch (key.kind) {
      case "text":
        if (typeof value !== "string") throw invalidCursor();
        return params.add(value);
      case "numeric":
        if (typeof value !== "number" || !Number.isFinite(value)) throw invalidCursor();
        return `${params.add(String(value))}::numeric`;
      case "boolean":
        if (typeof value !== "boolean") throw invalidCursor();
        return `${params.add(value)}::boolean`;
      case "timestamp": {
        const text = typeof value === "string" ? value.toUpperCase() : "";
        if (!CURSOR_INSTANT.test(text) || Number.isNaN(Date.parse(text))) throw invalidCursor();
        return `${params.add(text)}::timestamptz`;
      }
    }
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
