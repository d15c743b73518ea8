import { type AttributeDefinition, coreBundle, SchemaRegistry, type ScimBundle } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundle as acmeBundle, validators as acmeValidators } from "../__fixtures__/acme/index.js";
import { compiledFastPaths as acmeFastPaths } from "../__fixtures__/acme/validators.gen.js";
import { rfcExample } from "../__fixtures__/index.js";
import { compiledFastPaths as coreFastPaths } from "../generated/validators.gen.js";
import { validators as coreValidators } from "../generated/zod.gen.js";
import { type ResourceValidators, typeContext } from "./context.js";
import { compiledMode, validateResource } from "./validate.js";

// The one-pass fast path of the generated validators (validators.gen.ts `fast<Type>Input`) may bail
// (undefined) whenever it likes; when it does not, its result must be the generic path's, key order
// included. These bodies are the kind it is made for: valid values in schema spelling, so it is taken.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };

type FastPath = (body: Record<string, unknown>, mode: never) => Record<string, unknown> | undefined;

function withoutCompiled(
  record: Readonly<Record<string, ResourceValidators>>,
): Record<string, ResourceValidators> {
  return Object.fromEntries(
    Object.entries(record).map(([name, v]) => [
      name,
      { resource: v.resource, input: v.input, patch: v.patch },
    ]),
  );
}

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .@-]{0,10}$/);

function validSingle(attribute: AttributeDefinition): fc.Arbitrary<unknown> {
  switch (attribute.type) {
    case "complex": {
      const subs = (attribute.subAttributes ?? []).filter((s) => s.mutability !== "readOnly");
      const entries = Object.fromEntries(subs.map((s) => [s.name, valid(s)]));
      const required = subs.filter((s) => s.required).map((s) => s.name);
      return fc.record(entries, { requiredKeys: required, noNullPrototype: true });
    }
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer();
    case "decimal":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "dateTime":
      return fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "binary":
      return fc.base64String({ maxLength: 16 });
    default:
      return attribute.canonicalValues ? fc.constantFrom(...attribute.canonicalValues) : word;
  }
}

function valid(attribute: AttributeDefinition): fc.Arbitrary<unknown> {
  const one = validSingle(attribute);
  if (!attribute.multiValued) return one;
  // At most one primary (RFC 7643 §2.4): the first value may be, the others are not.
  return fc
    .array(one, { minLength: 1, maxLength: 3 })
    .map((values) =>
      values.map((v, i) =>
        i > 0 && typeof v === "object" && v !== null && "primary" in v ? { ...v, primary: false } : v,
      ),
    );
}

function cleanBodies(bundle: ScimBundle, typeName: string): fc.Arbitrary<Record<string, unknown>> {
  const { base, extensions } = new SchemaRegistry(bundle).schemasOf(typeName);
  const writable = base.attributes.filter((a) => a.mutability !== "readOnly");
  const record = fc.record(Object.fromEntries(writable.map((a) => [a.name, valid(a)])), {
    requiredKeys: writable.filter((a) => a.required).map((a) => a.name),
    noNullPrototype: true,
  });
  const ext = extensions[0];
  const extension = ext
    ? fc.option(
        fc.record(
          Object.fromEntries(
            ext.schema.attributes.filter((a) => a.mutability !== "readOnly").map((a) => [a.name, valid(a)]),
          ),
          { noNullPrototype: true },
        ),
        { nil: undefined },
      )
    : fc.constant(undefined);
  const extras = fc.record(
    { id: fc.constant("ignored"), nickName: fc.constant(null), somethingElse: word },
    { requiredKeys: [], noNullPrototype: true },
  );
  return fc.tuple(record, extension, extras).map(([attributes, extValues, more]) => ({
    schemas: [base.id, ...(extValues && ext ? [ext.schema.id] : [])],
    ...attributes,
    ...(extValues && ext ? { [ext.schema.id]: extValues } : {}),
    ...(more as object),
  }));
}

describe.each([
  [
    "the RFC 7643 core",
    coreBundle(),
    coreValidators,
    coreFastPaths as Record<string, FastPath>,
    ["User", "Group"],
  ],
  [
    "the acme example bundle",
    acmeBundle as ScimBundle,
    acmeValidators,
    acmeFastPaths as Record<string, FastPath>,
    ["User", "Device"],
  ],
] as const)("the fast paths of %s", (_, bundle, validators, fastPaths, types) => {
  const record = validators as Readonly<Record<string, ResourceValidators>>;
  const generic = withoutCompiled(record);

  it.each(types)("%s: taken for clean bodies, and then the generic path's resource", (type) => {
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(cleanBodies(bundle, type), fc.boolean(), (body, strict) => {
        runs++;
        const context = typeContext(type, { bundle, validators: record });
        const fast = fastPaths[type]?.(body, compiledMode(context, strict, undefined) as never);
        if (fast !== undefined) {
          taken++;
          const slow = validateResource(type as string, body, {
            operation: "create",
            strict,
            bundle,
            validators: generic,
          });
          expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
        }
      }),
      RUNS,
    );
    // Strict bodies with `somethingElse` bail, as do lenient ones needing nothing: most runs are clean.
    expect(taken).toBeGreaterThan(runs / 4);
  });
});

describe("the fast path on the RFC 7643 §8.3 enterprise user", () => {
  const context = typeContext("User", undefined);
  const full = rfcExample("enterprise-user") as Record<string, unknown>;

  it("is taken, in both modes, dropping the readOnly attributes as the generic path does", () => {
    for (const strict of [false, true]) {
      const fast = coreFastPaths.User(full, compiledMode(context, strict, undefined));
      const slow = validateResource("User", full, {
        operation: "create",
        strict,
        validators: withoutCompiled(coreValidators as Readonly<Record<string, ResourceValidators>>),
      });
      expect(fast).toBeDefined();
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    }
  });

  it.each([
    ["another spelling of a name", { USERNAME: "bjensen" }],
    ["a string boolean", { active: "True" }],
    ["a single value for a multi-valued attribute", { emails: { value: "a@example.com" } }],
    ["a null element", { emails: [null] }],
    [
      "two primary values",
      {
        emails: [
          { value: "a", primary: true },
          { value: "b", primary: true },
        ],
      },
    ],
    ["a blank userName", { userName: "  " }],
    ["a value that is not base64", { x509Certificates: [{ value: "not base64!" }] }],
  ])("bails on %s, and the full path answers", (_, change) => {
    const body = { ...full, ...change };
    expect(coreFastPaths.User(body, compiledMode(context, false, undefined))).toBeUndefined();
  });
});

describe("the base64 check of binary values (RFC 7643 §2.3.6, RFC 4648 §4)", () => {
  const generic = withoutCompiled(coreValidators as Readonly<Record<string, ResourceValidators>>);
  const base = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "bjensen" };
  const chars = fc.constantFrom(..."ABYZabyz0189+/=-_ $é\u00ff\u0100\ud800".split(""), "😀");
  const near = fc.oneof(
    fc.base64String({ maxLength: 40 }),
    fc.string({ unit: chars, maxLength: 24 }),
    fc.tuple(fc.base64String({ minLength: 4, maxLength: 40 }), fc.nat(39), chars).map(([text, at, c]) => {
      const i = at % text.length;
      return text.slice(0, i) + c + text.slice(i + 1);
    }),
  );
  // Past 21,000 characters the check goes back to the regular expression.
  const long = fc
    .tuple(fc.constantFrom(20_996, 21_000, 21_004), near)
    .map(([n, tail]) => "QUJD".repeat(n / 4) + tail);

  it("answers as the generic path's zod check, short and long values, ASCII or not", () => {
    fc.assert(
      fc.property(fc.oneof(near, long), (value) => {
        const body = { ...base, x509Certificates: [{ value }] };
        const run = (validators?: Record<string, ResourceValidators>) => {
          try {
            return JSON.stringify(
              validateResource("User", body, {
                operation: "create",
                ...(validators && { validators }),
              }),
            );
          } catch (error) {
            return String((error as Error).message);
          }
        };
        expect(run()).toBe(run(generic));
      }),
      RUNS,
    );
  });
});
