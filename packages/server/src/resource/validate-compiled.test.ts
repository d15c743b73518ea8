import {
  type AttributeDefinition,
  coreBundle,
  isScimError,
  SchemaRegistry,
  type ScimBundle,
} from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundle as acmeBundle, validators as acmeValidators } from "../__fixtures__/acme/index.js";
import { rfcExample } from "../__fixtures__/index.js";
import { validators as coreValidators } from "../generated/zod.gen.js";
import type { ResourceValidators } from "./context.js";
import { validateResource } from "./validate.js";

// The generated straight-line validators (validators.gen.ts) must behave exactly as the generic path
// (normalize, zod parse, checks): the same resource, key order included, or the same error.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 400) };

/** The same zod schemas without the generated validators: validateResource takes the generic path. */
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

type Outcome = { ok: string } | { status: number; scimType: string | undefined; detail: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { ok: JSON.stringify(run()) };
  } catch (error) {
    if (!isScimError(error)) throw error;
    return { status: error.status, scimType: error.scimType, detail: error.detail ?? error.message };
  }
}

const cased = (name: string) =>
  fc.constantFrom(name, name.toUpperCase(), name.toLowerCase(), name[0]?.toUpperCase() + name.slice(1));

const junk = fc.oneof(fc.constant(null), fc.constant([]), fc.constant({}), fc.jsonValue({ maxDepth: 2 }));

const dateTimes = fc.oneof(
  fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    "2020-02-29T10:00:00",
    "2021-02-29T10:00:00Z",
    "2000-02-29T00:00:00+01:00",
    "1900-02-29T00:00:00Z",
    "2020-04-31T00:00:00Z",
    "2020-13-01T00:00:00Z",
    "2020-01-01T10:00Z",
    "2020-01-01T10:00",
    "2020-01-01T24:00:00Z",
    "2020-01-01T10:00:00.123456-08:00",
    "2020-01-01",
  ),
);

function singleValue(attribute: AttributeDefinition, depth: number): fc.Arbitrary<unknown> {
  switch (attribute.type) {
    case "complex": {
      const subs = attribute.subAttributes ?? [];
      const object =
        depth > 2
          ? fc.constant({})
          : fc
              .array(
                fc.oneof(
                  ...subs.map((sub) => fc.tuple(cased(sub.name), attributeValue(sub, depth + 1))),
                  fc.tuple(fc.constantFrom("unknownSub", "__proto__", "constructor"), junk),
                ),
                { maxLength: 5 },
              )
              .map((entries) => Object.fromEntries(entries));
      return fc.oneof(
        object,
        object.map((o) => [o]),
        fc.string({ maxLength: 4 }),
        junk,
      );
    }
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("True", "false", "yes", "1"), junk);
    case "integer":
    case "decimal":
      return fc.oneof(
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom("12", "-1.5e3", "1x", 2 ** 60, -(2 ** 60)),
        junk,
      );
    case "dateTime":
      return fc.oneof(dateTimes, junk);
    case "binary":
      return fc.oneof(
        fc.base64String({ maxLength: 12 }),
        fc.constantFrom("abc=", "ab=c", "a", "abcdef"),
        junk,
      );
    default:
      return fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom("", "   ", "work", "WORK", "home", "True", "12"),
        attribute.canonicalValues ? fc.constantFrom(...attribute.canonicalValues) : fc.constant("x"),
        junk,
      );
  }
}

function attributeValue(attribute: AttributeDefinition, depth = 0): fc.Arbitrary<unknown> {
  const one = singleValue(attribute, depth);
  if (!attribute.multiValued) return one;
  return fc.oneof(fc.array(one, { maxLength: 4 }), one);
}

function bodies(bundle: ScimBundle, typeName: string): fc.Arbitrary<Record<string, unknown>> {
  const registry = new SchemaRegistry(bundle);
  const { base, extensions } = registry.schemasOf(typeName);
  const urns = [base.id, ...extensions.map((e) => e.schema.id)];
  const entry = fc.oneof(
    fc.tuple(
      cased("schemas"),
      fc.oneof(
        fc.subarray(urns).chain((list) => fc.shuffledSubarray([...list, "urn:x:other"])),
        junk,
      ),
    ),
    ...base.attributes.map((a) => fc.tuple(cased(a.name), attributeValue(a))),
    fc.tuple(cased("id"), junk),
    fc.tuple(cased("externalId"), fc.oneof(fc.string({ maxLength: 4 }), junk)),
    ...extensions.map((e) =>
      fc.tuple(
        cased(e.schema.id),
        fc.oneof(
          fc
            .array(
              fc.oneof(
                ...e.schema.attributes.map((a) => fc.tuple(cased(a.name), attributeValue(a))),
                fc.tuple(fc.constant("nope"), junk),
              ),
              { maxLength: 4 },
            )
            .map((entries) => Object.fromEntries(entries)),
          junk,
        ),
      ),
    ),
    fc.tuple(fc.constantFrom("unknownAttribute", "__proto__", "constructor"), junk),
  );
  // Most bodies name the required attributes and the schemas first, so many reach the type checks and pass.
  const required = base.attributes.filter((a) => a.required && a.type === "string" && !a.multiValued);
  const head = fc.option(
    fc.tuple(
      fc.constant(["schemas", urns] as [string, unknown]),
      ...required.map((a) => fc.tuple(cased(a.name), fc.string({ minLength: 1, maxLength: 6 }))),
    ),
    { freq: 4, nil: [] },
  );
  return fc
    .tuple(head, fc.array(entry, { maxLength: 12 }))
    .map(([first, rest]) => Object.fromEntries([...(first as [string, unknown][]), ...rest]));
}

const options = fc.record({
  operation: fc.constantFrom("create" as const, "replace" as const),
  strict: fc.boolean(),
  limits: fc.option(
    fc.record({ maxStringLength: fc.integer({ min: 1, max: 8 }), maxValues: fc.integer({ min: 1, max: 3 }) }),
    {
      nil: undefined,
    },
  ),
});

describe.each([
  [
    "the RFC 7643 core",
    coreBundle(),
    coreValidators as Readonly<Record<string, ResourceValidators>>,
    ["User", "Group"],
  ],
  [
    "the acme example bundle",
    acmeBundle as ScimBundle,
    acmeValidators as Readonly<Record<string, ResourceValidators>>,
    ["User", "Device"],
  ],
] as const)("generated validators of %s", (_, bundle, validators, types) => {
  const generic = withoutCompiled(validators);

  it("are linked from the zod validators record", () => {
    for (const type of types) expect(validators[type]?.compiled?.input).toBeTypeOf("function");
  });

  it.each(types)("%s: same resource or same error as the generic path, on arbitrary bodies", (type) => {
    fc.assert(
      fc.property(bodies(bundle, type), options, (body, opts) => {
        const base = {
          operation: opts.operation,
          strict: opts.strict,
          bundle,
          ...(opts.limits !== undefined && { limits: opts.limits }),
        };
        const name: string = type;
        const fast = outcome(() => validateResource(name, body, { ...base, validators }));
        const slow = outcome(() => validateResource(name, body, { ...base, validators: generic }));
        expect(fast).toEqual(slow);
      }),
      RUNS,
    );
  });
});

it("the RFC 7643 §8.3 enterprise user gives the same resource, key order included, both ways", () => {
  const body = rfcExample("enterprise-user");
  const generic = withoutCompiled(coreValidators as Readonly<Record<string, ResourceValidators>>);
  for (const strict of [false, true]) {
    const fast = validateResource("User", body, { operation: "create", strict });
    const slow = validateResource("User", body, { operation: "create", strict, validators: generic });
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    expect(fast.userName).toBe("bjensen@example.com");
  }
});
