import { describe, expect, it } from "vitest";
import { parseTestArgs } from "./args.js";

const URL_ARGS = ["--url", "https://example.com/scim/v2"];

describe("parseTestArgs", () => {
  it("defaults: profile rfc, format text, no --out, not read-only; the token from SCIM_TOKEN", () => {
    expect(parseTestArgs(URL_ARGS, { SCIM_TOKEN: "from-env-123" })).toEqual({
      help: false,
      url: "https://example.com/scim/v2",
      token: "from-env-123",
      profile: "rfc",
      format: "text",
      out: undefined,
      readOnly: false,
    });
  });

  it("takes every option, --token over SCIM_TOKEN, and drops a trailing slash of the URL", () => {
    const args = parseTestArgs(
      [
        "--url=https://example.com/scim/v2/",
        "--token",
        "given-456",
        "--profile",
        "all",
        "--format",
        "junit",
        "--out",
        "r.xml",
        "--read-only",
      ],
      { SCIM_TOKEN: "from-env-123" },
    );
    expect(args).toMatchObject({
      url: "https://example.com/scim/v2",
      token: "given-456",
      profile: "all",
      format: "junit",
      out: "r.xml",
      readOnly: true,
    });
  });

  it("--help needs nothing else", () => {
    expect(parseTestArgs(["-h"], {}).help).toBe(true);
    expect(parseTestArgs(["--help", "--profile", "nope"], {}).help).toBe(true);
  });

  const errors: [string, { given: string[]; env?: Record<string, string>; want: string }][] = [
    [
      "no --url",
      {
        given: ["--token", "t"],
        want: "--url <url> is required: the server's SCIM base URL (see scimkit test --help)",
      },
    ],
    [
      "no token anywhere",
      {
        given: URL_ARGS,
        want: "a bearer token is required: pass --token <token> or set SCIM_TOKEN (see scimkit test --help)",
      },
    ],
    [
      "an empty SCIM_TOKEN",
      {
        given: URL_ARGS,
        env: { SCIM_TOKEN: "" },
        want: "a bearer token is required: pass --token <token> or set SCIM_TOKEN (see scimkit test --help)",
      },
    ],
    [
      "a blank --token",
      {
        given: [...URL_ARGS, "--token", " "],
        want: "--token is empty; pass the bearer token, or leave --token out to use SCIM_TOKEN",
      },
    ],
    [
      "a token with the scheme, not repeated",
      {
        given: URL_ARGS,
        env: { SCIM_TOKEN: "Bearer s3cr3t" },
        want: 'the token starts with "Bearer " (it came from SCIM_TOKEN); pass the token alone, scimkit adds the scheme',
      },
    ],
    [
      "a token with a space, not repeated",
      {
        given: [...URL_ARGS, "--token", "s3c r3t"],
        want: "the token contains a space, a control or a non-ASCII character; a bearer token (RFC 6750 §2.1) cannot",
      },
    ],
    [
      "a URL that is no URL",
      {
        given: ["--url", "example.com/scim", "--token", "t"],
        want: '--url "example.com/scim" is not a URL; write it in full, e.g. https://example.com/scim/v2',
      },
    ],
    [
      "another protocol",
      {
        given: ["--url", "ftp://example.com/scim", "--token", "t"],
        want: "--url must be http: or https:, not ftp: (see scimkit test --help)",
      },
    ],
    [
      "credentials in the URL",
      {
        given: ["--url", "https://admin:pw@example.com/scim/v2", "--token", "t"],
        want: "--url must not carry credentials; pass the bearer token with --token or SCIM_TOKEN",
      },
    ],
    [
      "a query in the URL",
      {
        given: ["--url", "https://example.com/scim/v2?tenant=1", "--token", "t"],
        want: "--url is the SCIM base URL, without a query or fragment (RFC 7644 §1.3): https://example.com/scim/v2",
      },
    ],
    [
      "an endpoint at the end of the URL",
      {
        given: ["--url", "https://example.com/scim/v2/ServiceProviderConfig/", "--token", "t"],
        want: "--url is the SCIM base URL, without /ServiceProviderConfig (RFC 7644 §3.2 endpoints are added to it): try --url https://example.com/scim/v2",
      },
    ],
    [
      "an unknown profile",
      {
        given: [...URL_ARGS, "--token", "t", "--profile", "Okta"],
        want: '--profile takes rfc, entra, okta or all; got "Okta"; did you mean okta? (see scimkit test --help)',
      },
    ],
    [
      "an unknown format",
      {
        given: [...URL_ARGS, "--token", "t", "--format", "jnuit"],
        want: '--format takes text, json or junit; got "jnuit"; did you mean junit? (see scimkit test --help)',
      },
    ],
    [
      "an option in camel case",
      {
        given: [...URL_ARGS, "--token", "t", "--readOnly"],
        want: "unknown option --readOnly; did you mean --read-only? (see scimkit test --help)",
      },
    ],
    [
      "a long option with one dash",
      {
        given: ["-url", "x", "--token", "t"],
        want: "unknown option -url; did you mean --url? (see scimkit test --help)",
      },
    ],
    [
      "an option like nothing known",
      {
        given: [...URL_ARGS, "--token", "t", "--verbose"],
        want: "unknown option --verbose (see scimkit test --help)",
      },
    ],
    [
      "an option given twice",
      {
        given: [...URL_ARGS, ...URL_ARGS, "--token", "t"],
        want: "--url is given twice; pass it once (see scimkit test --help)",
      },
    ],
    [
      "an option without its value",
      {
        given: ["--url", "--token", "t"],
        want: '--url needs a value: --url <url> (a value that starts with "--" is written --url=--token) (see scimkit test --help)',
      },
    ],
    [
      "a value given to a flag",
      {
        given: [...URL_ARGS, "--token", "t", "--read-only=yes"],
        want: "--read-only takes no value (see scimkit test --help)",
      },
    ],
    [
      "a stray argument",
      {
        given: ["https://example.com/scim/v2", "--token", "t"],
        want: 'unexpected argument "https://example.com/scim/v2": test takes options only; the server\'s base URL goes after --url (see scimkit test --help)',
      },
    ],
    [
      "an empty --out",
      {
        given: [...URL_ARGS, "--token", "t", "--out", ""],
        want: "--out is empty; name a file (see scimkit test --help)",
      },
    ],
  ];
  it.each(errors)("usage error: %s", (_, { given, env, want }) => {
    expect(() => parseTestArgs(given, env ?? {})).toThrow(want);
    try {
      parseTestArgs(given, env ?? {});
    } catch (error) {
      expect((error as Error).name).toBe("UsageError");
      expect((error as Error).message).toBe(want);
      expect((error as Error).message).not.toMatch(/s3cr3t|s3c r3t/);
    }
  });
});
