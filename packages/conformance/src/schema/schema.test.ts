import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  resourceTypes as deviceResourceTypes,
  schemas as deviceSchemas,
} from "../__fixtures__/device/index.js";
import { startServer, type TestServer } from "../__fixtures__/servers.js";
import { sendRequest } from "../http.js";
import type { Discovery } from "../types.js";
import { listAttributes, namingAttribute, writableAttributes } from "./attributes.js";
import { generateBody, readOnlyBody } from "./body.js";
import { compareResource, valueEquals } from "./compare.js";
import { parseAttribute, type ResourceTypeDef, resourceTypeOf } from "./model.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PREFIX = "scimkit-conformance-test-";

let server: TestServer;
let discovery: Discovery;
let user: ResourceTypeDef;
let group: ResourceTypeDef;

async function send(method: string, path: string, body?: unknown) {
  return sendRequest(fetch, server.url, method, path, { body, token: server.token });
}

async function list(path: string): Promise<Record<string, unknown>[]> {
  return ((await send("GET", path)).json as { Resources: Record<string, unknown>[] }).Resources;
}

beforeAll(async () => {
  server = await startServer();
  discovery = {
    serviceProviderConfig: undefined,
    resourceTypes: await list("/ResourceTypes"),
    schemas: await list("/Schemas"),
  };
  const u = resourceTypeOf(discovery, "user");
  const g = resourceTypeOf(discovery, "Group");
  if (!u || !g) throw new Error("the reference handler advertises User and Group");
  user = u;
  group = g;
});
afterAll(() => server.close());

describe("listAttributes / writableAttributes", () => {
  it("lists attributes with their path, schema and characteristics, extensions URN-qualified", () => {
    const all = listAttributes(user);
    expect(all.find((a) => a.path === "name.givenName")).toMatchObject({
      schema: "urn:ietf:params:scim:schemas:core:2.0:User",
      parent: "name",
      type: "string",
      multiValued: false,
      mutability: "readWrite",
      caseExact: false,
    });
    expect(all.find((a) => a.path === `${ENTERPRISE}:manager.value`)).toMatchObject({
      extension: true,
      schema: ENTERPRISE,
    });
    expect(all.find((a) => a.path === "password")).toMatchObject({
      mutability: "writeOnly",
      returned: "never",
    });
  });
  it.each([
    [true, true],
    [undefined, true],
    [false, false],
  ])("with changePassword.supported %s, password is writable: %s (RFC 7643 §5)", (supported, writable) => {
    const spc = supported === undefined ? {} : { changePassword: { supported } };
    const typed = resourceTypeOf({ ...discovery, serviceProviderConfig: spc }, "User");
    const paths = typed ? writableAttributes(typed).map((a) => a.path) : [];
    expect(paths).toContain("userName");
    expect(paths.includes("password")).toBe(writable);
    const body = typed ? generateBody(typed, { prefix: PREFIX, seed: "pw", variant: 0 }) : {};
    expect("password" in body).toBe(writable);
  });
  it("leaves readOnly attributes and their sub-attributes out of the writable ones", () => {
    const paths = writableAttributes(user).map((a) => a.path);
    expect(paths).toContain("password");
    expect(paths).toContain("emails.primary");
    expect(paths).not.toContain("groups");
    expect(paths).not.toContain("groups.value");
    expect(paths).not.toContain(`${ENTERPRISE}:manager.displayName`);
  });
  it("names resources by userName, displayName", () => {
    expect(namingAttribute(user)?.name).toBe("userName");
    expect(namingAttribute(group)?.name).toBe("displayName");
  });
});

describe("generateBody", () => {
  const options = { prefix: PREFIX, seed: "gen", variant: 0 } as const;

  it("sets every writable attribute the core User has, prefixed, with the extension under its URN", () => {
    const body = generateBody(user, options);
    expect(body.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
    expect(body.userName).toBe(`${PREFIX}gen`);
    expect(body.externalId).toBe(`${PREFIX}gen-external`);
    for (const attr of user.schema.attributes.filter((a) => a.mutability !== "readOnly")) {
      expect(body, attr.name).toHaveProperty([attr.name]);
    }
    expect(body).not.toHaveProperty("groups");
    const enterprise = body[ENTERPRISE] as Record<string, unknown>;
    expect(Object.keys(enterprise).sort()).toEqual(
      ["costCenter", "department", "division", "employeeNumber", "organization"].sort(),
    );
    const emails = body.emails as { value: string; type: string; primary?: boolean }[];
    expect(emails).toHaveLength(2);
    expect(emails.map((e) => e.primary)).toEqual([true, undefined]);
    expect(emails.map((e) => e.type)).toEqual(["work", "home"]);
    expect(emails[0]?.value).toMatch(/^[^@\s]+@example\.com$/);
    expect(typeof body.active).toBe("boolean");
    expect(atob((body.x509Certificates as { value: string }[])[0]?.value ?? "")).toMatch(/^scimkit:/);
  });

  it("is deterministic per seed, and variant 1 changes every attribute", () => {
    expect(generateBody(user, options)).toEqual(generateBody(user, options));
    const first = generateBody(user, options);
    const second = generateBody(user, { ...options, variant: 1 });
    for (const key of Object.keys(first).filter((k) => k !== "schemas")) {
      expect(second[key], key).not.toEqual(first[key]);
    }
    expect(compareResource(user, first, second).length).toBeGreaterThan(10);
  });

  it("points a User reference at an existing resource, and leaves it out without one", () => {
    expect(generateBody(user, options)[ENTERPRISE]).not.toHaveProperty("manager");
    const body = generateBody(user, { ...options, references: { User: { id: "abc" } } });
    expect((body[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: "abc" });
  });

  it("sends group members only when asked", () => {
    expect(generateBody(group, options)).not.toHaveProperty("members");
    expect(generateBody(group, { ...options, members: [{ value: "u1" }] }).members).toEqual([
      { value: "u1" },
    ]);
  });

  it("produces bodies the reference server accepts and returns unchanged", async () => {
    for (const type of [user, group]) {
      const body = generateBody(type, { ...options, seed: `accept-${type.name}` });
      const created = await send("POST", type.endpoint, body);
      expect(created.status, created.text).toBe(201);
      expect(compareResource(type, body, created.json)).toEqual([]);
      const id = (created.json as { id: string }).id;
      const replaced = generateBody(type, { ...options, seed: `accept-${type.name}`, variant: 1 });
      const put = await send("PUT", `${type.endpoint}/${id}`, {
        ...replaced,
        ...readOnlyBody(type, options),
      });
      expect(put.status, put.text).toBe(200);
      expect(compareResource(type, replaced, put.json)).toEqual([]);
      expect(compareResource(type, body, put.json).length).toBeGreaterThan(0);
      expect((await send("DELETE", `${type.endpoint}/${id}`)).status).toBe(204);
    }
  });
});

describe("compareResource", () => {
  it("matches names case-insensitively, dateTimes as instants, and reports what differs", () => {
    const hire = parseAttribute({ name: "hireDate", type: "dateTime" });
    if (!hire) throw new Error("parseAttribute reads a named attribute");
    expect(valueEquals(hire, "2024-01-01T10:00:00Z", "2024-01-01T12:00:00.000+02:00")).toBe(true);
    expect(valueEquals(hire, "2024-01-01T10:00:00Z", "2024-01-01T10:00:01Z")).toBe(false);
    const sent = {
      userName: "Bob",
      name: { givenName: "B" },
      [ENTERPRISE]: { department: "X" },
      password: "p",
    };
    const got = {
      USERNAME: "bob",
      Name: { GivenName: "B" },
      [ENTERPRISE.toUpperCase()]: { Department: "x" },
    };
    expect(compareResource(user, sent, got)).toEqual([]);
    expect(compareResource(user, sent, { userName: "bob" })).toEqual([
      'name sent {"givenName":"B"} but not returned',
      `${ENTERPRISE} sent but not returned`,
    ]);
  });
});

describe("generateBody for a custom resource type with an extension", () => {
  const SECURITY = "urn:example:params:scim:schemas:extension:security:2.0:Device";
  const device = resourceTypeOf(
    { serviceProviderConfig: undefined, resourceTypes: deviceResourceTypes, schemas: deviceSchemas },
    "Device",
  );
  const options = { prefix: PREFIX, seed: "dev", variant: 0 } as const;

  it("fills every type: canonical, unique, binary, references, numbers, dates, writeOnly", () => {
    if (!device) throw new Error("the fixture bundle has Device");
    expect(device.endpoint).toBe("/Devices");
    const body = generateBody(device, options);
    expect(body.schemas).toEqual(["urn:example:params:scim:schemas:core:2.0:Device", SECURITY]);
    expect(body.displayName).toBe(`${PREFIX}dev`);
    expect(body.serialNumber).toBe(`${PREFIX}dev-serialNumber`);
    expect(body.platform).toBe("linux");
    expect(body).not.toHaveProperty("enrolledAt");
    expect(body).not.toHaveProperty("owner");
    const certificates = body.certificates as { value: string; type: string; primary?: boolean }[];
    expect(certificates.map((c) => [c.type, c.primary])).toEqual([
      ["wifi", true],
      ["vpn", undefined],
    ]);
    expect(() => atob(certificates[1]?.value ?? "!")).not.toThrow();
    const security = body[SECURITY] as Record<string, unknown>;
    expect(security.assetTag).toBe(`${PREFIX}dev-assetTag`);
    expect(Number.isInteger(security.patchLevel)).toBe(true);
    expect(Number.isInteger(security.riskScore)).toBe(false);
    expect(security.lastScan).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(typeof security.encrypted).toBe("boolean");
    expect(new URL(String(security.policyUrl)).protocol).toBe("https:");
    expect(typeof security.recoveryKey).toBe("string");
    expect(security.controls).toEqual(["firewall", "antivirus"]);
    expect(generateBody(device, { ...options, references: { User: { id: "u1" } } }).owner).toEqual({
      value: "u1",
    });
  });

  it("variant 1 changes every attribute but the immutable ones when asked to keep them", () => {
    if (!device) throw new Error("the fixture bundle has Device");
    const first = generateBody(device, options);
    const second = generateBody(device, { ...options, variant: 1, immutableVariant: 0 });
    expect(second.serialNumber).toBe(first.serialNumber);
    expect(second.displayName).not.toBe(first.displayName);
    const a = first[SECURITY] as Record<string, unknown>;
    const b = second[SECURITY] as Record<string, unknown>;
    for (const key of Object.keys(a)) expect(b[key], key).not.toEqual(a[key]);
    expect(compareResource(device, second, second)).toEqual([]);
    expect(compareResource(device, first, second)).toContain(
      `${SECURITY}:patchLevel sent ${a.patchLevel}, returned ${b.patchLevel}`,
    );
    expect(readOnlyBody(device, options)).toMatchObject({ enrolledAt: expect.any(String) });
  });
});
