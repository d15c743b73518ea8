/// <reference types="node" />
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreBundle, SchemaRegistry } from "@scimkit/core";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "./postgres.js";
import { importOptional } from "./postgres-open.js";

const registry = new SchemaRegistry(coreBundle());
const folders: string[] = [];
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe("PostgresStore.open", () => {
  it("creates a missing dataDir and its parents (mkdir -p), and reopens it", async () => {
    const root = await mkdtemp(join(tmpdir(), "scimkit-open-"));
    folders.push(root);
    const dataDir = join(root, "fresh", "project", ".data", "scim");
    const store = await PostgresStore.open({ dataDir });
    const scope = { tenant: "t", resourceType: "User", registry };
    const created = await store.create(scope, { userName: "kept" }, []);
    await store.close();
    expect((await stat(dataDir)).isDirectory()).toBe(true);
    const again = await PostgresStore.open({ dataDir });
    expect((await again.get(scope, created.id))?.data.userName).toBe("kept");
    await again.close();
  }, 60_000);

  it("refuses to guess: neither databaseUrl, dataDir nor memory: true is a TypeError saying what to pass", async () => {
    for (const options of [{}, { databaseUrl: "" }, { dataDir: "" }, { memory: false }, undefined]) {
      const error = await PostgresStore.open(options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/databaseUrl.*dataDir.*memory: true/);
    }
  });

  it("opens an in-memory PGlite database when asked to", async () => {
    const store = await PostgresStore.open({ memory: true });
    const scope = { tenant: "t", resourceType: "User", registry };
    expect((await store.create(scope, { userName: "m" }, [])).version).toBe(1);
    await store.close();
  }, 60_000);
});

describe("importOptional", () => {
  it("names the missing package and how to install it", async () => {
    const name = ["scimkit", "no-such-package-here"].join("-");
    const error = await importOptional(
      () => import(/* @vite-ignore */ name),
      name,
      "PostgresStore.open()",
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`pnpm add ${name}`);
    expect((error as Error).message).toContain("PostgresStore.open()");
  });

  it("passes other failures through", async () => {
    const boom = new Error("boom");
    await expect(importOptional(() => Promise.reject(boom), "pg", "x")).rejects.toBe(boom);
  });
});
