import {
  type AttributeDefinition,
  coreBundle,
  ENTERPRISE_USER_SCHEMA,
  type SchemaDefinition,
  SchemaRegistry,
  type ScimBundle,
} from "@scimkit/core";
import { type ComparisonOperator, compileFilter, type Filter, parseAttributePath } from "@scimkit/filter";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterView } from "./memory-store.js";
import { PostgresStore } from "./postgres.js";
import { openPGlite, type SqlClient } from "./sql-client.js";
import { filterToSql, instantOf, SqlParams } from "./sql-filter.js";
import type { StoreScope } from "./store.js";

// The User schema plus a test extension with the types the core schemas lack in `data`: dateTime,
// integer, decimal, and a multi-valued string.
const TEST = "urn:test:params:scim:schemas:extension:2.0:User";
const attribute = (
  name: string,
  type: AttributeDefinition["type"],
  extra: Partial<AttributeDefinition> = {},
): AttributeDefinition => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...extra,
});
const testSchema: SchemaDefinition = {
  id: TEST,
  name: "TestUser",
  attributes: [
    attribute("hired", "dateTime"),
    attribute("level", "integer"),
    attribute("score", "decimal"),
    attribute("tags", "string", { multiValued: true }),
    attribute("code", "string", { caseExact: true }),
  ],
};
const core = coreBundle();
const bundle: ScimBundle = {
  schemas: [...core.schemas, testSchema],
  resourceTypes: core.resourceTypes.map((t) =>
    t.name === "User"
      ? { ...t, schemaExtensions: [...t.schemaExtensions, { schema: TEST, required: false }] }
      : t,
  ),
};
const registry = new SchemaRegistry(bundle);
const ENT = ENTERPRISE_USER_SCHEMA;

// Small pools, so that filters and data meet; LIKE wildcards, quotes, case and non-ASCII included.
const STRINGS = [
  "bjensen",
  "BJensen",
  "b",
  "",
  "Ann",
  "ann.lee",
  "x_y%z",
  "x1y2z",
  "ÄRGER",
  "ärger",
  "Zed",
  "a\\b",
  "o'hara",
  "work",
  "Work",
  "home",
];
const VALID_DATES = [
  "2020-01-01T00:00:00Z",
  "2020-01-01T00:00:00.000Z",
  "2020-01-01T01:00:00+01:00",
  "2019-12-31T23:59:59.999Z",
  "2021-06-15T12:30:45.123Z",
  "2021-06-15T12:30:45.1239Z",
  "2020-02-30T00:00:00Z",
  "2020-01-01T24:00:00Z",
  "2020-01-01t00:00:00z",
  "2020-01-01T00:00:00",
  "0000-01-01T00:00:00Z",
];
const ODD_DATES = [
  "2020-13-01T00:00:00Z",
  "2020-01-01T24:00:01Z",
  "not a date",
  "2020-01-01",
  "10000-01-01T00:00:00Z",
  "2020-01-01T00:00:00+24:00",
];
const CREATED = [
  "2019-12-31T23:59:59.999Z",
  "2020-01-01T00:00:00.000Z",
  "2020-06-01T10:00:00.500Z",
  "2021-06-15T12:30:45.123Z",
  "2024-02-29T00:00:00.000Z",
];
const NUMBERS = [0, 1, -1, 2.5, 10, 0.1, 1e21, -0.5];

const str = fc.constantFrom(...STRINGS);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
/** A value with the odd cases: absent, null, or of the wrong JSON type. */
const odd = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 6, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(5, "true", true, {}) },
  );

function record(entries: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, maybe(v)]))).map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
    return out;
  });
}

const email = record({
  value: odd(str),
  type: odd(fc.constantFrom("work", "home", "Work", "")),
  primary: odd(fc.boolean()),
});
const schemaShapedUser = record({
  userName: odd(str),
  displayName: odd(str),
  title: odd(str),
  nickName: odd(str),
  externalId: odd(str),
  active: odd(fc.boolean()),
  name: odd(record({ givenName: odd(str), familyName: odd(str) })),
  emails: fc.oneof(fc.array(email, { maxLength: 3 }), fc.constant(null)),
  [ENT]: odd(
    record({ employeeNumber: odd(str), costCenter: odd(str), manager: odd(record({ value: odd(str) })) }),
  ),
  [TEST]: odd(
    record({
      hired: odd(fc.constantFrom(...VALID_DATES, ...ODD_DATES)),
      level: odd(fc.constantFrom(...NUMBERS)),
      score: odd(fc.constantFrom(...NUMBERS)),
      tags: fc.oneof(fc.array(odd(str), { maxLength: 3 }), fc.constant(null)),
      code: odd(str),
    }),
  ),
});
/** Data no validator would let through: arrays in single-valued attributes, keys in other cases, objects for arrays. */
const oddlyShapedUser = fc
  .tuple(schemaShapedUser, fc.array(str, { maxLength: 2 }), email, fc.boolean(), fc.boolean(), fc.boolean())
  .map(([user, names, single, arrays, upper, asObject]) => {
    const out: Record<string, unknown> = { ...user };
    if (arrays) out.userName = names;
    if (asObject) out.emails = single;
    if (upper && "title" in out) {
      out.TITLE = out.title;
      delete out.title;
    }
    if (arrays && typeof out.name === "object" && out.name !== null) out.name = [out.name];
    return out;
  });

// Filters over the User schema, built as ASTs from typed paths.
const STRING_PATHS = [
  "userName",
  "displayName",
  "title",
  "nickName",
  "externalId",
  "name.givenName",
  "name.familyName",
  "emails",
  "emails.value",
  "emails.type",
  "id",
  "meta.resourceType",
  "meta.version",
  `${ENT}:employeeNumber`,
  `${ENT}:manager.value`,
  `${TEST}:tags`,
  `${TEST}:code`,
];
const BOOLEAN_PATHS = ["active", "emails.primary"];
const DATE_PATHS = ["meta.created", "meta.lastModified", `${TEST}:hired`];
const NUMBER_PATHS = [`${TEST}:level`, `${TEST}:score`];
const ANY_PATHS = [
  ...STRING_PATHS,
  ...BOOLEAN_PATHS,
  ...DATE_PATHS,
  ...NUMBER_PATHS,
  "name",
  `${ENT}:manager`,
  "meta",
  `${TEST}:missing`,
];
const ALL_OPS: ComparisonOperator[] = ["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"];
const ORDER_OPS: ComparisonOperator[] = ["eq", "ne", "gt", "lt", "ge", "le"];

const casing = (text: string, mode: number) =>
  mode === 1 ? text.toUpperCase() : mode === 2 ? text.toLowerCase() : text;
const path = (text: string) =>
  fc.integer({ min: 0, max: 4 }).map((mode) => parseAttributePath(mode > 2 ? text : casing(text, mode)));

const comparison: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...STRING_PATHS).chain(path), fc.constantFrom(...ALL_OPS), str)
    .map(([p, op, value]) => ({ op, path: p, value })),
  fc
    .tuple(
      fc.constantFrom(...BOOLEAN_PATHS).chain(path),
      fc.constantFrom<ComparisonOperator>("eq", "ne"),
      fc.constantFrom<boolean | string>(true, false, "True"),
    )
    .map(([p, op, value]) => ({ op, path: p, value })),
  fc
    .tuple(
      fc.constantFrom(...DATE_PATHS).chain(path),
      fc.constantFrom(...ORDER_OPS),
      fc.constantFrom(...VALID_DATES, ...CREATED),
    )
    .map(([p, op, value]) => ({ op, path: p, value })),
  fc
    .tuple(
      fc.constantFrom(...NUMBER_PATHS).chain(path),
      fc.constantFrom(...ORDER_OPS),
      fc.constantFrom(...NUMBERS),
    )
    .map(([p, op, value]) => ({ op, path: p, value })),
  fc
    .tuple(fc.constantFrom(...ANY_PATHS).chain(path), fc.constantFrom<"pr" | "eq" | "ne">("pr", "eq", "ne"))
    .map(([p, op]): Filter => (op === "pr" ? { op, path: p } : { op, path: p, value: null })),
);
const emailCondition: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .tuple(fc.constantFrom("value", "type", "VALUE"), fc.constantFrom(...ALL_OPS), str)
    .map(([attribute, op, value]) => ({ op, path: { attribute }, value })),
  fc
    .tuple(fc.constantFrom<ComparisonOperator>("eq", "ne"), fc.boolean())
    .map(([op, value]) => ({ op, path: { attribute: "primary" }, value })),
  fc
    .constantFrom("value", "type", "primary", "display")
    .map((attribute): Filter => ({ op: "pr", path: { attribute } })),
);
const valuePath: fc.Arbitrary<Filter> = fc.oneof(
  fc
    .tuple(
      fc.array(emailCondition, { minLength: 1, maxLength: 3 }),
      fc.constantFrom<"and" | "or" | "not">("and", "or", "not"),
    )
    .map(([conditions, op]): Filter => {
      const first = conditions[0] as Filter;
      const inner: Filter =
        conditions.length === 1
          ? first
          : op === "not"
            ? { op: "not", filter: first }
            : { op, filters: conditions as [Filter, Filter, ...Filter[]] };
      return { op: "valuePath", path: { attribute: "emails" }, filter: inner };
    }),
  fc.tuple(fc.constantFrom(...ALL_OPS), str).map(
    ([op, value]): Filter => ({
      op: "valuePath",
      path: { uri: ENT, attribute: "manager" },
      filter: { op, path: { attribute: "value" }, value },
    }),
  ),
  fc.tuple(fc.constantFrom("givenName", "familyName"), fc.constantFrom(...ALL_OPS), str).map(
    ([attribute, op, value]): Filter => ({
      op: "valuePath",
      path: { attribute: "name" },
      filter: { op, path: { attribute }, value },
    }),
  ),
);
const { filter: filterArb } = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { maxDepth: 3, depthIdentifier: "filter" },
    comparison,
    valuePath,
    fc
      .array(tie("filter"), { minLength: 2, maxLength: 3 })
      .map((filters): Filter => ({ op: "and", filters: filters as [Filter, Filter, ...Filter[]] })),
    fc
      .array(tie("filter"), { minLength: 2, maxLength: 3 })
      .map((filters): Filter => ({ op: "or", filters: filters as [Filter, Filter, ...Filter[]] })),
    tie("filter").map((filter): Filter => ({ op: "not", filter })),
  ),
}));

/** compileFilter with default options throws for comparisons the RFC forbids; those are not SQL's business. */
function compiles(filter: Filter): boolean {
  try {
    compileFilter(filter, { resourceType: "User", bundle: registry });
    return true;
  } catch {
    return false;
  }
}

describe("filterToSql gives exactly compileFilter's results (PGlite)", () => {
  let client: SqlClient;
  let schemaStore: PostgresStore;
  let anyStore: PostgresStore;
  const clock: { next: Date } = { next: new Date(0) };
  let run = 0;

  beforeAll(async () => {
    client = await openPGlite();
    schemaStore = new PostgresStore(client, { tablePrefix: "prop_", now: () => clock.next });
    anyStore = new PostgresStore(client, { tablePrefix: "prop_", shapes: "any", migrate: false });
    await schemaStore.migrate();
  }, 60_000);
  afterAll(async () => {
    await client.close();
  });

  async function check(
    users: Record<string, unknown>[],
    filters: Filter[],
    stores: PostgresStore[],
  ): Promise<void> {
    run += 1;
    const scope: StoreScope = { tenant: `prop-${run}`, resourceType: "User", registry };
    for (const [i, user] of users.entries()) {
      clock.next = new Date(CREATED[i % CREATED.length] as string);
      await schemaStore.create(scope, user, []);
    }
    const stored = (await schemaStore.query(scope, { count: 1000 })).resources;
    for (const filter of filters) {
      const predicate = compileFilter(filter, { resourceType: "User", bundle: registry });
      const expected = stored
        .filter((r) => predicate(filterView("User", r)))
        .map((r) => r.id)
        .sort();
      for (const store of stores) {
        const actual = (await store.query(scope, { count: 1000, filter })).resources.map((r) => r.id).sort();
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          const sql = filterToSql(filter, {
            resourceType: "User",
            registry,
            params: new SqlParams(),
            prefix: "prop_",
          });
          expect({ filter, users: stored.map((r) => r.data), sql, actual }).toEqual({
            filter,
            users: stored.map((r) => r.data),
            sql,
            actual: expected,
          });
        }
      }
    }
  }

  it("on schema-shaped data, in both shape modes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(schemaShapedUser, { minLength: 1, maxLength: 8 }),
        fc.array(filterArb.filter(compiles), { minLength: 1, maxLength: 6 }),
        (users, filters) => check(users, filters, [schemaStore, anyStore]),
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  it("on oddly shaped data, with shapes: any", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(oddlyShapedUser, { minLength: 1, maxLength: 6 }),
        fc.array(filterArb.filter(compiles), { minLength: 1, maxLength: 4 }),
        (users, filters) => check(users, filters, [anyStore]),
      ),
      { numRuns: 100 },
    );
  }, 120_000);

  it("reads dateTimes as compileFilter (V8's Date.parse) does, and never throws on a bad one", async () => {
    const digits = (n: number) =>
      fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, "0"));
    const dateText = fc
      .tuple(
        digits(4),
        fc.integer({ min: 0, max: 14 }),
        fc.integer({ min: 0, max: 33 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.constantFrom("", ".5", ".123", ".1239", ".000"),
        fc.constantFrom("", "Z", "z", "+01:00", "-05:30", "+23:59", "+24:00", "-00:60"),
      )
      .map(([y, mo, d, h, mi, s, frac, zone]) => {
        const two = (n: number) => String(n).padStart(2, "0");
        return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${frac}${zone}`;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(dateText, fc.string()), { minLength: 1, maxLength: 20 }),
        async (texts) => {
          const { rows } = await client.query<{ ms: string | null }>(
            "SELECT (extract(epoch FROM prop_instant(t)) * 1000)::bigint::text AS ms FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
            [texts],
          );
          const actual = rows.map((r) => (r.ms === null ? null : Number(r.ms)));
          const expected = texts.map((t) => {
            const ms = instantOf(t);
            return Number.isNaN(ms) ? null : ms;
          });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it("keeps values out of the SQL text: an injection attempt is just a value that matches nothing", async () => {
    const value = "x'); drop table prop_resources; --";
    const params = new SqlParams();
    const sql = filterToSql(
      { op: "eq", path: { attribute: "userName" }, value },
      { resourceType: "User", registry, params, prefix: "prop_" },
    );
    expect(sql.toLowerCase()).not.toContain("drop");
    expect(params.values).toContain(value);
    const scope: StoreScope = { tenant: "injection", resourceType: "User", registry };
    await schemaStore.create(scope, { userName: "bjensen" }, []);
    for (const op of ["eq", "co", "sw", "gt"] as const) {
      const result = await schemaStore.query(scope, {
        count: 10,
        filter: { op, path: { attribute: "userName" }, value },
      });
      expect(result.resources).toHaveLength(0);
    }
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM prop_resources WHERE tenant = $1",
      ["injection"],
    );
    expect(rows[0]?.n).toBe(1);
  });
});
