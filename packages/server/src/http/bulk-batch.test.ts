/// <reference types="node" />
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULK_REQUEST, startServer, type TestServer, USER_SCHEMA } from "../replays/__fixtures__/server.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { ScimStore } from "../stores/store.js";
import { patch, user } from "./__fixtures__/handler.js";
import { DATABASE_URL, httpBackends, LONG_TOKEN, postgresStore } from "./__fixtures__/stores.js";
import type { AuditEvent } from "./options.js";

// Bulk creates go to the store in batches (bulk-run.ts, ScimStore.createMany): these check that the
// outcome is still that of one operation after another (RFC 7644 §3.7), on every store.

const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({
  schemas: [BULK_REQUEST],
  ...extra,
  Operations,
});
const post = (bulkId: string, data: unknown) => ({ method: "POST", path: "/Users", bulkId, data });
type Op = {
  status: string;
  location?: string;
  version?: string;
  bulkId?: string;
  response?: { scimType?: string };
};
const statuses = (ops: readonly Op[]) => ops.map((o) => o.status);

describe.each(httpBackends("scim_bulkbatch_"))("bulk creates in batches on $name", ({ store }) => {
  let s: TestServer;
  const events: AuditEvent[] = [];
  let run = 0;
  const prefix = () => `r${++run}-${Math.random().toString(36).slice(2, 8)}-`;
  beforeAll(async () => {
    s = await startServer({
      store: await store(),
      audit: (event) => {
        events.push(event);
      },
    });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });
  const names = async (p: string) => {
    const r = await s.request(`/Users?count=1000&filter=${encodeURIComponent(`userName sw "${p}"`)}`);
    return (r.body.Resources ?? []).map((u: { userName: string }) => u.userName).sort();
  };

  it("a failing operation in the middle commits the others, each with its status, location, version and audit event", async () => {
    const p = prefix();
    const taken = await s.request("/Users", { body: user(`${p}taken`) });
    expect(taken.status).toBe(201);
    events.length = 0;
    const r = await s.request("/Bulk", {
      body: bulk([
        post("a", user(`${p}a`)),
        post("b", user(`${p}b`)),
        post("dup", user(`${p}TAKEN`)), // 409: RFC 7643 §4.1 userName is unique, case-insensitively
        post("bad", { schemas: [USER_SCHEMA] }), // 400: no userName
        post("c", user(`${p}c`)),
        post("twice", user(`${p}A`)), // 409: taken by the first operation of this request
        post("d", user(`${p}d`)),
      ]),
    });
    expect(r.status, r.text).toBe(200);
    const ops = r.body.Operations as Op[];
    expect(statuses(ops)).toEqual(["201", "201", "409", "400", "201", "409", "201"]);
    expect(ops.map((o) => o.bulkId)).toEqual(["a", "b", "dup", "bad", "c", "twice", "d"]);
    expect(ops[2]?.response?.scimType).toBe("uniqueness");
    expect(ops[3]?.response?.scimType).toBe("invalidValue");
    for (const op of ops) {
      if (op.status !== "201") {
        expect(op.location).toBeUndefined();
        continue;
      }
      expect(op.version).toBe('W/"1"');
      const got = await s.request(String(op.location).slice(s.base.length));
      expect(got.status).toBe(200);
      expect(got.headers.get("etag")).toBe(op.version);
    }
    expect(await names(p)).toEqual([`${p}a`, `${p}b`, `${p}c`, `${p}d`, `${p}taken`]);
    // one audit event per operation, in order, as single POSTs report them
    expect(events.map((e) => [e.action, e.bulkId, e.outcome, e.status])).toEqual([
      ["create", "a", "success", 201],
      ["create", "b", "success", 201],
      ["create", "dup", "failure", 409],
      ["create", "bad", "failure", 400],
      ["create", "c", "success", 201],
      ["create", "twice", "failure", 409],
      ["create", "d", "success", 201],
    ]);
    expect(events[0]?.id).toBe(ops[0]?.location?.split("/").pop());
  });

  it("failOnErrors counts failures inside a batch and stops there", async () => {
    const p = prefix();
    await s.request("/Users", { body: user(`${p}x`) });
    const ops = [
      post("1", user(`${p}1`)),
      post("2", user(`${p}x`)),
      post("3", user(`${p}3`)),
      post("4", user(`${p}X`)),
      post("5", user(`${p}5`)),
    ];
    const r = await s.request("/Bulk", { body: bulk(ops, { failOnErrors: 2 }) });
    expect(statuses(r.body.Operations)).toEqual(["201", "409", "201", "409"]);
    expect(await names(p)).toEqual([`${p}1`, `${p}3`, `${p}x`]);
  });

  it("a POST referring to a user created earlier in the request waits for it (bulkId, RFC 7644 §3.7.2)", async () => {
    const p = prefix();
    const r = await s.request("/Bulk", {
      body: bulk([
        post("u1", user(`${p}u1`)),
        post(
          "u2",
          user(`${p}u2`, {
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { manager: { value: "bulkId:u1" } },
          }),
        ),
        {
          method: "PATCH",
          path: "/Users/bulkId:u1",
          data: patch({ op: "replace", path: "title", value: "boss" }),
        },
        post("u3", user(`${p}u3`)),
      ]),
    });
    expect(statuses(r.body.Operations)).toEqual(["201", "201", "200", "201"]);
    const u1 = String(r.body.Operations[0].location).split("/").pop();
    const u2 = await s.request(String(r.body.Operations[1].location).slice(s.base.length));
    expect(u2.body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].manager.value).toBe(u1);
    expect(r.body.Operations[2].version).toBe('W/"2"');
  });

  it("a bulk request leaves the same state and statuses as its operations sent one by one (property)", async () => {
    type Gen =
      | { kind: "post"; name: number; upper: boolean; valid: boolean }
      | { kind: "patch" | "delete"; of: number; name: number };
    const opArb: fc.Arbitrary<Gen> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant("post" as const),
          name: fc.nat(5),
          upper: fc.boolean(),
          valid: fc.nat(7).map((n) => n > 0),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("patch" as const), of: fc.nat(20), name: fc.nat(5) }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("delete" as const), of: fc.nat(20), name: fc.nat(5) }),
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 16 }),
        fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        async (gens, failOnErrors) => {
          const run = async (p: string, asBulk: boolean) => {
            // POSTs get bulkIds p0, p1, …; PATCH and DELETE refer to an earlier POST by bulkId.
            const posts: number[] = [];
            const ops = gens.map((g, i) => {
              if (g.kind === "post") {
                posts.push(i);
                const name = `${p}n${g.name}`;
                return post(
                  `p${i}`,
                  g.valid ? user(g.upper ? name.toUpperCase() : name) : { schemas: [USER_SCHEMA] },
                );
              }
              const target = posts.length === 0 ? undefined : posts[g.of % posts.length];
              const path = `/Users/bulkId:p${target ?? "none"}`;
              return g.kind === "patch"
                ? {
                    method: "PATCH",
                    path,
                    data: patch({ op: "replace", path: "userName", value: `${p}n${g.name}` }),
                  }
                : { method: "DELETE", path };
            });
            if (asBulk) {
              const r = await s.request("/Bulk", {
                body: bulk(ops, failOnErrors === undefined ? {} : { failOnErrors }),
              });
              expect(r.status, r.text).toBe(200);
              return statuses(r.body.Operations);
            }
            // One by one, as a client would: bulkIds resolved from the answers, failOnErrors counted here.
            const ids = new Map<string, string>();
            const out: string[] = [];
            let errors = 0;
            for (const op of ops) {
              if (failOnErrors !== undefined && errors >= failOnErrors) break;
              let status: number;
              if (op.method === "POST") {
                const r = await s.request("/Users", { body: (op as { data: unknown }).data });
                if (r.status === 201) ids.set(String((op as { bulkId: string }).bulkId), r.body.id);
                status = r.status;
              } else {
                const id = ids.get(op.path.slice("/Users/bulkId:".length));
                if (id === undefined)
                  status = 400; // refers to a bulkId that was not created (RFC 7644 §3.7.2)
                else {
                  const init =
                    op.method === "PATCH"
                      ? { method: "PATCH", body: (op as { data: unknown }).data }
                      : { method: "DELETE" };
                  status = (await s.request(`/Users/${id}`, init)).status;
                }
              }
              if (status >= 400) errors++;
              out.push(String(status));
            }
            return out;
          };
          const a = prefix();
          const b = prefix();
          const viaBulk = await run(a, true);
          const oneByOne = await run(b, false);
          expect(viaBulk).toEqual(oneByOne);
          const strip = (p: string) => async () =>
            (await names(p)).map((n: string) => n.slice(p.length).toLowerCase());
          expect(await strip(a)()).toEqual(await strip(b)());
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

/**
 * Concurrent bulk requests claiming the same userNames: one server on MemoryStore and on PGlite (one
 * process's database), two servers with their own pools on PostgreSQL (two instances).
 */
const RACES: readonly { name: string; stores: () => Promise<ScimStore[]> }[] = [
  ...httpBackends("scim_bulkrace_")
    .filter((b) => !b.name.includes("PostgreSQL"))
    .map((b) => ({ name: b.name, stores: async () => [await b.store()] })),
  ...(DATABASE_URL === undefined
    ? []
    : [
        {
          name: "two instances on PostgreSQL",
          stores: async () => [
            await postgresStore("scim_bulkrace_", 5),
            await postgresStore("scim_bulkrace_", 5),
          ],
        },
      ]),
];

describe.each(RACES)("concurrent bulk requests on $name", ({ stores }) => {
  const servers: TestServer[] = [];
  beforeAll(async () => {
    for (const store of await stores()) servers.push(await startServer({ store, token: LONG_TOKEN }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it("conflicting userNames: exactly one winner for each, whatever the order and case", async () => {
    const p = `race-${Math.random().toString(36).slice(2, 8)}-`;
    const contested = Array.from({ length: 30 }, (_, i) => `${p}${i}`);
    const requests = [0, 1, 2, 3, 4, 5].map((k) => {
      const order = k % 2 === 0 ? contested : [...contested].reverse();
      const ops = order.map((n, i) => post(`b${i}`, user(k % 3 === 2 ? n.toUpperCase() : n)));
      // and one of its own, which nobody contests
      ops.push(post("own", user(`${p}own-${k}`)));
      const s = servers[k % servers.length] as TestServer;
      return s.request("/Bulk", { body: bulk(ops) });
    });
    const answers = await Promise.all(requests);
    const wins = new Map<string, number>();
    for (const r of answers) {
      expect(r.status, r.text).toBe(200);
      for (const op of r.body.Operations as Op[]) {
        expect(["201", "409"]).toContain(op.status);
        if (op.status !== "201") continue;
        const got = await (servers[0] as TestServer).request(
          String(op.location).slice((servers[0] as TestServer).base.length),
        );
        const key = String(got.body.userName).toLowerCase();
        wins.set(key, (wins.get(key) ?? 0) + 1);
      }
    }
    expect([...wins.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(wins.size).toBe(contested.length + 6);
    const list = await (servers[0] as TestServer).request(
      `/Users?count=0&filter=${encodeURIComponent(`userName sw "${p}"`)}`,
    );
    expect(list.body.totalResults).toBe(contested.length + 6);
  }, 60_000);
});

describe("a store failure that is not a SCIM error inside a batch", () => {
  it("answers 500 without details, and reports the batch's operations as failed (500) to the audit hook", async () => {
    const events: AuditEvent[] = [];
    const store = new MemoryStore();
    store.createMany = async () => {
      throw new Error("connection lost");
    };
    const s = await startServer({
      store,
      audit: (event) => void events.push(event),
      onError: () => undefined,
    });
    try {
      const r = await s.request("/Bulk", {
        body: bulk([post("a", user("lost-a")), post("b", user("lost-b"))]),
      });
      expect(r.status).toBe(500);
      expect(r.text).not.toContain("connection lost");
      expect(events.map((e) => [e.bulkId, e.outcome, e.status])).toEqual([
        ["a", "failure", 500],
        ["b", "failure", 500],
      ]);
    } finally {
      await s.close();
    }
  });
});
