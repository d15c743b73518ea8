import { isScimError } from "@scimkit/core";
import { applyPatch } from "@scimkit/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyPatchLocally } from "./local-patch.js";
import { diff } from "./patch-diff.js";
import type { PatchOperation } from "./patch-operation.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Resource = Record<string, unknown>;
const local = (resource: Resource, ops: readonly PatchOperation[]) =>
  applyPatchLocally(resource, ops, { resourceType: "User" });
const server = (resource: Resource, ops: readonly PatchOperation[]) =>
  applyPatch(resource, { schemas: [PATCH_OP], Operations: ops }, { resourceType: "User" }) as Resource;

const bjensen: Resource = {
  schemas: [USER],
  id: "2819c223",
  userName: "bjensen",
  name: { givenName: "Barbara", familyName: "Jensen" },
  emails: [
    { value: "bjensen@example.com", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
};

describe("applyPatchLocally: RFC 7644 §3.5.2 operations", () => {
  const cases: { name: string; ops: PatchOperation[]; check: (r: Resource) => void }[] = [
    {
      name: "replace a simple attribute",
      ops: [{ op: "replace", path: "userName", value: "babs" }],
      check: (r) => expect(r.userName).toBe("babs"),
    },
    {
      name: "add to a multi-valued attribute appends, skipping values already there (§3.5.2.1)",
      ops: [
        {
          op: "add",
          path: "emails",
          value: [{ value: "new@example.com" }, { value: "babs@jensen.org", type: "home" }],
        },
      ],
      check: (r) => expect((r.emails as unknown[]).length).toBe(3),
    },
    {
      name: "replace of a single complex attribute keeps unspecified sub-attributes (§3.5.2.3)",
      ops: [{ op: "replace", path: "name", value: { givenName: "Babs" } }],
      check: (r) => expect(r.name).toStrictEqual({ givenName: "Babs", familyName: "Jensen" }),
    },
    {
      name: "replace a sub-attribute of the values a filter selects",
      ops: [{ op: "replace", path: 'emails[type eq "work"].value', value: "b@example.com" }],
      check: (r) => expect((r.emails as Resource[])[0]?.value).toBe("b@example.com"),
    },
    {
      name: "remove the values a filter selects",
      ops: [{ op: "remove", path: 'emails[type eq "home"]' }],
      check: (r) =>
        expect(r.emails).toStrictEqual([{ value: "bjensen@example.com", type: "work", primary: true }]),
    },
    {
      name: "names are case-insensitive (RFC 7643 §2.1)",
      ops: [{ op: "replace", path: "NAME.GIVENNAME", value: "B" }],
      check: (r) => expect(r.name).toStrictEqual({ givenName: "B", familyName: "Jensen" }),
    },
    {
      name: "an extension attribute by its URN, listed in schemas",
      ops: [{ op: "add", path: `${ENTERPRISE}:employeeNumber`, value: "42" }],
      check: (r) => {
        expect(r[ENTERPRISE]).toStrictEqual({ employeeNumber: "42" });
        expect(r.schemas).toStrictEqual([USER, ENTERPRISE]);
      },
    },
    {
      name: "path-less add with an extension object and Entra's capitalised op",
      ops: [{ op: "Add" as "add", value: { nickName: "B", [ENTERPRISE]: { department: "R&D" } } }],
      check: (r) => {
        expect(r.nickName).toBe("B");
        expect(r[ENTERPRISE]).toStrictEqual({ department: "R&D" });
      },
    },
  ];
  for (const { name, ops, check } of cases) {
    it(name, () => {
      const before = structuredClone(bjensen);
      const out = local(bjensen, ops);
      check(out);
      expect(bjensen).toStrictEqual(before); // never mutates its input
      expect(out).toStrictEqual(server(bjensen, ops)); // and agrees with the server's engine
    });
  }

  it("a value newly set as primary makes the others non-primary, as the server does (RFC 7643 §2.4)", () => {
    const ops: PatchOperation[] = [
      { op: "add", path: "emails", value: [{ value: "new@example.com", primary: true }] },
    ];
    const out = local(bjensen, ops);
    expect((out.emails as Resource[]).filter((e) => e.primary === true)).toStrictEqual([
      { value: "new@example.com", primary: true },
    ]);
    expect(out).toStrictEqual(server(bjensen, ops));
    const filtered: PatchOperation[] = [
      { op: "replace", path: 'emails[type eq "home"].primary', value: true },
    ];
    expect(local(bjensen, filtered)).toStrictEqual(server(bjensen, filtered));
  });

  it("finds the core schema from the resource type, not from the order of schemas", () => {
    const reordered = { ...bjensen, schemas: [ENTERPRISE, USER], [ENTERPRISE]: { department: "R&D" } };
    const out = local(reordered, [
      { op: "replace", path: `${ENTERPRISE}:employeeNumber`, value: "7" },
      { op: "replace", path: `${USER}:displayName`, value: "Babs" },
    ]);
    expect(out.displayName).toBe("Babs");
    expect(out[ENTERPRISE]).toStrictEqual({ department: "R&D", employeeNumber: "7" });
    expect(out).not.toHaveProperty(USER);
    expect(out).not.toHaveProperty("employeeNumber");
  });

  it("fails like the server: noTarget, invalidPath, invalidSyntax", () => {
    const fail = (ops: PatchOperation[]) => {
      try {
        local(bjensen, ops);
      } catch (error) {
        return isScimError(error) ? [error.status, error.scimType] : error;
      }
      return "no error";
    };
    expect(fail([{ op: "replace", path: 'emails[type eq "other"].value', value: "x" }])).toStrictEqual([
      400,
      "noTarget",
    ]);
    expect(fail([{ op: "remove" } as PatchOperation])).toStrictEqual([400, "noTarget"]);
    expect(fail([{ op: "replace", path: "emails[type eq", value: "x" }])).toStrictEqual([400, "invalidPath"]);
    expect(fail([{ op: "move" as "add", path: "userName", value: "x" }])).toStrictEqual([
      400,
      "invalidSyntax",
    ]);
  });

  it("never writes a prototype", () => {
    const hostile = JSON.parse('{"op":"add","value":{"__proto__":{"polluted":true}}}') as PatchOperation;
    expect(() => local(bjensen, [hostile])).toThrow(/not an attribute name/);
    expect(() => local(bjensen, [{ op: "add", path: "__proto__", value: { polluted: true } }])).toThrow();
    expect(({} as Resource).polluted).toBeUndefined();
  });
});

// Properties

const word = fc.constantFrom("alice", "Bob", 'q"uote', "back\\slash", "émile");
const email = fc.record(
  {
    value: fc.constantFrom("a@example.com", "b@example.com", "c@example.com"),
    type: fc.constantFrom("work", "home"),
  },
  { requiredKeys: ["value"] },
);
const userArb = fc.record(
  {
    userName: word,
    displayName: word,
    active: fc.boolean(),
    name: fc.record({ givenName: word, familyName: word }, { requiredKeys: [] }),
    emails: fc.uniqueArray(email, { selector: (e) => e.value, maxLength: 3 }),
    [ENTERPRISE]: fc.record({ employeeNumber: fc.constantFrom("1", "42") }),
  },
  { requiredKeys: ["userName"] },
);
/**
 * The JSON, without empty arrays and objects: `[]`, `{}` and absent are all "unassigned" (RFC 7643 §2.5). (Also, fast-check
 * makes some objects without a prototype, which strict equality would tell apart.)
 */
const isEmptyObject = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
const plain = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      (Array.isArray(v) && v.length === 0) || (isEmptyObject(v) && _key !== "") ? undefined : v,
    ),
  ) as unknown;
const withSchemas = (user: Resource): Resource => ({
  schemas: ENTERPRISE in user ? [USER, ENTERPRISE] : [USER],
  id: "u1",
  ...user,
});

const opArb: fc.Arbitrary<PatchOperation> = fc.oneof(
  fc.record({
    op: fc.constantFrom("add" as const, "replace" as const),
    path: fc.constant("displayName"),
    value: word,
  }),
  fc.record({
    op: fc.constantFrom("add" as const, "replace" as const),
    path: fc.constant("name.givenName"),
    value: word,
  }),
  fc.record({ op: fc.constant("replace" as const), path: fc.constant("active"), value: fc.boolean() }),
  fc.record({
    op: fc.constant("add" as const),
    path: fc.constant("emails"),
    value: fc.uniqueArray(email, { selector: (e) => e.value, maxLength: 2 }),
  }),
  fc.record({
    op: fc.constant("replace" as const),
    path: fc.constantFrom('emails[type eq "work"].value', 'emails[value eq "a@example.com"].type'),
    value: fc.constantFrom("z@example.com", "home"),
  }),
  fc.record({
    op: fc.constant("remove" as const),
    path: fc.constantFrom(
      "displayName",
      "name.familyName",
      "emails",
      'emails[type eq "home"]',
      `${ENTERPRISE}:employeeNumber`,
    ),
  }),
  fc.record({
    op: fc.constant("add" as const),
    path: fc.constant(`${ENTERPRISE}:employeeNumber`),
    value: fc.constant("7"),
  }),
);

describe("applyPatchLocally properties", () => {
  it("applying diff(a, b) to a yields what the server's engine yields", () => {
    fc.assert(
      fc.property(userArb, userArb, (x, y) => {
        const a = withSchemas(x);
        const ops = diff(a, withSchemas(y));
        // the server's engine refuses an empty Operations list (RFC 7644 §3.5.2: one or more)
        const theirs = ops.length === 0 ? a : server(a, ops);
        expect(plain(local(a, ops))).toStrictEqual(plain(theirs));
      }),
      { numRuns: 400 },
    );
  });

  it("agrees with the server's engine whenever both succeed; throws only ScimError; never mutates", () => {
    fc.assert(
      fc.property(userArb, fc.array(opArb, { maxLength: 5 }), (x, ops) => {
        const a = withSchemas(x);
        const snapshot = JSON.stringify(a);
        let mine: Resource | undefined;
        try {
          mine = local(a, ops);
        } catch (error) {
          expect(isScimError(error)).toBe(true);
        }
        expect(JSON.stringify(a)).toBe(snapshot);
        let theirs: Resource | undefined;
        try {
          theirs = server(a, ops);
        } catch {
          theirs = undefined;
        }
        if (mine !== undefined && theirs !== undefined) expect(plain(mine)).toStrictEqual(plain(theirs));
      }),
      { numRuns: 600 },
    );
  });
});
