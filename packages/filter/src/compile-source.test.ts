import type { ScimBundle } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { endsWithLower, equalsLower, startsWithLower } from "./caseless.js";
import { check, checkSource, instantNotEqual } from "./comparison-check.js";
import { compileFilter, compileWith } from "./compile-filter.js";
import { instantOf } from "./date-time.js";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Every comparison kind the core schemas allow, plus value paths, null, unknown attributes and nesting. */
const LEAVES = [
  ...["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"].flatMap((op) => [
    `userName ${op} "BJensen"`,
    `emails ${op} "@Example.com"`,
    `name.familyName ${op} ""`,
    `id ${op} "a1"`,
  ]),
  ...["eq", "ne", "gt", "ge", "lt", "le"].map((op) => `meta.lastModified ${op} "2011-05-13T04:42:34Z"`),
  'meta.created eq "2011-05-13T06:42:34.000+02:00"',
  "active eq true",
  'active ne "FALSE"',
  'x509Certificates.value eq "abc"',
  'x509Certificates ne "ABC"',
  "title eq null",
  "title ne null",
  "name pr",
  "emails pr",
  'emails[type eq "work" and value pr]',
  'emails[not (type eq "work") or primary eq true]',
  'emails[type eq "work"].value ew ".com"',
  `${ENT}:manager.value eq "x"`,
  `${ENT}:manager[displayName co "a"]`,
  `${ENT}:employeeNumber sw "7"`,
  'members[value eq "x" or display sw "b"]',
  "schemas pr",
];

const { text: filterText } = fc.letrec<{ text: string }>((tie) => ({
  text: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    fc.constantFrom(...LEAVES),
    fc
      .tuple(tie("text"), fc.constantFrom(" and ", " or "), tie("text"))
      .map(([a, op, b]) => `(${a})${op}(${b})`),
    tie("text").map((t) => `not (${t})`),
  ),
}));

const scalar = fc.oneof(
  fc.constantFrom(
    "bjensen",
    "BJensen",
    "bjensen@example.com",
    "x@EXAMPLE.COM",
    "work",
    "WORK",
    "a1",
    "7",
    "abc",
    "ABC",
    "",
    "2011-05-13T04:42:34Z",
    "2011-05-13T04:42:34.000Z",
    "2011-05-13T06:42:34+02:00",
    "2011-05-13T04:42:35Z",
    "2011-13-13T04:42:34Z",
    "2011-05-13t04:42:34z",
    "true",
    "İx",
  ),
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const subKey = fc.constantFrom(
  "value",
  "VALUE",
  "type",
  "primary",
  "display",
  "displayName",
  "familyName",
  "lastModified",
  "created",
);
const record = fc.dictionary(subKey, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 4 });
const node = fc.oneof(scalar, record, fc.array(fc.oneof(record, scalar), { maxLength: 3 }));
const key = fc.constantFrom(
  "userName",
  "USERNAME",
  "emails",
  "name",
  "meta",
  "active",
  "title",
  "id",
  ENT,
  "x509Certificates",
  "members",
  "schemas",
);
const resource = fc.dictionary(key, fc.oneof(node, fc.dictionary(subKey, node, { maxKeys: 3 })), {
  maxKeys: 6,
});

describe("generated predicates (compile-source.ts)", () => {
  test("agree with the closures on arbitrary resources", () => {
    const outcomes: [number, number] = [0, 0];
    fc.assert(
      fc.property(filterText, fc.array(resource, { minLength: 1, maxLength: 6 }), (text, resources) => {
        const generated = compileWith(text, undefined, "source");
        const closures = compileWith(text, undefined, "closures");
        expect(generated.name).toBe("scimFilter");
        for (const r of resources) {
          const expected = closures(r);
          expect(generated(r)).toBe(expected);
          outcomes[expected ? 1 : 0]++;
        }
      }),
      { numRuns: 3_000 },
    );
    expect(Math.min(...outcomes)).toBeGreaterThan(1_000);
  });

  test("each generated comparison is the same test as check()", () => {
    const helpers = [equalsLower, startsWithLower, endsWithLower, instantOf, instantNotEqual];
    const kinds = [
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8],
      ...[10, 11, 12, 13, 14, 15, 16, 17, 18],
      ...[20, 21, 25, 26, 27, 28],
      ...[30, 31, 35, 36, 37, 38],
      ...[40, 41],
    ];
    const value = fc.oneof(scalar, fc.double(), fc.string({ unit: "binary", maxLength: 6 }));
    for (const kind of kinds) {
      const source = checkSource(kind, "x", "s", "n");
      const run = new Function("EL", "SW", "EW", "I", "INE", "x", "s", "n", `return ${source};`) as (
        ...args: unknown[]
      ) => boolean;
      fc.assert(
        fc.property(
          value,
          fc.string({ maxLength: 4 }),
          fc.oneof(fc.integer(), fc.constantFrom(0, 1)),
          (x, s, n) => {
            const operand = kind < 20 && kind % 10 < 9 && kind < 10 ? s.toLowerCase() : s;
            expect(run(...helpers, x, operand, n)).toBe(check(kind, x, operand, n));
          },
        ),
        { numRuns: 300 },
      );
    }
  });

  test("attribute names are string literals in the source, whatever they hold", () => {
    // Names come from the schemas (a bundle the application loads): one that looks like code must
    // neither break the source nor run.
    const hostile = 'x"]; globalThis.pwned = 1; //\\';
    const attribute = {
      name: hostile,
      type: "integer" as const,
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: "readWrite" as const,
      returned: "default" as const,
      uniqueness: "none" as const,
    };
    const bundle: ScimBundle = {
      schemas: [
        { id: "urn:acme:params:scim:schemas:core:2.0:Thing", name: "Thing", attributes: [attribute] },
      ],
      resourceTypes: [
        {
          name: "Thing",
          endpoint: "/Things",
          schema: "urn:acme:params:scim:schemas:core:2.0:Thing",
          schemaExtensions: [],
        },
      ],
    };
    const predicate = compileFilter(
      { op: "gt", path: { attribute: hostile }, value: 2 },
      { bundle, resourceType: "Thing" },
    );
    expect(predicate.name).toBe("scimFilter");
    expect(predicate({ [hostile]: 3 })).toBe(true);
    expect(predicate({ [hostile.toUpperCase()]: 3 })).toBe(true);
    expect(predicate({ [hostile]: 2 })).toBe(false);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  test("throw the same 400 invalidFilter as the closures", () => {
    for (const text of [
      "active gt true",
      'emails[value eq "x"].type[type eq "y"]',
      "userName eq 1",
      'nope eq "x"',
    ]) {
      const a = (() => {
        try {
          compileWith(text, undefined, "source");
        } catch (error) {
          return error;
        }
      })();
      const b = (() => {
        try {
          compileWith(text, undefined, "closures");
        } catch (error) {
          return error;
        }
      })();
      expect(a).toBeInstanceOf(Error);
      expect(a).toEqual(b);
      expect((a as { scimType?: string }).scimType).toBe("invalidFilter");
    }
  });
});
