// PATCH bodies that Microsoft Entra ID and Okta document for their SCIM provisioning, applied in the
// default (lenient) mode, which accepts them, and in strict mode, which answers the RFC's error where
// the body deviates from RFC 7644 §3.5.2.
//
// Entra ID: "Tutorial: Develop and plan provisioning for a SCIM endpoint" (request/response examples)
// and "Known issues and resolutions with SCIM 2.0 protocol compliance" (the pre-2020 behaviours behind
// the `aadOptscim062020` flag: capitalized ops, "False" strings, path-less dotted keys, remove of members
// with a value list, a bare manager id). Okta: "SCIM 2.0 protocol reference" (deactivate with a path-less
// replace, group rename carrying the unchanged id, member add/remove).
import { describe, expect, it } from "vitest";
import { ENTERPRISE, type Json, patchOf, rfcExample, thrown, USER } from "../__fixtures__/index.js";
import { applyPatch } from "./patch/apply-patch.js";
import { validateResource } from "./validate.js";

type Want = { result: (given: Json) => Json } | { error: { status: number; scimType: string } };
type Case = [
  string,
  { type: "User" | "Group"; given: Json; operations: Json[]; lenient: Want; strict: Want },
];

const user = rfcExample("enterprise-user");
const minimalUser = rfcExample("minimal-user");
const group = rfcExample("group");
const [BABS, MANDY] = group.members;
const NEW_MEMBER = "f648f8d5ea4e4cd38e9c";

const invalidSyntax = { error: { status: 400, scimType: "invalidSyntax" } };

const entra: Case[] = [
  [
    'disable a user: {"op":"Replace","path":"active","value":"False"}',
    {
      type: "User",
      given: user,
      operations: [{ op: "Replace", path: "active", value: "False" }],
      lenient: { result: (u) => ({ ...u, active: false }) },
      strict: invalidSyntax,
    },
  ],
  [
    'a "False" string with a lower-case op',
    {
      type: "User",
      given: user,
      operations: [{ op: "replace", path: "active", value: "False" }],
      lenient: { result: (u) => ({ ...u, active: false }) },
      strict: { error: { status: 400, scimType: "invalidValue" } },
    },
  ],
  [
    'add members: {"op":"Add","path":"members","value":[{"$ref":null,"value":"…"}]}',
    {
      type: "Group",
      given: group,
      operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: NEW_MEMBER }] }],
      lenient: { result: (g) => ({ ...g, members: [BABS, MANDY, { value: NEW_MEMBER }] }) },
      strict: invalidSyntax,
    },
  ],
  [
    'remove members with a value list: {"op":"Remove","path":"members","value":[{"$ref":null,"value":"…"}]}',
    {
      type: "Group",
      given: group,
      operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: BABS.value }] }],
      lenient: { result: (g) => ({ ...g, members: [MANDY] }) },
      strict: invalidSyntax,
    },
  ],
  [
    "remove members with a value list, lower-case op (the RFC has no value on remove)",
    {
      type: "Group",
      given: group,
      operations: [{ op: "remove", path: "members", value: [{ value: BABS.value }, { value: MANDY.value }] }],
      lenient: { result: ({ members: _members, ...g }) => g },
      strict: invalidSyntax,
    },
  ],
  [
    'path-less replace with dotted and URN-qualified keys: {"op":"replace","value":{"name.givenName":…,"urn:…:User:department":…}}',
    {
      type: "User",
      given: user,
      operations: [
        { op: "replace", value: { "name.givenName": "Barbara Jane", [`${ENTERPRISE}:department`]: "Sales" } },
      ],
      lenient: {
        result: (u) => ({
          ...u,
          name: { ...u.name, givenName: "Barbara Jane" },
          [ENTERPRISE]: { ...u[ENTERPRISE], department: "Sales" },
        }),
      },
      strict: { error: { status: 400, scimType: "invalidValue" } },
    },
  ],
  [
    "path-less replace with a URN-qualified key adds the extension to schemas",
    {
      type: "User",
      given: minimalUser,
      operations: [{ op: "replace", value: { [`${ENTERPRISE}:department`]: "Sales" } }],
      lenient: {
        result: (u) => ({ ...u, schemas: [...u.schemas, ENTERPRISE], [ENTERPRISE]: { department: "Sales" } }),
      },
      strict: { error: { status: 400, scimType: "invalidValue" } },
    },
  ],
  [
    'add a work email to a user without one: {"op":"Add","path":"emails[type eq \\"work\\"].value","value":"…"}',
    {
      type: "User",
      given: minimalUser,
      operations: [{ op: "Add", path: 'emails[type eq "work"].value', value: "bjensen@example.com" }],
      lenient: { result: (u) => ({ ...u, emails: [{ type: "work", value: "bjensen@example.com" }] }) },
      strict: invalidSyntax,
    },
  ],
  [
    "the same with a lower-case op: strict has no value to add to (RFC 7644 §3.5.2.3 noTarget)",
    {
      type: "User",
      given: minimalUser,
      operations: [{ op: "add", path: 'emails[type eq "work"].value', value: "bjensen@example.com" }],
      lenient: { result: (u) => ({ ...u, emails: [{ type: "work", value: "bjensen@example.com" }] }) },
      strict: { error: { status: 400, scimType: "noTarget" } },
    },
  ],
  [
    'update the work email: {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"…"}',
    {
      type: "User",
      given: user,
      operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
      lenient: {
        result: (u) => ({
          ...u,
          emails: [{ ...u.emails[0], value: "updatedEmail@microsoft.com" }, u.emails[1]],
          name: { ...u.name, familyName: "updatedFamilyName" },
        }),
      },
      strict: invalidSyntax,
    },
  ],
  [
    'set the manager with a bare id: {"op":"Replace","path":"urn:…:User:manager","value":"managerId"}',
    {
      type: "User",
      given: minimalUser,
      operations: [
        { op: "Replace", path: `${ENTERPRISE}:manager`, value: "26118915-6090-4610-87e4-49d8ca9f808d" },
      ],
      lenient: {
        result: (u) => ({
          ...u,
          schemas: [...u.schemas, ENTERPRISE],
          [ENTERPRISE]: { manager: { value: "26118915-6090-4610-87e4-49d8ca9f808d" } },
        }),
      },
      strict: invalidSyntax,
    },
  ],
  [
    "a bare manager id with a lower-case op: strict wants the complex value (RFC 7643 §4.3)",
    {
      type: "User",
      given: minimalUser,
      operations: [{ op: "replace", path: `${ENTERPRISE}:manager`, value: "managerId" }],
      lenient: {
        result: (u) => ({
          ...u,
          schemas: [...u.schemas, ENTERPRISE],
          [ENTERPRISE]: { manager: { value: "managerId" } },
        }),
      },
      strict: { error: { status: 400, scimType: "invalidValue" } },
    },
  ],
  [
    'rename a group: {"op":"Replace","path":"displayName","value":"…"}',
    {
      type: "Group",
      given: group,
      operations: [
        {
          op: "Replace",
          path: "displayName",
          value: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName",
        },
      ],
      lenient: {
        result: (g) => ({ ...g, displayName: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }),
      },
      strict: invalidSyntax,
    },
  ],
  [
    "remove the manager",
    {
      type: "User",
      given: user,
      operations: [{ op: "Remove", path: `${ENTERPRISE}:manager` }],
      lenient: {
        result: (u) => {
          const { manager: _manager, ...ext } = u[ENTERPRISE];
          return { ...u, [ENTERPRISE]: ext };
        },
      },
      strict: invalidSyntax,
    },
  ],
];

const okta: Case[] = [
  [
    'deactivate a user: {"op":"replace","value":{"active":false}}',
    {
      type: "User",
      given: user,
      operations: [{ op: "replace", value: { active: false } }],
      lenient: { result: (u) => ({ ...u, active: false }) },
      strict: { result: (u) => ({ ...u, active: false }) },
    },
  ],
  [
    'rename a group, sending the unchanged id: {"op":"replace","value":{"id":"<same id>","displayName":"new"}}',
    {
      type: "Group",
      given: group,
      operations: [{ op: "replace", value: { id: group.id, displayName: "Test SCIMv2" } }],
      lenient: { result: (g) => ({ ...g, displayName: "Test SCIMv2" }) },
      strict: { error: { status: 400, scimType: "mutability" } },
    },
  ],
  [
    "a path-less value with a different id is rejected even when lenient (id is readOnly)",
    {
      type: "Group",
      given: group,
      operations: [{ op: "replace", value: { id: "another-id", displayName: "Test SCIMv2" } }],
      lenient: { error: { status: 400, scimType: "mutability" } },
      strict: { error: { status: 400, scimType: "mutability" } },
    },
  ],
  [
    'add members: {"op":"add","path":"members","value":[{"value":"…","display":"…"}]}',
    {
      type: "Group",
      given: group,
      operations: [
        { op: "add", path: "members", value: [{ value: NEW_MEMBER, display: "test.user@okta.local" }] },
      ],
      lenient: {
        result: (g) => ({
          ...g,
          members: [BABS, MANDY, { value: NEW_MEMBER, display: "test.user@okta.local" }],
        }),
      },
      strict: {
        result: (g) => ({
          ...g,
          members: [BABS, MANDY, { value: NEW_MEMBER, display: "test.user@okta.local" }],
        }),
      },
    },
  ],
  [
    'remove a member: {"op":"remove","path":"members[value eq \\"…\\"]"}',
    {
      type: "Group",
      given: group,
      operations: [{ op: "remove", path: `members[value eq "${MANDY.value}"]` }],
      lenient: { result: (g) => ({ ...g, members: [BABS] }) },
      strict: { result: (g) => ({ ...g, members: [BABS] }) },
    },
  ],
];

describe.each([
  ["Microsoft Entra ID", entra],
  ["Okta", okta],
] as const)("%s", (_vendor, cases) => {
  describe.each([false, true])("strict: %s", (strict) => {
    it.each(cases)("%s", (_name, { type, given, operations, lenient, strict: strictWant }) => {
      const want = strict ? strictWant : lenient;
      const before = structuredClone(given);
      if ("error" in want) {
        expect(
          thrown(() => applyPatch(given, patchOf(...operations), { resourceType: type, strict })),
        ).toMatchObject(want.error);
      } else {
        expect(applyPatch(given, patchOf(...operations), { resourceType: type, strict })).toEqual(
          want.result(structuredClone(given)),
        );
      }
      expect(given).toEqual(before);
    });
  });
});

describe("a bare string for a complex attribute with a value sub-attribute", () => {
  it("becomes { value } in lenient mode (Entra's manager), also in validateResource bodies", () => {
    const body = { schemas: [USER, ENTERPRISE], userName: "b", [ENTERPRISE]: { manager: "m-1" } };
    expect((validateResource("User", body, { operation: "create" }) as Json)[ENTERPRISE]).toEqual({
      manager: { value: "m-1" },
    });
    expect(thrown(() => validateResource("User", body, { operation: "create", strict: true }))).toMatchObject(
      {
        status: 400,
        scimType: "invalidValue",
        detail: expect.stringContaining(`${ENTERPRISE}:manager`),
      },
    );
  });
  it("merges into an existing manager: sub-attributes not given are kept (RFC 7644 §3.5.2.3)", () => {
    const result: Json = applyPatch(
      user,
      patchOf({ op: "Replace", path: `${ENTERPRISE}:manager`, value: "m-2" }),
    );
    expect(result[ENTERPRISE].manager).toEqual({ ...user[ENTERPRISE].manager, value: "m-2" });
  });
  it("is not applied to a complex attribute without a value sub-attribute (name)", () => {
    expect(
      thrown(() => applyPatch(user, patchOf({ op: "replace", path: "name", value: "Babs" }))),
    ).toMatchObject({
      status: 400,
      scimType: "invalidValue",
    });
  });
});
