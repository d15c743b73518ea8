import { describe, expect, it } from "vitest";
import {
  ENTERPRISE,
  GROUP,
  type Json,
  PATCH_OP,
  patchOf,
  rfcExample,
  thrown,
  USER,
} from "../../__fixtures__/index.js";
import { projectResource } from "../projection.js";
import { validateResource } from "../validate.js";
import { applyPatch } from "./apply-patch.js";

const user = rfcExample("enterprise-user");
const fullUser = rfcExample("full-user");
const minimalUser = rfcExample("minimal-user");
const group = rfcExample("group");
const [BABS, MANDY] = group.members;
const [WORK_EMAIL, HOME_EMAIL] = user.emails;

describe("decisions on ambiguous RFC points (package README)", () => {
  it.each([false, true])(
    "remove through a filter that matches nothing succeeds and changes nothing (RFC 7644 §3.5.2.2 example text; strict: %s)",
    (strict) => {
      for (const path of ['members[value eq "not-a-member"]', 'members[value eq "not-a-member"].display']) {
        expect(applyPatch(group, patchOf({ op: "remove", path }), { strict })).toEqual(group);
      }
    },
  );

  describe("replace (or add) through a filter that matches nothing", () => {
    it("strict: 400 noTarget (RFC 7644 §3.5.2.3)", () => {
      for (const op of ["replace", "add"])
        expect(
          thrown(() =>
            applyPatch(
              user,
              patchOf({ op, path: 'emails[type eq "other"]', value: { value: "o@example.com" } }),
              {
                strict: true,
              },
            ),
          ),
        ).toMatchObject({
          status: 400,
          scimType: "noTarget",
          detail: expect.stringContaining('emails[type eq "other"]'),
        });
    });
    it("lenient: appends a value built from the filter's eq conditions and the value", () => {
      const result: Json = applyPatch(
        user,
        patchOf({ op: "replace", path: 'emails[type eq "other"]', value: { value: "o@example.com" } }),
      );
      expect(result.emails).toEqual([WORK_EMAIL, HOME_EMAIL, { type: "other", value: "o@example.com" }]);
    });
    it("lenient: with a sub-attribute path, and `and` of eq conditions", () => {
      const result: Json = applyPatch(
        minimalUser,
        patchOf({
          op: "replace",
          path: 'addresses[type eq "work" and country eq "US"].locality',
          value: "Hollywood",
        }),
      );
      expect(result.addresses).toEqual([{ type: "work", country: "US", locality: "Hollywood" }]);
    });
    it("lenient: a filter that is not an `and` of eq conditions still answers noTarget", () => {
      for (const path of [
        'emails[value co "zzz"]',
        'emails[type eq "a" or type eq "b"]',
        "emails[display pr]",
      ])
        expect(
          thrown(() => applyPatch(user, patchOf({ op: "replace", path, value: { value: "o@example.com" } }))),
        ).toMatchObject({ status: 400, scimType: "noTarget" });
    });
    it("lenient: the appended value is validated like any other", () => {
      expect(
        thrown(() =>
          applyPatch(
            user,
            patchOf({ op: "replace", path: 'emails[type eq "other"].primary', value: "maybe" }),
          ),
        ),
      ).toMatchObject({ status: 400, scimType: "invalidValue" });
    });
  });

  describe("a partial value for a filtered element", () => {
    const request = patchOf({ op: "replace", path: 'emails[type eq "work"]', value: { display: "Work" } });
    it("lenient: merges into the matched value (RFC 7644 §3.5.2.3, complex attribute rule)", () => {
      expect((applyPatch(user, request) as Json).emails).toEqual([
        { ...WORK_EMAIL, display: "Work" },
        HOME_EMAIL,
      ]);
    });
    it('strict: the matched value is replaced by the value given ("all matching record values SHALL be replaced")', () => {
      expect((applyPatch(user, request, { strict: true }) as Json).emails).toEqual([
        { display: "Work" },
        HOME_EMAIL,
      ]);
    });
    it("add through a filter merges in both modes", () => {
      const add = patchOf({ op: "add", path: 'emails[type eq "work"]', value: { display: "Work" } });
      for (const strict of [false, true])
        expect((applyPatch(user, add, { strict }) as Json).emails).toEqual([
          { ...WORK_EMAIL, display: "Work" },
          HOME_EMAIL,
        ]);
    });
  });

  describe("remove of members with a value list (Entra ID)", () => {
    const request = patchOf({
      op: "remove",
      path: "members",
      value: [{ value: BABS.value }, { value: "not-a-member" }],
    });
    it("lenient: removes the listed members, ignores values that are not members", () => {
      expect(applyPatch(group, request)).toEqual({ ...group, members: [MANDY] });
    });
    it("strict: 400 invalidSyntax (RFC 7644 §3.5.2.2 defines remove by path and filter only)", () => {
      expect(thrown(() => applyPatch(group, request, { strict: true }))).toMatchObject({
        status: 400,
        scimType: "invalidSyntax",
      });
    });
    it("lenient: listed values match case-insensitively only where the attribute is not caseExact", () => {
      // members.value is caseExact (RFC 7643 §8.7.1): another case is another member.
      expect(
        applyPatch(
          group,
          patchOf({ op: "remove", path: "members", value: [{ value: BABS.value.toUpperCase() }] }),
        ),
      ).toEqual(group);
    });
  });

  it("adding a value that is already there changes nothing (RFC 7644 §3.5.2.1)", () => {
    for (const value of [[{ value: BABS.value }], [{ value: BABS.value, display: "Babs Jensen" }], [BABS]])
      expect(applyPatch(group, patchOf({ op: "add", path: "members", value }))).toEqual(group);
  });

  it("an operation on `schemas` is checked but changes nothing: the list follows the extensions present", () => {
    expect(
      applyPatch(minimalUser, patchOf({ op: "add", path: "schemas", value: [USER, ENTERPRISE] })),
    ).toEqual(minimalUser);
    expect(
      thrown(() => applyPatch(minimalUser, patchOf({ op: "add", path: "schemas", value: ["urn:x"] }))),
    ).toMatchObject({
      status: 400,
      scimType: "invalidValue",
    });
    expect(thrown(() => applyPatch(minimalUser, patchOf({ op: "remove", path: "schemas" })))).toMatchObject({
      status: 400,
      scimType: "mutability",
    });
  });
});

describe("mutability (RFC 7643 §2.2, RFC 7644 §3.5.2)", () => {
  const readOnly = [
    ["id", "new-id"],
    ["meta", { created: "2020-01-01T00:00:00Z" }],
    ["meta.lastModified", "2020-01-01T00:00:00Z"],
    ["groups", [{ value: "g1" }]],
    ['groups[display eq "Employees"].display', "x"],
    [`${ENTERPRISE}:manager.displayName`, "Someone"],
  ] as const;
  it.each(
    readOnly.flatMap(([path, value]) =>
      ["add", "replace", "remove"].map((op) => [`${op} ${path}`, { op, path, value }] as const),
    ),
  )("readOnly: %s → 400 mutability", (_name, { op, path, value }) => {
    for (const strict of [false, true])
      expect(
        thrown(() => applyPatch(user, patchOf({ op, path, ...(op !== "remove" && { value }) }), { strict })),
      ).toMatchObject({
        status: 400,
        scimType: "mutability",
        detail: expect.stringContaining("readOnly"),
      });
  });
  it("readOnly sub-attributes inside a complex value: ignored when lenient, 400 mutability when strict", () => {
    const request = patchOf({
      op: "replace",
      path: `${ENTERPRISE}:manager`,
      value: { value: "m", displayName: "M" },
    });
    expect((applyPatch(user, request) as Json)[ENTERPRISE].manager).toEqual({
      ...user[ENTERPRISE].manager,
      value: "m",
    });
    expect(thrown(() => applyPatch(user, request, { strict: true }))).toMatchObject({
      status: 400,
      scimType: "mutability",
      detail: expect.stringContaining("manager.displayName"),
    });
  });
  it("immutable: Group members.value cannot be changed through a filter", () => {
    expect(
      thrown(() =>
        applyPatch(
          group,
          patchOf({ op: "replace", path: `members[value eq "${BABS.value}"].value`, value: "someone-else" }),
        ),
      ),
    ).toMatchObject({
      status: 400,
      scimType: "mutability",
      detail: expect.stringContaining("members.value"),
    });
  });
  it("immutable: setting the same value again is accepted", () => {
    expect(
      applyPatch(
        group,
        patchOf({ op: "replace", path: `members[value eq "${BABS.value}"].value`, value: BABS.value }),
      ),
    ).toEqual(group);
  });
  it.each([
    ["userName", user],
    ["displayName", group],
  ])("removing the required %s → 400 mutability (RFC 7644 §3.5.2.2)", (path, resource) => {
    expect(thrown(() => applyPatch(resource, patchOf({ op: "remove", path })))).toMatchObject({
      status: 400,
      scimType: "mutability",
      detail: expect.stringContaining(path),
    });
    expect(thrown(() => applyPatch(resource, patchOf({ op: "replace", path, value: null })))).toMatchObject({
      status: 400,
      scimType: "mutability",
    });
  });
});

describe("primary (RFC 7644 §3.5.2, RFC 7643 §2.4)", () => {
  it("a new primary email resets the others", () => {
    const result: Json = applyPatch(
      user,
      patchOf({
        op: "add",
        path: "emails",
        value: [{ value: "new@example.com", type: "other", primary: true }],
      }),
    );
    expect(result.emails).toEqual([
      { ...WORK_EMAIL, primary: false },
      HOME_EMAIL,
      { value: "new@example.com", type: "other", primary: true },
    ]);
  });
  it("setting primary through a filter resets the others", () => {
    const result: Json = applyPatch(
      user,
      patchOf({ op: "replace", path: 'emails[type eq "home"].primary', value: true }),
    );
    expect(result.emails).toEqual([
      { ...WORK_EMAIL, primary: false },
      { ...HOME_EMAIL, primary: true },
    ]);
  });
  it("two primaries in one add → 400 invalidValue", () => {
    expect(
      thrown(() =>
        applyPatch(
          user,
          patchOf({
            op: "add",
            path: "emails",
            value: [
              { value: "a@example.com", primary: true },
              { value: "b@example.com", primary: true },
            ],
          }),
        ),
      ),
    ).toMatchObject({ status: 400, scimType: "invalidValue", detail: expect.stringContaining("emails") });
  });
  it("primary on every value through a sub-attribute path → 400 invalidValue", () => {
    expect(
      thrown(() => applyPatch(user, patchOf({ op: "replace", path: "emails.primary", value: true }))),
    ).toMatchObject({
      status: 400,
      scimType: "invalidValue",
    });
  });
});

describe("schemas follows the extensions present (RFC 7644 §3.5.2)", () => {
  it("adding an extension attribute adds its URN", () => {
    const result: Json = applyPatch(
      fullUser,
      patchOf({ op: "add", path: `${ENTERPRISE}:employeeNumber`, value: "701984" }),
    );
    expect(result.schemas).toEqual([USER, ENTERPRISE]);
    expect(result[ENTERPRISE]).toEqual({ employeeNumber: "701984" });
  });
  it("adding through the extension URN path adds it too", () => {
    const result: Json = applyPatch(
      fullUser,
      patchOf({ op: "add", path: ENTERPRISE, value: { costCenter: "4130" } }),
    );
    expect(result.schemas).toEqual([USER, ENTERPRISE]);
  });
  it("removing the last extension attribute removes the URN", () => {
    const withOne = { ...fullUser, schemas: [USER, ENTERPRISE], [ENTERPRISE]: { department: "Tours" } };
    const result: Json = applyPatch(withOne, patchOf({ op: "remove", path: `${ENTERPRISE}:department` }));
    expect(result).toEqual(fullUser);
  });
  it("removing the extension URN path removes every extension attribute", () => {
    const { [ENTERPRISE]: _ext, ...rest } = user;
    expect(applyPatch(user, patchOf({ op: "remove", path: ENTERPRISE }))).toEqual({
      ...rest,
      schemas: [USER],
    });
  });
});

describe("request errors", () => {
  it.each([
    [
      "an unknown attribute path",
      patchOf({ op: "add", path: "favouriteColour", value: "teal" }),
      "invalidPath",
    ],
    ["an unknown sub-attribute", patchOf({ op: "add", path: "name.nickname", value: "x" }), "invalidPath"],
    [
      "a filter on a single-valued attribute",
      patchOf({ op: "add", path: 'name[givenName eq "x"]', value: {} }),
      "invalidPath",
    ],
    ["a path that does not parse", patchOf({ op: "add", path: "emails[type eq", value: {} }), "invalidPath"],
    ["a path that is not a string", patchOf({ op: "add", path: 7, value: {} }), "invalidPath"],
    ["remove without a path", patchOf({ op: "remove" }), "noTarget"],
    ["an unknown op", patchOf({ op: "move", path: "userName", value: "x" }), "invalidSyntax"],
    ["an op that is not a string", patchOf({ op: 1, path: "userName", value: "x" }), "invalidSyntax"],
    ["an operation that is not an object", patchOf("add"), "invalidSyntax"],
    ["no Operations", { schemas: [PATCH_OP] }, "invalidSyntax"],
    ["empty Operations", { schemas: [PATCH_OP], Operations: [] }, "invalidSyntax"],
    ["Operations not an array", { schemas: [PATCH_OP], Operations: {} }, "invalidSyntax"],
    ["a body that is not an object", [], "invalidSyntax"],
    ["add without a value", patchOf({ op: "add", path: "nickName" }), "invalidValue"],
    ["a value of the wrong type", patchOf({ op: "replace", path: "active", value: 3 }), "invalidValue"],
    ["a path-less add whose value is not an object", patchOf({ op: "add", value: "x" }), "invalidValue"],
  ])("%s → 400 %s", (_name, request, scimType) => {
    expect(thrown(() => applyPatch(user, request))).toMatchObject({ status: 400, scimType });
  });

  it("errors name the operation by its position", () => {
    const request = patchOf(
      { op: "replace", path: "nickName", value: "B" },
      { op: "replace", path: "active", value: 3 },
    );
    expect(thrown(() => applyPatch(user, request))).toMatchObject({
      detail: expect.stringMatching(/^Operations\[1\]: "active"/),
    });
  });
  it("errors name the element of a multi-valued value", () => {
    const request = patchOf({
      op: "add",
      path: "emails",
      value: [{ value: "a" }, { value: "b", primary: "yes" }],
    });
    expect(thrown(() => applyPatch(user, request))).toMatchObject({
      detail: expect.stringContaining('"emails[1].primary"'),
    });
  });
  it("strict: schemas must name the PatchOp URN; lenient accepts a body without it", () => {
    const request = { Operations: [{ op: "replace", path: "nickName", value: "B" }] };
    expect(thrown(() => applyPatch(user, request, { strict: true }))).toMatchObject({
      status: 400,
      scimType: "invalidSyntax",
    });
    expect((applyPatch(user, request) as Json).nickName).toBe("B");
  });
  it("the resource type is taken from meta.resourceType, else from schemas", () => {
    const { meta: _meta, ...bare } = group;
    expect(applyPatch(bare, patchOf({ op: "replace", path: "displayName", value: "x" }))).toEqual({
      ...bare,
      displayName: "x",
    });
    expect(
      applyPatch(
        { ...bare, schemas: [GROUP.toUpperCase()] },
        patchOf({ op: "replace", path: "displayName", value: "x" }),
      ),
    ).toMatchObject({ displayName: "x" });
  });
  it("an unknown resource type is a programming error (TypeError)", () => {
    expect(() =>
      applyPatch(group, patchOf({ op: "remove", path: "members" }), { resourceType: "Widget" }),
    ).toThrow(TypeError);
  });
});

describe("names", () => {
  it("matches paths and value keys case-insensitively and writes schema case", () => {
    const result: Json = applyPatch(
      minimalUser,
      patchOf(
        { op: "add", path: "NAME.GIVENNAME", value: "Babs" },
        { op: "add", path: "Emails", value: [{ VALUE: "b@example.com", Type: "work" }] },
        { op: "add", path: ENTERPRISE.toUpperCase(), value: { EMPLOYEENUMBER: "1" } },
      ),
    );
    expect(result).toEqual({
      ...minimalUser,
      schemas: [USER, ENTERPRISE],
      name: { givenName: "Babs" },
      emails: [{ value: "b@example.com", type: "work" }],
      [ENTERPRISE]: { employeeNumber: "1" },
    });
  });
  it("a stored attribute in another case is renamed to schema case when it is changed", () => {
    const stored = { ...minimalUser, NickName: "B" };
    const { NickName: _n, ...rest } = stored;
    expect(applyPatch(stored, patchOf({ op: "replace", path: "nickname", value: "Babs" }))).toEqual({
      ...rest,
      nickName: "Babs",
    });
  });
});

describe("README", () => {
  it("the example works as written", () => {
    const body = {
      schemas: [USER],
      userName: "bjensen",
      id: "client-sent",
      emails: [{ value: "b@example.com" }],
    };
    const created = validateResource("User", body, { operation: "create" });
    const stored = { ...created, id: "2819c223", meta: { resourceType: "User" } };
    const next = applyPatch(stored, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(stored).not.toHaveProperty("active");
    expect(projectResource(next, { attributes: "userName,emails.value" })).toEqual({
      schemas: [USER],
      id: "2819c223",
      userName: "bjensen",
      emails: [{ value: "b@example.com" }],
    });
  });
  it('"$ref": null inside member values is unassigned, accepted in both modes', () => {
    for (const strict of [false, true])
      expect(
        applyPatch(group, patchOf({ op: "add", path: "members", value: [{ $ref: null, value: "new" }] }), {
          strict,
        }),
      ).toEqual({ ...group, members: [BABS, MANDY, { value: "new" }] });
  });
  it("lenient: op, path and value member names in any case", () => {
    expect(applyPatch(user, patchOf({ Op: "replace", Path: "nickName", Value: "B" }))).toEqual({
      ...user,
      nickName: "B",
    });
  });
});
