// Every PATCH example of RFC 7644 §3.5.2 (Figures 6 and 8 and the examples of §3.5.2.1–§3.5.2.3),
// transcribed as printed (elided ids "…...…" kept where the RFC elides them), applied to the RFC 7643
// §8.2 (full User) and §8.4 (Group) examples, in lenient and strict mode.
import { describe, expect, it } from "vitest";
import { type Json, PATCH_OP, rfcExample, thrown } from "../../__fixtures__/index.js";
import { applyPatch } from "./apply-patch.js";

const BABS_ID = "2819c223-7f76-453a-919d-413861904646";
const MANDY = rfcExample("group").members[1];
const BABS = rfcExample("group").members[0];

/** §3.5.2 Figure 6 and §3.5.2.1: add Babs Jensen to a group. */
const addBabs = {
  schemas: [PATCH_OP],
  Operations: [
    {
      op: "add",
      path: "members",
      value: [
        {
          display: "Babs Jensen",
          $ref: "https://example.com/v2/Users/2819c223...413861904646",
          value: "2819c223-7f76-453a-919d-413861904646",
        },
      ],
    },
  ],
};

/** §3.5.2.1: add attributes without a path (the printed body lacks the "value" object's closing brace). */
const addPathless = {
  schemas: [PATCH_OP],
  Operations: [
    { op: "add", value: { emails: [{ value: "babs@jensen.org", type: "home" }], nickname: "Babs" } },
  ],
};

/** §3.5.2.2: remove a single member (the id is elided in the RFC). */
const removeMemberAsPrinted = {
  schemas: [PATCH_OP],
  Operations: [{ op: "remove", path: 'members[value eq "2819c223-7f76-...413861904646"]' }],
};
const removeMember = {
  schemas: [PATCH_OP],
  Operations: [{ op: "remove", path: `members[value eq "${BABS_ID}"]` }],
};

/** §3.5.2.2: remove all members. */
const removeAllMembers = { schemas: [PATCH_OP], Operations: [{ op: "remove", path: "members" }] };

/** §3.5.2.2: remove a value from a complex multi-valued attribute. */
const removeWorkEmail = {
  schemas: [PATCH_OP],
  Operations: [{ op: "remove", path: 'emails[type eq "work" and value ew "example.com"]' }],
};

/** §3.5.2.2: remove and add a member (no space between `eq` and the string, as printed). */
const removeAndAdd = (removedId: string) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: "remove", path: `members[value eq"${removedId}"]` },
    {
      op: "add",
      path: "members",
      value: [
        {
          display: "James Smith",
          $ref: "https://example.com/v2/Users/08e1d05d...473d93df9210",
          value: "08e1d05d...473d93df9210",
        },
      ],
    },
  ],
});

/** §3.5.2.2: replace all members with remove + add. */
const removeAllThenAdd = {
  schemas: [PATCH_OP],
  Operations: [
    { op: "remove", path: "members" },
    {
      op: "add",
      path: "members",
      value: [
        {
          display: "Babs Jensen",
          $ref: "https://example.com/v2/Users/2819c223...413861904646",
          value: "2819c223-7f76-453a-919d-413861904646",
        },
        {
          display: "James Smith",
          $ref: "https://example.com/v2/Users/08e1d05d...473d93df9210",
          value: "08e1d05d-121c-4561-8b96-473d93df9210",
        },
      ],
    },
  ],
};

/** §3.5.2.3: replace all members in one operation. */
const replaceMembers = {
  schemas: [PATCH_OP],
  Operations: [
    {
      op: "replace",
      path: "members",
      value: [
        {
          display: "Babs Jensen",
          $ref: "https://example.com/v2/Users/2819c223...413861904646",
          value: "2819c223...413861904646",
        },
        {
          display: "James Smith",
          $ref: "https://example.com/v2/Users/08e1d05d...473d93df9210",
          value: "08e1d05d...473d93df9210",
        },
      ],
    },
  ],
};

/** §3.5.2.3: replace the whole work address; its primary resets the others'. */
const newWorkAddress = {
  type: "work",
  streetAddress: "911 Universal City Plaza",
  locality: "Hollywood",
  region: "CA",
  postalCode: "91608",
  country: "US",
  formatted: "911 Universal City Plaza\nHollywood, CA 91608 US",
  primary: true,
};
const replaceWorkAddress = {
  schemas: [PATCH_OP],
  Operations: [{ op: "replace", path: 'addresses[type eq "work"]', value: newWorkAddress }],
};

/** §3.5.2.3: replace one sub-attribute of the filtered values. */
const replaceStreet = {
  schemas: [PATCH_OP],
  Operations: [
    { op: "replace", path: 'addresses[type eq "work"].streetAddress', value: "1010 Broadway Ave" },
  ],
};

/** §3.5.2.3: replace attributes without a path. */
const replacePathless = {
  schemas: [PATCH_OP],
  Operations: [
    {
      op: "replace",
      value: {
        emails: [
          { value: "bjensen@example.com", type: "work", primary: true },
          { value: "babs@jensen.org", type: "home" },
        ],
        nickname: "Babs",
      },
    },
  ],
};

type Case = [string, { type: "User" | "Group"; given: Json; request: Json; want: (given: Json) => Json }];

const group = rfcExample("group");
const groupWithoutBabs = { ...group, members: [MANDY] };
const fullUser = rfcExample("full-user");
const minimalUser = rfcExample("minimal-user");

const cases: Case[] = [
  [
    "§3.5.2.1 add a member who already is one: no change",
    { type: "Group", given: group, request: addBabs, want: (g) => g },
  ],
  [
    "§3.5.2.1 add a member",
    {
      type: "Group",
      given: groupWithoutBabs,
      request: addBabs,
      want: (g) => ({ ...g, members: [MANDY, addBabs.Operations[0]?.value[0]] }),
    },
  ],
  [
    "§3.5.2.1 add without a path to the §8.2 user (values already there: no change)",
    { type: "User", given: fullUser, request: addPathless, want: (u) => u },
  ],
  [
    "§3.5.2.1 add without a path to the §8.1 user (names in schema case)",
    {
      type: "User",
      given: minimalUser,
      request: addPathless,
      want: (u) => ({ ...u, emails: [{ value: "babs@jensen.org", type: "home" }], nickName: "Babs" }),
    },
  ],
  [
    "§3.5.2.2 remove a member, id elided as printed: not a member, no change",
    { type: "Group", given: group, request: removeMemberAsPrinted, want: (g) => g },
  ],
  [
    "§3.5.2.2 remove a member",
    { type: "Group", given: group, request: removeMember, want: (g) => ({ ...g, members: [MANDY] }) },
  ],
  [
    "§3.5.2.2 remove the last member: members becomes unassigned",
    {
      type: "Group",
      given: { ...group, members: [BABS] },
      request: removeMember,
      want: ({ members: _members, ...g }) => g,
    },
  ],
  [
    "§3.5.2.2 remove all members",
    { type: "Group", given: group, request: removeAllMembers, want: ({ members: _members, ...g }) => g },
  ],
  [
    "§3.5.2.2 remove a value from a complex multi-valued attribute",
    {
      type: "User",
      given: fullUser,
      request: removeWorkEmail,
      want: (u) => ({ ...u, emails: [{ value: "babs@jensen.org", type: "home" }] }),
    },
  ],
  [
    "§3.5.2.2 remove and add a member",
    {
      type: "Group",
      given: group,
      request: removeAndAdd(BABS_ID),
      want: (g) => ({
        ...g,
        members: [
          MANDY,
          {
            display: "James Smith",
            $ref: "https://example.com/v2/Users/08e1d05d...473d93df9210",
            value: "08e1d05d...473d93df9210",
          },
        ],
      }),
    },
  ],
  [
    "§3.5.2.2 replace all members with remove + add",
    {
      type: "Group",
      given: group,
      request: removeAllThenAdd,
      want: (g) => ({ ...g, members: removeAllThenAdd.Operations[1]?.value }),
    },
  ],
  [
    "§3.5.2.3 replace all members",
    {
      type: "Group",
      given: group,
      request: replaceMembers,
      want: (g) => ({ ...g, members: replaceMembers.Operations[0]?.value }),
    },
  ],
  [
    "§3.5.2.3 replace the work address (primary stays single)",
    {
      type: "User",
      given: fullUser,
      request: replaceWorkAddress,
      want: (u) => ({ ...u, addresses: [newWorkAddress, u.addresses[1]] }),
    },
  ],
  [
    "§3.5.2.3 replace the work address of a user whose home address was primary: home is reset",
    {
      type: "User",
      given: {
        ...fullUser,
        addresses: [
          { ...fullUser.addresses[0], primary: false },
          { ...fullUser.addresses[1], primary: true },
        ],
      },
      request: replaceWorkAddress,
      want: (u) => ({ ...u, addresses: [newWorkAddress, { ...u.addresses[1], primary: false }] }),
    },
  ],
  [
    "§3.5.2.3 replace the streetAddress of the work address",
    {
      type: "User",
      given: fullUser,
      request: replaceStreet,
      want: (u) => ({
        ...u,
        addresses: [{ ...u.addresses[0], streetAddress: "1010 Broadway Ave" }, u.addresses[1]],
      }),
    },
  ],
  [
    "§3.5.2.3 replace without a path",
    {
      type: "User",
      given: { ...fullUser, nickName: "Barbara", emails: [{ value: "old@example.com" }] },
      request: replacePathless,
      want: (u) => ({ ...u, nickName: "Babs", emails: replacePathless.Operations[0]?.value.emails }),
    },
  ],
];

describe.each([false, true])("RFC 7644 §3.5.2 examples (strict: %s)", (strict) => {
  it.each(cases)("%s", (_name, { type, given, request, want }) => {
    const before = structuredClone(given);
    const result = applyPatch(given, request, { resourceType: type, strict });
    expect(result).toEqual(want(structuredClone(given)));
    expect(given).toEqual(before);
  });
});

describe("RFC 7644 §3.5.2 Figure 8: example path values", () => {
  it.each([
    ["members", { type: "Group", given: group, want: undefined }],
    ["name.familyName", { type: "User", given: fullUser, want: undefined }],
    ['addresses[type eq "work"]', { type: "User", given: fullUser, want: undefined }],
    [`members[value eq "${BABS_ID}"]`, { type: "Group", given: group, want: undefined }],
    // members has no displayName sub-attribute (RFC 7643 §4.2; §8.7.1 defines value, $ref, type, display):
    // the printed example names nothing, so it is a 400 invalidPath.
    [
      `members[value eq "${BABS_ID}"].displayName`,
      { type: "Group", given: group, want: { status: 400, scimType: "invalidPath" } },
    ],
  ] as const)("remove %s", (path, { type, given, want }) => {
    const error = thrown(() =>
      applyPatch(
        given,
        { schemas: [PATCH_OP], Operations: [{ op: "remove", path }] },
        { resourceType: type },
      ),
    );
    if (want === undefined) expect(error).toBeUndefined();
    else expect(error).toMatchObject(want);
  });
});

describe("more forms on the RFC resources", () => {
  it("adds an x509Certificates value (binary) to the §8.1 user", () => {
    const result: Json = applyPatch(minimalUser, {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "x509Certificates", value: [{ value: "MIIDQzCCAqygAwIBAgICEAA=" }] }],
    });
    expect(result.x509Certificates).toEqual([{ value: "MIIDQzCCAqygAwIBAgICEAA=" }]);
  });
  it("rejects an x509Certificates value that is not base64 (RFC 7643 §2.3.6)", () => {
    expect(
      thrown(() =>
        applyPatch(minimalUser, {
          schemas: [PATCH_OP],
          Operations: [{ op: "add", path: "x509Certificates", value: [{ value: "not base64!" }] }],
        }),
      ),
    ).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
  it("replaces a single-valued sub-attribute (name.familyName)", () => {
    const result: Json = applyPatch(fullUser, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", path: "name.familyName", value: "Jensen-Smith" }],
    });
    expect(result.name).toEqual({ ...fullUser.name, familyName: "Jensen-Smith" });
  });
  it("add on a complex attribute merges sub-attributes (§3.5.2.1)", () => {
    const result: Json = applyPatch(fullUser, {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "name", value: { givenName: "Babs" } }],
    });
    expect(result.name).toEqual({ ...fullUser.name, givenName: "Babs" });
  });
});
