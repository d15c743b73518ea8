/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_URL, pgliteStore, postgresStore } from "../http/__fixtures__/stores.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { ScimStore } from "../stores/store.js";
import { matches } from "./filter.js";
import type { NewRequestRecord, RecordingStore, RequestSummary } from "./types.js";

const STORES: readonly { name: string; open: () => Promise<ScimStore> }[] = [
  { name: "MemoryStore", open: async () => new MemoryStore() },
  { name: "PostgresStore on PGlite", open: pgliteStore },
  ...(DATABASE_URL === undefined
    ? []
    : [{ name: "PostgresStore on PostgreSQL", open: () => postgresStore("scim_search_") }]),
];

const LONG = { maxAgeMs: 86_400_000, maxCount: 1000 };

/** Requests whose searchable fields differ in case, hold LIKE's wildcards, or the search column's separator. */
function records(tenant: string): NewRequestRecord[] {
  const base = {
    time: new Date().toISOString(),
    tenant,
    method: "GET",
    status: 200,
    durationMs: 1,
    idp: "other" as const,
    requestHeaders: {},
    changes: [],
  };
  return [
    { ...base, path: "/scim/v2/Users/AbC-1", resourceId: "AbC-1", userAgent: "Okta SCIM Client 1.0.0" },
    {
      ...base,
      path: "/scim/v2/Users",
      query: 'filter=userName%20eq%20"Bjensen"',
      status: 400,
      scimType: "invalidFilter",
      detail: "Expected a VALUE at position 12",
    },
    { ...base, path: "/scim/v2/Groups/g_1", detail: "100% done_ok", subject: "token:Acme" },
    { ...base, path: "/scim/v2/Groups/g-2", detail: "line one\u0001line two", subject: "token:acme" },
    {
      ...base,
      path: "/scim/v2/Users/zz",
      userAgent: "Microsoft Azure AD SCIM provisioning",
      detail: "ok",
      resourceId: "zz",
    },
  ];
}

const NEEDLES = [
  "abc", // path and resource id, other case
  "OKTA",
  "invalidfilter", // scimType
  "a value", // detail, other case
  "bjensen", // query
  "100%", // a literal %
  "g_1", // a literal _ (not "any character": g-2 must not match)
  "_",
  "token:ACME", // subject, both cases
  "one\u0001line", // the separator: matched field by field
  "users\u0001", // across fields: no match
  "nothing matches this",
  "azure ad",
];

describe.each(STORES)("text search (q) of $name", ({ open }) => {
  let store: ScimStore;
  let recordings: RecordingStore;
  const tenant = `q-${randomUUID()}`;
  let stored: readonly RequestSummary[];
  beforeAll(async () => {
    store = await open();
    recordings = store.recordings as RecordingStore;
    stored = await recordings.append(records(tenant), LONG);
  });
  afterAll(async () => {
    await store.close?.();
  });

  it.each(NEEDLES)("finds what MemoryStore's evaluation finds for %j, newest first", async (q) => {
    const want = stored
      .filter((r) => matches(r, { limit: 100, q }))
      .map((r) => r.id)
      .reverse();
    const page = await recordings.list(tenant, { limit: 100, q });
    expect(page.items.map((r) => r.id)).toEqual(want);
  });

  it("pages a search with cursors", async () => {
    const first = await recordings.list(tenant, { limit: 1, q: "/scim/v2/users" });
    expect(first.items.map((r) => r.path)).toEqual(["/scim/v2/Users/zz"]);
    expect(first.nextCursor).toBeDefined();
    const before = first.nextCursor as string;
    const second = await recordings.list(tenant, { limit: 5, q: "/scim/v2/users", before });
    expect(second.items.map((r) => r.path)).toEqual(["/scim/v2/Users", "/scim/v2/Users/AbC-1"]);
    expect(second.nextCursor).toBeUndefined();
  });
});
