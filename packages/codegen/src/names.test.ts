import { describe, expect, it } from "vitest";
import { constantCase, pascalCase, singular } from "./names.js";

describe("pascalCase", () => {
  const cases: [string, { given: string; want: string }][] = [
    ["a single word", { given: "User", want: "User" }],
    ["an already PascalCase name", { given: "EnterpriseUser", want: "EnterpriseUser" }],
    [
      "words separated by spaces (RFC 7643 §8.7.2)",
      { given: "Service Provider Configuration", want: "ServiceProviderConfiguration" },
    ],
    ["a camelCase attribute name", { given: "x509Certificates", want: "X509Certificates" }],
    ["a lower-case name", { given: "device", want: "Device" }],
    ["hyphens and underscores", { given: "service-account_v2", want: "ServiceAccountV2" }],
    ["URN punctuation", { given: "urn:acme:Device", want: "UrnAcmeDevice" }],
    ["a leading digit gets an underscore", { given: "2fa token", want: "_2faToken" }],
    ["nothing usable", { given: "!!!", want: "_" }],
    ["the empty string", { given: "", want: "_" }],
    ["a global type name is prefixed", { given: "record", want: "ScimRecord" }],
    ["Promise is prefixed", { given: "Promise", want: "ScimPromise" }],
    ["Error is prefixed", { given: "error", want: "ScimError" }],
    ["a name that only contains a global name is kept", { given: "Error Report", want: "ErrorReport" }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(pascalCase(given)).toBe(want);
  });

  it("always returns a valid TypeScript identifier", () => {
    for (const given of ["Service Provider Configuration", "9", "-", "a b c", "ÄÖÜ", "$ref", "x.y"])
      expect(pascalCase(given)).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});

describe("constantCase", () => {
  const cases: [string, { given: string; want: string }][] = [
    ["one word", { given: "User", want: "USER" }],
    ["two words", { given: "EnterpriseUser", want: "ENTERPRISE_USER" }],
    ["three words", { given: "ServiceProviderConfiguration", want: "SERVICE_PROVIDER_CONFIGURATION" }],
    ["a digit before a capital", { given: "X509Certificate", want: "X509_CERTIFICATE" }],
    ["an acronym before a word", { given: "SCIMUser", want: "SCIM_USER" }],
    ["an acronym in the middle", { given: "AcmeHTTPSProxy", want: "ACME_HTTPS_PROXY" }],
    ["a leading underscore", { given: "_2faToken", want: "_2FA_TOKEN" }],
  ];
  it.each(cases)("%s", (_, { given, want }) => {
    expect(constantCase(given)).toBe(want);
  });
});

describe("singular", () => {
  const cases: [string, { given: string; want: string | undefined }][] = [
    ["-s", { given: "emails", want: "email" }],
    ["-s after a capital word", { given: "phoneNumbers", want: "phoneNumber" }],
    ["-s after a digit-bearing word", { given: "x509Certificates", want: "x509Certificate" }],
    ["-s on a short word", { given: "ims", want: "im" }],
    ["-s on a long word", { given: "entitlements", want: "entitlement" }],
    ["-sses", { given: "addresses", want: "address" }],
    ["-xes", { given: "boxes", want: "box" }],
    ["-ches", { given: "branches", want: "branch" }],
    ["-shes", { given: "hashes", want: "hash" }],
    ["-zes", { given: "quizzes", want: "quizz" }],
    ["-ies", { given: "policies", want: "policy" }],
    ["-ys", { given: "apiKeys", want: "apiKey" }],
    ["-os", { given: "photos", want: "photo" }],
    ["-us is not a plural", { given: "status", want: undefined }],
    ["-is is not a plural", { given: "analysis", want: undefined }],
    ["-ss is not a plural", { given: "class", want: undefined }],
    ["no -s", { given: "data", want: undefined }],
  ];
  it.each(cases)("%s: %j", (_, { given, want }) => {
    expect(singular(given)).toBe(want);
  });
});
