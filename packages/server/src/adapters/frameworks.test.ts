/// <reference types="node" />
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import express from "express";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { createScimHandler } from "../http/handler.js";
import { MemoryStore } from "../stores/memory-store.js";
import { toNodeListener } from "./node.js";

// The handler mounted the way the README shows for each framework, on a real port, driven with fetch.
const TOKEN = "framework-token-0123456789";
const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" };
const handle = () => createScimHandler({ store: new MemoryStore(), auth: { tokens: [TOKEN] } });

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
    closers.push(() => new Promise((done) => server.close(() => done())));
  });
}

async function roundTrip(origin: string): Promise<void> {
  const created = await fetch(`${origin}/scim/v2/Users`, {
    method: "POST",
    headers,
    body: JSON.stringify({ userName: "fw@example.com" }),
  });
  expect(created.status).toBe(201);
  const user = (await created.json()) as { id: string; meta: { location: string } };
  expect(user.meta.location).toBe(`${origin}/scim/v2/Users/${user.id}`);
  const patched = await fetch(`${origin}/scim/v2/Users/${user.id}`, {
    method: "PATCH",
    headers,
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "active", value: false }],
    }),
  });
  expect(patched.status).toBe(200);
  expect(((await patched.json()) as { active: boolean }).active).toBe(false);
  const listed = await fetch(
    `${origin}/scim/v2/Users?filter=${encodeURIComponent('userName eq "FW@example.com"')}`,
    { headers },
  );
  expect(((await listed.json()) as { totalResults: number }).totalResults).toBe(1);
  const denied = await fetch(`${origin}/scim/v2/Users`);
  expect(denied.status).toBe(401);
}

describe("mounting the handler", () => {
  it("node:http", async () => {
    await roundTrip(await listen(createServer(toNodeListener(handle()))));
  });

  it("Express, mounted under its own path", async () => {
    const app = express();
    app.get("/health", (_req, res) => {
      res.send("ok");
    });
    app.use("/scim/v2", toNodeListener(handle()));
    const origin = await listen(createServer(app));
    await roundTrip(origin);
    expect(await (await fetch(`${origin}/health`)).text()).toBe("ok");
  });

  it("Hono", async () => {
    const scim = handle();
    const app = new Hono();
    app.get("/health", (c) => c.text("ok"));
    app.all("/scim/v2/*", (c) => scim(c.req.raw));
    const origin = await new Promise<string>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
      closers.push(() => new Promise((done) => server.close(() => done())));
    });
    await roundTrip(origin);
    expect(await (await fetch(`${origin}/health`)).text()).toBe("ok");
  });
});
