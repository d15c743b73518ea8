import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, rejection } from "./__fixtures__/http.js";
import { type Reference, startReference, TOKEN, user } from "./__fixtures__/reference-server.js";
import { createScimClient, type ScimClient } from "./index.js";

let reference: Reference;
let client: ScimClient;

beforeAll(async () => {
  reference = await startReference();
  client = createScimClient({ baseUrl: reference.baseUrl, token: TOKEN });
});

afterAll(() => close(reference));

describe("list, search and iterate", () => {
  const prefix = "page-";
  const total = 7;

  beforeAll(async () => {
    for (let i = 0; i < total; i++) await client.users.create(user(`${prefix}${i}`));
  });

  it("lists with a filter, count, sort and projection", async () => {
    const page = await client.users.list({
      filter: `userName sw "${prefix}"`,
      count: 3,
      sortBy: "userName",
      sortOrder: "descending",
      attributes: "userName",
    });
    expect(page.totalResults).toBe(total);
    expect(page.Resources.map((u) => u.userName)).toStrictEqual(["page-6", "page-5", "page-4"]);
    expect(page.Resources[0]).not.toHaveProperty("displayName");
  });

  it("lists an empty result with Resources = []", async () => {
    const page = await client.users.list({ filter: 'userName eq "nobody"' });
    expect(page.totalResults).toBe(0);
    expect(page.Resources).toStrictEqual([]);
  });

  it("searches through POST /.search", async () => {
    const page = await client.users.search({ filter: `userName eq "${prefix}3"`, attributes: ["userName"] });
    expect(page.Resources.map((u) => u.userName)).toStrictEqual(["page-3"]);
  });

  it("lists one RFC 9865 cursor page at a time", async () => {
    const first = await client.users.list({ filter: `userName sw "${prefix}"`, count: 5, cursor: "" });
    expect(first.Resources).toHaveLength(5);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.users.list({
      filter: `userName sw "${prefix}"`,
      count: 5,
      cursor: first.nextCursor as string,
    });
    expect(second.Resources).toHaveLength(total - 5);
    expect(second.nextCursor).toBeUndefined();
  });

  it.each(["index", "cursor"] as const)("iterates every page (%s pagination)", async (pagination) => {
    const names: string[] = [];
    for await (const found of client.users.iterate({
      filter: `userName sw "${prefix}"`,
      count: 2,
      pagination,
    })) {
      names.push(found.userName);
    }
    expect(names.sort()).toStrictEqual(Array.from({ length: total }, (_, i) => `${prefix}${i}`));
  });

  it("rejects a bad filter with 400 invalidFilter", async () => {
    const error = await rejection(client.users.list({ filter: "userName eq" }));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidFilter");
  });
});
