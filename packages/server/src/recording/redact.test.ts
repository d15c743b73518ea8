import { describe, expect, it } from "vitest";
import { bundle } from "../__fixtures__/acme/index.js";
import { registryOf } from "../resource/context.js";
import { idpOf } from "./idp.js";
import { recordHeaders, redactBody, redactJson, redactQuery, secretNames } from "./redact.js";

const ACME = "urn:acme:params:scim:schemas:extension:2.0:User";
const core = secretNames(registryOf(undefined));
const acme = secretNames(registryOf({ bundle }));

describe("secretNames", () => {
  it("holds password and every returned:never attribute of the bundle, sub-attributes under their parent", () => {
    expect([...core]).toEqual(["password"]);
    expect(acme.has("apikeys.value")).toBe(true);
    // "value" alone is not secret: emails, members and PATCH values stay readable.
    expect(acme.has("value")).toBe(false);
  });
});

describe("redactJson", () => {
  it.each([
    ["a member in any case", { userName: "b", PassWord: "x" }, { userName: "b", PassWord: "[redacted]" }],
    [
      "a URN-qualified member",
      { "urn:ietf:params:scim:schemas:core:2.0:User:password": "x" },
      { "urn:ietf:params:scim:schemas:core:2.0:User:password": "[redacted]" },
    ],
    [
      "a PATCH value by path, with or without URN, and inside a path-less value",
      {
        Operations: [
          { op: "replace", path: "password", value: "x" },
          { op: "Replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: "y" },
          { op: "replace", value: { password: "z", displayName: "kept" } },
          { op: "add", path: "emails", value: [{ value: "b@example.com" }] },
        ],
      },
      {
        Operations: [
          { op: "replace", path: "password", value: "[redacted]" },
          { op: "Replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: "[redacted]" },
          { op: "replace", value: { password: "[redacted]", displayName: "kept" } },
          { op: "add", path: "emails", value: [{ value: "b@example.com" }] },
        ],
      },
    ],
    [
      "bulk data",
      { Operations: [{ method: "POST", path: "/Users", data: { userName: "b", password: "x" } }] },
      { Operations: [{ method: "POST", path: "/Users", data: { userName: "b", password: "[redacted]" } }] },
    ],
  ])("redacts %s", (_name, given, want) => {
    expect(redactJson(given, core)).toEqual(want);
  });

  it("redacts a returned:never sub-attribute only under its parent (Acme apiKeys.value)", () => {
    const body = {
      emails: [{ value: "b@example.com" }],
      [ACME]: { apiKeys: [{ value: "k-1", type: "ci" }] },
      Operations: [
        { op: "add", path: `${ACME}:apiKeys`, value: [{ value: "k-2" }] },
        { op: "replace", path: `${ACME}:apiKeys[type eq "ci"].value`, value: "k-3" },
      ],
    };
    const text = JSON.stringify(redactJson(body, acme));
    expect(text).not.toMatch(/k-\d/);
    expect(text).toContain("b@example.com");
  });

  it("keeps __proto__ a plain key", () => {
    const out = redactJson(JSON.parse('{"__proto__": {"password": "x"}}'), core) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"password":"[redacted]"}}');
  });
});

describe("redactBody, redactQuery, recordHeaders", () => {
  it("blanks secrets in text that is not JSON, and cuts long bodies", () => {
    expect(redactBody('{"userName": "b", "password" : "hunter2", ', core, 1000)).toBe(
      '{"userName": "b", "password" : "[redacted]", ',
    );
    const cut = redactBody(JSON.stringify({ a: "x".repeat(100) }), core, 20);
    expect(cut).toMatch(/^\{"a":"x{14}… \[\d+ more characters not recorded\]$/);
  });

  it("blanks a filter's value compared to a secret attribute", () => {
    expect(redactQuery(`filter=${encodeURIComponent('password eq "hunter2"')}`, core)).toBe(
      'filter=password eq "[redacted]"',
    );
    const plain = `filter=${encodeURIComponent('userName eq "b"')}`;
    expect(redactQuery(plain, core)).toBe(plain);
  });

  it("keeps the scheme of Authorization, never the credentials", () => {
    const headers = recordHeaders(
      new Headers({ authorization: "Bearer abc.def", cookie: "s=1", "user-agent": "Okta SCIM Client 1.0.0" }),
    );
    expect(headers).toEqual({
      authorization: "Bearer [redacted]",
      cookie: "[redacted]",
      "user-agent": "Okta SCIM Client 1.0.0",
    });
  });
});

describe("idpOf", () => {
  it.each([
    ["Okta SCIM Client 1.0.0", "okta"],
    ["Microsoft Azure AD SCIM provisioning 1.0.0", "entra"],
    ["Azure AD SCIM Client", "entra"],
    ["curl/8.5.0", "other"],
    [null, "other"],
  ] as const)("%s → %s", (userAgent, want) => {
    expect(idpOf(userAgent)).toBe(want);
  });
});
