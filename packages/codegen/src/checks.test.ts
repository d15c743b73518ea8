import { SchemaLoadError } from "@scimkit/core";
import { describe, expect, it } from "vitest";
import { modelOf, THING_URN } from "./__fixtures__/model.js";
import { parseFetched } from "./parse-fetched.js";

const USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";

/** The SchemaLoadError that `fn` throws, as `file: pointer: problem`, or "ok". */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (!(e instanceof SchemaLoadError)) throw e;
    return `${e.file}: ${e.pointer}: ${e.problem}`;
  }
}

const thing = (attributes: unknown[]) => ({ id: THING_URN, name: "Thing", attributes });
const things = { name: "Thing", endpoint: "/Things", schema: THING_URN };

describe("canonicalValues", () => {
  const cases: [string, { given: unknown[]; want: string }][] = [
    ["on a string attribute", { given: [{ name: "kind", canonicalValues: ["a", "b"] }], want: "ok" }],
    [
      "on a reference attribute",
      {
        given: [{ name: "link", type: "reference", referenceTypes: ["uri"], canonicalValues: ["x"] }],
        want: "ok",
      },
    ],
    [
      "on a boolean attribute",
      {
        given: [{ name: "on", type: "boolean", canonicalValues: ["true"] }],
        want: 'doc0.json: /attributes/0/canonicalValues: attribute "on" has type "boolean", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them',
      },
    ],
    [
      "on a decimal attribute",
      {
        given: [{ name: "a" }, { name: "ratio", type: "decimal", canonicalValues: ["0.5"] }],
        want: 'doc0.json: /attributes/1/canonicalValues: attribute "ratio" has type "decimal", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them',
      },
    ],
    [
      "on a complex attribute",
      {
        given: [{ name: "c", type: "complex", canonicalValues: ["x"], subAttributes: [{ name: "v" }] }],
        want: 'doc0.json: /attributes/0/canonicalValues: attribute "c" has type "complex", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them',
      },
    ],
    [
      "on a boolean sub-attribute",
      {
        given: [
          {
            name: "c",
            type: "complex",
            subAttributes: [{ name: "v" }, { name: "primary", type: "boolean", canonicalValues: ["yes"] }],
          },
        ],
        want: 'doc0.json: /attributes/0/subAttributes/1/canonicalValues: attribute "c.primary" has type "boolean", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them',
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(outcome(() => modelOf(thing(given), things))).toBe(want);
  });

  it("from a server: the pointer counts the common attributes the generator left out", () => {
    const fetched = {
      url: "https://example.com/scim/v2",
      notes: [],
      resourceTypes: [],
      schemas: [
        {
          value: thing([{ name: "label" }, { name: "on", type: "boolean", canonicalValues: ["true"] }]),
          file: "https://example.com/scim/v2/Schemas",
          pointer: "/Resources/2",
          attributeIndexes: [1, 3],
        },
      ],
    };
    expect(outcome(() => parseFetched(fetched))).toBe(
      'https://example.com/scim/v2/Schemas: /Resources/2/attributes/3/canonicalValues: attribute "on" has type "boolean", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them',
    );
  });
});

describe("resource type endpoints", () => {
  const user = (endpoint: string) => ({ name: "User", endpoint, schema: USER_URN });
  const device = (endpoint: string) => ({ name: "Device", endpoint, schema: THING_URN });
  const cases: [string, { given: unknown[]; want: string }][] = [
    ["different endpoints", { given: [user("/Users"), device("/Devices")], want: "ok" }],
    [
      "the same endpoint",
      {
        given: [user("/Users"), device("/Users")],
        want: 'doc2.json: /endpoint: resource types "User" (doc1.json) and "Device" both have endpoint "/Users"; requests to it can reach only one of them, so give each resource type its own endpoint (endpoints are matched case-insensitively)',
      },
    ],
    [
      "endpoints that differ in case and slashes only",
      {
        given: [user("/Users"), device("/users/")],
        want: 'doc2.json: /endpoint: resource types "User" (doc1.json) and "Device" both have endpoint "/users/" ("/Users"); requests to it can reach only one of them, so give each resource type its own endpoint (endpoints are matched case-insensitively)',
      },
    ],
    [
      "a reserved endpoint",
      {
        given: [device("/bulk")],
        want: 'doc1.json: /endpoint: resource type "Device" has endpoint "/bulk", which RFC 7644 reserves for /Bulk; choose another endpoint',
      },
    ],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(outcome(() => modelOf(thing([{ name: "serial" }]), ...given))).toBe(want);
  });
});
