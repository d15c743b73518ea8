/// <reference types="node" />
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, serve } from "../adapters/node-serve.js";
import { LONG_TOKEN, pgliteStore } from "../http/__fixtures__/stores.js";
import { createScimHandler } from "../http/handler.js";
import type { ScimStore } from "../stores/store.js";

/**
 * Records are appended in batches one event-loop turn after the answers (recorder.ts). Shutting down
 * must not close the store under the last batch: `handler.drain()` (and `serve().close()`, which calls
 * it) resolve only once every answered request is in the store.
 */
const auth = { authorization: `Bearer ${LONG_TOKEN}`, "content-type": "application/scim+json" };
const body = (userName: string) =>
  JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName });

async function recorded(store: ScimStore): Promise<number> {
  const page = await store.recordings?.list("default", { limit: 1000 });
  return page?.items.length ?? 0;
}

/** A handler on a fresh PGlite store whose onError collects what it is given. */
async function recordingHandler() {
  const store = await pgliteStore();
  const errors: unknown[] = [];
  const handle = createScimHandler({ store, auth: { tokens: [LONG_TOKEN] }, onError: (e) => errors.push(e) });
  return { store, errors, handle };
}

/** Closes the store and checks that nothing reached it afterwards (a late append is reported to onError). */
async function closesCleanly(store: ScimStore, errors: unknown[]): Promise<void> {
  await store.close?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(errors).toEqual([]);
}

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("shutting down with records on their way to the store (PostgresStore on PGlite)", () => {
  it("handler.drain() resolves once every answered request is recorded; closing the store then reports nothing", async () => {
    const { store, errors, handle } = await recordingHandler();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        handle(
          new Request("http://localhost/scim/v2/Users", {
            method: "POST",
            headers: auth,
            body: body(`drain-${i}`),
          }),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(201));
    // A failed request's kept body is read back from a copy of its Response: drained too.
    const bad = await handle(new Request("http://localhost/scim/v2/Users?filter=(", { headers: auth }));
    expect(bad.status).toBe(400);
    await handle.drain();
    expect(await recorded(store)).toBe(41);
    await closesCleanly(store, errors);
  });

  it("serve().close() drains the handler: close the server, then the store, and every request is recorded", async () => {
    const { store, errors, handle } = await recordingHandler();
    running = await serve(handle, { port: 0 });
    const { url } = running;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${url}/scim/v2/Users`, { method: "POST", headers: auth, body: body(`serve-${i}`) }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(answers).toEqual(Array(30).fill(201));
    await running.close();
    running = undefined;
    expect(await recorded(store)).toBe(30);
    await closesCleanly(store, errors);
  });

  it("drain() with recording off resolves at once", async () => {
    const store = await pgliteStore();
    const handle = createScimHandler({ store, auth: { tokens: [LONG_TOKEN] }, recording: false });
    await handle(new Request("http://localhost/scim/v2/Users", { headers: auth }));
    await expect(handle.drain()).resolves.toBeUndefined();
    await store.close?.();
  });
});
