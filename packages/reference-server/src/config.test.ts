import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, readConfig } from "./config.mjs";
import { StartupError } from "./startup-error.mjs";

describe("readConfig", () => {
  it("defaults: 127.0.0.1:8080, the repository's .data, 10 s grace, 30 s body timeout", () => {
    expect(readConfig({})).toEqual({
      port: 8080,
      host: "127.0.0.1",
      token: undefined,
      cursorSecret: undefined,
      databaseUrl: undefined,
      dataDir: DEFAULT_DATA_DIR,
      publicUrl: undefined,
      trustProxy: false,
      maxConnections: undefined,
      gracePeriod: 10_000,
      bodyTimeout: 30_000,
      recording: { bodies: "failures", maxAgeMs: 7 * 86_400_000, maxCount: 100_000 },
    });
    expect(DEFAULT_DATA_DIR).toMatch(/[/\\]\.data$/);
  });

  it("reads every variable", () => {
    const config = readConfig(
      {
        PORT: "9000",
        HOST: "0.0.0.0",
        SCIM_TOKEN: "0123456789abcdef",
        SCIM_CURSOR_SECRET: "fedcba9876543210fedcba9876543210",
        DATABASE_URL: "postgres://u:p@db:5432/scim",
        SCIM_DATA_DIR: "state",
        PUBLIC_URL: "https://scim.example.com/scim/v2/",
        TRUST_PROXY: "1",
        MAX_CONNECTIONS: "256",
        SHUTDOWN_GRACE_MS: "2500",
        BODY_TIMEOUT_MS: "0",
        SCIM_RECORD_BODIES: "all",
        SCIM_RECORD_MAX_AGE_DAYS: "2",
        SCIM_RECORD_MAX_COUNT: "500",
      },
      "/srv",
    );
    expect(config).toEqual({
      port: 9000,
      host: "0.0.0.0",
      token: "0123456789abcdef",
      cursorSecret: "fedcba9876543210fedcba9876543210",
      databaseUrl: "postgres://u:p@db:5432/scim",
      dataDir: "/srv/state",
      publicUrl: "https://scim.example.com/scim/v2",
      trustProxy: true,
      maxConnections: 256,
      gracePeriod: 2500,
      bodyTimeout: 0,
      recording: { bodies: "all", maxAgeMs: 2 * 86_400_000, maxCount: 500 },
    });
    expect(readConfig({ SCIM_RECORDING: "0" }).recording).toBe(false);
  });

  it.each([
    [{ PORT: "eighty" }, /PORT must be a whole number from 0 to 65535 \(got "eighty"\)/],
    [{ PORT: "65536" }, /PORT must be a whole number/],
    [{ PORT: "-1" }, /PORT must be a whole number/],
    [{ PORT: "80.5" }, /PORT must be a whole number/],
    [{ HOST: "local host" }, /HOST must be an address or host name/],
    [{ SCIM_RECORDING: "maybe" }, /SCIM_RECORDING must be 1 or 0/],
    [{ SCIM_RECORD_BODIES: "some" }, /SCIM_RECORD_BODIES must be failures, all or none/],
    [{ SCIM_RECORD_MAX_COUNT: "0" }, /SCIM_RECORD_MAX_COUNT must be a whole number/],
    [{ SCIM_TOKEN: "two words" }, /SCIM_TOKEN holds whitespace/],
    [{ SCIM_TOKEN: "undefined" }, /looks like an unset shell variable/],
    [{ SCIM_TOKEN: "null" }, /looks like an unset shell variable/],
    [{ SCIM_CURSOR_SECRET: "tiny" }, /SCIM_CURSOR_SECRET is 4 characters long; use at least 32/],
    [{ SCIM_CURSOR_SECRET: "0123456789abcdef" }, /SCIM_CURSOR_SECRET is 16 characters long; use at least 32/],
    [{ PUBLIC_URL: "https://user:pw@scim.example.com/scim/v2" }, /PUBLIC_URL must not hold a user name/],
    [{ DATABASE_URL: "mysql://x@y/z" }, /DATABASE_URL must start with postgres:\/\//],
    [{ DATABASE_URL: "not a url" }, /DATABASE_URL is not a URL/],
    [{ PUBLIC_URL: "scim.example.com" }, /PUBLIC_URL must be an absolute URL/],
    [{ PUBLIC_URL: "ftp://scim.example.com" }, /PUBLIC_URL must start with https:\/\//],
    [{ TRUST_PROXY: "maybe" }, /TRUST_PROXY must be 1 or 0/],
    [{ MAX_CONNECTIONS: "0" }, /MAX_CONNECTIONS must be a whole number from 1/],
    [{ SHUTDOWN_GRACE_MS: "10s" }, /SHUTDOWN_GRACE_MS must be a whole number/],
  ])("%o is refused with one line", (env, message) => {
    expect(() => readConfig(env)).toThrow(StartupError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it("never echoes a refused token", () => {
    expect(() => readConfig({ SCIM_TOKEN: "s3cr3t two" })).toThrow(/^(?!.*s3cr3t)/);
  });

  it("a short SCIM_TOKEN is the operator's choice (DESIGN.md's SCIM_TOKEN=secret); main.mjs warns", () => {
    expect(readConfig({ SCIM_TOKEN: "secret" }).token).toBe("secret");
  });
});
