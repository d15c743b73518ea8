import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close } from "./__fixtures__/http.js";
import {
  ENTERPRISE,
  GROUP,
  type Reference,
  startReference,
  TOKEN,
  USER,
  user,
} from "./__fixtures__/reference-server.js";
import { createScimClient } from "./index.js";

let reference: Reference;
let baseUrl: string;
const client = () => createScimClient({ baseUrl, token: TOKEN });

beforeAll(async () => {
  reference = await startReference({ maxBulkOperations: 4, maxPayloadSize: 64 * 1024 });
  baseUrl = reference.baseUrl;
});

afterAll(() => close(reference));

describe("discovery", () => {
  it("reads the ServiceProviderConfig once and caches it", async () => {
    const scim = client();
    const before = reference.log.filter((l) => l.includes("ServiceProviderConfig")).length;
    const config = await scim.serviceProviderConfig();
    expect(config.patch.supported).toBe(true);
    expect(config.bulk).toMatchObject({ supported: true, maxOperations: 4, maxPayloadSize: 64 * 1024 });
    expect(config.pagination?.cursor).toBe(true);
    await scim.serviceProviderConfig();
    expect(reference.log.filter((l) => l.includes("ServiceProviderConfig")).length).toBe(before + 1);
    await scim.serviceProviderConfig({ refresh: true });
    expect(reference.log.filter((l) => l.includes("ServiceProviderConfig")).length).toBe(before + 2);
  });

  it("lists resource types and schemas", async () => {
    const scim = client();
    const types = await scim.resourceTypes();
    expect(types.map((t) => [t.name, t.endpoint]).sort()).toStrictEqual([
      ["Group", "/Groups"],
      ["User", "/Users"],
    ]);
    const schemas = await scim.schemas();
    expect(schemas.map((s) => s.id)).toEqual(expect.arrayContaining([USER, GROUP, ENTERPRISE]));
    const userSchema = schemas.find((s) => s.id === USER);
    expect(userSchema?.attributes.some((a) => a.name === "userName" && a.uniqueness === "server")).toBe(true);
  });

  it("iterates with RFC 9865 cursors when the server advertises them", async () => {
    const scim = client();
    for (let i = 0; i < 5; i++) await scim.users.create(user(`auto-${i}`));
    const names: string[] = [];
    const start = reference.log.length;
    for await (const u of scim.users.iterate({ filter: 'userName sw "auto-"', count: 2 }))
      names.push(u.userName);
    expect(names.sort()).toStrictEqual(["auto-0", "auto-1", "auto-2", "auto-3", "auto-4"]);
    const pages = reference.log.slice(start).filter((l) => l.startsWith("GET /scim/v2/Users?"));
    expect(pages).toHaveLength(3);
    expect(pages.every((l) => l.includes("cursor="))).toBe(true);
    // "index" is still there to be asked for
    const indexStart = reference.log.length;
    for await (const _ of scim.users.iterate({
      filter: 'userName sw "auto-"',
      count: 2,
      pagination: "index",
    })) {
      // drain
    }
    const indexPages = reference.log.slice(indexStart).filter((l) => l.startsWith("GET /scim/v2/Users?"));
    expect(indexPages.every((l) => l.includes("startIndex=") && !l.includes("cursor="))).toBe(true);
  });
});
