import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check, CheckOutcome } from "../../types.js";
import { endpointOf, USER } from "../bodies.js";
import { errorShape, isScimJson } from "./shape.js";

/** Errors: invalid filter, not found, media type (RFC 7644 §3.1, §8.1), uniqueness (§3.3), missing required value. */
export const basicErrorChecks: readonly Check[] = [
  {
    id: "errors.invalid-filter",
    title: "An unparsable filter answers 400 with scimType invalidFilter",
    requirement: "RFC 7644 §3.4.2.2",
    level: "MUST",
    profile: "rfc",
    writes: false,
    requires: ["filter"],
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const exchange = await ctx.send(
        "GET",
        `${endpoint}?filter=${encodeURIComponent('userName eq "x" and (')}`,
      );
      if (exchange.status !== 400) return fail("expected 400", exchange);
      if (field(exchange.json, "scimType") !== "invalidFilter")
        return fail('expected scimType "invalidFilter"', exchange);
      const problem = errorShape(exchange);
      return problem ? fail(problem, exchange) : pass();
    },
  },
  {
    id: "errors.not-found",
    title: "An unknown id answers 404 with an RFC 7644 §3.12 Error body",
    requirement: "RFC 7644 §3.12",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const exchange = await ctx.send("GET", `${endpoint}/${ctx.prefix}no-such-id`);
      if (exchange.status !== 404) return fail("expected 404", exchange);
      const problem = errorShape(exchange);
      return problem ? fail(problem, exchange) : pass();
    },
  },
  {
    id: "errors.content-type",
    title: "Resources, lists and errors are served as application/scim+json",
    requirement: "RFC 7644 §3.1; RFC 7644 §3.8",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx): Promise<CheckOutcome> {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      for (const path of [
        "/ServiceProviderConfig",
        `${endpoint}?count=1`,
        `${endpoint}/${ctx.prefix}no-such-id`,
      ]) {
        const exchange = await ctx.send("GET", path);
        if (!isScimJson(exchange)) {
          const type = exchange.headers.get("content-type") ?? "none";
          return fail(`expected Content-Type application/scim+json, got ${type}`, exchange);
        }
      }
      return pass();
    },
  },
  {
    id: "errors.user-name-uniqueness",
    title: "Creating a User whose userName differs only in case answers 409 uniqueness",
    requirement: "RFC 7644 §3.3; RFC 7643 §4.1.1; RFC 7644 §3.12",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const first = await ctx.create(endpoint, USER.body(ctx, "unique"));
      if (first.id === undefined) return fail("could not create a User to test with", first.exchange);
      const userName = `${ctx.prefix}UNIQUE`;
      const second = await ctx.create(endpoint, { ...USER.body(ctx, "unique"), userName });
      if (second.exchange.status !== 409)
        return fail(`expected 409 for userName ${userName}`, second.exchange);
      if (field(second.exchange.json, "scimType") !== "uniqueness") {
        return fail('expected scimType "uniqueness"', second.exchange);
      }
      return pass();
    },
  },
  {
    id: "errors.missing-required",
    title: "Creating a User without userName answers 400 invalidValue",
    requirement: "RFC 7644 §3.12; RFC 7643 §4.1.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const { userName: _, ...body } = USER.body(ctx, "missing-user-name");
      const { exchange } = await ctx.create(endpoint, body);
      if (exchange.status !== 400) return fail("expected 400 for a User without userName", exchange);
      if (field(exchange.json, "scimType") !== "invalidValue")
        return fail('expected scimType "invalidValue"', exchange);
      const problem = errorShape(exchange);
      return problem ? fail(problem, exchange) : pass();
    },
  },
];
