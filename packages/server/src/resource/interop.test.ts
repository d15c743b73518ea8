// Issue 11: what other projects' test suites (scim-patch, SCIMMY, scim2-parse-filter) and the Entra ID /
// Okta collections found. Each case failed before the fix; lenient mode accepts what the identity
// providers send, but never writes something that contradicts the request.
import { coreBundle, SchemaRegistry } from "@scimkit/core";
import { compileFilter } from "@scimkit/filter";
import { describe, expect, it } from "vitest";
import { bundle, validators } from "../__fixtures__/acme/index.js";
import { ENTERPRISE, GROUP, type Json, patchOf, rfcExample, thrown, USER } from "../__fixtures__/index.js";
import { applyPatch } from "./patch/apply-patch.js";
import { projectResource } from "./projection.js";
import { validateResource } from "./validate.js";

const ACME = "urn:acme:params:scim:schemas:extension:2.0:User";
const user = rfcExample("enterprise-user");
const both = [false, true] as const;
const patch = (resource: Json, strict: boolean, ...operations: unknown[]): Json =>
  applyPatch(resource, patchOf(...operations), { strict });
const patchError = (resource: Json, strict: boolean, ...operations: unknown[]) =>
  thrown(() => applyPatch(resource, patchOf(...operations), { strict }));

describe("lenient PATCH through a filter that matches nothing: the new value must match the filter", () => {
  it.each(both)('replace ims[value eq "bogus"] with "other" → 400 noTarget (strict %s)', (strict) => {
    expect(
      patchError(user, strict, {
        op: "replace",
        path: 'ims[value eq "bogus"]',
        // strict wants the complex value (RFC 7643 §4.1.2); lenient accepts Entra's bare string
        value: strict ? { value: "other" } : "other",
      }),
    ).toMatchObject({ status: 400, scimType: "noTarget", detail: expect.stringContaining("ims") });
  });
  it.each(both)(
    'add emails[value eq "a@x.com"] with { value: "b@x.com" } → 400 noTarget (strict %s)',
    (strict) => {
      expect(
        patchError(user, strict, {
          op: "add",
          path: 'emails[value eq "a@x.com"]',
          value: { value: "b@x.com" },
        }),
      ).toMatchObject({ status: 400, scimType: "noTarget" });
    },
  );
  it("a value that contradicts the filter's type → 400 noTarget", () => {
    expect(
      patchError(user, false, {
        op: "add",
        path: 'emails[type eq "other"]',
        value: { type: "home", value: "c@x.com" },
      }),
    ).toMatchObject({ status: 400, scimType: "noTarget" });
  });
  it("Entra's work email on a user without one is still appended: it matches the filter", () => {
    const result = patch(user, false, {
      op: "add",
      path: 'emails[type eq "OTHER"].value',
      value: "c@x.com",
    });
    expect(result.emails.at(-1)).toEqual({ type: "OTHER", value: "c@x.com" });
    expect(
      patch(user, false, { op: "replace", path: 'ims[value eq "bogus"]', value: { type: "xmpp" } }).ims,
    ).toEqual([...user.ims, { value: "bogus", type: "xmpp" }]);
  });
  it("a value that is not an object for a complex attribute → 400 invalidValue, not a spread string", () => {
    expect(
      patchError(user, false, { op: "add", path: 'addresses[type eq "other"]', value: "street" }),
    ).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
});

describe("unknown attributes: one rule in path-less values (plain or dotted keys), paths and bodies", () => {
  const pathless = (value: Json) => ({ op: "add", value });
  it("lenient ignores an unknown plain, dotted or URN-qualified key alike", () => {
    for (const key of [
      "newProperty",
      "favorites.food",
      "name.nosuch",
      `${ENTERPRISE}:nosuch`,
      "urn:example:unknown:2.0:User:x",
      'emails[type eq "work"].nosuch',
      "not a path",
    ]) {
      expect(patch(user, false, pathless({ [key]: "x", nickName: "B" })), key).toEqual({
        ...user,
        nickName: "B",
      });
    }
  });
  it("strict answers 400 invalidValue naming the key, plain or dotted", () => {
    for (const key of ["newProperty", "favorites.food"]) {
      expect(patchError(user, true, pathless({ [key]: "x" })), key).toMatchObject({
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining(key),
      });
    }
  });
  it("create and replace bodies follow the same rule", () => {
    const body = { schemas: [USER], userName: "b", newProperty: 1, "favorites.food": "x" };
    for (const operation of ["create", "replace"] as const) {
      expect(validateResource("User", body, { operation })).toEqual({ schemas: [USER], userName: "b" });
      expect(thrown(() => validateResource("User", body, { operation, strict: true }))).toMatchObject({
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining("newProperty"),
      });
    }
  });
  it("an explicit path naming no attribute stays 400 invalidPath in both modes (RFC 7644 §3.12)", () => {
    for (const strict of both)
      expect(patchError(user, strict, { op: "add", path: "favorites.food", value: "x" })).toMatchObject({
        status: 400,
        scimType: "invalidPath",
      });
  });
});

describe("remove with a value that is not a member list", () => {
  it('remove emails with { "type": "home" } removes the home emails, never a silent no-op', () => {
    const result = patch(user, false, { op: "remove", path: "emails", value: { type: "HOME" } });
    expect(result.emails).toEqual([user.emails[0]]);
  });
  it("every given sub-attribute must match", () => {
    const result = patch(user, false, {
      op: "remove",
      path: "emails",
      value: [{ type: "home", value: "nobody@x.com" }],
    });
    expect(result.emails).toEqual(user.emails);
    expect(
      patch(user, false, {
        op: "remove",
        path: "addresses",
        value: [{ type: "work", primary: true }],
      }).addresses,
    ).toEqual(user.addresses.filter((a: Json) => a.type !== "work"));
  });
  it("a value with no sub-attribute left selects nothing: 400 invalidValue instead of removing everything", () => {
    expect(patchError(user, false, { op: "remove", path: "emails", value: { nosuch: "x" } })).toMatchObject({
      status: 400,
      scimType: "invalidValue",
    });
  });
  it("strict: remove takes no value (RFC 7644 §3.5.2.2)", () => {
    expect(patchError(user, true, { op: "remove", path: "emails", value: { type: "home" } })).toMatchObject({
      status: 400,
      scimType: "invalidSyntax",
    });
  });
});

describe("unqualified extension attributes (RFC 7644 §3.10: clients SHOULD qualify them)", () => {
  const managerId = "26118915-6090-4610-87e4-49d8ca9f808d";
  it('Entra\'s documented {"op":"Add","path":"manager","value":[{"value":"…"}]}', () => {
    const { [ENTERPRISE]: _ext, ...plain } = user;
    const result = patch({ ...plain, schemas: [USER] }, false, {
      op: "Add",
      path: "manager",
      value: [{ value: managerId }],
    });
    expect(result[ENTERPRISE]).toEqual({ manager: { value: managerId } });
    expect(result.schemas).toEqual([USER, ENTERPRISE]);
  });
  it("department, manager.value, a filter path and a path-less key resolve to the enterprise extension", () => {
    const result = patch(
      user,
      false,
      { op: "replace", path: "department", value: "Ops" },
      { op: "replace", path: "Manager.Value", value: "m2" },
      { op: "replace", value: { costCenter: "7" } },
    );
    expect(result[ENTERPRISE]).toMatchObject({
      department: "Ops",
      costCenter: "7",
      manager: { value: "m2" },
    });
  });
  it("Microsoft's <extension URN>.<attribute> spelling", () => {
    const result = patch(
      user,
      false,
      { op: "replace", path: `${ENTERPRISE}.manager`, value: "m3" },
      { op: "replace", value: { [`${ENTERPRISE}.department`]: "R&D" } },
    );
    expect(result[ENTERPRISE]).toMatchObject({ department: "R&D", manager: { value: "m3" } });
  });
  it("strict wants them qualified: 400 invalidPath naming the URN to use; one-element lists stay 400", () => {
    expect(patchError(user, true, { op: "replace", path: "department", value: "Ops" })).toMatchObject({
      status: 400,
      scimType: "invalidPath",
      detail: expect.stringContaining(`${ENTERPRISE}:department`),
    });
    expect(
      patchError(user, true, { op: "add", path: `${ENTERPRISE}:manager`, value: [{ value: managerId }] }),
    ).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
  it("a name two extensions define is ambiguous: 400 invalidPath in both modes", () => {
    // The Acme bundle's User has the enterprise and Acme extensions; give both a "department".
    const ambiguous = {
      schemas: bundle.schemas.map((s) =>
        s.id === ACME
          ? { ...s, attributes: [...s.attributes, { ...s.attributes[0], name: "department" }] }
          : s,
      ),
      resourceTypes: bundle.resourceTypes,
    };
    for (const strict of both) {
      expect(
        thrown(() =>
          applyPatch(user, patchOf({ op: "replace", path: "department", value: "x" }), {
            strict,
            bundle: ambiguous,
            validators,
          }),
        ),
      ).toMatchObject({
        status: 400,
        scimType: "invalidPath",
        detail: expect.stringContaining(`"${ACME}:department"`),
      });
    }
  });
  it("attributes and excludedAttributes take unqualified extension names", () => {
    expect(projectResource(user, { attributes: "department" })).toEqual({
      schemas: user.schemas,
      id: user.id,
      [ENTERPRISE]: { department: user[ENTERPRISE].department },
    });
    expect(projectResource(user, { excludedAttributes: "manager" })[ENTERPRISE]).not.toHaveProperty(
      "manager",
    );
    expect(thrown(() => projectResource(user, { attributes: "department", strict: true }))).toMatchObject({
      status: 400,
      scimType: "invalidValue",
      detail: expect.stringContaining("department"),
    });
  });
  it("filters and sortBy resolve them through the same SchemaRegistry.resolve", () => {
    const department = user[ENTERPRISE].department;
    expect(compileFilter(`department eq "${department}"`, { resourceType: "User" })(user)).toBe(true);
    expect(
      compileFilter('manager.value pr and not (department eq "x")', { resourceType: "User" })(user),
    ).toBe(true);
    expect(new SchemaRegistry(coreBundle()).resolve("User", "department")?.path).toBe(
      `${ENTERPRISE}:department`,
    );
  });
  it("attributes with a value filter selects the attribute (lenient), 400 invalidValue when strict", () => {
    expect(projectResource(user, { attributes: 'emails[type eq "work"]' })).toEqual({
      schemas: user.schemas,
      id: user.id,
      emails: user.emails,
    });
    expect(projectResource(user, { attributes: 'emails[type eq "work"].value' }).emails).toEqual(
      user.emails.map((e: Json) => ({ value: e.value })),
    );
    expect(
      thrown(() => projectResource(user, { attributes: 'emails[type eq "work"]', strict: true })),
    ).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
});

describe("validation", () => {
  it.each(both)('userName "" (or blank) → 400 invalidValue naming it (strict %s)', (strict) => {
    for (const userName of ["", "  "]) {
      expect(
        thrown(() =>
          validateResource("User", { schemas: [USER], userName }, { operation: "create", strict }),
        ),
      ).toMatchObject({
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining('"userName"'),
      });
    }
    expect(
      thrown(() =>
        validateResource("Group", { schemas: [GROUP], displayName: "" }, { operation: "replace", strict }),
      ),
    ).toMatchObject({
      status: 400,
      scimType: "invalidValue",
      detail: expect.stringContaining("displayName"),
    });
    expect(patchError(user, strict, { op: "replace", path: "userName", value: "" })).toMatchObject({
      status: 400,
      scimType: "invalidValue",
    });
    expect(patchError(user, strict, { op: "replace", value: { userName: "" } })).toMatchObject({
      status: 400,
      scimType: "invalidValue",
    });
  });
  it("an empty string for an optional attribute is a value", () => {
    expect(
      validateResource("User", { schemas: [USER], userName: "b", nickName: "" }, { operation: "create" }),
    ).toMatchObject({ nickName: "" });
  });
  it("strict: schemas listing a URN twice (any case) → 400 invalidValue; lenient rebuilds it", () => {
    const body = { schemas: [USER, USER.toUpperCase()], userName: "b" };
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      { status: 400, scimType: "invalidValue", detail: expect.stringContaining("twice") },
    );
    expect(validateResource("User", body, { operation: "create" })).toEqual({
      schemas: [USER],
      userName: "b",
    });
    expect(
      patchError(user, true, { op: "replace", path: "schemas", value: [USER, ENTERPRISE, ENTERPRISE] }),
    ).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
  it.each(both)(
    "a Group URN posted to /Users → 400 invalidValue naming the endpoint (strict %s)",
    (strict) => {
      for (const schemas of [[GROUP], [USER, GROUP], GROUP]) {
        expect(
          thrown(() =>
            validateResource(
              "User",
              { schemas, userName: "b", displayName: "x" },
              { operation: "create", strict },
            ),
          ),
        ).toMatchObject({
          status: 400,
          scimType: "invalidValue",
          detail: expect.stringContaining("/Groups"),
        });
      }
      expect(
        thrown(() =>
          validateResource("Group", { schemas: [USER], displayName: "x" }, { operation: "create", strict }),
        ),
      ).toMatchObject({ status: 400, scimType: "invalidValue", detail: expect.stringContaining("/Users") });
      expect(patchError(user, strict, { op: "replace", value: { schemas: [GROUP] } })).toMatchObject({
        status: 400,
        scimType: "invalidValue",
      });
    },
  );
  it("an unknown URN in schemas (Microsoft's ADSCIM Group URN) is still dropped in lenient mode", () => {
    const ms = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
    expect(
      validateResource("Group", { schemas: [GROUP, ms], displayName: "x" }, { operation: "create" }),
    ).toEqual({ schemas: [GROUP], displayName: "x" });
  });
});
