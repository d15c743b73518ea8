/// <reference types="node" />

import { createScimHandler, MemoryStore } from "@scimkit/server";
import { toNodeListener } from "@scimkit/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { close, listen, type Running, rejection } from "./__fixtures__/http.js";
import { ENTERPRISE, TOKEN, user } from "./__fixtures__/reference-server.js";
import { createScimClient } from "./index.js";
import { putFallback } from "./put-fallback.js";

/** The reference handler behind a server that does not support PATCH (ServiceProviderConfig patch.supported false, 501 on PATCH). */
async function withoutPatch(): Promise<Running> {
  const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
  const listener = toNodeListener(async (request: Request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "PATCH") {
      return Response.json(
        {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "501",
          detail: "PATCH is not supported",
        },
        { status: 501 },
      );
    }
    const response = await handler(request);
    if (!path.endsWith("/ServiceProviderConfig")) return response;
    const config = await response.json();
    return Response.json(
      { ...config, patch: { supported: false } },
      { headers: { "content-type": "application/scim+json" } },
    );
  });
  return listen(listener);
}

describe("PUT fallback for servers without PATCH", () => {
  let legacy: Running;
  beforeAll(async () => {
    legacy = await withoutPatch();
  });
  afterAll(() => close(legacy));

  it("patch() reads, applies locally and PUTs with If-Match when the server says patch.supported is false", async () => {
    const scim = createScimClient({ baseUrl: `${legacy.url}/scim/v2`, token: TOKEN, patch: putFallback() });
    const created = await scim.users.create(
      user("legacy", {
        emails: [
          { value: "l@work.example", type: "work" },
          { value: "l@home.example", type: "home" },
        ],
      }),
    );
    const start = legacy.log.length;
    const patched = await scim.users.patch(created.id, (p) => [
      p.replace("displayName", "Legacy"),
      p.where("emails", (e) => e.eq("type", "home")).remove(),
      p.add(`${ENTERPRISE}:department`, "Ops"),
    ]);
    expect(patched.displayName).toBe("Legacy");
    expect(patched.emails).toStrictEqual([{ value: "l@work.example", type: "work" }]);
    expect(patched[ENTERPRISE]?.department).toBe("Ops");
    expect(patched.schemas).toContain(ENTERPRISE);
    const methods = legacy.log.slice(start).map((l) => l.split(" ")[0]);
    expect(methods).toStrictEqual(["GET", "GET", "PUT"]); // ServiceProviderConfig, the user, the PUT
  });

  it("update() applies the diff to a fresh GET and PUTs that, so a projected `before` clears nothing", async () => {
    const scim = createScimClient({
      baseUrl: `${legacy.url}/scim/v2`,
      token: TOKEN,
      patch: putFallback({ when: "always" }),
    });
    const created = await scim.users.create(user("legacy-update", { title: "A", displayName: "Kept" }));
    const projected = await scim.users.get(created.id, { attributes: ["title"] });
    const start = legacy.log.length;
    const saved = await scim.users.update(created.id, projected, { ...projected, title: "B" });
    expect(saved).toMatchObject({ title: "B", displayName: "Kept" });
    expect(legacy.log.slice(start).map((l) => l.split(" ")[0])).toStrictEqual(["GET", "PUT"]);
  });

  it("without the fallback the 501 surfaces as a ScimError", async () => {
    const scim = createScimClient({ baseUrl: `${legacy.url}/scim/v2`, token: TOKEN });
    const created = await scim.users.create(user("legacy-native"));
    const error = await rejection(scim.users.patch(created.id, (p) => p.replace("title", "x")));
    expect(error.status).toBe(501);
  });

  it("a value filter that matches nothing fails with 400 noTarget and sends no PUT", async () => {
    const scim = createScimClient({
      baseUrl: `${legacy.url}/scim/v2`,
      token: TOKEN,
      patch: putFallback({ when: "always" }),
    });
    const created = await scim.users.create(
      user("legacy-notarget", { emails: [{ value: "a@b.c", type: "work" }] }),
    );
    const start = legacy.log.length;
    const error = await rejection(
      scim.users.patch(created.id, (p) =>
        p.where("emails", (e) => e.eq("type", "other")).replace("value", "x"),
      ),
    );
    expect([error.status, error.scimType]).toStrictEqual([400, "noTarget"]);
    expect(legacy.log.slice(start).some((l) => l.startsWith("PUT"))).toBe(false);
  });

  it("re-reads and retries when a concurrent change makes the PUT fail with 412", async () => {
    const handler = createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });
    let interfere = 1;
    const racing = await listen(
      toNodeListener(async (request: Request) => {
        if (request.method === "PUT" && interfere > 0) {
          interfere--;
          // another client changes the resource between our GET and our PUT
          const other = new Request(request.url, {
            method: "PATCH",
            headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
            body: JSON.stringify({
              schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              Operations: [{ op: "replace", path: "nickName", value: "concurrent" }],
            }),
          });
          await handler(other);
        }
        return handler(request);
      }),
    );
    try {
      const scim = createScimClient({
        baseUrl: `${racing.url}/scim/v2`,
        token: TOKEN,
        patch: putFallback({ when: "always" }),
      });
      const created = await scim.users.create(user("racing"));
      const patched = await scim.users.patch(created.id, (p) => p.replace("title", "mine"));
      expect(patched.title).toBe("mine");
      expect(patched.nickName).toBe("concurrent"); // the other change was kept, not overwritten
      const puts = racing.log.filter((l) => l.startsWith("PUT"));
      expect(puts).toHaveLength(2);
    } finally {
      await close(racing);
    }
  });
});
