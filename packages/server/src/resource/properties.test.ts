import { type AttributeDefinition, coreBundle, isScimError, SchemaRegistry } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepFreeze, ENTERPRISE, type Json, patchOf, rfcExample } from "../__fixtures__/index.js";
import { applyPatch } from "./patch/apply-patch.js";
import { projectResource } from "./projection.js";
import { validateResource } from "./validate.js";

// FC_RUNS raises the run count for a longer local search.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 1_000) };
const registry = new SchemaRegistry(coreBundle());
const userPaths = registry.paths("User");
const groupPaths = registry.paths("Group");

const user = rfcExample("enterprise-user");
const group = rfcExample("group");

/** Filters over sub-attributes a multi-valued complex attribute has. */
const filtered = fc.constantFrom(
  'emails[type eq "work"]',
  'emails[type eq "other"]',
  'emails[type eq "work"].value',
  'emails[value ew "example.com" and type eq "work"].primary',
  "emails[primary eq true].display",
  'addresses[type eq "work"]',
  'addresses[type eq "home"].streetAddress',
  'addresses[type eq "other"].country',
  'phoneNumbers[value sw "555"]',
  'ims[type eq "aim"].value',
  "photos[type pr]",
  'x509Certificates[value co "MII"]',
  'groups[display eq "Employees"]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
  'members[value eq "902c246b-6245-4190-8e05-00816be7344a"].display',
  'members[value eq "nobody"].value',
  ENTERPRISE,
  `${ENTERPRISE}:manager.value`,
  "EMAILS.VALUE",
  "Name.GivenName",
);
const junkPath = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("__proto__", "constructor.prototype", "emails[", "emails[type eq]", "a.b.c", "", " "),
);

const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("work", "home", "True", "False", "true", "42", "2011-05-13T04:42:34Z", "MIIDQzCC", "en-US"),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);
const subNames = fc.constantFrom(
  "value",
  "type",
  "primary",
  "display",
  "givenName",
  "familyName",
  "streetAddress",
  "country",
  "$ref",
  "displayName",
  "employeeNumber",
  "manager",
  "__proto__",
  "Value",
);
const complex = fc.dictionary(subNames, scalar, { maxKeys: 4 });
const exotic = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
});
const attributeValue = fc.oneof(
  exotic,
  scalar,
  complex,
  fc.array(complex, { maxLength: 3 }),
  fc.array(scalar, { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A value of the attribute's type (RFC 7643 §2.3), so generated operations often succeed. */
function typed(attribute: AttributeDefinition, element = false): fc.Arbitrary<unknown> {
  if (attribute.multiValued && !element)
    return fc.array(typed(attribute, true), { minLength: 1, maxLength: 3 });
  switch (attribute.type) {
    case "string":
      return attribute.canonicalValues
        ? fc.constantFrom(...attribute.canonicalValues)
        : fc.string({ maxLength: 8 });
    case "boolean":
      return fc.oneof(fc.boolean(), fc.constantFrom("True", "False"));
    case "integer":
      return fc.integer();
    case "decimal":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "dateTime":
      return fc.constantFrom("2011-05-13T04:42:34Z", "2024-02-29T23:59:59.123+01:00");
    case "binary":
      return fc.constantFrom("MIIDQzCC", "AAAA");
    case "reference":
      return fc.constantFrom("https://example.com/v2/Users/1", "../Groups/2");
    case "complex": {
      const subs = attribute.subAttributes ?? [];
      return fc
        .record(Object.fromEntries(subs.map((sub) => [sub.name, typed(sub)])), { requiredKeys: [] })
        .map((v) => {
          const { primary: _primary, ...rest } = v as Record<string, unknown>;
          return rest;
        });
    }
  }
}
const writable = (type: string, path: string) => {
  const resolved = registry.resolve(type, path);
  return (
    resolved !== undefined &&
    resolved.attribute.mutability === "readWrite" &&
    resolved.parent?.mutability !== "readOnly" &&
    resolved.attribute.name !== "schemas"
  );
};
const typedFor = (type: string, path: string) => {
  const resolved = registry.resolve(type, path);
  return resolved ? typed(resolved.attribute) : attributeValue;
};

const pathlessValue = (paths: readonly string[]) =>
  fc.dictionary(
    fc.oneof(fc.constantFrom(...paths), fc.constantFrom(ENTERPRISE, "id", "schemas")),
    attributeValue,
    {
      maxKeys: 3,
    },
  );

const randomOperation = (paths: readonly string[]) =>
  fc.record(
    {
      op: fc.constantFrom("add", "remove", "replace", "Add", "Replace", "Remove", "move", 7),
      path: fc.oneof(fc.constantFrom(...paths), filtered, junkPath),
      value: fc.oneof(attributeValue, pathlessValue(paths)),
    },
    { requiredKeys: ["op"] },
  );
/** A well-formed operation on a registry path with a value of the path's type. */
const typedOperation = (type: string, paths: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom("add", "replace", "remove", "Replace"),
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...paths.filter((p) => writable(type, p))) },
        { weight: 1, arbitrary: fc.constantFrom(...paths) },
      ),
    )
    .chain(
      ([op, path]): fc.Arbitrary<Record<string, unknown>> =>
        op === "remove"
          ? fc.constant({ op, path })
          : typedFor(type, path).map((value) => ({ op, path, value })),
    );
const operation = (type: string, paths: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: typedOperation(type, paths) },
    { weight: 1, arbitrary: randomOperation(paths) },
  );
const request = (type: string, paths: readonly string[]) =>
  fc.oneof(
    {
      weight: 10,
      arbitrary: fc.array(operation(type, paths), { minLength: 1, maxLength: 3 }).map((o) => patchOf(...o)),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );

const cases = [
  ["User", user, userPaths, request("User", userPaths)],
  ["Group", group, groupPaths, request("Group", groupPaths)],
] as const;

function isScimErrorOf(error: unknown): boolean {
  return isScimError(error) && error.status === 400;
}

describe.each(cases)("applyPatch on a %s", (type, resource, paths, requests) => {
  const frozen = deepFreeze(structuredClone(resource));

  it("never mutates its input (deep-frozen, and equal to a clone before)", () => {
    fc.assert(
      fc.property(requests, fc.boolean(), (body, strict) => {
        const before = structuredClone(frozen);
        try {
          applyPatch(frozen, body, { resourceType: type, strict });
        } catch (error) {
          if (!isScimError(error)) throw error;
        }
        expect(frozen).toEqual(before);
      }),
      RUNS,
    );
  });

  it("returns a resource that validates, or throws a 400 ScimError", () => {
    let applied = 0;
    fc.assert(
      fc.property(requests, fc.boolean(), (body, strict) => {
        let result: Json;
        try {
          result = applyPatch(frozen, body, { resourceType: type, strict });
        } catch (error) {
          expect(isScimErrorOf(error), String(error)).toBe(true);
          return;
        }
        applied++;
        // A strict PATCH of a strictly valid resource stays strictly valid.
        expect(() => validateResource(type, result, { operation: "replace", strict })).not.toThrow();
      }),
      RUNS,
    );
    // The generators must reach the engine's success paths, not only its errors.
    expect(applied).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it("is atomic: an invalid last operation throws and changes nothing; valid operations compose one by one", () => {
    fc.assert(
      fc.property(fc.array(operation(type, paths), { minLength: 1, maxLength: 3 }), (operations) => {
        let whole: Json | undefined;
        try {
          whole = applyPatch(frozen, patchOf(...operations), { resourceType: type });
        } catch (error) {
          expect(isScimErrorOf(error)).toBe(true);
        }
        if (whole !== undefined) {
          let stepwise: Json = frozen;
          for (const o of operations) stepwise = applyPatch(stepwise, patchOf(o), { resourceType: type });
          expect(stepwise).toEqual(whole);
        }
        const before = structuredClone(frozen);
        const failing = { op: "remove", path: "id" };
        expect(() => applyPatch(frozen, patchOf(...operations, failing), { resourceType: type })).toThrow(
          expect.objectContaining({ status: 400 }),
        );
        expect(frozen).toEqual(before);
      }),
      RUNS,
    );
  });
});

describe("validateResource on arbitrary JSON", () => {
  it.each(["User", "Group"])("%s: returns or throws a ScimError, never anything else", (type) => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.anything({
            withBigInt: true,
            withBoxedValues: true,
            withDate: true,
            withMap: true,
            withNullPrototype: true,
            withObjectString: true,
            withSet: true,
            withSparseArray: true,
            withTypedArray: true,
          }),
          fc.dictionary(fc.constantFrom(...registry.paths(type)), fc.jsonValue({ maxDepth: 3 })),
        ),
        fc.constantFrom("create", "replace"),
        fc.boolean(),
        (body, operation, strict) => {
          try {
            validateResource(type, body, { operation, strict });
          } catch (error) {
            expect(isScimErrorOf(error), String(error)).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });
});

describe("projectResource", () => {
  const names = fc.array(
    fc.oneof(
      fc.constantFrom(...userPaths),
      fc.constantFrom("password", "PASSWORD", "id", "schemas", ENTERPRISE),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 5 },
  );
  it("never includes password and always includes id and schemas", () => {
    fc.assert(
      fc.property(names, names, fc.boolean(), (attributes, excludedAttributes, both) => {
        const projected: Json = projectResource(user, {
          ...(attributes.length > 0 && { attributes }),
          ...((both || attributes.length === 0) && { excludedAttributes }),
        });
        expect(projected).not.toHaveProperty("password");
        expect(projected.id).toBe(user.id);
        expect(projected.schemas).toEqual(user.schemas);
      }),
      RUNS,
    );
  });
});
