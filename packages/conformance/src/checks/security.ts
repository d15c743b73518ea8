import { type Exchange, resourcesOf } from "../http.js";
import { fail, pass, skip } from "../outcome.js";
import type { Check } from "../types.js";
import { endpointOf, USER } from "./bodies.js";

function hasPassword(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).some((k) => k.toLowerCase() === "password")
  );
}

/** Security: authentication (RFC 7644 §2, §3.12) and returned "never" (RFC 7643 §4.1.1). */
export const securityChecks: readonly Check[] = [
  {
    id: "security.no-token",
    title: "A request without a bearer token answers 401",
    requirement: "RFC 7644 §2",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const exchange = await ctx.send("GET", `${endpoint}?count=1`, { auth: "none" });
      return exchange.status === 401 ? pass() : fail("expected 401 without Authorization", exchange);
    },
  },
  {
    id: "security.wrong-token",
    title: "A request with a wrong bearer token answers 401",
    requirement: "RFC 7644 §2",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const exchange = await ctx.send("GET", `${endpoint}?count=1`, { auth: "wrong" });
      return exchange.status === 401 ? pass() : fail("expected 401 with a wrong token", exchange);
    },
  },
  {
    id: "security.password-never-returned",
    title: "password is never returned: not on create, read or list",
    requirement: "RFC 7643 §4.1.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const body = { ...USER.body(ctx, "password"), password: "Conformance-Secret-9!" };
      const created = await ctx.create(endpoint, body);
      if (created.id === undefined) {
        return created.exchange.status === 400
          ? skip("the server refuses a password on create")
          : fail("could not create a User with a password", created.exchange);
      }
      const path = `${endpoint}/${encodeURIComponent(created.id)}`;
      const filter = encodeURIComponent(`userName eq "${ctx.prefix}password"`);
      const exchanges: Exchange[] = [
        created.exchange,
        await ctx.send("GET", path),
        await ctx.send("GET", `${path}?attributes=password`),
        await ctx.send("GET", `${endpoint}?filter=${filter}`),
      ];
      for (const exchange of exchanges) {
        const resources = resourcesOf(exchange.json) ?? [exchange.json];
        if (resources.some(hasPassword)) return fail("password was returned", exchange);
      }
      return pass();
    },
  },
];
