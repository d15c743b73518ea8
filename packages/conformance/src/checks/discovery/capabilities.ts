import { field, resourcesOf } from "../../http.js";
import { fail, pass, skip } from "../../outcome.js";
import type { Check } from "../../types.js";
import { endpointOf, metaOf, USER } from "../bodies.js";
import { advertised, configFailure, createUser, isSuccess, limit, patchOp } from "../support.js";

/**
 * Capabilities the ServiceProviderConfig advertises (RFC 7643 §5) against what the server does. PATCH, bulk
 * and sort advertised unsupported → 501 are errors.unsupported-* (RFC 7644 §3.12); ETag behaviour beyond the
 * header itself is the etag area.
 */
export const capabilityChecks: readonly Check[] = [
  {
    id: "discovery.capability-etag",
    title: "With etag.supported true, a resource is served with an ETag header equal to meta.version",
    requirement: "RFC 7644 §3.14; RFC 7643 §5",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["etag"],
    async run(ctx) {
      const made = await createUser(ctx, "capability-etag");
      if ("status" in made) return made;
      // "When supported, SCIM ETags MUST be specified as an HTTP header" (§3.14): on the create and on a read.
      for (const exchange of [made.exchange, await ctx.send("GET", made.path)]) {
        const etag = exchange.headers.get("etag");
        if (etag === null) return fail("expected an ETag header (etag.supported is true)", exchange);
        const version = metaOf(exchange.json).version;
        if (version !== etag) return fail(`expected meta.version to equal the ETag header ${etag}`, exchange);
      }
      return pass();
    },
  },
  {
    id: "discovery.capability-max-results",
    title: "A filtered list never returns more resources than filter.maxResults",
    requirement: "RFC 7643 §5; RFC 7644 §3.4.2.4",
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    async run(ctx) {
      const maxResults = await limit(ctx, "filter", "maxResults");
      if (maxResults === undefined)
        return configFailure(ctx, "filter.maxResults is not advertised as an integer");
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      // A small limit is worth exceeding for real; a large one is checked against what the server holds.
      let filter = "userName pr";
      if (maxResults <= 2) {
        for (let n = 0; n <= maxResults; n++) {
          const made = await ctx.create(endpoint, USER.body(ctx, `max-results-${n}`));
          if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
        }
        filter = `userName sw "${ctx.prefix}max-results-"`;
      }
      for (const query of [`count=${maxResults + 1}&`, ""]) {
        const exchange = await ctx.send("GET", `${endpoint}?${query}filter=${encodeURIComponent(filter)}`);
        // RFC 7644 §3.12 names "userName pr" as a filter a server may refuse with tooMany.
        if (exchange.status === 400 && field(exchange.json, "scimType") === "tooMany")
          return skip(
            `the server refuses "${filter}" with tooMany, so no list larger than the limit can be asked for`,
          );
        if (exchange.status !== 200) return fail("expected 200", exchange);
        const resources = resourcesOf(exchange.json) ?? [];
        const perPage = field(exchange.json, "itemsPerPage");
        if (resources.length > maxResults || (typeof perPage === "number" && perPage > maxResults))
          return fail(
            `expected at most ${maxResults} resources (filter.maxResults), got ${resources.length}`,
            exchange,
          );
      }
      return pass();
    },
  },
  {
    id: "discovery.capability-change-password",
    title: "A password change is accepted exactly when changePassword.supported is true",
    requirement: "RFC 7643 §5; RFC 7643 §4.1.1",
    level: "SHOULD",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const supported = await advertised(ctx, "changePassword");
      if (supported === undefined)
        return configFailure(ctx, "changePassword.supported is not advertised as a boolean");
      const made = await createUser(ctx, "change-password");
      if ("status" in made) return made;
      const password = `Conf0rmance!${ctx.prefix.slice(-9, -1)}`;
      // PATCH when it is not advertised unsupported, else PUT: either way the request only changes the password.
      const exchange =
        (await advertised(ctx, "patch")) === false
          ? await ctx.send("PUT", made.path, { body: { ...USER.body(ctx, "change-password"), password } })
          : await ctx.send("PATCH", made.path, {
              body: patchOp({ op: "replace", path: "password", value: password }),
            });
      if (supported && !isSuccess(exchange))
        return fail("expected the password change to succeed (changePassword.supported is true)", exchange);
      if (!supported && (isSuccess(exchange) || exchange.status >= 500) && exchange.status !== 501)
        return fail(
          "expected the password change to be refused with a 4xx or 501 (changePassword.supported is false)",
          exchange,
        );
      return pass();
    },
  },
];
