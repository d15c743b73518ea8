import { isScimError } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { AttributePath, ComparisonOperator, ComparisonValue, Filter, Path } from "./ast.js";
import { compileFilter } from "./compile-filter.js";
import { FilterSyntaxError } from "./errors.js";
import { parseFilter, parsePath } from "./parse-filter.js";
import { stringifyFilter, stringifyPath } from "./stringify-filter.js";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const name = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/),
  fc.constantFrom(
    "$ref",
    "$REF",
    "not",
    "NOT",
    "and",
    "or",
    "pr",
    "eq",
    "true",
    "null",
    "emails",
    "value",
    "userName",
  ),
);
const uri = fc.oneof(
  fc.constantFrom(
    "urn:ietf:params:scim:schemas:core:2.0:User",
    ENT,
    "URN:IETF:params:scim:schemas:core:2.0:group",
    "https://example.com/s/v1",
  ),
  fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9+.-]{0,4}$/),
      fc.array(fc.stringMatching(/^[A-Za-z0-9._~%$+/-]{1,6}$/), { minLength: 1, maxLength: 4 }),
    )
    .map(([scheme, parts]) => `${scheme}:${parts.join(":")}`)
    .filter((u) => !u.endsWith(":")),
);
const attributePath: fc.Arbitrary<AttributePath> = fc
  .tuple(fc.option(uri, { nil: undefined }), name, fc.option(name, { nil: undefined }))
  .map(([u, attribute, subAttribute]) => {
    const path: { uri?: string; attribute: string; subAttribute?: string } = { attribute };
    if (u !== undefined) path.uri = u;
    if (subAttribute !== undefined) path.subAttribute = subAttribute;
    return path;
  });
const value: fc.Arbitrary<ComparisonValue> = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const operator = fc.constantFrom<ComparisonOperator>("eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le");

// The filter in `[...]` (valFilter, RFC 7644 §3.4.2.2) is a filter without value paths: they do not nest.
const { filter: filterArbitrary, valFilter: valFilterArbitrary } = fc.letrec<{
  filter: Filter;
  valFilter: Filter;
}>((tie) => {
  const node = (inner: "filter" | "valFilter") => [
    fc.record({ op: operator, path: attributePath, value }),
    fc.record({ op: fc.constant("pr" as const), path: attributePath }),
    fc.record({
      op: fc.constantFrom("and" as const, "or" as const),
      filters: fc.array(tie(inner), { minLength: 2, maxLength: 4 }) as unknown as fc.Arbitrary<
        [Filter, Filter, ...Filter[]]
      >,
    }),
    fc.record({ op: fc.constant("not" as const), filter: tie(inner) }),
  ];
  return {
    filter: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      ...node("filter"),
      fc.record({ op: fc.constant("valuePath" as const), path: attributePath, filter: tie("valFilter") }),
    ),
    valFilter: fc.oneof({ depthSize: "small", withCrossShrink: true }, ...node("valFilter")),
  };
});

const pathArbitrary: fc.Arbitrary<Path> = fc
  .tuple(
    attributePath,
    fc.option(valFilterArbitrary, { nil: undefined }),
    fc.option(name, { nil: undefined }),
  )
  .map(([path, filter, subAttribute]) => {
    if (filter === undefined) return { path };
    return subAttribute === undefined ? { path, filter } : { path, filter, subAttribute };
  });

function onlyScimErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isScimError(error) || error.status !== 400) throw error;
  }
}

describe("round trip", () => {
  test("parseFilter(stringifyFilter(f)) deep-equals f for generated trees (10,000 runs)", () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        const text = stringifyFilter(filter);
        expect(parseFilter(text, { maxLength: Number.POSITIVE_INFINITY })).toEqual(filter);
        expect(stringifyFilter(parseFilter(text, { maxLength: Number.POSITIVE_INFINITY }))).toBe(text);
      }),
      { numRuns: 10_000 },
    );
  });

  test("parsePath(stringifyPath(p)) deep-equals p", () => {
    fc.assert(
      fc.property(pathArbitrary, (path) => {
        expect(parsePath(stringifyPath(path), { maxLength: Number.POSITIVE_INFINITY })).toEqual(path);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("value paths do not nest (RFC 7644 §3.4.2.2: valFilter has no valuePath)", () => {
  const nested = fc.record({
    outer: attributePath,
    before: fc.option(valFilterArbitrary, { nil: undefined }),
    inner: attributePath,
    filter: valFilterArbitrary,
  });

  test('a value path inside "[...]" fails at its "[" in filters and PATCH paths; stringify refuses the tree', () => {
    fc.assert(
      fc.property(nested, ({ outer, before, inner, filter }) => {
        const head = `${stringifyPath({ path: outer })}[${before === undefined ? "" : `${stringifyFilter(before)} and `}${stringifyPath({ path: inner })}`;
        const text = `${head}[${stringifyFilter(filter)}]]`;
        for (const [parse, scimType] of [
          [parseFilter, "invalidFilter"],
          [parsePath, "invalidPath"],
        ] as const) {
          let error: unknown;
          try {
            parse(text, { maxLength: Number.POSITIVE_INFINITY });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(FilterSyntaxError);
          expect(error).toMatchObject({ scimType, column: head.length + 1 });
          expect((error as FilterSyntaxError).detail).toMatch(/value paths do not nest/);
        }
        const tree: Filter = {
          op: "valuePath",
          path: outer,
          filter: { op: "valuePath", path: inner, filter },
        };
        expect(() => stringifyFilter(tree)).toThrow(/value paths do not nest/);
        expect(() => stringifyPath({ path: outer, filter: tree.filter })).toThrow(/value paths do not nest/);
      }),
      { numRuns: 1_000 },
    );
  });
});

const grammarChars = [
  ..."()[]\"\\ .:$-_\t\n'01279eE+aAndDoOrRtTpPqQ",
  ..."urn:ietf",
  "é",
  "\u0000",
  "\ud800",
];

describe("parseFilter fails only with ScimError", () => {
  test("on arbitrary strings", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string({ unit: fc.constantFrom(...grammarChars), maxLength: 60 }),
        ),
        (text) => {
          onlyScimErrors(() => parseFilter(text));
          onlyScimErrors(() => parsePath(text));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  test("on mutated valid filters", () => {
    const mutation = fc.record({
      kind: fc.constantFrom("insert", "delete", "replace"),
      at: fc.nat(),
      char: fc.constantFrom(...grammarChars),
    });
    fc.assert(
      fc.property(
        filterArbitrary,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (filter, mutations) => {
          let text = stringifyFilter(filter);
          for (const { kind, at, char } of mutations) {
            const i = text.length === 0 ? 0 : at % (text.length + 1);
            text =
              kind === "insert"
                ? text.slice(0, i) + char + text.slice(i)
                : kind === "delete"
                  ? text.slice(0, i) + text.slice(i + 1)
                  : text.slice(0, i) + char + text.slice(i + 1);
          }
          onlyScimErrors(() => parseFilter(text));
          onlyScimErrors(() => parsePath(text));
        },
      ),
      { numRuns: 5_000 },
    );
  });
});

/** Leaves that compile against the core schemas, to combine into filters the evaluator accepts. */
const LEAVES = [
  'userName eq "bjensen"',
  'userName sw "B"',
  'userName gt "m"',
  'emails.value co "@example.com"',
  'emails co "example"',
  'emails[type eq "work" and value pr]',
  'emails[type eq "work"].value ew ".com"',
  "active eq true",
  'active ne "false"',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  "name.givenName pr",
  "name pr",
  "title pr",
  "title eq null",
  `${ENT}:manager.value eq "x"`,
  `${ENT}:manager[displayName co "a"]`,
  'x509Certificates.value eq "abc"',
  'groups.value eq "1"',
  'members[value eq "x" or display sw "b"]',
  'displayName le "m"',
  'id ne "1"',
  "schemas pr",
];

const { text: compilableText } = fc.letrec<{ text: string }>((tie) => ({
  text: fc.oneof(
    { depthSize: "small", maxDepth: 5 },
    fc.constantFrom(...LEAVES),
    fc
      .tuple(tie("text"), fc.constantFrom(" and ", " or "), tie("text"))
      .map(([a, op, b]) => `(${a})${op}(${b})`),
    tie("text").map((t) => `not (${t})`),
  ),
}));

const key = fc.oneof(
  fc.constantFrom(
    "userName",
    "USERNAME",
    "emails",
    "Emails",
    "name",
    "meta",
    "active",
    "title",
    ENT,
    "x509Certificates",
    "groups",
    "members",
    "displayName",
    "id",
    "schemas",
  ),
  fc.string(),
);
const subKey = fc.oneof(
  fc.constantFrom(
    "value",
    "VALUE",
    "type",
    "display",
    "primary",
    "givenName",
    "lastModified",
    "manager",
    "displayName",
  ),
  fc.string(),
);
const scalar = fc.oneof(
  fc.constantFrom(
    "bjensen",
    "BJensen",
    "work",
    "x@example.com",
    "2011-05-13T04:42:34Z",
    "2012-01-01T00:00:00+01:00",
    "",
    "true",
  ),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const record = fc.dictionary(subKey, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 4 });
const node = fc.oneof(scalar, record, fc.array(fc.oneof(record, scalar), { maxLength: 3 }));
const resource = fc.dictionary(key, fc.oneof(node, fc.dictionary(subKey, node, { maxKeys: 3 })), {
  maxKeys: 6,
});

describe("compiled predicates", () => {
  test("never throw, always return a boolean, never mutate, and not (f) is !f", () => {
    fc.assert(
      fc.property(compilableText, fc.array(resource, { minLength: 1, maxLength: 5 }), (text, resources) => {
        const predicate = compileFilter(text);
        const negated = compileFilter(`not (${text})`);
        for (const r of resources) {
          const before = structuredClone(r);
          const result = predicate(r);
          expect(typeof result).toBe("boolean");
          expect(negated(r)).toBe(!result);
          expect(r).toEqual(before);
        }
      }),
      { numRuns: 3_000 },
    );
  });

  test("the specialised paths agree with the general ones", () => {
    // Rewrites that change which compiled form runs (guarded root vs wrapper, the value-path fast path
    // vs the general one, cost-ordered and/or) but not the meaning.
    const slow = (f: Filter): Filter => {
      switch (f.op) {
        case "and":
        case "or":
          return { op: f.op, filters: f.filters.map(slow) as unknown as [Filter, Filter, ...Filter[]] };
        case "not":
          return { op: "not", filter: slow(f.filter) };
        case "valuePath":
          return {
            op: "valuePath",
            path: f.path,
            filter: { op: "not", filter: { op: "not", filter: slow(f.filter) } },
          };
        default:
          return { op: "not", filter: { op: "not", filter: f } };
      }
    };
    const outcomes: [number, number] = [0, 0];
    fc.assert(
      fc.property(compilableText, fc.array(resource, { minLength: 1, maxLength: 5 }), (text, resources) => {
        const ast = parseFilter(text);
        const fast = compileFilter(ast);
        const general = compileFilter(slow(ast));
        const doubled = compileFilter({ op: "or", filters: [ast, ast] });
        for (const r of resources) {
          const expected = general(r);
          expect(fast(r)).toBe(expected);
          expect(doubled(r)).toBe(expected);
          outcomes[expected ? 1 : 0]++;
        }
      }),
      { numRuns: 2_000 },
    );
    // Both outcomes occur often enough for the comparison to mean something.
    expect(Math.min(...outcomes)).toBeGreaterThan(500);
  });

  test("never throw on arbitrary JSON resources", () => {
    const predicates = LEAVES.map((leaf) => compileFilter(leaf));
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        for (const predicate of predicates) expect(typeof predicate(json as object)).toBe("boolean");
      }),
      { numRuns: 2_000 },
    );
  });

  test("compiling any generated filter either works or fails with a 400", () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        onlyScimErrors(() => compileFilter(filter, { unknownAttributes: "absent" })({}));
        onlyScimErrors(() => compileFilter(filter)({}));
      }),
      { numRuns: 2_000 },
    );
  });
});
