import { field, resourcesOf, schemasOf } from "../http.js";
import { fail, pass, URN } from "../outcome.js";
import type { Check } from "../types.js";
import { endpointOf, USER } from "./bodies.js";

/** Query basics: equality filter and index pagination (RFC 7644 §3.4.2). */
export const queryChecks: readonly Check[] = [
  {
    id: "query.user-name-eq",
    title: 'filter=userName eq "…" returns exactly the matching User in a ListResponse',
    requirement: "RFC 7644 §3.4.2.2",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const made = await ctx.create(endpoint, USER.body(ctx, "query-eq"));
      if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
      await ctx.create(endpoint, USER.body(ctx, "query-eq-other"));
      const filter = encodeURIComponent(`userName eq "${ctx.prefix}query-eq"`);
      const exchange = await ctx.send("GET", `${endpoint}?filter=${filter}`);
      if (exchange.status !== 200) return fail("expected 200", exchange);
      if (!schemasOf(exchange.json).includes(URN.listResponse))
        return fail(`expected ${URN.listResponse}`, exchange);
      const resources = resourcesOf(exchange.json) ?? [];
      if (field(exchange.json, "totalResults") !== 1) return fail("expected totalResults 1", exchange);
      if (resources.length !== 1 || field(resources[0], "id") !== made.id) {
        return fail(`expected exactly the User ${made.id}`, exchange);
      }
      return pass();
    },
  },
  {
    id: "query.pagination",
    title: "startIndex and count page through results; totalResults counts every match",
    requirement: "RFC 7644 §3.4.2.4",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      for (const n of [1, 2, 3]) {
        const made = await ctx.create(endpoint, USER.body(ctx, `page-${n}`));
        if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
      }
      const filter = encodeURIComponent(`userName sw "${ctx.prefix}page-"`);
      const ids = new Set<unknown>();
      for (const [startIndex, want] of [
        [1, 2],
        [3, 1],
      ] as const) {
        const exchange = await ctx.send(
          "GET",
          `${endpoint}?filter=${filter}&startIndex=${startIndex}&count=2`,
        );
        if (exchange.status !== 200) return fail("expected 200", exchange);
        const resources = resourcesOf(exchange.json) ?? [];
        if (field(exchange.json, "totalResults") !== 3) return fail("expected totalResults 3", exchange);
        if (field(exchange.json, "startIndex") !== startIndex)
          return fail(`expected startIndex ${startIndex}`, exchange);
        if (resources.length !== want || field(exchange.json, "itemsPerPage") !== want) {
          return fail(`expected ${want} resources and itemsPerPage ${want}`, exchange);
        }
        for (const r of resources) ids.add(field(r, "id"));
      }
      return ids.size === 3
        ? pass()
        : fail(`expected the two pages to hold 3 different Users, got ${ids.size}`);
    },
  },
  {
    id: "query.count-zero",
    title: "count=0 returns totalResults and no resources",
    requirement: "RFC 7644 §3.4.2.4",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const made = await ctx.create(endpoint, USER.body(ctx, "count-zero"));
      if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
      const exchange = await ctx.send("GET", `${endpoint}?count=0`);
      if (exchange.status !== 200) return fail("expected 200", exchange);
      const total = field(exchange.json, "totalResults");
      if (typeof total !== "number" || total < 1)
        return fail("expected totalResults of at least 1", exchange);
      const resources = resourcesOf(exchange.json) ?? [];
      return resources.length === 0 ? pass() : fail("expected no resources for count=0", exchange);
    },
  },
];
