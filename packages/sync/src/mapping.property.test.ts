/// <reference types="node" />
/**
 * Property tests of the mapping: a User body written as a CSV row and read back through csvSource and
 * applyAssignments is the same body (every attribute type: string, boolean, integer, decimal,
 * dateTime; core, complex, multi-valued by filter, extensions), and planning arbitrary CSV or JSON
 * never throws: every bad row becomes a reported row error.
 */
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from "@scimkit/core";
import { bundle } from "@scimkit/models";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, startServer, TOKEN } from "./__fixtures__/servers.js";
import { csvSource, jsonSource, plan } from "./index.js";
import { applyAssignments } from "./plan/assign.js";
import { UserSchema } from "./schema/user-schema.js";
import type { JsonObject, SourceItem } from "./types.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ACME = "urn:acme:params:scim:schemas:extension:2.0:User";
const attr = (name: string, type: AttributeDefinition["type"]): AttributeDefinition => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
});
const acme: SchemaDefinition = {
  id: ACME,
  name: "AcmeUser",
  attributes: [
    attr("level", "integer"),
    attr("ratio", "decimal"),
    attr("hired", "dateTime"),
    attr("remote", "boolean"),
  ],
};
const userType = bundle.resourceTypes.find((t) => t.name === "User") as ResourceTypeDefinition;
const schema = UserSchema.from(
  [...bundle.schemas, acme],
  [{ ...userType, schemaExtensions: [...userType.schemaExtensions, { schema: ACME, required: false }] }],
);

/** Header path → where the value sits in a body, for writing the row. */
const COLUMNS: [string, (b: JsonObject) => unknown][] = [
  ["userName", (b) => b.userName],
  ["name.givenName", (b) => (b.name as JsonObject | undefined)?.givenName],
  ["name.familyName", (b) => (b.name as JsonObject | undefined)?.familyName],
  ['emails[type eq "work"].value', (b) => (b.emails as JsonObject[] | undefined)?.[0]?.value],
  ['phoneNumbers[type eq "mobile"].value', (b) => (b.phoneNumbers as JsonObject[] | undefined)?.[0]?.value],
  ["active", (b) => b.active],
  [`${ENTERPRISE}:department`, (b) => (b[ENTERPRISE] as JsonObject | undefined)?.department],
  [`${ACME}:level`, (b) => (b[ACME] as JsonObject | undefined)?.level],
  [`${ACME}:ratio`, (b) => (b[ACME] as JsonObject | undefined)?.ratio],
  [`${ACME}:hired`, (b) => (b[ACME] as JsonObject | undefined)?.hired],
  [`${ACME}:remote`, (b) => (b[ACME] as JsonObject | undefined)?.remote],
];

const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
const csvOf = (bodies: readonly JsonObject[]) =>
  [
    COLUMNS.map(([h]) => quote(h)).join(","),
    ...bodies.map((b) =>
      COLUMNS.map(([, get]) => quote(get(b) === undefined ? "" : String(get(b)))).join(","),
    ),
  ].join("\r\n");

const text = fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" });
const some = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const drop = (o: JsonObject): JsonObject | undefined => {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(out).length === 0 ? undefined : out;
};
const body = fc
  .record({
    userName: text,
    given: some(text),
    family: some(text),
    work: some(text),
    mobile: some(text),
    active: some(fc.boolean()),
    department: some(text),
    level: some(fc.integer()),
    ratio: some(fc.double({ noNaN: true, noDefaultInfinity: true })), // -0 is written "0": made +0 below
    hired: some(
      fc.date({
        min: new Date("0001-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      }),
    ),
    remote: some(fc.boolean()),
  })
  .map((r): JsonObject => {
    const out: JsonObject = { userName: r.userName };
    const name = drop({ givenName: r.given, familyName: r.family });
    if (name) out.name = name;
    if (r.work !== undefined) out.emails = [{ type: "work", value: r.work }];
    if (r.mobile !== undefined) out.phoneNumbers = [{ type: "mobile", value: r.mobile }];
    if (r.active !== undefined) out.active = r.active;
    const enterprise = drop({ department: r.department });
    if (enterprise) out[ENTERPRISE] = enterprise;
    const a = drop({
      level: r.level,
      ratio: r.ratio === undefined ? undefined : r.ratio + 0,
      hired: r.hired?.toISOString(),
      remote: r.remote,
    });
    if (a) out[ACME] = a;
    return out;
  });

async function items(source: ReturnType<typeof csvSource>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of source.open({ schema })) out.push(item);
  return out;
}

describe("CSV mapping", () => {
  it("body → CSV row → body is the identity", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 5 }), async (bodies) => {
        const read = await items(csvSource([csvOf(bodies)]));
        expect(read.map((i) => (i.kind === "user" ? applyAssignments({}, i.assignments) : i))).toEqual(
          bodies,
        );
        expect(read.map((i) => i.row)).toEqual(bodies.map((_, n) => n + 2));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["integer", `${ACME}:level`, "1.5", '"1.5" is not an integer'],
    ["decimal", `${ACME}:ratio`, "1,5", '"1,5" is not a decimal number'],
    ["dateTime", `${ACME}:hired`, "yesterday", '"yesterday" is not an xsd:dateTime'],
    ["boolean", `${ACME}:remote`, "yes", '"yes" is not a boolean'],
  ])("a bad %s cell names row, column and reason", async (_type, header, cell, reason) => {
    const [item] = await items(csvSource([`userName,${quote(header)}\nu,${quote(cell)}\n`]));
    expect(item).toMatchObject({
      kind: "error",
      row: 2,
      failure: { row: 2, status: 400, scimType: "invalidValue" },
    });
    const detail = item?.kind === "error" ? item.failure.detail : "";
    expect(detail).toContain(`row 2, column "${header}": ${reason}`);
  });
});

describe("planning never throws for a row's content", () => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const cell = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom("true", "1.5", '"', "\n", "x,y", "2020-01-01T00:00:00Z"),
  );

  it("arbitrary CSV cells: each row is an action or a row error", async () => {
    const header = [
      "userName",
      "active",
      `${ENTERPRISE}:department`,
      'emails[type eq "work"].value',
      "groups",
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { maxLength: 6 }),
        async (rows) => {
          const csv = [header.map(quote).join(","), ...rows.map((r) => r.join(","))].join("\n");
          const p = await plan({ to: { url: server.url, token: TOKEN }, source: csvSource([csv]) });
          for await (const action of p) {
            if (action.kind === "error") expect(action.failure.detail).toMatch(/^row \d+|group|deactivat/);
          }
          // an empty target: every row is a create or a reported row error, nothing else
          expect(p.counts.create + p.counts.errors).toBe(p.counts.rows);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("arbitrary JSON elements: each is a user or a row error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 6 }), async (values) => {
        const p = await plan({
          to: { url: server.url, token: TOKEN },
          source: jsonSource([JSON.stringify(values)]),
        });
        const rows = new Set<number>();
        for await (const action of p)
          if (action.kind === "create") rows.add(action.row);
          else if (action.kind === "error") rows.add(action.failure.row ?? -1);
        expect(p.counts.rows).toBe(values.length);
        expect([...rows].sort((a, b) => a - b)).toEqual(values.map((_, i) => i + 1));
      }),
      { numRuns: 40 },
    );
  });
});
