/// <reference types="node" />
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { server } from "../http/__fixtures__/handler.js";
import { DATABASE_URL, LONG_TOKEN, loadPg, postgresStore } from "../http/__fixtures__/stores.js";
import type { TestServer } from "../replays/__fixtures__/server.js";
import { openEvents } from "./__fixtures__/console.js";

const PREFIX = "scim_relisten_";
const CHANNEL = `${PREFIX}recorded`;

/**
 * Two instances on one PostgreSQL (a store and pool each). The connection instance A LISTENs on is
 * killed with pg_terminate_backend (a failover, an idle-connection reaper, a DBA): A must LISTEN again
 * on a new connection, so a request handled by B shows up live in A's console once more.
 */
describe.skipIf(DATABASE_URL === undefined)("live events after the LISTEN connection is lost", () => {
  const pg = DATABASE_URL === undefined ? undefined : loadPg();
  // biome-ignore lint/suspicious/noExplicitAny: the admin pool is only queried
  let admin: any;
  let a: TestServer;
  let b: TestServer;
  const tenant = `relisten-${randomUUID()}`;

  /** Backends whose last statement was LISTEN on our channel: the listening connections. */
  async function listeners(): Promise<number[]> {
    const { rows } = await admin.query(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND pid <> pg_backend_pid()",
      [`LISTEN ${CHANNEL}`],
    );
    return rows.map((r: { pid: number }) => r.pid);
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    admin = new (pg as NonNullable<typeof pg>).Pool({ connectionString: DATABASE_URL, max: 1 });
    const auth = { tokens: { [LONG_TOKEN]: tenant } };
    a = await server({ store: await postgresStore(PREFIX, 4), token: LONG_TOKEN, auth });
    b = await server({ store: await postgresStore(PREFIX, 4), token: LONG_TOKEN, auth });
  });
  afterAll(async () => {
    await admin?.end();
  });

  it("LISTENs again on a new connection and streams B's requests to A's console", async () => {
    const before = new Set(await listeners());
    const events = await openEvents(a, LONG_TOKEN);
    try {
      // A subscribes on its first console connection: its LISTEN connection appears.
      const [pid] = await waitFor("A to LISTEN", async () => {
        const fresh = (await listeners()).filter((p) => !before.has(p));
        return fresh.length === 1 ? fresh : undefined;
      });
      await b.request("/Groups/before-the-drop");
      expect((await events.next(2000)).path).toBe("/scim/v2/Groups/before-the-drop");

      const { rows } = await admin.query("SELECT pg_terminate_backend($1) AS killed", [pid]);
      expect(rows[0].killed).toBe(true);
      // A new backend LISTENs in place of the killed one (the store retries after a second).
      await waitFor("A to LISTEN again", async () => {
        const now = (await listeners()).filter((p) => !before.has(p));
        return now.length === 1 && now[0] !== pid ? now : undefined;
      });

      const started = Date.now();
      await b.request("/Groups/after-the-drop");
      const event = await events.next(2000);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(event).toMatchObject({ tenant, path: "/scim/v2/Groups/after-the-drop", status: 404 });
    } finally {
      events.close();
    }
  });
});
