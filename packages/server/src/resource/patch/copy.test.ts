import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deepFreeze, ENTERPRISE, type Json, patchOf, rfcExample, thrown } from "../../__fixtures__/index.js";
import { applyPatch } from "./apply-patch.js";

// A frozen resource's top level is copied through a template of its key list (copy.ts); an unfrozen one
// is spread. Whatever the path, the result must be the same: same keys in the same order, same values,
// a plain writable object, and nothing of one resource may show up in the copy of another.
const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 200) };

const REQUEST = patchOf(
  { op: "replace", path: "name.givenName", value: "Barb" },
  { op: "add", path: "emails", value: [{ value: "barbara@jensen.example", type: "other" }] },
  { op: "remove", path: 'emails[type eq "home"]' },
);

/** The result's own keys and values, in order: key order is part of what must not change. */
const ordered = (value: unknown) => JSON.stringify(value);

function both(resource: Json, request: unknown = REQUEST) {
  const plain = applyPatch(structuredClone(resource), request);
  const frozen = applyPatch(deepFreeze(structuredClone(resource)), request);
  return { plain, frozen };
}

describe("the top-level copy of a frozen resource", () => {
  it("gives the result an unfrozen copy gives, key order included, and leaves the input alone", () => {
    const user = rfcExample("enterprise-user");
    const input = deepFreeze(structuredClone(user));
    const { plain, frozen } = both(user);
    expect(ordered(frozen)).toBe(ordered(plain));
    expect(frozen.name.givenName).toBe("Barb");
    expect(Object.keys(frozen)).toEqual(Object.keys(input));
    expect(ordered(input)).toBe(ordered(user));
    // A plain object of its own: writable, extensible, Object.prototype.
    expect(Object.isFrozen(frozen)).toBe(false);
    expect(Object.getPrototypeOf(frozen)).toBe(Object.prototype);
    frozen.displayName = "changed";
    frozen.added = 1;
    expect(frozen.displayName).toBe("changed");
    expect(input.displayName).toBe("Babs Jensen");
  });

  it("keeps no value of one resource in the copy of another of the same shape", () => {
    const first = deepFreeze(rfcExample("enterprise-user"));
    const second = structuredClone(first);
    second.userName = "other@example.com";
    second.id = "other-id";
    deepFreeze(second);
    const a = applyPatch(first, REQUEST);
    const b = applyPatch(second, REQUEST);
    const c = applyPatch(first, REQUEST);
    expect(a.userName).toBe("bjensen@example.com");
    expect(b.userName).toBe("other@example.com");
    expect(b.id).toBe("other-id");
    expect(ordered(c)).toBe(ordered(a));
    expect(a).not.toBe(c);
  });

  it("agrees with the spread over many key lists (more shapes than it keeps templates for)", () => {
    const user = rfcExample("enterprise-user");
    const optional = Object.keys(user).filter(
      (k) => !["schemas", "id", "userName", "name", "emails"].includes(k),
    );
    fc.assert(
      fc.property(fc.subarray(optional), fc.boolean(), (kept, reversed) => {
        const keys = ["schemas", "id", "userName", "name", "emails", ...kept];
        if (reversed) keys.reverse();
        const resource = Object.fromEntries(keys.map((k) => [k, user[k]]));
        const { plain, frozen } = both(resource);
        expect(ordered(frozen)).toBe(ordered(plain));
      }),
      RUNS,
    );
  });

  it("copies a frozen resource with more keys than it has fixed sites for", () => {
    const user = rfcExample("enterprise-user");
    for (let i = 0; i < 20; i++) user[`x${i}`] = `unknown ${i}`;
    expect(Object.keys(user).length).toBeGreaterThan(32);
    const { plain, frozen } = both(user);
    expect(ordered(frozen)).toBe(ordered(plain));
    expect(frozen.x19).toBe("unknown 19");
  });

  it("copies frozen complex values alike, whatever their keys", () => {
    const user = rfcExample("enterprise-user");
    const wide = structuredClone(user);
    for (let i = 0; i < 6; i++) wide.name[`x${i}`] = i; // more keys than the value copy has sites for
    const odd = structuredClone(user);
    odd.name = JSON.parse('{"__proto__":{"polluted":true},"familyName":"Jensen","givenName":"Barbara"}');
    const few = structuredClone(user);
    few.name = { givenName: "Barbara" };
    for (const resource of [user, wide, odd, few, user]) {
      const { plain, frozen } = both(resource);
      expect(ordered(frozen)).toBe(ordered(plain));
      expect(frozen.name.givenName).toBe("Barb");
      expect(Object.getPrototypeOf(frozen.name)).toBe(Object.prototype);
      expect(frozen.name.polluted).toBeUndefined();
    }
  });

  it("leaves out keys that could reach a prototype, as for an unfrozen resource", () => {
    // JSON.parse makes "__proto__" an own data key; "constructor" and "prototype" are ordinary keys.
    const user = JSON.parse(
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","__proto__":{"polluted":true},"constructor":"c","prototype":{"p":1},"name":{"givenName":"Ann"}}',
    );
    const { plain, frozen } = both(user);
    expect(ordered(frozen)).toBe(ordered(plain));
    for (const result of [plain, frozen]) {
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      expect(Object.hasOwn(result, "__proto__")).toBe(false);
      expect(Object.hasOwn(result, "constructor")).toBe(false);
      expect(Object.hasOwn(result, "prototype")).toBe(false);
      expect(result.polluted).toBeUndefined();
      expect(result.name.givenName).toBe("Barb");
    }
    // The same key list again (now with a template kept) takes the same, safe path.
    expect(ordered(applyPatch(deepFreeze(structuredClone(user)), REQUEST))).toBe(ordered(frozen));
  });

  it("is atomic for a frozen resource: a failing operation leaves nothing behind", () => {
    const user = deepFreeze(rfcExample("enterprise-user"));
    const failing = patchOf(
      { op: "replace", path: "displayName", value: "Changed" },
      { op: "replace", path: "nosuch", value: 1 },
    );
    expect(thrown(() => applyPatch(user, failing, { strict: true }))?.scimType).toBe("invalidPath");
    expect(user.displayName).toBe("Babs Jensen");
    const next = applyPatch(user, patchOf({ op: "remove", path: `${ENTERPRISE}:manager` }));
    expect(next[ENTERPRISE].manager).toBeUndefined();
    expect(user[ENTERPRISE].manager.value).toBe("26118915-6090-4610-87e4-49d8ca9f808d");
  });
});
