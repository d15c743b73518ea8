import { describe, expect, it } from "vitest";
import { type FailedRequest, quirkHints } from "./quirks.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (scimType: string, ...Operations: unknown[]): FailedRequest => ({
  method: "PATCH",
  status: 400,
  scimType,
  requestBody: { schemas: [PATCH_OP], Operations },
});

// Each row is a request the strict server refuses (server README, "Lenient by default, strict on
// request"), and the IdP the hint must name.
const cases: [string, { given: FailedRequest; want: RegExp }][] = [
  [
    "capitalised op",
    { given: patch("invalidSyntax", { op: "Replace", path: "active", value: false }), want: /Entra ID/ },
  ],
  [
    "Op/Path/Value member names",
    { given: patch("invalidSyntax", { Op: "replace", Path: "active", Value: false }), want: /Entra ID/ },
  ],
  [
    "string booleans",
    {
      given: patch("invalidValue", { op: "replace", path: "active", value: "False" }),
      want: /"True" \/ "False"/,
    },
  ],
  [
    "remove of members with a value list",
    {
      given: patch("invalidSyntax", { op: "remove", path: "members", value: [{ value: "u1" }] }),
      want: /members\[value eq/,
    },
  ],
  [
    "path-less replace with dotted keys",
    {
      given: patch("invalidValue", { op: "replace", value: { "name.givenName": "Barbara" } }),
      want: /dotted or URN-qualified keys/,
    },
  ],
  [
    "an unqualified extension attribute",
    {
      given: patch("invalidPath", { op: "add", path: "department", value: "Sales" }),
      want: /enterprise:2.0:User:department/,
    },
  ],
  [
    "URN.attribute",
    {
      given: patch("invalidPath", {
        op: "add",
        path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager",
        value: { value: "m" },
      }),
      want: /with a colon/,
    },
  ],
  [
    "a one-element list for manager",
    {
      given: patch("invalidValue", {
        op: "add",
        path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        value: [{ value: "m" }],
      }),
      want: /single-valued/,
    },
  ],
  [
    "the unchanged id in a path-less value",
    { given: patch("mutability", { op: "replace", value: { id: "u1", active: false } }), want: /Okta/ },
  ],
  [
    "no PatchOp URN",
    {
      given: {
        method: "PATCH",
        status: 400,
        scimType: "invalidSyntax",
        requestBody: { Operations: [{ op: "replace", path: "active", value: false }] },
      },
      want: /PatchOp URN/,
    },
  ],
  [
    "a value outside canonicalValues",
    {
      given: {
        method: "POST",
        status: 400,
        scimType: "invalidValue",
        detail: '"emails[0].type" is "office"; strict mode accepts only "work", "home", "other"',
        requestBody: {},
      },
      want: /Okta custom types/,
    },
  ],
];

describe("quirkHints", () => {
  it.each(cases)("%s", (_name, { given, want }) => {
    const hints = quirkHints(given);
    expect(hints.length).toBeGreaterThan(0);
    expect(hints.map((h) => `${h.quirk} ${h.sentBy} ${h.meant}`).join("\n")).toMatch(want);
  });

  it("says nothing for RFC-conformant requests, successes or other errors", () => {
    expect(
      quirkHints(patch("noTarget", { op: "replace", path: 'emails[type eq "work"].value', value: "a" })),
    ).toEqual([]);
    expect(
      quirkHints({ ...patch("invalidSyntax", { op: "Replace", path: "active", value: false }), status: 200 }),
    ).toEqual([]);
    expect(quirkHints({ method: "GET", status: 400, scimType: "invalidFilter" })).toEqual([]);
    // A capitalised op is only the cause when the server said invalidSyntax.
    expect(quirkHints(patch("invalidPath", { op: "Replace", path: "nope", value: 1 }))).toEqual([]);
  });
});
