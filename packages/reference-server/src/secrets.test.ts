/// <reference types="node" />
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keptSecret } from "./secrets.mjs";

const dir = mkdtempSync(join(tmpdir(), "scimkit-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("keptSecret", () => {
  it("generates a secret once, with mode 0600 (creating the folders), and returns it again", () => {
    const file = join(dir, "nested", "scim-token");
    const first = keptSecret(file);
    expect(first.created).toBe(true);
    expect(first.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe(`${first.value}\n`);
    expect(keptSecret(file)).toEqual({ value: first.value, created: false });
  });

  it("keeps a secret written by hand, and narrows a readable file to 0600", () => {
    const file = join(dir, "by-hand");
    writeFileSync(file, "  my-own-secret-of-enough-length \n");
    chmodSync(file, 0o644);
    expect(keptSecret(file)).toEqual({ value: "my-own-secret-of-enough-length", created: false });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("replaces an empty or too short file", () => {
    const file = join(dir, "short");
    writeFileSync(file, "abc\n");
    const replaced = keptSecret(file);
    expect(replaced.created).toBe(true);
    expect(replaced.value).not.toBe("abc");
  });
});
