/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BULK_REQUEST,
  ENTERPRISE,
  ERROR,
  PATCH_OP,
  SEARCH_REQUEST,
  startServer,
  type TestServer,
  USER_SCHEMA,
} from "../replays/__fixtures__/server.js";
import { httpBackends, LONG_TOKEN } from "./__fixtures__/stores.js";

const NUL = "\u0000";
const HIGH = "\ud800";
const LOW = "\udfff";

/** Issue 10: NUL and lone surrogates are 400s naming the place, on every store, never a 500 from PostgreSQL. */
describe.each(httpBackends("scim_hostile_"))("hostile strings on $name", ({ store }) => {
  let s: TestServer;
  let userId: string;
  beforeAll(async () => {
    s = await startServer({
      store: await store(),
      token: LONG_TOKEN,
      auth: { tokens: { [LONG_TOKEN]: `hostile-${randomUUID()}` } },
    });
    const r = await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName: "hostile-target" } });
    expect(r.status, r.text).toBe(201);
    userId = r.body.id;
  }, 60_000);
  afterAll(() => s?.close());

  async function expectError(
    response: Promise<{ status: number; body: { scimType?: string; detail?: string }; text: string }>,
    scimType: string,
    names?: string,
  ) {
    const r = await response;
    expect(r.status, r.text).toBe(400);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType });
    if (names !== undefined) expect(r.body.detail).toContain(names);
  }

  it.each([
    ["a NUL in userName", { userName: `a${NUL}b` }, '"userName" contains a NUL character'],
    ["a high surrogate alone", { userName: `x${HIGH}` }, '"userName" contains a lone surrogate (\\ud800)'],
    ["a low surrogate alone", { userName: `${LOW}x` }, "lone surrogate (\\udfff) at position 0"],
    [
      "a nested value",
      { userName: "ok-nested", emails: [{ value: "a@example.com" }, { value: `b${NUL}@example.com` }] },
      '"emails[1].value"',
    ],
    [
      "an extension attribute",
      { userName: "ok-ext", [ENTERPRISE]: { department: `R${HIGH}D` } },
      `"${ENTERPRISE}:department"`,
    ],
    ["a member name", { userName: "ok-key", [`nick${NUL}Name`]: "x" }, 'the member name "nick\\u0000Name"'],
    [
      "a member name deep down",
      { userName: "ok-key2", name: { [`given${HIGH}`]: "x" } },
      "name.given\\ud800",
    ],
  ])("POST /Users: %s → 400 invalidValue naming it", async (_, extra, names) => {
    await expectError(
      s.request("/Users", { body: { schemas: [USER_SCHEMA], ...extra } }),
      "invalidValue",
      names,
    );
  });

  it("a NUL or lone surrogate sent as a JSON escape is the same as the raw character", async () => {
    for (const sequence of ["\\u0000", "\\ud800", "\\udc00x", "\\ud800\\u0041"]) {
      const body = `{"schemas":["${USER_SCHEMA}"],"userName":"esc${sequence}"}`;
      await expectError(s.request("/Users", { body }), "invalidValue", '"userName"');
    }
  });

  it("well-formed astral characters and invalid UTF-8 bytes (read as U+FFFD) are stored as any text", async () => {
    const emoji = await s.request("/Users", { body: { schemas: [USER_SCHEMA], userName: "smile-😀-𝒳" } });
    expect(emoji.status, emoji.text).toBe(201);
    expect(emoji.body.userName).toBe("smile-😀-𝒳");
    const head = Buffer.from(`{"schemas":["${USER_SCHEMA}"],"userName":"bytes-`);
    const raw = Buffer.concat([head, Buffer.from([0xff, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const response = await fetch(`${s.base}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${LONG_TOKEN}`, "content-type": "application/scim+json" },
      body: raw,
    });
    const created = (await response.json()) as { userName: string };
    expect(response.status).toBe(201);
    expect(created.userName.startsWith("bytes-\ufffd")).toBe(true);
  });

  it("PUT and PATCH bodies → 400 invalidValue naming the attribute or operation", async () => {
    await expectError(
      s.request(`/Users/${userId}`, {
        method: "PUT",
        body: { schemas: [USER_SCHEMA], userName: "hostile-target", displayName: `d${NUL}` },
      }),
      "invalidValue",
      '"displayName"',
    );
    await expectError(
      s.request(`/Users/${userId}`, {
        method: "PATCH",
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", path: "displayName", value: `v${HIGH}` }],
        },
      }),
      "invalidValue",
      '"Operations[0].value"',
    );
    await expectError(
      s.request(`/Users/${userId}`, {
        method: "PATCH",
        body: {
          schemas: [PATCH_OP],
          Operations: [
            { op: "add", path: "title", value: "fine" },
            { op: "add", value: { emails: [{ value: `e${NUL}` }] } },
          ],
        },
      }),
      "invalidValue",
      '"Operations[1].value.emails[0].value"',
    );
    await expectError(
      s.request(`/Users/${userId}`, {
        method: "PATCH",
        body: { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `emails[value eq "${NUL}"]` }] },
      }),
      "invalidValue",
      '"Operations[0].path"',
    );
    const unchanged = await s.request(`/Users/${userId}`);
    expect(unchanged.body.title).toBeUndefined();
  });

  it("bulk data and paths → 400 invalidValue naming the operation, before any operation runs", async () => {
    await expectError(
      s.request("/Bulk", {
        body: {
          schemas: [BULK_REQUEST],
          Operations: [
            {
              method: "POST",
              path: "/Users",
              bulkId: "ok",
              data: { schemas: [USER_SCHEMA], userName: "bulk-ok" },
            },
            {
              method: "POST",
              path: "/Users",
              bulkId: "b",
              data: { schemas: [USER_SCHEMA], userName: `u${NUL}` },
            },
          ],
        },
      }),
      "invalidValue",
      '"Operations[1].data.userName"',
    );
    const none = await s.request('/Users?filter=userName eq "bulk-ok"');
    expect(none.body.totalResults).toBe(0);
    await expectError(
      s.request("/Bulk", {
        body: { schemas: [BULK_REQUEST], Operations: [{ method: "DELETE", path: `/Users/${HIGH}` }] },
      }),
      "invalidValue",
      '"Operations[0].path"',
    );
  });

  it("filter in the query: raw %00 or an escape in a literal → 400 invalidFilter", async () => {
    await expectError(
      s.request(`/Users?filter=${encodeURIComponent(`userName eq "a${NUL}"`)}`),
      "invalidFilter",
      '"filter"',
    );
    for (const literal of ["\\u0000", "a\\ud800", "\\udfffz"])
      await expectError(
        s.request(`/Users?filter=${encodeURIComponent(`userName eq "${literal}"`)}`),
        "invalidFilter",
        'the value the filter compares "userName" with',
      );
    await expectError(
      s.request(`/Users?filter=${encodeURIComponent(`emails[value sw "\\u0000"] or title pr`)}`),
      "invalidFilter",
      '"emails.value"',
    );
  });

  it("cursor, sortBy, sortOrder, attributes, excludedAttributes in the query", async () => {
    await expectError(s.request(`/Users?cursor=${encodeURIComponent(NUL)}`), "invalidCursor", '"cursor"');
    for (const name of ["sortBy", "sortOrder", "attributes", "excludedAttributes"])
      await expectError(
        s.request(`/Users?${name}=user${encodeURIComponent(NUL)}Name`),
        "invalidValue",
        `"${name}"`,
      );
  });

  it("POST /.search and /Users/.search: filter → invalidFilter, cursor → invalidCursor, others → invalidValue", async () => {
    for (const path of ["/.search", "/Users/.search"]) {
      const search = (extra: Record<string, unknown>) =>
        s.request(path, { body: { schemas: [SEARCH_REQUEST], ...extra } });
      await expectError(search({ filter: `userName eq "${NUL}"` }), "invalidFilter", '"filter"');
      await expectError(search({ FILTER: `userName eq "${HIGH}"` }), "invalidFilter", '"FILTER"');
      await expectError(search({ filter: 'userName eq "\\u0000"' }), "invalidFilter", "compares");
      await expectError(search({ cursor: `c${NUL}` }), "invalidCursor", '"cursor"');
      await expectError(search({ sortBy: `user${HIGH}Name` }), "invalidValue", '"sortBy"');
      await expectError(search({ attributes: ["userName", `x${NUL}`] }), "invalidValue", '"attributes[1]"');
      await expectError(search({ excludedAttributes: `x${NUL}` }), "invalidValue", '"excludedAttributes"');
      await expectError(search({ schemas: [SEARCH_REQUEST, NUL] }), "invalidValue", '"schemas[1]"');
    }
  });

  it.each(["1e300", "-1e300", "9007199254740993", "-9007199254740993", "1e16"])(
    "startIndex/count %s → 400 invalidValue in the query and in a /.search body",
    async (n) => {
      for (const name of ["startIndex", "count"]) {
        await expectError(
          s.request(`/Users?${name}=${n}`),
          "invalidValue",
          `"${name}" must be an integer between`,
        );
        for (const path of ["/.search", "/Users/.search"])
          await expectError(
            s.request(path, { body: `{"schemas":["${SEARCH_REQUEST}"],"${name}":${n}}` }),
            "invalidValue",
            `"${name}"`,
          );
      }
    },
  );

  it("the largest safe startIndex and count are answered, not failed", async () => {
    const r = await s.request("/Users?startIndex=9007199254740991&count=9007199254740991");
    expect(r.status, r.text).toBe(200);
    expect(r.body.Resources ?? []).toEqual([]);
    const negative = await s.request("/Users?startIndex=-9007199254740991&count=-9007199254740991");
    expect(negative.status, negative.text).toBe(200);
    expect(negative.body).toMatchObject({ startIndex: 1, itemsPerPage: 0 });
  });

  it("the server still serves afterwards", async () => {
    const r = await s.request(`/Users/${userId}`);
    expect(r.status).toBe(200);
    expect(r.body.userName).toBe("hostile-target");
  });
});
