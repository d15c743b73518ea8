/// <reference types="node" />
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { applyPatch, createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScimClient, type PatchOperation, type ScimClient, ScimError } from "./index.js";
import { diff } from "./patch-diff.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Resource = Record<string, unknown>;

const base: Resource = {
  schemas: [USER],
  id: "2819c223",
  userName: "bjensen",
  name: { givenName: "Barbara", familyName: "Jensen" },
  emails: [{ value: "bjensen@example.com", type: "work", primary: true }],
};

const cases: { name: string; before: Resource; after: Resource; ops: PatchOperation[] }[] = [
  { name: "identical resources", before: base, after: { ...base }, ops: [] },
  {
    name: "changed simple attribute",
    before: base,
    after: { ...base, userName: "babs" },
    ops: [{ op: "replace", path: "userName", value: "babs" }],
  },
  {
    name: "new simple attribute",
    before: base,
    after: { ...base, active: false },
    ops: [{ op: "replace", path: "active", value: false }],
  },
  {
    name: "removed simple attribute (absent or null)",
    before: { ...base, displayName: "Babs", nickName: "B" },
    after: { ...base, nickName: null },
    ops: [
      { op: "remove", path: "displayName" },
      { op: "remove", path: "nickName" },
    ],
  },
  {
    name: "single complex attribute, per sub-attribute",
    before: base,
    after: { ...base, name: { givenName: "Babs", middleName: "J" } },
    ops: [
      { op: "remove", path: "name.familyName" },
      { op: "replace", path: "name.givenName", value: "Babs" },
      { op: "replace", path: "name.middleName", value: "J" },
    ],
  },
  {
    name: "multi-valued: add a new element",
    before: base,
    after: { ...base, emails: [...(base.emails as object[]), { value: "babs@home.example", type: "home" }] },
    ops: [{ op: "add", path: "emails", value: [{ value: "babs@home.example", type: "home" }] }],
  },
  {
    name: "multi-valued: drop an element with a value filter (type included)",
    before: { ...base, emails: [...(base.emails as object[]), { value: "babs@home.example", type: "home" }] },
    after: base,
    ops: [{ op: "remove", path: 'emails[value eq "babs@home.example" and type eq "home"]' }],
  },
  {
    name: "multi-valued: filter strings escaped as JSON strings",
    before: { members: [{ value: 'a"b\\c' }, { value: "keep" }] },
    after: { members: [{ value: "keep" }] },
    ops: [{ op: "remove", path: 'members[value eq "a\\"b\\\\c"]' }],
  },
  {
    name: "multi-valued: a changed element is removed and re-added",
    before: base,
    after: { ...base, emails: [{ value: "bjensen@example.com", type: "work", primary: false }] },
    ops: [
      { op: "remove", path: 'emails[value eq "bjensen@example.com" and type eq "work"]' },
      { op: "add", path: "emails", value: [{ value: "bjensen@example.com", type: "work", primary: false }] },
    ],
  },
  {
    name: "multi-valued: reordering is not a change",
    before: { members: [{ value: "1" }, { value: "2" }] },
    after: { members: [{ value: "2" }, { value: "1" }] },
    ops: [],
  },
  {
    name: "multi-valued: unidentifiable elements replace the whole attribute",
    before: { phoneNumbers: [{ display: "555" }] },
    after: { phoneNumbers: [{ display: "556" }] },
    ops: [{ op: "replace", path: "phoneNumbers", value: [{ display: "556" }] }],
  },
  {
    name: "multi-valued: values equal ignoring case cannot be identified",
    before: { emails: [{ value: "a@x" }, { value: "A@x" }] },
    after: { emails: [{ value: "a@x" }] },
    ops: [{ op: "replace", path: "emails", value: [{ value: "a@x" }] }],
  },
  {
    name: "multi-valued: all elements dropped",
    before: base,
    after: { ...base, emails: [] },
    ops: [{ op: "remove", path: "emails" }],
  },
  {
    name: "extension attributes as URN-qualified paths",
    before: { ...base, [ENTERPRISE]: { employeeNumber: "1", manager: { value: "m1" } } },
    after: { ...base, [ENTERPRISE]: { employeeNumber: "2", manager: { value: "m2" } } },
    ops: [
      { op: "replace", path: `${ENTERPRISE}:employeeNumber`, value: "2" },
      { op: "replace", path: `${ENTERPRISE}:manager.value`, value: "m2" },
    ],
  },
  {
    name: "extension removed",
    before: { ...base, [ENTERPRISE]: { employeeNumber: "1" } },
    after: base,
    ops: [{ op: "remove", path: `${ENTERPRISE}:employeeNumber` }],
  },
  {
    name: "readOnly/common attributes ignored",
    before: base,
    after: {
      ...base,
      id: "other",
      meta: { version: 'W/"2"' },
      schemas: [USER, ENTERPRISE],
      groups: [{ value: "g" }],
    },
    ops: [],
  },
  {
    name: "names compared case-sensitively as given",
    before: { username: "a" },
    after: { userName: "a" },
    ops: [
      { op: "remove", path: "username" },
      { op: "replace", path: "userName", value: "a" },
    ],
  },
];

describe("diff", () => {
  it.each(cases)("$name", ({ before, after, ops }) => {
    expect(diff(before, after)).toEqual(ops);
  });

  it("honours options.ignore", () => {
    expect(diff({ a: 1, externalId: "x" }, { a: 1, externalId: "y" }, { ignore: ["externalId"] })).toEqual(
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Property: applyPatch(a, diff(a, b)) equals b on the attributes diff handles.

const word = fc.constantFrom("alice", "Bob", 'q"uote', "back\\slash", "émile", "x y");
const emailArb = fc.record(
  {
    value: fc.constantFrom(
      "a@example.com",
      "A@example.com",
      "b@example.com",
      "c@example.com",
      'd"q@example.com',
    ),
    type: fc.constantFrom("work", "home"),
    primary: fc.boolean(),
  },
  { requiredKeys: ["value"] },
);
const emailsArb = fc.uniqueArray(emailArb, { selector: (e) => e.value, maxLength: 3 }).map((emails) => {
  // At most one primary (RFC 7643 §2.4).
  let seen = false;
  return emails.map((e) => {
    if (e.primary !== true) return e;
    if (seen) return { ...e, primary: false };
    seen = true;
    return e;
  });
});
const userArb = fc.record(
  {
    userName: word,
    displayName: word,
    active: fc.boolean(),
    name: fc.record({ givenName: word, familyName: word }, { requiredKeys: [] }),
    emails: emailsArb,
    [ENTERPRISE]: fc.record({ employeeNumber: fc.constantFrom("1", "42", "007") }),
  },
  { requiredKeys: ["userName"] },
);

/** Drops ignored attributes, empty complex/multi-valued values, and orders multi-valued elements. */
function normalize(resource: Resource): Resource {
  const out: Resource = {};
  for (const [key, value] of Object.entries(resource)) {
    if (["id", "meta", "schemas", "groups"].includes(key) || value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      out[key] = [...value]
        .map((item) => (typeof item === "object" && item !== null ? normalize(item as Resource) : item))
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    } else if (typeof value === "object") {
      const inner = normalize(value as Resource);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else out[key] = value;
  }
  return out;
}

function withSchemas(user: Resource): Resource {
  return { schemas: ENTERPRISE in user ? [USER, ENTERPRISE] : [USER], id: "u1", ...user };
}

describe("diff + applyPatch", () => {
  it("applying diff(a, b) to a yields b", () => {
    fc.assert(
      fc.property(userArb, userArb, (x, y) => {
        const a = withSchemas(x);
        const b = withSchemas(y);
        const ops = diff(a, b);
        const patched = ops.length === 0 ? a : applyPatch(a, { schemas: [PATCH_OP], Operations: ops });
        expect(normalize(patched)).toEqual(normalize(b));
      }),
      { numRuns: 500 },
    );
  });

  it("diff(a, a) is empty", () => {
    fc.assert(
      fc.property(userArb, (x) => {
        expect(diff(withSchemas(x), structuredClone(withSchemas(x)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// client.users.update against the reference server

describe("client.users.update", () => {
  let server: Server;
  let client: ScimClient;
  const methods: string[] = [];

  beforeAll(async () => {
    const listener = toNodeListener(
      createScimHandler({ store: new MemoryStore(), auth: { tokens: ["diff-test-token-0123"] } }),
    );
    server = createServer((request, response) => {
      methods.push(request.method ?? "");
      return listener(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = createScimClient({ baseUrl: `http://127.0.0.1:${port}/scim/v2`, token: "diff-test-token-0123" });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("PATCHes the diff, and sends nothing when nothing changed", async () => {
    const created = await client.users.create({
      schemas: [USER],
      userName: "upd",
      name: { givenName: "Barbara" },
      emails: [{ value: "a@example.com", type: "work" }],
    });
    methods.length = 0;
    const same = await client.users.update(created.id, created, structuredClone(created));
    expect(same).toBe(created);
    expect(methods).toEqual([]);

    const after = {
      ...created,
      displayName: "Babs",
      name: { givenName: "Babs" },
      emails: [{ value: "b@example.com", type: "home" }],
    };
    const saved = await client.users.update(created.id, created, after);
    expect(methods).toEqual(["PATCH"]);
    expect(saved.displayName).toBe("Babs");
    expect(saved.name?.givenName).toBe("Babs");
    expect(saved.emails).toEqual([{ value: "b@example.com", type: "home" }]);
    expect(await client.users.get(created.id)).toMatchObject({ displayName: "Babs" });
  });

  it("passes ifMatch through", async () => {
    const created = await client.users.create({ schemas: [USER], userName: "upd-etag" });
    await client.users.update(created.id, created, { ...created, nickName: "x" });
    const error = await client.users
      .update(
        created.id,
        created,
        { ...created, nickName: "y" },
        { ifMatch: created.meta?.version ?? 'W/"0"' },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).status).toBe(412);
  });
});
