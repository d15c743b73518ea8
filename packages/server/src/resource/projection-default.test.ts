import type { AttributeDefinition } from "@scimkit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundleWith } from "../__fixtures__/bundle-with.js";
import { ENTERPRISE, rfcExample, USER } from "../__fixtures__/index.js";
import { validators } from "../generated/index.js";
import { type SchemaOptions, typeContext } from "./context.js";
import { projectGeneral, projectResource } from "./projection.js";
import { FALLBACK, projectDefault } from "./projection-default.js";

const custom: SchemaOptions = {
  bundle: bundleWith({
    nickName: { returned: "request" },
    title: { returned: "never" },
    "name.middleName": { returned: "request" },
    "emails.type": { returned: "always" },
    "emails.display": { mutability: "writeOnly" },
    costCenter: { returned: "request" },
    "manager.displayName": { returned: "never" },
  }),
  validators,
};

/** Every name the schemas know for a type, with its sub-attribute names: what random resources are made of. */
function namesOf(resourceType: string, options: SchemaOptions) {
  const context = typeContext(resourceType, options);
  const complex = (attributes: Iterable<AttributeDefinition>) =>
    [...attributes].map((a) => ({ name: a.name, subs: (a.subAttributes ?? []).map((s) => s.name) }));
  return {
    core: complex(context.attributes.values()),
    extensions: [...context.extensions.values()].map((e) => ({
      id: e.schema.id,
      attributes: complex(e.attributes.values()),
    })),
  };
}

/** A name as the schema spells it, mostly; sometimes in another case (which the general path resolves). */
const spelled = (name: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(name) },
    { weight: 1, arbitrary: fc.constantFrom(name.toLowerCase(), name.toUpperCase()) },
  );

const scalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

function complexValue(subs: readonly string[]) {
  const entries = fc.array(
    fc.tuple(subs.length > 0 ? fc.constantFrom(...subs).chain(spelled) : fc.string({ maxLength: 4 }), scalar),
    { maxLength: 5 },
  );
  const object = fc.oneof(
    { weight: 6, arbitrary: entries.map((e) => Object.fromEntries(e)) },
    { weight: 1, arbitrary: entries.map((e) => Object.assign(Object.create(null), Object.fromEntries(e))) },
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.oneof({ weight: 5, arbitrary: object }, scalar), { maxLength: 4 }) },
    { weight: 3, arbitrary: object },
    { weight: 1, arbitrary: scalar },
  );
}

function objectOf(attributes: readonly { name: string; subs: readonly string[] }[]) {
  const entry = fc
    .constantFrom(...attributes)
    .chain((a) => fc.tuple(spelled(a.name), a.subs.length > 0 ? complexValue(a.subs) : scalar));
  const unknown = fc.tuple(fc.constantFrom("unknown", "__proto__x", "toString", "x"), scalar);
  return fc
    .array(fc.oneof({ weight: 8, arbitrary: entry }, { weight: 1, arbitrary: unknown }), { maxLength: 12 })
    .map((e) => Object.fromEntries(e));
}

function resourceOf(resourceType: string, options: SchemaOptions) {
  const names = namesOf(resourceType, options);
  const extensions = names.extensions.map((e) =>
    fc.tuple(spelled(e.id), fc.oneof({ weight: 5, arbitrary: objectOf(e.attributes) }, scalar)),
  );
  return fc
    .tuple(
      objectOf(names.core),
      extensions.length > 0 ? fc.array(fc.oneof(...extensions), { maxLength: 2 }) : fc.constant([]),
    )
    .map(([core, ext]) => ({ ...core, ...Object.fromEntries(ext) }));
}

/** Same JSON (key order included) and the same object (undefined-valued keys included). */
function expectSame(fast: unknown, general: unknown): void {
  expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
  expect(fast).toStrictEqual(general);
}

describe("projectDefault: the default projection's plan gives the general path's answer", () => {
  const setups: [string, string, SchemaOptions][] = [
    ["core User", "User", {}],
    ["core Group", "Group", {}],
    ["User with request/never/always/writeOnly changed at each level", "User", custom],
  ];
  it.each(setups)("%s: random resources, same output as the general path", (_, resourceType, options) => {
    const context = typeContext(resourceType, options);
    let planned = 0;
    fc.assert(
      fc.property(resourceOf(resourceType, options), (resource) => {
        const general = projectGeneral(resource, { resourceType, ...options }, context, [], []);
        const fast = projectDefault(resource, context);
        if (fast !== FALLBACK) {
          planned++;
          expectSame(fast, general);
        }
        // projectResource answers the general path's output whichever path it took.
        expectSame(projectResource(resource, { resourceType, ...options }), general);
      }),
      { numRuns: 400 },
    );
    // Most random resources spell names as the schema does: the plan must have answered them.
    expect(planned).toBeGreaterThan(100);
  });

  it.each(setups)(
    "%s: with what rendering adds (id, meta, groups, members), the answer of { ...data, ...added }",
    (_, resourceType, options) => {
      const context = typeContext(resourceType, options);
      const names = namesOf(resourceType, options).core;
      const rendered = names.filter((a) => ["id", "meta", "groups", "members"].includes(a.name));
      let planned = 0;
      fc.assert(
        fc.property(resourceOf(resourceType, options), objectOf(rendered), (data, added) => {
          const general = projectGeneral(
            { ...data, ...added },
            { resourceType, ...options },
            context,
            [],
            [],
          );
          const fast = projectDefault(data, context, added);
          if (fast === FALLBACK) return;
          planned++;
          expectSame(fast, general);
        }),
        { numRuns: 300 },
      );
      expect(planned).toBeGreaterThan(50);
    },
  );

  it("the RFC 7643 §8.3 enterprise user: planned, password (returned never) dropped, key order of the schema", () => {
    const user = rfcExample("enterprise-user");
    const context = typeContext("User", {});
    const fast = projectDefault(user, context);
    expect(fast).not.toBe(FALLBACK);
    expect(fast).not.toHaveProperty("password");
    expectSame(fast, projectGeneral(user, { resourceType: "User" }, context, [], []));
  });

  it("a key in another case than the schema's takes the general path, which resolves it", () => {
    const context = typeContext("User", {});
    const resource = { schemas: [USER], USERNAME: "bjensen", emails: [{ VALUE: "b@example.com" }] };
    expect(projectDefault(resource, context)).toBe(FALLBACK);
    expect(projectResource(resource, { resourceType: "User" })).toEqual({
      schemas: [USER],
      userName: "bjensen",
      emails: [{ value: "b@example.com" }],
    });
    const nested = { schemas: [USER], userName: "b", emails: [{ Value: "b@example.com" }] };
    expect(projectDefault(nested, context)).toBe(FALLBACK);
  });

  it("request-returned attributes are left out; an extension with nothing kept is left out", () => {
    const context = typeContext("User", custom);
    const resource = {
      schemas: [USER, ENTERPRISE],
      userName: "b",
      nickName: "Babs",
      title: "Tour Guide",
      name: { givenName: "B", middleName: "J" },
      emails: [{ value: "b@example.com", display: "secret", type: "work" }],
      [ENTERPRISE]: { costCenter: "4130" },
    };
    expect(projectDefault(resource, context)).toStrictEqual({
      schemas: [USER, ENTERPRISE],
      userName: "b",
      name: { givenName: "B" },
      emails: [{ value: "b@example.com", type: "work" }],
    });
  });
});
