import { type AttributeDefinition, coreBundle, isScimError, SchemaRegistry } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveLimits, typeContext } from "../context.js";
import { UNASSIGNED } from "../normalize.js";
import { FALLBACK } from "./compiled-value.js";
import type { Run, Target } from "./run.js";
import { resolveTarget } from "./target.js";
import { checkedValueGeneric, compiledAt } from "./values.js";

// The compiled checks (compiled-value.ts) must give exactly the generic path's result whenever they accept,
// and must not accept what the generic path rejects: compared here over every path of the core types.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };
const registry = new SchemaRegistry(coreBundle());

function runOf(type: string, strict: boolean, limits = resolveLimits(undefined)): Run {
  return {
    context: typeContext(type, {}),
    strict,
    mode: { operation: "patch", strict, limits },
    options: {},
    source: {},
    resource: {},
    owned: undefined,
    touched: [],
    hadExtension: new Set(),
  };
}

/** A value of the attribute's type, with the spellings and edge values the generic path treats specially. */
function typed(attribute: AttributeDefinition, element = false): fc.Arbitrary<unknown> {
  if (attribute.multiValued && !element)
    return fc.oneof(
      fc.array(typed(attribute, true), { maxLength: 3 }),
      typed(attribute, true),
      fc.array(fc.oneof(typed(attribute, true), fc.constant(null)), { maxLength: 3 }),
    );
  switch (attribute.type) {
    case "string":
    case "reference":
      return fc.oneof(
        attribute.canonicalValues
          ? fc.constantFrom(...attribute.canonicalValues, "WORK", "bogus")
          : fc.string(),
        fc.constantFrom("", " ", "x".repeat(12)),
      );
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("True", "false"));
    case "integer":
      return fc.oneof(fc.integer(), fc.constantFrom("42", 1.5, Number.MAX_SAFE_INTEGER + 2));
    case "decimal":
      return fc.oneof(fc.double(), fc.constantFrom("4.2"));
    case "dateTime":
      return fc.constantFrom("2011-05-13T04:42:34Z", "yesterday");
    case "binary":
      return fc.constantFrom("MIIDQzCC", "AAA");
    case "complex": {
      const subs = attribute.subAttributes ?? [];
      const record = fc.record(
        Object.fromEntries(
          subs.map((sub) => [sub.name, fc.oneof({ weight: 4, arbitrary: typed(sub) }, fc.constant(null))]),
        ),
        { requiredKeys: [] },
      );
      return fc.oneof(
        { weight: 4, arbitrary: record },
        // Any-case keys, unknown keys and forbidden keys.
        record.map((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toUpperCase(), x]))),
        record.map((v) => ({ ...v, unknownKey: "x" })),
        record.map((v) => JSON.parse(JSON.stringify({ ...v, __proto__: "x" }).replace('"x"', '"y"'))),
        fc.string(),
        fc.array(record, { maxLength: 1 }),
      );
    }
  }
}
const anything = fc.anything({
  maxDepth: 2,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
});

interface Case {
  readonly type: string;
  readonly path: string;
  readonly target: Target;
  readonly element: boolean;
}
const cases: Case[] = [];
for (const type of ["User", "Group"]) {
  const run = runOf(type, false);
  for (const path of registry.paths(type)) {
    let resolved: ReturnType<typeof resolveTarget>;
    try {
      resolved = resolveTarget(run, path);
    } catch {
      continue;
    }
    // readOnly targets and schemas are rejected before any value check (operations.ts set, remove.ts).
    if (
      "extensionOnly" in resolved ||
      resolved.attribute.name === "schemas" ||
      resolved.attribute.mutability === "readOnly" ||
      resolved.sub?.mutability === "readOnly"
    )
      continue;
    cases.push({ type, path, target: resolved, element: false });
    if (resolved.attribute.multiValued && !resolved.sub)
      cases.push({ type, path, target: resolved, element: true });
  }
}

/** The generic path's outcome: a result (JSON with key order, or the UNASSIGNED marker), or that it threw. */
function generic(run: Run, c: Case, value: unknown): { result?: unknown; threw: boolean } {
  try {
    const result = checkedValueGeneric(run, c.target, value, c.element);
    return { result, threw: false };
  } catch (error) {
    expect(isScimError(error), String(error)).toBe(true);
    return { threw: true };
  }
}

describe("compiled PATCH value checks", () => {
  it("cover every attribute path of the core types", () => {
    expect(cases.length).toBeGreaterThan(80);
  });

  it.each(cases)(
    "$type $path (element: $element): the same result as the generic path, or the generic path",
    (c) => {
      const definition = c.target.sub ?? c.target.attribute;
      let accepted = 0;
      let total = 0;
      fc.assert(
        fc.property(
          fc.oneof({ weight: 4, arbitrary: typed(definition, c.element) }, anything, fc.constant(null)),
          fc.boolean(),
          fc.boolean(),
          (value, strict, tight) => {
            const run = runOf(
              c.type,
              strict,
              tight ? resolveLimits({ maxStringLength: 10, maxValues: 2 }) : resolveLimits(undefined),
            );
            const fast = compiledAt(run, c.target, c.element)(value, run.mode);
            const slow = generic(run, c, value);
            total++;
            if (fast === FALLBACK) return;
            accepted++;
            expect(slow.threw).toBe(false);
            if (fast === UNASSIGNED) expect(slow.result).toBe(UNASSIGNED);
            else expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.result));
            expect(fast).toEqual(slow.result);
          },
        ),
        RUNS,
      );
      // Paths of plain strings, booleans and complex values of them must take the fast path often.
      const simple =
        definition.type === "string" || definition.type === "boolean" || definition.type === "complex";
      const formatted = (c.target.attribute.subAttributes ?? []).some(
        (s) => s.type === "binary" || s.type === "dateTime",
      );
      if (simple && !formatted && definition.mutability !== "readOnly")
        expect(accepted).toBeGreaterThan(total / 10);
    },
  );

  it("accepts the values of the benchmark's PATCH without the generic path", () => {
    const run = runOf("User", false);
    const given = resolveTarget(run, "name.givenName") as Target;
    const emails = resolveTarget(run, "emails") as Target;
    expect(compiledAt(run, given, false)("Barb", run.mode)).toBe("Barb");
    expect(
      compiledAt(run, emails, false)([{ type: "other", value: "barbara@jensen.example" }], run.mode),
    ).toEqual([{ value: "barbara@jensen.example", type: "other" }]);
  });
});
