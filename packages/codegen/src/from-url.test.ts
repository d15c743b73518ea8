// `scimkit generate --from-url` end to end: the reference server of @scimkit/server on a real socket,
// the CLI in-process, and a strict consumer project type-checking what it wrote.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as acme from "../../server/src/__fixtures__/acme/index.js";
import { CONSUMER_TSCONFIG, run, snapshotFolder, typeCheck } from "./__fixtures__/consumer.js";
import { closeServers, serveScim, type TestHttpServer } from "./__fixtures__/http.js";
import { CORE_DIR, EXAMPLES_DIR, removeTempFolders, tempFolder, writeFiles } from "./__fixtures__/model.js";

afterAll(async () => {
  await closeServers();
  await removeTempFolders();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const TOKEN = "codegen-e2e-9f1c2b7a";
const ACCEPT = "application/scim+json, application/json;q=0.9";

/** Generated output for RFC 7643 core, used the way an app provisioning users would. */
const CORE_CONSUMER = `import type { EnterpriseUser, Group, GroupMember, User, UserAttributePaths, UserInput } from "./scim/index.js";
import { bundle, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "./scim/index.js";

export const alice: UserInput = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName: "alice",
  emails: [{ value: "alice@example.com", type: "work", primary: true }],
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: "701984", manager: { value: "26118915" } },
};
export const admins: Group = { schemas: [GROUP_SCHEMA], id: "g1", displayName: "Admins", members: [{ value: "u1" }] };
export const member: GroupMember | undefined = admins.members?.[0];
export const department = (user: User): string | undefined =>
  (user[ENTERPRISE_USER_SCHEMA] satisfies EnterpriseUser | undefined)?.department;
export const path: keyof UserAttributePaths = "name.givenName";
export const names: readonly string[] = bundle.resourceTypes.map((t) => t.name);

// @ts-expect-error id is readOnly, so a create request has none (RFC 7644 §3.3)
export const withId: UserInput = { schemas: [USER_SCHEMA], userName: "bob", id: "1" };
// @ts-expect-error userName is required
export const noUserName: UserInput = { schemas: [USER_SCHEMA] };
// @ts-expect-error enterprise attributes are only paths when URN-qualified
export const bare: keyof UserAttributePaths = "department";
`;

/** Generated output for the Acme bundle: the Device resource type and the Acme User extension. */
const ACME_CONSUMER = `import type { AcmeUser, Device, DeviceInput, User, UserAttributePaths, UserInput } from "./scim/index.js";
import { ACME_USER_SCHEMA, DEVICE_SCHEMA, USER_SCHEMA } from "./scim/index.js";

export const bob: UserInput = {
  schemas: [USER_SCHEMA, ACME_USER_SCHEMA],
  userName: "bob",
  [ACME_USER_SCHEMA]: { badgeNumber: "B-1", clearanceLevel: 2, remote: true, skills: ["typescript", "knitting"] },
};
export const badge = (user: User): string | undefined => user[ACME_USER_SCHEMA]?.badgeNumber;
export const level = (acme: AcmeUser): number | undefined => acme.clearanceLevel;
export const laptop: DeviceInput = { schemas: [DEVICE_SCHEMA], displayName: "Laptop", serialNumber: "C02XYZ" };
export const serial = (device: Device): string => device.serialNumber;
export const qualified: keyof UserAttributePaths = "urn:acme:params:scim:schemas:extension:2.0:User:badgeNumber";

// @ts-expect-error clearanceLevel is an integer
export const wrongLevel: AcmeUser = { clearanceLevel: "2" };
// @ts-expect-error a misspelt extension attribute
export const misspelt: AcmeUser = { badgeNumbr: "B-1" };
// @ts-expect-error serialNumber is required in the Device schema
export const noSerial: DeviceInput = { schemas: [DEVICE_SCHEMA], displayName: "Phone" };
`;

/** A consumer project whose src/scim is the output of `argv`; returns the CLI result and the folder. */
async function generateInto(consumer: string, ...argv: string[]) {
  const project = await tempFolder({
    "package.json": { name: "consumer", private: true, type: "module" },
    "tsconfig.json": CONSUMER_TSCONFIG,
    "src/use.ts": consumer,
  });
  const out = join(project, "src", "scim");
  return { project, out, result: await run("generate", ...argv, "--out", out) };
}

describe("scimkit generate --from-url on the reference server (RFC 7643 core)", () => {
  let server: TestHttpServer & { base: string };
  let fromServer: Awaited<ReturnType<typeof generateInto>>;
  let fromFolder: string;
  beforeAll(async () => {
    server = await serveScim({ auth: { tokens: [TOKEN] } });
    fromServer = await generateInto(CORE_CONSUMER, "--from-url", server.base, "--token", TOKEN);
    fromFolder = await tempFolder();
    expect((await run("generate", "--schemas", CORE_DIR, "--out", fromFolder)).code).toBe(0);
  }, 180_000);

  it("reports what it fetched and wrote", () => {
    const { result, out } = fromServer;
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const lines = result.out.split("\n");
    expect(lines.slice(0, 2)).toEqual([
      `scimkit: fetched 6 schemas and 2 resource types from ${server.base}`,
      "scimkit: 6 schemas, resource types: Group, User",
    ]);
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

  it("asks GET /ResourceTypes and GET /Schemas (RFC 7644 §4) with the SCIM media type and the bearer token", () => {
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /scim/v2/ResourceTypes",
      "GET /scim/v2/Schemas",
    ]);
    for (const request of server.requests) {
      expect(request.headers.accept).toBe(ACCEPT);
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
  });

  it("writes exactly what generating from schemas/core writes, byte for byte", async () => {
    expect(await snapshotFolder(fromServer.out)).toEqual(await snapshotFolder(fromFolder));
  });

  it("writes the same zod validators too (--zod)", async () => {
    const [a, b] = [await tempFolder(), await tempFolder()];
    expect(
      (await run("generate", "--from-url", server.base, "--token", TOKEN, "--out", a, "--emit", "zod")).code,
    ).toBe(0);
    expect((await run("generate", "--schemas", CORE_DIR, "--out", b, "--emit", "zod")).code).toBe(0);
    expect(await readdir(a)).toEqual(["index.ts", "zod.gen.ts"]);
    expect(await snapshotFolder(a)).toEqual(await snapshotFolder(b));
  }, 30_000);

  it("writes output that type-checks in a strict consumer, where every misuse is an error", () => {
    expect(typeCheck(fromServer.project)).toEqual([]);
  }, 180_000);

  it("takes the token from SCIM_TOKEN when --token is absent, and a second run changes nothing", async () => {
    vi.stubEnv("SCIM_TOKEN", TOKEN);
    const again = await run("generate", "--from-url", `${server.base}/`, "--out", fromServer.out);
    expect(again.err).toBe("");
    expect(again.code).toBe(0);
    const files = again.out.split("\n").filter((l) => l.startsWith("  "));
    expect(files).toHaveLength(8);
    for (const line of files) expect(line).toMatch(/^ {2}unchanged /);
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  }, 30_000);

  it("says the token was refused, without printing it, when it is wrong", async () => {
    const wrong = "wrong-token-5d2e8c";
    const result = await run(
      "generate",
      "--from-url",
      server.base,
      "--token",
      wrong,
      "--out",
      await tempFolder(),
    );
    expect(result).toMatchObject({ code: 1, out: "" });
    expect(result.err).toMatch(
      new RegExp(
        `^scimkit: GET ${server.base}/ResourceTypes answered HTTP 401 Unauthorized.*: the server refused the token; check --token or SCIM_TOKEN \\(the token is never printed\\)$`,
      ),
    );
    expect(result.err).not.toContain(wrong);
  });

  it("says a token is needed when there is none", async () => {
    vi.stubEnv("SCIM_TOKEN", "");
    const result = await run("generate", "--from-url", server.base, "--out", await tempFolder());
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^scimkit: GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/ResourceTypes answered HTTP 401 Unauthorized.*: the server wants a bearer token; pass --token or set SCIM_TOKEN$/,
    );
  });

  it("--save-schemas writes one file per definition; --schemas on that folder generates the same", async () => {
    const saved = join(await tempFolder(), "scim-schemas");
    const out = await tempFolder();
    const first = await run(
      "generate",
      "--from-url",
      server.base,
      "--token",
      TOKEN,
      "--save-schemas",
      saved,
      "--out",
      out,
    );
    expect(first.err).toBe("");
    const names = [
      "enterprise-user.schema.json",
      "group.resource-type.json",
      "group.schema.json",
      "resource-type.schema.json",
      "schema.schema.json",
      "service-provider-configuration.schema.json",
      "user.resource-type.json",
      "user.schema.json",
    ];
    expect(first.out.split("\n").slice(1, 9)).toEqual(names.map((n) => `  wrote     ${saved}/${n}`));
    expect((await readdir(saved)).sort()).toEqual(names);
    for (const name of names) {
      const text = await readFile(join(saved, name), "utf8");
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(JSON.parse(text), name).not.toHaveProperty("meta");
    }
    const offline = await tempFolder();
    expect((await run("generate", "--schemas", saved, "--out", offline)).code).toBe(0);
    expect(await snapshotFolder(offline)).toEqual(await snapshotFolder(fromFolder));

    const second = await run(
      "generate",
      "--from-url",
      server.base,
      "--token",
      TOKEN,
      "--save-schemas",
      `${saved}/`,
      "--out",
      out,
    );
    expect(second.out.split("\n").slice(1, 9)).toEqual(names.map((n) => `  unchanged ${saved}/${n}`));
  }, 180_000);
});

describe("scimkit generate --from-url on the reference server with a custom bundle (server __fixtures__/acme)", () => {
  let server: TestHttpServer & { base: string };
  let fromServer: Awaited<ReturnType<typeof generateInto>>;
  beforeAll(async () => {
    server = await serveScim({ bundle: acme.bundle, validators: acme.validators, auth: { tokens: [TOKEN] } });
    fromServer = await generateInto(ACME_CONSUMER, "--from-url", server.base, "--token", TOKEN);
  }, 180_000);

  it("fetches the Device resource type and the Acme extension", () => {
    expect(fromServer.result.err).toBe("");
    expect(fromServer.result.out.split("\n").slice(0, 2)).toEqual([
      `scimkit: fetched 7 schemas and 2 resource types from ${server.base}`,
      "scimkit: 7 schemas, resource types: Device, User",
    ]);
  });

  it("writes exactly what generating from schemas/examples writes, byte for byte", async () => {
    const fromFolder = await tempFolder();
    const result = await run("generate", "--schemas", EXAMPLES_DIR, "--out", fromFolder);
    expect(result.code).toBe(0);
    expect(await snapshotFolder(fromServer.out)).toEqual(await snapshotFolder(fromFolder));
  }, 30_000);

  it("types the extension under its URN and the Device resource type in a strict consumer", () => {
    expect(typeCheck(fromServer.project)).toEqual([]);
  }, 180_000);

  it("is caught when a @ts-expect-error misuse compiles (the check above is not vacuous)", async () => {
    const valid = ACME_CONSUMER.split("\n// @ts-expect-error")[0] ?? "";
    const line = valid.split("\n").length + 1;
    await writeFiles(fromServer.project, {
      "src/probe.ts": `${valid}\n// @ts-expect-error fine, actually\nexport const ok: AcmeUser = { clearanceLevel: 2 };\n`,
    });
    try {
      expect(typeCheck(fromServer.project)).toEqual([
        `src/probe.ts:${line}: Unused '@ts-expect-error' directive.`,
      ]);
    } finally {
      await writeFiles(fromServer.project, { "src/probe.ts": "export {};\n" });
    }
  }, 180_000);
});
