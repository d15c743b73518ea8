/// <reference types="node" />
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import type Express from "express";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createScimHandler, MemoryStore } from "../index.js";
import { AUTH, createServer, listen, send, shut, TOKEN } from "./__fixtures__/http.js";
import { toNodeListener } from "./node.js";

// A global body parser before the SCIM listener, as apps that already have one mount it.
let express: typeof Express;
beforeAll(async () => {
  // Vitest hands its ssr.resolve.conditions (with "import") to Node as --conditions, so express's router
  // would require() is-promise's ESM entry and get a namespace instead of the function: give it the CJS one.
  const fromRouter = createRequire(createRequire(import.meta.url).resolve("express"));
  const routerRequire = createRequire(join(fromRouter.resolve("router"), "..", "lib", "layer.js"));
  const resolved = routerRequire.resolve("is-promise");
  const cjs = routerRequire(join(resolved, "..", "index.js"));
  routerRequire.cache[resolved] ??= Object.assign(Object.create(null), {
    exports: cjs,
    loaded: true,
    children: [],
    paths: [],
  });
  express = (await import("express")).default;
});
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await shut(server);
});

async function app(setup: (app: Express.Express) => void): Promise<number> {
  const application = express();
  setup(application);
  application.use(
    "/scim/v2",
    toNodeListener(createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } })),
  );
  const server = createServer(application);
  servers.push(server);
  return listen(server);
}

const json = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
const user = (userName: string) =>
  JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName });

describe("behind a global express body parser", () => {
  it("express.json(): application/json writes use the parsed req.body", async () => {
    const port = await app((a) => a.use(express.json()));
    const created = await send(port, { headers: json, chunks: [user("json@example.com")] });
    expect(created.status).toBe(201);
    const id = JSON.parse(created.body ?? "").id as string;
    const patched = await send(port, {
      method: "PATCH",
      path: `/scim/v2/Users/${id}`,
      headers: json,
      chunks: [
        JSON.stringify({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "displayName", value: "Zoë" }],
        }),
      ],
    });
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.body ?? "").displayName).toBe("Zoë");
    // application/scim+json is not express.json()'s type: that stream is left alone and read as usual.
    const scim = await send(port, { headers: AUTH, chunks: [user("scim@example.com")] });
    expect(scim.status).toBe(201);
  });

  it("express.json() for SCIM's media type too, express.raw() and express.text()", async () => {
    for (const parser of [
      express.json({ type: ["application/json", "application/scim+json"] }),
      express.raw({ type: "*/*" }),
      express.text({ type: "*/*" }),
    ]) {
      const port = await app((a) => a.use(parser));
      const created = await send(port, { headers: AUTH, chunks: [user("parsed@example.com")] });
      expect(created.status).toBe(201);
      expect(JSON.parse(created.body ?? "").userName).toBe("parsed@example.com");
    }
  });

  it("the body limit still holds for a parsed body", async () => {
    const application = express();
    application.use(express.json({ limit: "5mb" }));
    application.use(
      "/scim/v2",
      toNodeListener(
        createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] }, maxPayloadSize: 1000 }),
      ),
    );
    const server = createServer(application);
    servers.push(server);
    const port = await listen(server);
    const seen = await send(port, {
      headers: json,
      chunks: [JSON.stringify({ userName: "big", displayName: "x".repeat(5000) })],
    });
    expect(seen.status).toBe(413);
  });

  it("middleware that read the stream and left no req.body: a SCIM 400 that names the cause", async () => {
    const port = await app((a) =>
      a.use((req, _res, next) => {
        req.on("data", () => undefined);
        req.on("end", () => next());
      }),
    );
    const seen = await send(port, { headers: AUTH, chunks: [user("lost@example.com")] });
    expect(seen.status).toBe(400);
    expect(seen.headers?.["content-type"]).toMatch(/^application\/scim\+json/);
    const body = JSON.parse(seen.body ?? "");
    expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    expect(body.detail).toMatch(/body parser .*before the SCIM listener/);
    expect(body.detail).toMatch(/mount the SCIM listener before it, or exclude the SCIM path/);
  });
});
