// Hostile input straight into the library functions (the HTTP handler adds body-size and JSON-depth
// limits in front of them): prototype-pollution keys, deep nesting, huge strings, arrays and requests.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ENTERPRISE, type Json, PATCH_OP, patchOf, rfcExample, thrown, USER } from "../__fixtures__/index.js";
import { applyPatch } from "./patch/apply-patch.js";
import { projectResource } from "./projection.js";
import { validateResource } from "./validate.js";

const user = rfcExample("enterprise-user");
const group = rfcExample("group");
const FORBIDDEN = ["__proto__", "constructor", "prototype"] as const;

let prototypeBefore: string[];
beforeEach(() => {
  prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
});
afterEach(() => {
  // Nothing may reach Object.prototype, whatever the outcome.
  expect(({} as Json).polluted).toBeUndefined();
  expect(({} as Json).x).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
  expect(Object.prototype.toString).toBe(Object.prototype.toString);
});

/** Runs `fn`, which must either return or throw a 400 ScimError, within `ms`. */
// Generous bounds: they catch hangs and super-linear blow-ups, not speed (that is for benchmarks), and CI is shared.
function settles(fn: () => unknown, ms = 15_000): Json {
  const start = performance.now();
  let outcome: Json;
  try {
    outcome = { result: fn() };
  } catch (error) {
    outcome = { error };
  }
  expect(performance.now() - start).toBeLessThan(ms);
  if ("error" in outcome) expect(outcome.error).toMatchObject({ name: "ScimError", status: 400 });
  return outcome;
}

describe("__proto__, constructor and prototype keys", () => {
  it.each(FORBIDDEN)("%s in a create body is ignored when lenient and rejected when strict", (key) => {
    const body = JSON.parse(
      `{"schemas":["${USER}"],"userName":"b","${key}":{"polluted":"yes"},"name":{"${key}":{"polluted":"yes"},"givenName":"B"},` +
        `"emails":[{"value":"b@example.com","${key}":{"polluted":"yes"}}],"${ENTERPRISE}":{"${key}":{"polluted":"yes"},"department":"D"}}`,
    );
    const result: Json = settles(() => validateResource("User", body, { operation: "create" })).result;
    expect(result).toEqual({
      schemas: [USER, ENTERPRISE],
      userName: "b",
      name: { givenName: "B" },
      emails: [{ value: "b@example.com" }],
      [ENTERPRISE]: { department: "D" },
    });
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(result.name)).toBe(Object.prototype);
    expect(Object.hasOwn(result, key)).toBe(false);
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      { status: 400, detail: expect.stringContaining(key) },
    );
  });

  it.each(FORBIDDEN)("%s in PATCH values is ignored when lenient and rejected when strict", (key) => {
    const bodies = [
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":{"${key}":{"polluted":"yes"},"nickName":"B"}}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"replace","path":"name","value":{"${key}":{"polluted":"yes"},"givenName":"B"}}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"emails","value":[{"value":"x@example.com","${key}":{"polluted":"yes"}}]}]}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"${ENTERPRISE}","value":{"${key}":{"polluted":"yes"},"division":"B"}}]}`,
    ];
    for (const text of bodies) {
      const result: Json = settles(() => applyPatch(user, JSON.parse(text))).result;
      expect(JSON.stringify(result)).not.toContain("polluted");
      expect(thrown(() => applyPatch(user, JSON.parse(text), { strict: true }))).toMatchObject({
        status: 400,
      });
    }
  });

  it.each([
    "__proto__",
    "__proto__.polluted",
    "constructor",
    "constructor.prototype",
    "constructor.prototype.x",
    "prototype",
    "name.__proto__",
    "name.constructor",
    `${ENTERPRISE}:__proto__`,
    `${ENTERPRISE}:constructor.prototype`,
    'emails[__proto__ eq "x"]',
    'emails[type eq "work"].__proto__',
    'emails[type eq "work"].constructor',
  ])("path %s → 400 invalidPath", (path) => {
    for (const op of ["add", "replace", "remove"]) {
      const error = settles(() => applyPatch(user, patchOf({ op, path, value: { polluted: "yes" } }))).error;
      expect(error).toMatchObject({ status: 400, scimType: "invalidPath" });
    }
  });

  it("a stored resource holding a __proto__ key is patched without it reaching a prototype", () => {
    const stored = JSON.parse(
      `{"schemas":["${USER}"],"id":"1","userName":"b","__proto__":{"polluted":"yes"}}`,
    );
    const result: Json = applyPatch(stored, patchOf({ op: "replace", path: "nickName", value: "B" }));
    expect(result).toEqual({ schemas: [USER], id: "1", userName: "b", nickName: "B" });
  });

  it("operation objects and the request body with such keys", () => {
    const text = `{"schemas":["${PATCH_OP}"],"__proto__":{"Operations":[]},"Operations":[{"__proto__":{"op":"remove"},"op":"replace","path":"nickName","value":"B"}]}`;
    expect((settles(() => applyPatch(user, JSON.parse(text))).result as Json).nickName).toBe("B");
  });

  it("projection ignores such names", () => {
    for (const key of FORBIDDEN)
      expect(projectResource(user, { attributes: [key, `${key}.polluted`, `name.${key}`] })).toEqual({
        schemas: user.schemas,
        id: user.id,
      });
  });
});

describe("deep nesting (10,000 levels)", () => {
  const deepObject = JSON.parse(`${'{"a":'.repeat(10_000)}"x"${"}".repeat(10_000)}`);
  const deepArray = JSON.parse(`${"[".repeat(10_000)}"x"${"]".repeat(10_000)}`);

  it.each([
    ["a string attribute", { userName: "b", displayName: deepObject }, "displayName"],
    ["a multi-valued attribute", { userName: "b", emails: deepArray }, "emails[0]"],
    ["a sub-attribute", { userName: "b", name: { givenName: deepArray } }, "name.givenName"],
    [
      "an extension attribute",
      { userName: "b", [ENTERPRISE]: { manager: { value: deepObject } } },
      `${ENTERPRISE}:manager.value`,
    ],
  ])("in %s → 400 invalidValue naming it, quickly", (_name, body, where) => {
    const error = settles(() =>
      validateResource("User", { schemas: [USER, ENTERPRISE], ...body }, { operation: "create" }),
    ).error;
    expect(error).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining(`"${where}"`) });
  });

  it("under an unknown name: ignored when lenient (never walked), 400 when strict", () => {
    const body = { schemas: [USER], userName: "b", name: deepObject, extra: deepObject };
    expect(settles(() => validateResource("User", body, { operation: "create" })).result).toEqual({
      schemas: [USER],
      userName: "b",
      name: {},
    });
    expect(
      settles(() => validateResource("User", body, { operation: "create", strict: true })).error,
    ).toMatchObject({
      status: 400,
    });
  });

  it.each([
    ["a PATCH value", patchOf({ op: "replace", path: "displayName", value: deepObject })],
    ["a PATCH element", patchOf({ op: "add", path: "emails", value: deepArray })],
    ["a path-less value", patchOf({ op: "replace", value: { nickName: deepArray } })],
    [
      "a filtered value",
      patchOf({ op: "replace", path: 'emails[type eq "work"]', value: { value: deepObject } }),
    ],
  ])("in %s → 400 invalidValue, quickly", (_name, request) => {
    expect(settles(() => applyPatch(user, request)).error).toMatchObject({ scimType: "invalidValue" });
  });

  it("as the request body or the operations → 400", () => {
    expect(settles(() => applyPatch(user, deepArray)).error).toMatchObject({ scimType: "invalidSyntax" });
    expect(
      settles(() => applyPatch(user, { schemas: [PATCH_OP], Operations: deepArray })).error,
    ).toMatchObject({
      scimType: "invalidSyntax",
    });
  });

  it("a 10,000-deep filter in a PATCH path → 400 invalidPath", () => {
    const path = `emails[${"not (".repeat(10_000)}type eq "work"${")".repeat(10_000)}]`;
    expect(settles(() => applyPatch(user, patchOf({ op: "remove", path }))).error).toMatchObject({
      scimType: "invalidPath",
    });
  });
});

describe("1 MB strings", () => {
  const big = "x".repeat(1 << 20);

  it.each([
    ["userName", { userName: big }, "userName"],
    ["a sub-attribute", { userName: "b", name: { givenName: big } }, "name.givenName"],
    [
      "an element's sub-attribute",
      { userName: "b", emails: [{ value: "a" }, { value: big }] },
      "emails[1].value",
    ],
    [
      "an extension attribute",
      { userName: "b", [ENTERPRISE]: { department: big } },
      `${ENTERPRISE}:department`,
    ],
    [
      "a binary value",
      { userName: "b", x509Certificates: [{ value: "A".repeat(1 << 20) }] },
      "x509Certificates[0].value",
    ],
  ])("in %s → 400 invalidValue naming it", (_name, body, where) => {
    const error = settles(() =>
      validateResource("User", { schemas: [USER, ENTERPRISE], ...body }, { operation: "create" }),
    ).error;
    expect(error).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining(`"${where}"`) });
    expect(error.detail.length).toBeLessThan(500);
  });

  it.each([
    ["a path value", patchOf({ op: "replace", path: "displayName", value: big }), "displayName"],
    [
      "a sub-attribute path",
      patchOf({ op: "replace", path: "name.familyName", value: big }),
      "name.familyName",
    ],
    [
      "a filtered sub-attribute",
      patchOf({ op: "replace", path: 'emails[type eq "work"].value', value: big }),
      "emails.value",
    ],
    ["a path-less value", patchOf({ op: "replace", value: { nickName: big } }), "nickName"],
    ["a members list", patchOf({ op: "add", path: "members", value: [{ value: big }] }), "members[0].value"],
  ])("in %s → 400 invalidValue naming it", (_name, request, where) => {
    const resource = where.startsWith("members") ? group : user;
    const error = settles(() => applyPatch(resource, request)).error;
    expect(error).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining(`"${where}"`) });
    expect(error.detail.length).toBeLessThan(500);
  });

  it.each([
    ["a path", patchOf({ op: "replace", path: big, value: "x" })],
    ["a filter value", patchOf({ op: "remove", path: `emails[value eq "${big}"]` })],
  ])("in %s → 400 invalidPath with a short message", (_name, request) => {
    const error = settles(() => applyPatch(user, request)).error;
    expect(error).toMatchObject({ scimType: "invalidPath" });
    expect(error.detail.length).toBeLessThan(500);
  });

  it.each([
    [
      "an unknown attribute name (strict)",
      () =>
        validateResource(
          "User",
          { schemas: [USER], userName: "b", [big]: 1 },
          { operation: "create", strict: true },
        ),
    ],
    [
      "an unknown sub-attribute name (strict)",
      () =>
        validateResource(
          "User",
          { schemas: [USER], userName: "b", name: { [big]: 1 } },
          { operation: "create", strict: true },
        ),
    ],
    [
      "an unknown path-less key (strict)",
      () => applyPatch(user, patchOf({ op: "add", value: { [big]: 1 } }), { strict: true }),
    ],
    ["an unknown op", () => applyPatch(user, patchOf({ op: big, path: "nickName", value: "x" }))],
  ])("echoed from %s → the message stays short", (_name, fn) => {
    const error = settles(fn).error;
    expect(error).toBeDefined();
    expect(error.detail.length).toBeLessThan(500);
  });
});

describe("huge arrays and requests", () => {
  const members = Array.from({ length: 100_000 }, (_, i) => ({ value: `m${i}` }));

  it("a 100,000-element array in a body → 400 invalidValue naming the attribute", () => {
    expect(
      settles(() => validateResource("Group", { displayName: "g", members }, { operation: "create" })).error,
    ).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining('"members"') });
  });
  it.each([
    ["add", { op: "add", path: "members", value: members }],
    ["replace", { op: "replace", path: "members", value: members }],
    ["remove with a value list", { op: "remove", path: "members", value: members }],
    ["path-less", { op: "replace", value: { members } }],
  ])("a 100,000-element %s → 400 invalidValue", (_name, operation) => {
    expect(settles(() => applyPatch(group, patchOf(operation))).error).toMatchObject({
      scimType: "invalidValue",
    });
  });
  it("100,000 operations → 400 invalidSyntax", () => {
    const operations = Array.from({ length: 100_000 }, () => ({
      op: "add",
      path: "displayName",
      value: "x",
    }));
    expect(settles(() => applyPatch(group, patchOf(...operations))).error).toMatchObject({
      scimType: "invalidSyntax",
      detail: expect.stringContaining("100000 operations"),
    });
  });
  it("the limits are options", () => {
    expect(
      settles(() =>
        applyPatch(group, patchOf({ op: "add", path: "members", value: members.slice(0, 11) }), {
          limits: { maxValues: 10 },
        }),
      ).error,
    ).toMatchObject({ scimType: "invalidValue" });
    expect(
      settles(() =>
        applyPatch(
          group,
          patchOf(
            { op: "add", path: "displayName", value: "x" },
            { op: "add", path: "displayName", value: "y" },
          ),
          { limits: { maxOperations: 1 } },
        ),
      ).error,
    ).toMatchObject({ scimType: "invalidSyntax" });
    expect(
      settles(() =>
        validateResource(
          "User",
          { userName: "abcdef" },
          { operation: "create", limits: { maxStringLength: 5 } },
        ),
      ).error,
    ).toMatchObject({ scimType: "invalidValue" });
  });
  it("50,000 new members added to a group of 50,000, and removed again, in time linear in the members (no quadratic matching)", () => {
    const half = members.slice(0, 50_000);
    const big: Json = applyPatch(group, patchOf({ op: "add", path: "members", value: half }));
    expect(big.members).toHaveLength(50_002);
    const more: Json = settles(() =>
      applyPatch(big, patchOf({ op: "add", path: "members", value: members.slice(50_000) })),
    ).result;
    expect(more.members).toHaveLength(100_002);
    const again: Json = settles(() =>
      applyPatch(big, patchOf({ op: "add", path: "members", value: half })),
    ).result;
    expect(again.members).toHaveLength(50_002);
    const fewer: Json = settles(() =>
      applyPatch(big, patchOf({ op: "remove", path: "members", value: half })),
    ).result;
    expect(fewer.members).toEqual(group.members);
    // Absolute time on a shared CI machine says little; how time grows does. Removing 10× the members
    // from a 10× larger group costs ~10× when matching is linear and ~100× when it is quadratic. Best of
    // three runs each, so a scheduling hiccup in one run does not decide.
    const removeAll = (n: number) => {
      const some = members.slice(0, n);
      const grown: Json = applyPatch(group, patchOf({ op: "add", path: "members", value: some }));
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        applyPatch(grown, patchOf({ op: "remove", path: "members", value: some }));
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    const small = removeAll(5_000);
    const large = removeAll(50_000);
    expect(large / Math.max(small, 1)).toBeLessThan(40);
  });
});
