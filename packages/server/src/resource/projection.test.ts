import { describe, expect, it } from "vitest";
import { bundleWith } from "../__fixtures__/bundle-with.js";
import { ENTERPRISE, type Json, rfcExample, thrown, USER } from "../__fixtures__/index.js";
import { validators } from "../generated/index.js";
import { projectResource } from "./projection.js";

const user = rfcExample("enterprise-user");
const { password: _password, ...userWithoutPassword } = user;

const custom = {
  bundle: bundleWith({
    nickName: { returned: "request" },
    "name.middleName": { returned: "request" },
    "emails.type": { returned: "always" },
  }),
  validators,
};

type Case = [string, { given: Parameters<typeof projectResource>[1]; want: Json }];

const cases: Case[] = [
  ["no parameters: everything but returned-never (password)", { given: {}, want: userWithoutPassword }],
  [
    "attributes: only what is named, plus the always-returned id and schemas (RFC 7644 §3.4.2.5)",
    {
      given: { attributes: "userName" },
      want: { schemas: user.schemas, id: user.id, userName: user.userName },
    },
  ],
  [
    "attributes as a list, with spaces",
    {
      given: { attributes: [" userName ", "displayName"] },
      want: { schemas: user.schemas, id: user.id, userName: user.userName, displayName: user.displayName },
    },
  ],
  [
    "attributes with a sub-attribute",
    {
      given: { attributes: "name.givenName,emails.value" },
      want: {
        schemas: user.schemas,
        id: user.id,
        name: { givenName: "Barbara" },
        emails: [{ value: "bjensen@example.com" }, { value: "babs@jensen.org" }],
      },
    },
  ],
  [
    "attributes naming a complex attribute returns its default sub-attributes",
    { given: { attributes: "name" }, want: { schemas: user.schemas, id: user.id, name: user.name } },
  ],
  [
    "attributes with URN-qualified names (core and extension)",
    {
      given: { attributes: `${USER}:userName,${ENTERPRISE}:manager.value` },
      want: {
        schemas: user.schemas,
        id: user.id,
        userName: user.userName,
        [ENTERPRISE]: { manager: { value: user[ENTERPRISE].manager.value } },
      },
    },
  ],
  [
    "attributes naming a whole extension URN",
    {
      given: { attributes: ENTERPRISE },
      want: { schemas: user.schemas, id: user.id, [ENTERPRISE]: user[ENTERPRISE] },
    },
  ],
  [
    "names in any case; output in schema case",
    {
      given: { attributes: ["USERNAME", "Name.GivenName", `${ENTERPRISE.toUpperCase()}:DEPARTMENT`] },
      want: {
        schemas: user.schemas,
        id: user.id,
        userName: user.userName,
        name: { givenName: "Barbara" },
        [ENTERPRISE]: { department: "Tour Operations" },
      },
    },
  ],
  [
    "password is never returned, even when asked for",
    {
      given: { attributes: "password,PASSWORD,userName" },
      want: { schemas: user.schemas, id: user.id, userName: user.userName },
    },
  ],
  [
    "id and schemas are returned even when excluded",
    {
      given: { excludedAttributes: "id,schemas,meta" },
      want: (({ meta: _meta, ...rest }) => rest)(userWithoutPassword),
    },
  ],
  [
    "excludedAttributes: a whole extension URN",
    {
      given: { excludedAttributes: ENTERPRISE },
      want: (({ [ENTERPRISE]: _e, ...rest }) => rest)(userWithoutPassword),
    },
  ],
  [
    "excludedAttributes: sub-attributes, URN-qualified, any case",
    {
      given: { excludedAttributes: ["NAME.givenName", "emails.VALUE", `${ENTERPRISE}:manager`, "groups"] },
      want: (({ groups: _g, ...rest }) => ({
        ...rest,
        name: (({ givenName: _n, ...name }) => name)(user.name),
        emails: user.emails.map(({ value: _v, ...e }: Json) => e),
        [ENTERPRISE]: (({ manager: _m, ...ext }) => ext)(user[ENTERPRISE]),
      }))(userWithoutPassword),
    },
  ],
  [
    "attributes wins over excludedAttributes",
    {
      given: { attributes: "userName", excludedAttributes: "userName" },
      want: { schemas: user.schemas, id: user.id, userName: user.userName },
    },
  ],
  [
    "unknown names are ignored",
    {
      given: { attributes: "userName,favouriteColour,name.nope" },
      want: { schemas: user.schemas, id: user.id, userName: user.userName },
    },
  ],
];

describe("projectResource (RFC 7644 §3.4.2.5, RFC 7643 §7 returned)", () => {
  it.each(cases)("%s", (_name, { given, want }) => {
    const before = structuredClone(user);
    expect(projectResource(user, given)).toEqual(want);
    expect(user).toEqual(before);
  });

  it("strict: an unknown name → 400 invalidValue naming it", () => {
    expect(
      thrown(() => projectResource(user, { attributes: "favouriteColour", strict: true })),
    ).toMatchObject({
      status: 400,
      scimType: "invalidValue",
      detail: expect.stringContaining("favouriteColour"),
    });
  });

  it("stored names in another case come out in schema case", () => {
    const stored = {
      SCHEMAS: user.schemas,
      ID: user.id,
      UserName: "b",
      NAME: { GIVENNAME: "B" },
      PassWord: "x",
    };
    expect(projectResource(stored, { resourceType: "User" })).toEqual({
      schemas: user.schemas,
      id: user.id,
      userName: "b",
      name: { givenName: "B" },
    });
  });

  it("the resource type comes from meta.resourceType (a Group)", () => {
    const group = rfcExample("group");
    expect(projectResource(group, { attributes: "displayName" })).toEqual({
      schemas: group.schemas,
      id: group.id,
      displayName: group.displayName,
    });
  });
});

describe("returned: request and always sub-attributes (a bundle with changed characteristics)", () => {
  const stored = { ...user, nickName: "Babs", name: { ...user.name, middleName: "Jane" } };
  it("request attributes are left out by default and by excludedAttributes", () => {
    for (const options of [{}, { excludedAttributes: "title" }]) {
      const projected: Json = projectResource(stored, { ...custom, ...options });
      expect(projected).not.toHaveProperty("nickName");
      expect(projected.name).not.toHaveProperty("middleName");
      expect(projected.name.givenName).toBe("Barbara");
    }
  });
  it("request attributes are returned when named in attributes", () => {
    expect(projectResource(stored, { ...custom, attributes: "nickName,name.middleName" })).toEqual({
      schemas: user.schemas,
      id: user.id,
      nickName: "Babs",
      name: { middleName: "Jane" },
    });
  });
  it("a request sub-attribute is not returned by naming only its parent", () => {
    expect((projectResource(stored, { ...custom, attributes: "name" }) as Json).name).not.toHaveProperty(
      "middleName",
    );
  });
  it("an always sub-attribute is returned with its parent even when not named or excluded", () => {
    const only: Json = projectResource(stored, { ...custom, attributes: "emails.value" });
    expect(only.emails).toEqual(user.emails.map(({ value, type }: Json) => ({ value, type })));
    const excluded: Json = projectResource(stored, { ...custom, excludedAttributes: "emails.type" });
    expect(excluded.emails).toEqual(user.emails);
  });
});
