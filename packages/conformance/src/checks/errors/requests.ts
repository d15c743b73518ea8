import { field, schemasOf } from "../../http.js";
import { fail, pass, skip, URN } from "../../outcome.js";
import type { Check } from "../../types.js";
import { endpointOf, GROUP, metaOf, USER } from "../bodies.js";
import { configFailure, limit } from "../support.js";
import { badRequest, errorShape, isScimJson } from "./shape.js";

/** A URN no server defines: `urn:example:` is reserved for documentation (RFC 6963). */
const UNKNOWN_SCHEMA = "urn:example:params:scim:schemas:conformance:2.0:Unknown";

/** Bodies the RFC says to refuse (or, for readOnly values, to ignore): RFC 7644 §3.3, §3.7.4, §3.12. */
export const requestErrorChecks: readonly Check[] = [
  {
    id: "errors.invalid-value-type",
    title: 'A value of the wrong type ("active": 42) answers 400 invalidValue',
    requirement: "RFC 7644 §3.12; RFC 7643 §2.3",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const { exchange } = await ctx.create(endpoint, { ...USER.body(ctx, "wrong-type"), active: 42 });
      const problem = badRequest(exchange, ["invalidValue"]);
      return problem ? fail(`${problem} for a number where a boolean belongs`, exchange) : pass();
    },
  },
  {
    id: "errors.group-display-name-required",
    title: "Creating a Group without displayName answers 400 invalidValue",
    requirement: "RFC 7644 §3.12; RFC 7643 §4.2",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, GROUP);
      if (typeof endpoint !== "string") return endpoint;
      // RFC 7643 §4.2: displayName is REQUIRED (its §8.7.1 schema says required false; the prose wins
      // here because §4.2 is the normative description of the Group resource).
      const { exchange } = await ctx.create(endpoint, {
        schemas: [URN.group],
        externalId: `${ctx.prefix}nameless`,
      });
      const problem = badRequest(exchange, ["invalidValue"]);
      return problem ? fail(`${problem} for a Group without displayName`, exchange) : pass();
    },
  },
  {
    id: "errors.read-only-ignored",
    title: "readOnly values in a POST body (id, meta, groups) are ignored, never applied",
    requirement: "RFC 7644 §3.3; RFC 7643 §2.2; RFC 7643 §3.1; RFC 7643 §4.1.2",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const chosenId = `${ctx.prefix}chosen-id`;
      const created = "2001-02-03T04:05:06Z";
      const { exchange, id } = await ctx.create(endpoint, {
        ...USER.body(ctx, "read-only"),
        id: chosenId,
        meta: { resourceType: "Group", created, lastModified: created },
        groups: [{ value: `${ctx.prefix}no-such-group` }],
      });
      // §3.3 says readOnly input "SHALL be ignored"; §3.12's own example answers such a write 400
      // mutability, so that refusal is accepted too: what must never happen is the value being applied.
      if (exchange.status === 400 && field(exchange.json, "scimType") === "mutability") return pass();
      if (id === undefined) return fail("expected 201 (readOnly values ignored) or 400 mutability", exchange);
      const meta = metaOf(exchange.json);
      const applied: string[] = [];
      if (id === chosenId) applied.push("id");
      if (meta.created === created) applied.push("meta.created");
      if (meta.resourceType === "Group") applied.push("meta.resourceType");
      if (JSON.stringify(field(exchange.json, "groups") ?? []).includes("no-such-group"))
        applied.push("groups");
      return applied.length === 0
        ? pass()
        : fail(`readOnly values were applied: ${applied.join(", ")}`, exchange);
    },
  },
  {
    id: "errors.unknown-schema",
    title: "A body whose schemas lists an unknown URN answers 400, or the URN is not kept",
    requirement: "RFC 7643 §3; RFC 7644 §3.12",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const { exchange, id } = await ctx.create(endpoint, {
        ...USER.body(ctx, "unknown-schema"),
        schemas: [URN.user, UNKNOWN_SCHEMA],
      });
      if (id === undefined) {
        const problem = badRequest(exchange, ["invalidValue", "invalidSyntax"]);
        return problem ? fail(`${problem} for schemas naming ${UNKNOWN_SCHEMA}`, exchange) : pass();
      }
      // RFC 7643 §3: a resource's schemas "MUST only contain values defined as "schema" and
      // "schemaExtensions" for the resource's defined "resourceType"": accepting is fine, keeping is not.
      return schemasOf(exchange.json).some((s) => s.toLowerCase() === UNKNOWN_SCHEMA.toLowerCase())
        ? fail(`the created User lists ${UNKNOWN_SCHEMA} in schemas`, exchange)
        : pass();
    },
  },
  {
    id: "errors.malformed-json",
    title: "A body that is not valid JSON answers 400 invalidSyntax as application/scim+json",
    requirement: "RFC 7644 §3.12; RFC 7644 §3.1",
    level: "MUST",
    profile: "rfc",
    // A server that fails this check could act on the request: a read-only run must not send it.
    writes: true,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const raw = `{"schemas": ["${URN.user}"], "userName": "${ctx.prefix}malformed",`;
      const exchange = await ctx.send("POST", endpoint, { raw });
      const problem = badRequest(exchange, ["invalidSyntax"]);
      if (problem) return fail(problem, exchange);
      return isScimJson(exchange) ? pass() : fail("expected Content-Type application/scim+json", exchange);
    },
  },
  {
    id: "errors.payload-too-large",
    title: "A bulk request larger than bulk.maxPayloadSize answers 413 naming the limit",
    requirement: "RFC 7644 §3.7.4; RFC 7644 §3.12",
    level: "MUST",
    profile: "rfc",
    // A server that fails this check could act on the request: a read-only run must not send it.
    writes: true,
    requires: ["bulk"],
    async run(ctx) {
      const maxPayloadSize = await limit(ctx, "bulk", "maxPayloadSize");
      if (maxPayloadSize === undefined)
        return configFailure(ctx, "bulk.maxPayloadSize is not advertised as an integer");
      // Beyond this a conformance run would spend more time uploading than checking.
      if (maxPayloadSize > 16 * 1024 * 1024)
        return skip(`bulk.maxPayloadSize is ${maxPayloadSize} bytes; this check sends at most 16 MiB`);
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      // One delete of an id that does not exist, padded: a server that runs it anyway changes nothing.
      const body = {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [{ method: "DELETE", path: `${users}/${ctx.prefix}no-such-user` }],
      };
      const base = JSON.stringify(body).length;
      const padding = "x".repeat(Math.max(0, maxPayloadSize - base) + 1024);
      const exchange = await ctx.send("POST", "/Bulk", { body: { ...body, padding } });
      if (exchange.status !== 413)
        return fail(`expected 413 for a body of more than ${maxPayloadSize} bytes`, exchange);
      const shape = errorShape(exchange);
      if (shape) return fail(shape, exchange);
      // §3.7.4: "The returned response MUST specify the limit exceeded in the body of the error response."
      return exchange.text.includes("maxPayloadSize") || exchange.text.includes(String(maxPayloadSize))
        ? pass()
        : fail(`expected the error to name the limit (maxPayloadSize ${maxPayloadSize})`, exchange);
    },
  },
];
