import { compileFilter, stringifyFilter } from "@scimkit/filter";
import { PostgresRecordings } from "../recording/postgres-recordings.js";
import { createEach } from "./create-many.js";
import { displayOf, memberChanges } from "./members.js";
import { badInput, retrying, sqlState } from "./pg-errors.js";
import { createBatch } from "./postgres-create-many.js";
import {
  addsMembers,
  deleteMembers,
  type MemberTables,
  membershipsOf,
  membersOf,
  renameMember,
  writeMembers,
} from "./postgres-members.js";
import { rekeyUniqueValues } from "./postgres-migrate.js";
import { connect, type PostgresConnectOptions } from "./postgres-open.js";
import { columns, type QueryTables, queryPage, type Row, toStored } from "./postgres-query.js";
import { type ReadTables, readForWrite } from "./postgres-read.js";
import { claimUnique, uniqueKeysOf } from "./postgres-unique.js";
import { schemaStatements } from "./schema.sql.js";
import type { SqlClient, SqlQueryable } from "./sql-client.js";
import { checkPrefix, type SqlFilterOptions } from "./sql-filter.js";
import type {
  CreateItem,
  CreateManyOptions,
  CreateOptions,
  CreateOutcome,
  DeleteOptions,
  ResourceRef,
  ScimStore,
  StoredResource,
  StoreQuery,
  StoreQueryResult,
  StoreScope,
  UniqueValue,
  WriteOptions,
} from "./store.js";
import { checkStorableData, checkStorableFilter, checkTenant, storableId } from "./text.js";
import { sameKeys } from "./unique.js";

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
  readonly #queryTables: QueryTables;
  readonly #readTables: ReadTables;
  readonly #now: (() => Date) | undefined;
  #ready: Promise<void> | undefined;
  #clock = 0;
  readonly #validated = new Map<string, true>();
  /** Recorded requests and their changes, in `${prefix}requests` and `${prefix}changes`. */
  readonly recordings: PostgresRecordings;

  constructor(client: SqlClient, options: PostgresStoreOptions = {}) {
    this.#client = client;
    this.#prefix = checkPrefix(options.tablePrefix ?? "scim_");
    this.#resources = `${this.#prefix}resources`;
    this.#unique = `${this.#prefix}unique`;
    this.#tables = { resources: this.#resources, members: `${this.#prefix}members` };
    this.#readTables = { resources: this.#resources, unique: this.#unique };
    this.#queryTables = {
      resources: this.#resources,
      prefix: this.#prefix,
      shapes: options.shapes ?? "schema",
    };
    this.#now = options.now;
    if (options.migrate === false) this.#ready = Promise.resolve();
    this.recordings = new PostgresRecordings(client, this.#prefix, () => this.#readyOnce());
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
      `SELECT ${columns("r")} FROM ${this.#resources} r WHERE r.tenant = $1 AND r.resource_type = $2 AND r.id = $3`,
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
    if (!addsMembers(data) && (await this.#createAlone(scope, id, data, unique, now)))
      return { id, data, version: 1, created: now, lastModified: now };
    await this.#write(async (tx) => {
      await writeMembers(tx, this.#tables, scope, id, undefined, data, options.memberTypes);
      await claimUnique(tx, this.#unique, scope, id, unique);
      await tx.query(
        `INSERT INTO ${this.#resources} (tenant, resource_type, id, data, version, created, last_modified) VALUES ($1, $2, $3, $4::jsonb, 1, $5::timestamptz, $5::timestamptz)`,
        [scope.tenant, scope.resourceType, id, JSON.stringify(data), now],
      );
    });
    return { id, data, version: 1, created: now, lastModified: now };
  }

  /** {@link ScimStore.createMany}: two statements ({@link createBatch}), else one `create` per item (members). */
  async createMany(
    scope: StoreScope,
    items: readonly CreateItem[],
    options: CreateManyOptions = {},
  ): Promise<CreateOutcome[]> {
    if (items.length < 2 || !storableId(scope.tenant) || items.some((item) => addsMembers(item.data)))
      return createEach(this, scope, items, options);
    await this.#readyOnce();
    const tables = { resources: this.#resources, unique: this.#unique };
    const now = () => this.#timestamp();
    const batch = await createBatch(this.#client, tables, scope, items, {
      now,
      maxFailures: options.maxFailures,
    });
    return batch ?? createEach(this, scope, items, options);
  }

  /**
   * A create without members in one statement and no transaction (on PGlite, BEGIN and COMMIT are
   * statements too): the unique rows and the resource row go in together, or not at all. False when a
   * unique value is taken (unique_violation): then the transaction of create() runs, which says which
   * value, or succeeds if its holder has gone meanwhile.
   */
  async #createAlone(
    scope: StoreScope,
    id: string,
    data: Record<string, unknown>,
    unique: readonly UniqueValue[],
    now: string,
  ): Promise<boolean> {
    await this.#readyOnce();
    const keys = uniqueKeysOf(scope, unique);
    try {
      await retrying(() =>
        this.#client.query(
          `WITH u AS (INSERT INTO ${this.#unique} (tenant, scope, path, value, resource_type, id)
              SELECT $1, k.scope, k.path, k.value, $2, $3 FROM unnest($6::text[], $7::text[], $8::text[]) AS k(scope, path, value))
            INSERT INTO ${this.#resources} (tenant, resource_type, id, data, version, created, last_modified)
              VALUES ($1, $2, $3, $4::jsonb, 1, $5::timestamptz, $5::timestamptz)`,
          [
            scope.tenant,
            scope.resourceType,
            id,
            JSON.stringify(data),
            now,
            keys.map((k) => k[0]),
            keys.map((k) => k[1]),
            keys.map((k) => k[2]),
          ],
        ),
      );
      return true;
    } catch (error) {
      if (sqlState(error) === "23505") return false;
      throw badInput(error, "invalidValue");
    }
  }

  async update(
    scope: StoreScope,
    id: string,
    update: (
      current: StoredResource,
    ) => { data: Record<string, unknown>; unique: readonly UniqueValue[] } | undefined,
    options: WriteOptions = {},
  ): Promise<StoredResource> {
    await this.#readyOnce();
    const alone = await this.#updateAlone(scope, id, update, options);
    if (alone) return alone;
    return this.#write(async (tx) => {
      const { current, uniqueKeys } = await readForWrite(
        tx,
        this.#readTables,
        scope,
        id,
        options,
        true,
        true,
      );
      const next = update(current);
      if (!next) return current;
      checkStorableData(next.data);
      await writeMembers(tx, this.#tables, scope, id, current.data, next.data, options.memberTypes);
      await renameMember(tx, this.#tables, scope, id, current.data, next.data);
      // Unique values unchanged (a PATCH of `active`): their rows stay as they are.
      if (!sameKeys(uniqueKeysOf(scope, next.unique), uniqueKeys)) {
        await tx.query(`DELETE FROM ${this.#unique} WHERE tenant = $1 AND resource_type = $2 AND id = $3`, [
          scope.tenant,
          scope.resourceType,
          id,
        ]);
        await claimUnique(tx, this.#unique, scope, id, next.unique);
      }
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

  /**
   * An update that touches only the resource's own row — the same members, the same name, the same
   * unique values (a PATCH of `active`) — as two statements and no transaction: a read, then an UPDATE
   * on the condition that the version is still the one read (an optimistic lock). `undefined` when the
   * update needs more, or the row changed in between: then update() runs its transaction, which locks
   * the row, reads it again and calls `update` again (a pure function of the current resource).
   */
  async #updateAlone(
    scope: StoreScope,
    id: string,
    update: (
      current: StoredResource,
    ) => { data: Record<string, unknown>; unique: readonly UniqueValue[] } | undefined,
    options: WriteOptions,
  ): Promise<StoredResource | undefined> {
    const { current, uniqueKeys } = await readForWrite(
      this.#client,
      this.#readTables,
      scope,
      id,
      options,
      false,
    );
    const next = update(current);
    if (!next) return current;
    checkStorableData(next.data);
    const { added, removed } = memberChanges(current.data, next.data);
    if (
      added.size > 0 ||
      removed.length > 0 ||
      displayOf(current.data) !== displayOf(next.data) ||
      !sameKeys(uniqueKeysOf(scope, next.unique), uniqueKeys)
    )
      return undefined;
    const now = this.#timestamp();
    let updated: number;
    try {
      const { rows } = await retrying(() =>
        this.#client.query(
          `UPDATE ${this.#resources} SET data = $4::jsonb, version = version + 1, last_modified = $5::timestamptz
            WHERE tenant = $1 AND resource_type = $2 AND id = $3 AND version = $6 RETURNING version`,
          [scope.tenant, scope.resourceType, id, JSON.stringify(next.data), now, current.version],
        ),
      );
      updated = rows.length;
    } catch (error) {
      throw badInput(error, "invalidValue");
    }
    if (updated === 0) return undefined;
    return { id, data: next.data, version: current.version + 1, created: current.created, lastModified: now };
  }

  /** Deletes, and (unless `cascade: false`) removes it from every resource's members in the same transaction. */
  async delete(scope: StoreScope, id: string, options: DeleteOptions = {}): Promise<void> {
    await this.#write(async (tx) => {
      await readForWrite(tx, this.#readTables, scope, id, options, true, false);
      await deleteMembers(tx, this.#tables, scope, id, options.cascade !== false, this.#timestamp());
      // Its index rows on both sides, its unique rows and its row: one statement.
      await tx.query(
        `WITH m AS (DELETE FROM ${this.#tables.members} WHERE tenant = $1
            AND ((member_type = $2 AND member_id = $3) OR (group_type = $2 AND group_id = $3))),
          u AS (DELETE FROM ${this.#unique} WHERE tenant = $1 AND resource_type = $2 AND id = $3)
        DELETE FROM ${this.#resources} WHERE tenant = $1 AND resource_type = $2 AND id = $3`,
        [scope.tenant, scope.resourceType, id],
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
      return await queryPage(this.#client, this.#queryTables, scope, query);
    } catch (error) {
      throw badInput(error, "invalidFilter");
    }
  }

  async close(): Promise<void> {
    // Queued records are written and LISTEN's connection given back before the pool closes.
    await this.recordings.close();
    await this.#client.close();
  }
}
