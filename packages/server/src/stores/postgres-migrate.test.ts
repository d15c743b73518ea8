import { coreBundle, isScimError, SchemaRegistry } from "@scimkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresStore } from "./postgres.js";
import { openPGlite, type SqlClient } from "./sql-client.js";
import { uniqueValues } from "./store.js";

const registry = new SchemaRegistry(coreBundle());
const users = { tenant: "acme", resourceType: "User", registry };
const groups = { tenant: "acme", resourceType: "Group", registry };
const P = "mig_";

/**
 * A database as an earlier version left it: unique keys only lower-cased, no members index, no record
 * of the one-time migrations. Built with today's store, then rolled back by SQL.
 */
describe("migrating a database from before the members table and Unicode-folded keys", () => {
  let client: SqlClient;
  let ids: Record<string, string>;
  beforeAll(async () => {
    client = await openPGlite();
    const store = new PostgresStore(client, { tablePrefix: P });
    await store.migrate();
    const create = async (scope: typeof users, data: Record<string, unknown>) =>
      (await store.create(scope, data, uniqueValues(registry, scope.resourceType, data))).id;
    ids = {
      nfd: await create(users, { userName: "Jose\u0301" }),
      sharp: await create(users, { userName: "Stra\u00dfe" }),
      ascii: await create(users, { userName: "BJensen" }),
      exact: await create(users, { userName: "exact-owner" }),
    };
    ids.group = await create(groups, {
      displayName: "Staff",
      members: [{ value: ids.nfd }, { value: ids.ascii }, { value: "long-gone" }],
    });
    // Old keys: lower case only; a second account the old keys allowed ("STRASSE" beside "Straße").
    await client.query(`UPDATE ${P}unique SET value = lower(value) WHERE path = 'username'`);
    await client.query(`UPDATE ${P}unique SET value = $1 WHERE id = $2`, ["jose\u0301", ids.nfd]);
    await client.query(`UPDATE ${P}unique SET value = $1 WHERE id = $2`, ["stra\u00dfe", ids.sharp]);
    const dup = await create(users, { userName: "placeholder" });
    ids.dup = dup;
    await client.query(
      `UPDATE ${P}resources SET data = jsonb_set(data, '{userName}', '"STRASSE"') WHERE id = $1`,
      [dup],
    );
    await client.query(`UPDATE ${P}unique SET value = 'strasse' WHERE id = $1`, [dup]);
    // A caseExact key (JSON) with non-ASCII text stays as it is.
    await client.query(
      `INSERT INTO ${P}unique (tenant, scope, path, value, resource_type, id) VALUES ('acme', 'User', 'externalid', $1, 'User', $2)`,
      [JSON.stringify("Stra\u00dfe"), ids.exact],
    );
    await client.query(
      `UPDATE ${P}resources SET data = data || '{"externalId": "Stra\u00dfe"}' WHERE id = $1`,
      [ids.exact],
    );
    await client.query(`DELETE FROM ${P}members`);
    await client.query(`ALTER TABLE ${P}members DROP COLUMN group_display`);
    await client.query(`DELETE FROM ${P}migrations`);
  }, 60_000);
  afterAll(async () => client.close());

  const keys = async () =>
    (
      await client.query<{ id: string; path: string; value: string }>(
        `SELECT id, path, value FROM ${P}unique ORDER BY id, path`,
      )
    ).rows;

  it("re-keys unique values, backfills members, and is idempotent", async () => {
    const store = new PostgresStore(client, { tablePrefix: P });
    await store.migrate();
    const after = await keys();
    const keyOf = (id: string, path = "username") => after.find((k) => k.id === id && k.path === path)?.value;
    expect(keyOf(ids.nfd as string)).toBe("jos\u00e9");
    expect(keyOf(ids.sharp as string)).toBe("stra\u00dfe"); // "strasse" is taken by the older duplicate
    expect(keyOf(ids.dup as string)).toBe("strasse");
    expect(keyOf(ids.ascii as string)).toBe("bjensen");
    expect(keyOf(ids.exact as string, "externalid")).toBe(JSON.stringify("Stra\u00dfe"));
    // The folded key now guards the NFC spelling.
    const error = await store
      .create(users, { userName: "JOS\u00c9" }, uniqueValues(registry, "User", { userName: "JOS\u00c9" }))
      .catch((e: unknown) => e);
    expect(isScimError(error) && error.status).toBe(409);
    // Members that exist are indexed, with the group's name; the dangling one stays in the data, unindexed.
    const of = await store.membershipsOf(users, [ids.nfd as string, ids.ascii as string]);
    expect(of.get(ids.nfd as string)).toEqual([{ id: ids.group, resourceType: "Group", display: "Staff" }]);
    expect(of.get(ids.ascii as string)).toHaveLength(1);
    const members = await store.membersOf(groups, [ids.group as string]);
    expect(
      members
        .get(ids.group as string)
        ?.map((m) => m.id)
        .sort(),
    ).toEqual([ids.nfd, ids.ascii].sort());
    // A second run changes nothing.
    const before = await keys();
    await new PostgresStore(client, { tablePrefix: P }).migrate();
    expect(await keys()).toEqual(before);
    const count = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${P}members`);
    expect(count.rows[0]?.n).toBe(2);
    const done = await client.query<{ name: string }>(`SELECT name FROM ${P}migrations ORDER BY name`);
    expect(done.rows.map((r) => r.name)).toEqual([
      "members-backfill",
      "members-group-display",
      "unique-fold",
    ]);
  });

  it("cascades a delete through the backfilled index", async () => {
    const store = new PostgresStore(client, { tablePrefix: P });
    await store.delete(users, ids.nfd as string);
    const group = await store.get(groups, ids.group as string);
    expect(((group?.data.members ?? []) as { value: string }[]).map((m) => m.value)).toEqual([
      ids.ascii,
      "long-gone",
    ]);
  });
});
