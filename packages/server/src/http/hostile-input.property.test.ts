/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { isScimError } from "@scimkit/core";
import { parseFilter } from "@scimkit/filter";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BULK_REQUEST,
  ENTERPRISE,
  PATCH_OP,
  SEARCH_REQUEST,
  startServer,
  type TestServer,
  USER_SCHEMA,
} from "../replays/__fixtures__/server.js";
import { applyPatch } from "../resource/patch/apply-patch.js";
import { validateResource } from "../resource/validate.js";
import { findBadCharacter } from "../stores/text.js";
import { httpBackends, LONG_TOKEN } from "./__fixtures__/stores.js";
import { fromSearchBody, integer } from "./list.js";
import { findBadString, printable } from "./strings.js";

// fc.string's "binary" unit never yields a lone surrogate: single UTF-16 code units and a few
// specials make sure NUL and both surrogate halves turn up alone, next to real pairs.
const char = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "😀", '"', "\\"),
  },
);
const text = fc.string({ unit: char, maxLength: 12 });
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(text, tie("value"), { maxKeys: 3 }),
  ),
})).value;

const userBody = fc
  .record({
    userName: fc.oneof(
      text,
      text.map((t) => `user-${t}`),
    ),
    displayName: text,
    name: fc.record({ givenName: text, familyName: text }),
    emails: fc.array(fc.record({ value: text, type: fc.oneof(fc.constant("work"), text) }), { maxLength: 2 }),
    [ENTERPRISE]: fc.record({ department: text }),
    extra: fc.dictionary(text, json, { maxKeys: 2 }),
  })
  .map(({ extra, ...known }) => ({ schemas: [USER_SCHEMA], ...extra, ...known }));

const patchBody = fc.record({
  schemas: fc.constant([PATCH_OP]),
  Operations: fc.array(
    fc.record({
      op: fc.oneof(fc.constantFrom("add", "replace", "remove", "Replace"), text),
      path: fc.option(
        fc.oneof(
          fc.constantFrom("displayName", "emails", 'emails[type eq "work"].value', "name.givenName", "title"),
          text,
          text.map((t) => `emails[value eq ${JSON.stringify(t)}]`),
        ),
        { nil: undefined },
      ),
      value: fc.oneof(json, userBody, text),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const filterText = fc.oneof(
  text,
  text.map((t) => `userName eq ${JSON.stringify(t)}`),
  text.map((t) => `emails[value co ${JSON.stringify(t)}] or title pr`),
  // A literal whose escape sequences the filter parser decodes (\u0000, \ud800).
  fc.constantFrom("\\u0000", "\\ud800", "\\udfff", "\\ud83d\\ude00", "x").map((e) => `displayName sw "${e}"`),
);
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e300, -1e300, 2 ** 53 + 2), text);
const searchBody = fc
  .record(
    {
      filter: filterText,
      sortBy: fc.oneof(fc.constant("userName"), text),
      sortOrder: fc.oneof(fc.constantFrom("ascending", "descending"), text),
      attributes: fc.oneof(fc.array(text, { maxLength: 2 }), text),
      excludedAttributes: fc.array(text, { maxLength: 2 }),
      startIndex: number,
      count: number,
      cursor: text,
    },
    { requiredKeys: [] },
  )
  .map((body) => ({ schemas: [SEARCH_REQUEST], ...body }));

/** Only ScimErrors may leave the pure parts, whatever the strings. */
function onlyScimErrors(work: () => unknown): void {
  try {
    work();
  } catch (error) {
    if (!isScimError(error)) throw error;
    expect(error.status).toBeLessThan(500);
  }
}

/** The slow, obvious definition findBadString must agree with. */
function storableEverywhere(value: unknown): boolean {
  const ok = (s: string) =>
    !s.includes("\u0000") &&
    !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
  if (typeof value === "string") return ok(value);
  if (Array.isArray(value)) return value.every(storableEverywhere);
  if (typeof value === "object" && value !== null)
    return Object.entries(value).every(([k, v]) => ok(k) && storableEverywhere(v));
  return true;
}

describe("the pure parts on arbitrary strings", () => {
  it("findBadString agrees with the definition; findBadCharacter points at the character", () => {
    fc.assert(
      fc.property(json, (value) => {
        const bad = findBadString(value);
        expect(bad === undefined).toBe(storableEverywhere(value));
        expect(findBadString(JSON.parse(JSON.stringify(value) ?? "null"))?.path).toBe(bad?.path);
        if (bad) expect(printable(bad.path)).toBe(bad.path);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      // Past 64 characters a character-class scan finds where to look: cover both ways.
      fc.property(fc.oneof(text, fc.string({ unit: char, minLength: 60, maxLength: 300 })), (t) => {
        const bad = findBadCharacter(t);
        if (bad) {
          expect(t.charCodeAt(bad.index)).toBe(bad.code);
          expect(storableEverywhere(t.slice(0, bad.index))).toBe(true);
          expect(storableEverywhere(t.slice(0, bad.index + 1))).toBe(false);
        } else expect(storableEverywhere(t)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("a value nested 200,000 deep is walked without a stack overflow", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findBadString(deep)?.path.startsWith("[0][0]")).toBe(true);
  });

  it("validateResource, applyPatch, fromSearchBody, parseFilter and integer throw nothing but ScimErrors", () => {
    const existing = { schemas: [USER_SCHEMA], id: "1", userName: "existing", emails: [{ value: "a@b.c" }] };
    fc.assert(
      fc.property(userBody, patchBody, searchBody, filterText, number, (user, patch, search, filter, n) => {
        onlyScimErrors(() => validateResource("User", user, { operation: "create" }));
        onlyScimErrors(() => applyPatch(existing, patch, { resourceType: "User" }));
        onlyScimErrors(() => fromSearchBody(search));
        onlyScimErrors(() => parseFilter(filter));
        onlyScimErrors(() => {
          const value = integer(n, "count");
          if (value !== undefined) expect(Number.isSafeInteger(value)).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe.each(httpBackends("scim_property_"))("arbitrary strings over HTTP on $name", ({ name, store }) => {
  let s: TestServer;
  let userId: string;
  const runs = name === "MemoryStore" ? 150 : 50;
  beforeAll(async () => {
    s = await startServer({
      store: await store(),
      token: LONG_TOKEN,
      auth: { tokens: { [LONG_TOKEN]: `property-${randomUUID()}` } },
    });
    const r = await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName: "property-target" } });
    userId = r.body.id;
  }, 60_000);
  afterAll(() => s?.close());

  async function below500(path: string, init: { method?: string; body?: unknown }) {
    const r = await s.request(path, init);
    expect(r.status, `${init.method ?? "POST"} ${path}: ${r.text}`).toBeLessThan(500);
    if (r.status >= 400) expect(r.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  }

  it("POST /Users, PUT, PATCH, /.search, /Users/.search, /Bulk and GET ?filter never answer 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(userBody, patchBody, searchBody, filterText, async (user, patch, search, filter) => {
        await below500("/Users", { body: user });
        await below500(`/Users/${userId}`, { method: "PUT", body: { ...user, userName: "property-target" } });
        await below500(`/Users/${userId}`, { method: "PATCH", body: patch });
        await below500("/.search", { body: search });
        await below500("/Users/.search", { body: search });
        await below500("/Bulk", {
          body: {
            schemas: [BULK_REQUEST],
            Operations: [
              { method: "POST", path: "/Users", bulkId: "u", data: user },
              { method: "PATCH", path: `/Users/${userId}`, data: patch },
            ],
          },
        });
        let query: string | undefined;
        try {
          query = encodeURIComponent(filter);
        } catch {
          query = undefined; // a lone surrogate has no UTF-8 form, so it cannot be in a URL
        }
        if (query !== undefined) await below500(`/Users?filter=${query}`, { method: "GET" });
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
