import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, symlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSUMER_TSCONFIG, run, runBin, snapshotFolder, typeCheck } from "./__fixtures__/consumer.js";
import { CORE_DIR, EXAMPLES_DIR, removeTempFolders, tempFolder, writeFiles } from "./__fixtures__/model.js";

afterAll(removeTempFolders);

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8")) as {
  version: string;
};

describe("scimkit generate with bad schemas", () => {
  const cases: [string, { given: Record<string, unknown>; want: (file: (f: string) => string) => string }][] =
    [
      [
        "unknown attribute type",
        {
          given: {
            "thing.json": {
              id: "urn:example:Thing",
              name: "Thing",
              attributes: [{ name: "label" }, { name: "size", type: "float" }],
            },
          },
          want: (f) =>
            `scimkit: ${f("thing.json")}: /attributes/1/type: unknown attribute type "float" (expected one of string, boolean, decimal, integer, dateTime, binary, reference, complex)`,
        },
      ],
      [
        "missing extension",
        {
          given: {
            "user.resource-type.json": {
              name: "User",
              endpoint: "/Users",
              schema: "urn:ietf:params:scim:schemas:core:2.0:User",
              schemaExtensions: [{ schema: "urn:acme:missing", required: false }],
            },
          },
          want: (f) =>
            `scimkit: ${f("user.resource-type.json")}: /schemaExtensions/0/schema: resource type "User" names extension "urn:acme:missing", which is neither in the folder nor one of the RFC 7643 core schemas`,
        },
      ],
      [
        "invalid JSON",
        {
          given: { "user.json": '{\n  "id": "urn:x"\n  "name": "X"\n}\n' },
          want: (f) => `scimkit: ${f("user.json")}:3:3: invalid JSON: expected "," or "}", found "\\""`,
        },
      ],
      [
        "canonicalValues on a boolean attribute",
        {
          given: {
            "thing.json": {
              id: "urn:example:Thing",
              name: "Thing",
              attributes: [
                { name: "label" },
                { name: "enabled", type: "boolean", canonicalValues: ["yes", "no"] },
              ],
            },
            "thing.resource-type.json": { name: "Thing", endpoint: "/Things", schema: "urn:example:Thing" },
          },
          want: (f) =>
            `scimkit: ${f("thing.json")}: /attributes/1/canonicalValues: attribute "enabled" has type "boolean", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them`,
        },
      ],
      [
        "canonicalValues on an integer sub-attribute",
        {
          given: {
            "thing.json": {
              id: "urn:example:Thing",
              name: "Thing",
              attributes: [
                {
                  name: "size",
                  type: "complex",
                  subAttributes: [
                    { name: "unit" },
                    { name: "value", type: "integer", canonicalValues: ["1"] },
                  ],
                },
              ],
            },
            "thing.resource-type.json": { name: "Thing", endpoint: "/Things", schema: "urn:example:Thing" },
          },
          want: (f) =>
            `scimkit: ${f("thing.json")}: /attributes/0/subAttributes/1/canonicalValues: attribute "size.value" has type "integer", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them`,
        },
      ],
      [
        "two resource types with the same endpoint (a Device at /Users)",
        {
          given: {
            "device.json": { id: "urn:example:Device", name: "Device", attributes: [{ name: "serial" }] },
            "types.json": [
              { name: "User", endpoint: "/Users", schema: "urn:ietf:params:scim:schemas:core:2.0:User" },
              { name: "Device", endpoint: "/users/", schema: "urn:example:Device" },
            ],
          },
          want: (f) =>
            `scimkit: ${f("types.json")}: /1/endpoint: resource types "User" (${f("types.json")}) and "Device" both have endpoint "/users/" ("/Users"); requests to it can reach only one of them, so give each resource type its own endpoint (endpoints are matched case-insensitively)`,
        },
      ],
      [
        "a resource type at an endpoint RFC 7644 reserves",
        {
          given: {
            "device.json": { id: "urn:example:Device", name: "Device", attributes: [{ name: "serial" }] },
            "device.resource-type.json": {
              name: "Device",
              endpoint: "/Schemas",
              schema: "urn:example:Device",
            },
          },
          want: (f) =>
            `scimkit: ${f("device.resource-type.json")}: /endpoint: resource type "Device" has endpoint "/Schemas", which RFC 7644 reserves for /Schemas; choose another endpoint`,
        },
      ],
      [
        "no resource types, as for a server that lists none",
        {
          given: { "acme.json": { id: "urn:acme:Extra", name: "Extra", attributes: [{ name: "badge" }] } },
          want: (f) =>
            `scimkit: ${f("")}: defines no resource types, so there is nothing to generate: add a resource type (RFC 7643 §6) for each endpoint, e.g. a user.resource-type.json holding {"name": "User", "endpoint": "/Users", "schema": "urn:ietf:params:scim:schemas:core:2.0:User"}`,
        },
      ],
      [
        "type names that collide",
        {
          given: {
            "thing.json": { id: "urn:example:Thing", name: "Thing", attributes: [{ name: "label" }] },
            "types.json": [
              { name: "my-thing", endpoint: "/A", schema: "urn:example:Thing" },
              { name: "MyThing", endpoint: "/B", schema: "urn:example:Thing" },
            ],
          },
          want: () =>
            'scimkit: resource type "my-thing": its type name MyThing is already used by resource type "MyThing"; rename one of them',
        },
      ],
    ];
  it.each(cases)(
    "%s: exit 1, the file and pointer on stderr, nothing written",
    async (_, { given, want }) => {
      const dir = await tempFolder(given);
      const out = join(await tempFolder(), "out");
      const result = await runBin(["generate", "--schemas", dir, "--out", out]);
      const label = (f: string) => (f === "" ? dir : relative(process.cwd(), join(dir, f)));
      expect(result).toEqual({ code: 1, out: "", err: want(label) });
      expect(existsSync(out)).toBe(false);
    },
  );

  it("a missing schemas folder, without jargon such as (document)", async () => {
    const dir = await tempFolder();
    const result = await runBin(["generate", "--schemas", "scim-schemas", "--out", "out"], { cwd: dir });
    expect(result).toEqual({
      code: 1,
      out: "",
      err: "scimkit: scim-schemas: cannot read the schema folder (it does not exist)",
    });
  });
});

/** A consumer of the examples' generated code; every @ts-expect-error must be a real error. */
const CONSUMER = `import type {
  AcmeUser,
  AcmeUserApiKey,
  Device,
  DeviceAttributePaths,
  DeviceInput,
  EnterpriseUser,
  OpenApiOperations,
  ResourceTypeModels,
  User,
  UserAttributePaths,
  UserEmail,
  UserInput,
  UserPatch,
} from "./scim/index.js";
import { ACME_USER_SCHEMA, bundle, DEVICE_SCHEMA, jsonSchema, USER_SCHEMA } from "./scim/index.js";

export const alice: UserInput = {
  schemas: [USER_SCHEMA, ACME_USER_SCHEMA],
  userName: "alice",
  password: "s3cret",
  emails: [{ value: "alice@example.com", type: "work", primary: true }, { value: "a@example.org", type: "private" }],
  "urn:acme:params:scim:schemas:extension:2.0:User": {
    badgeNumber: "B-1",
    clearanceLevel: 2,
    hireDate: "2024-01-02T03:04:05Z",
    remote: true,
    costAllocation: 0.75,
    skills: ["typescript", "knitting"],
    apiKeys: [{ value: "k-1", type: "primary" }],
    buddy: { value: "2819c223", $ref: "https://example.com/v2/Users/2819c223" },
  },
};

export const laptop: Device = {
  schemas: [DEVICE_SCHEMA],
  id: "d-1",
  displayName: "Alice's laptop",
  serialNumber: "C02XYZ",
  platform: "macos",
  enrolledAt: "2024-01-02T03:04:05Z",
  owner: { value: "2819c223", display: "Alice" },
  certificates: [{ value: "TUlJQg==", primary: true }],
};

export const phone: DeviceInput = { schemas: [DEVICE_SCHEMA], displayName: "Phone", serialNumber: "F17", platform: "ios" };

export function department(user: User): string | undefined {
  const enterprise: EnterpriseUser | undefined = user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"];
  return enterprise?.department ?? enterprise?.manager?.displayName;
}

export function badge(user: User): string | undefined {
  const acme: AcmeUser | undefined = user[ACME_USER_SCHEMA];
  return acme?.badgeNumber;
}

export function workEmail(user: User): UserEmail | undefined {
  return user.emails?.find((e) => e.type === "work");
}

export const id: string = laptop.id;
export const resourceTypeNames: readonly string[] = bundle.resourceTypes.map((t) => t.name);
export const firstEndpoint: "/Devices" = bundle.resourceTypes[0].endpoint;
export const serialType: DeviceAttributePaths["serialNumber"]["type"] = "string";
export const ownerPath: keyof DeviceAttributePaths = "owner.display";
export const qualified: keyof DeviceAttributePaths = "urn:acme:params:scim:schemas:core:2.0:Device:serialNumber";
export const buddyPath: keyof UserAttributePaths = "urn:acme:params:scim:schemas:extension:2.0:User:buddy.value";
export const deactivate: UserPatch = { active: false, "urn:acme:params:scim:schemas:extension:2.0:User": { remote: false } };
export const viaOpenApi: OpenApiOperations["createDevice"]["requestBody"]["content"]["application/scim+json"] = phone;
export const models: ResourceTypeModels["Device"]["input"] = phone;
export const dialect: string = jsonSchema.$schema;

// @ts-expect-error id is readOnly, so a create request has none (RFC 7644 §3.3)
export const withId: UserInput = { schemas: [USER_SCHEMA], userName: "bob", id: "1" };
// @ts-expect-error a misspelt attribute
export const misspelt: UserInput = { schemas: [USER_SCHEMA], userName: "bob", emials: [] };
// @ts-expect-error userName is required
export const noUserName: UserInput = { schemas: [USER_SCHEMA] };
// @ts-expect-error active is a boolean, not the string "true"
export const wrongType: DeviceInput = { schemas: [DEVICE_SCHEMA], displayName: "x", serialNumber: "y", active: "true" };
// @ts-expect-error enrolledAt is readOnly
export const enrolled: DeviceInput = { schemas: [DEVICE_SCHEMA], displayName: "x", serialNumber: "y", enrolledAt: "" };
// @ts-expect-error clearanceLevel is an integer
export const level: AcmeUser = { clearanceLevel: "2" };
// @ts-expect-error skills is multi-valued: an array, even of one canonical value
export const skill: AcmeUser = { skills: "typescript" };
// @ts-expect-error apiKeys.value is returned never, so it is not part of what a server returns
export const leaked: AcmeUserApiKey = { value: "k-1" };
// @ts-expect-error extension attributes are only paths when URN-qualified
export const bare: keyof UserAttributePaths = "badgeNumber";
// @ts-expect-error no such resource type
export const none: (typeof bundle.resourceTypes)[number]["name"] = "Printer";
`;

describe("scimkit generate on schemas/examples, in a consumer project outside the repository", () => {
  let project: string;
  let out: string;
  let first: { code: number; out: string; err: string };
  beforeAll(async () => {
    project = await tempFolder({ "package.json": { name: "consumer", private: true, type: "module" } });
    await cp(EXAMPLES_DIR, join(project, "scim-schemas"), { recursive: true });
    out = join(project, "src", "scim");
    first = await run("generate", "--schemas", join(project, "scim-schemas"), "--out", out);
    await writeFiles(project, { "src/use.ts": CONSUMER, "tsconfig.json": CONSUMER_TSCONFIG });
  }, 60_000);

  it("succeeds and reports what it wrote", () => {
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    const lines = first.out.split("\n");
    expect(lines[0]).toBe("scimkit: 7 schemas, resource types: Device, User");
    expect(lines[1]).toBe(
      "scimkit: built-in RFC 7643 schemas used: urn:ietf:params:scim:schemas:core:2.0:ResourceType, urn:ietf:params:scim:schemas:core:2.0:Schema, urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig, urn:ietf:params:scim:schemas:core:2.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    );
    expect(lines.slice(2, -1)).toEqual(
      [
        "models.gen.ts",
        "paths.gen.ts",
        "schema-data.gen.ts",
        "json-schema.gen.ts",
        "openapi.json",
        "openapi.gen.ts",
        "validators.gen.ts",
        "index.ts",
      ].map((f) => `  wrote     ${out}/${f}`),
    );
    expect(lines.at(-1)).toMatch(/^scimkit: done in \d+ ms$/);
  });

  it("writes output that type-checks in a strict consumer, where every misuse is an error", () => {
    expect(typeCheck(project)).toEqual([]);
  }, 60_000);

  it("is caught when a @ts-expect-error misuse compiles (the check above is not vacuous)", async () => {
    const valid = CONSUMER.split("\n// @ts-expect-error")[0] ?? "";
    const probe = await tempFolder({
      "package.json": { type: "module" },
      "tsconfig.json": CONSUMER_TSCONFIG,
      "src/use.ts": `${valid}\n// @ts-expect-error fine, actually\nexport const ok: UserInput = { schemas: [USER_SCHEMA], userName: "bob" };\n`,
    });
    await cp(out, join(probe, "src", "scim"), { recursive: true });
    const line = valid.split("\n").length + 1;
    expect(typeCheck(probe)).toEqual([`src/use.ts:${line}: Unused '@ts-expect-error' directive.`]);
  }, 60_000);

  it("compiles every TypeScript example of the README against this output", async () => {
    const readme = await readFile(join(PACKAGE_DIR, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const probe = await tempFolder({
      "package.json": { type: "module" },
      "tsconfig.json": {
        ...CONSUMER_TSCONFIG,
        compilerOptions: { ...CONSUMER_TSCONFIG.compilerOptions, skipLibCheck: true },
      },
      ...Object.fromEntries(blocks.map((code, i) => [`src/readme-${i + 1}.ts`, `${code}export {};\n`])),
    });
    await cp(out, join(probe, "src", "scim"), { recursive: true });
    await mkdir(join(probe, "node_modules", "@scimkit"), { recursive: true });
    await symlink(PACKAGE_DIR, join(probe, "node_modules", "@scimkit", "codegen"), "dir");
    expect(typeCheck(probe)).toEqual([]);
    // Not vacuous: a wrong attribute in the README's example is an error.
    await writeFiles(probe, {
      "src/readme-2.ts": `${blocks[1]?.replace('userName: "alice"', "userName: 7")}export {};\n`,
    });
    expect(typeCheck(probe)).toEqual([
      expect.stringMatching(/^src\/readme-2\.ts:\d+: Type 'number' is not assignable to type 'string'/),
    ]);
  }, 60_000);

  it("starts every TypeScript file with the generated header", async () => {
    for (const file of (await readdir(out)).filter((f) => f.endsWith(".ts")))
      expect((await readFile(join(out, file), "utf8")).split("\n")[0], file).toBe(
        "// Generated by scimkit generate (@scimkit/codegen) from SCIM schema JSON. Do not edit.",
      );
  });

  it("is deterministic: a second run changes nothing, byte for byte", async () => {
    const before = await snapshotFolder(out);
    const second = await run("generate", "--schemas", join(project, "scim-schemas"), "--out", `${out}/`);
    expect(second.code).toBe(0);
    const files = second.out.split("\n").filter((l) => l.startsWith("  "));
    expect(files).toHaveLength(8);
    for (const line of files) expect(line).toMatch(/^ {2}unchanged /);
    expect(await snapshotFolder(out)).toEqual(before);
  }, 60_000);
});

describe("scimkit generate on the core schemas", () => {
  // How long it takes is a benchmark (scripts/bench-codegen.mjs, BENCHMARKS.md), not a timed test.
  it("generates them with the title given", async () => {
    const dir = await tempFolder();
    const result = await run("generate", "--schemas", CORE_DIR, "--out", dir, "--title", "Core");
    expect(result.code).toBe(0);
    const openapi = JSON.parse(await readFile(join(dir, "openapi.json"), "utf8")) as {
      info: { title: string };
    };
    expect(openapi.info.title).toBe("Core");
  });

  it("rejects an unknown --emit group with a usage error", async () => {
    const result = await run(
      "generate",
      "--schemas",
      CORE_DIR,
      "--out",
      await tempFolder(),
      "--emit",
      "types,docs",
    );
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      "--emit takes a comma-separated list of types, data, json-schema, openapi, zod, validators",
    );
  });
});

describe("the built bin", () => {
  const built = existsSync(join(PACKAGE_DIR, "dist", "cli.js"));
  it.skipIf(!built)(
    "node bin/scimkit.js --version prints the version (skipped until `pnpm build` made dist/)",
    async () => {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ["bin/scimkit.js", "--version"],
        {
          cwd: PACKAGE_DIR,
        },
      );
      expect({ stdout, stderr }).toEqual({ stdout: `${version}\n`, stderr: "" });
    },
  );

  it.skipIf(!built)("exits 2 on a usage error", async () => {
    const error = await promisify(execFile)(process.execPath, ["bin/scimkit.js"], { cwd: PACKAGE_DIR }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Usage: scimkit generate/) });
  });
});
