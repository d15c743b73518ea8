import { field, resourcesOf, schemasOf } from "../http.js";
import { fail, pass, URN } from "../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../types.js";

async function listEndpoint(ctx: CheckContext, path: string, schema: string): Promise<CheckOutcome> {
  const exchange = await ctx.send("GET", path);
  if (exchange.status !== 200) return fail("expected 200", exchange);
  const resources = Array.isArray(exchange.json) ? exchange.json : resourcesOf(exchange.json);
  if (!resources) return fail("expected a ListResponse with Resources", exchange);
  if (!Array.isArray(exchange.json) && !schemasOf(exchange.json).includes(URN.listResponse)) {
    return fail(`expected schemas to contain ${URN.listResponse}`, exchange);
  }
  if (resources.length === 0) return fail("expected at least one resource", exchange);
  const wrong = resources.find((r) => !schemasOf(r).includes(schema));
  if (wrong !== undefined) {
    return fail(`a resource lacks ${schema} in schemas (${JSON.stringify(wrong).slice(0, 200)})`, exchange);
  }
  return pass();
}

/** Discovery: RFC 7644 §4 endpoints and RFC 7643 §6/§7 consistency. */
export const discoveryChecks: readonly Check[] = [
  {
    id: "discovery.service-provider-config",
    title: "GET /ServiceProviderConfig answers 200 with the ServiceProviderConfig schema",
    requirement: "RFC 7644 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const exchange = await ctx.send("GET", "/ServiceProviderConfig");
      if (exchange.status !== 200) return fail("expected 200", exchange);
      if (!schemasOf(exchange.json).includes(URN.serviceProviderConfig)) {
        return fail(`expected schemas to contain ${URN.serviceProviderConfig}`, exchange);
      }
      return pass();
    },
  },
  {
    id: "discovery.service-provider-config-features",
    title: "The ServiceProviderConfig describes every feature RFC 7643 §5 requires",
    requirement: "RFC 7643 §5",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const exchange = await ctx.send("GET", "/ServiceProviderConfig");
      if (exchange.status !== 200) return fail("expected 200", exchange);
      const problems: string[] = [];
      for (const feature of ["patch", "bulk", "filter", "changePassword", "sort", "etag"]) {
        if (typeof field(field(exchange.json, feature), "supported") !== "boolean") {
          problems.push(`${feature}.supported is not a boolean`);
        }
      }
      for (const [feature, limit] of [
        ["bulk", "maxOperations"],
        ["bulk", "maxPayloadSize"],
        ["filter", "maxResults"],
      ] as const) {
        if (!Number.isInteger(field(field(exchange.json, feature), limit))) {
          problems.push(`${feature}.${limit} is not an integer`);
        }
      }
      if (!Array.isArray(field(exchange.json, "authenticationSchemes"))) {
        problems.push("authenticationSchemes is not an array");
      }
      return problems.length === 0 ? pass() : fail(problems.join("; "), exchange);
    },
  },
  {
    id: "discovery.resource-types",
    title: "GET /ResourceTypes answers 200 with ResourceType resources",
    requirement: "RFC 7644 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    run: (ctx) => listEndpoint(ctx, "/ResourceTypes", URN.resourceType),
  },
  {
    id: "discovery.schemas",
    title: "GET /Schemas answers 200 with Schema resources",
    requirement: "RFC 7644 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    run: (ctx) => listEndpoint(ctx, "/Schemas", URN.schema),
  },
  {
    id: "discovery.resource-type-schemas",
    title: "Every resource type's schema and schema extensions are listed in /Schemas",
    requirement: "RFC 7643 §6",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const { resourceTypes, schemas } = await ctx.discovery();
      if (resourceTypes.length === 0) return fail("GET /ResourceTypes returned no resource types");
      const known = new Set(schemas.map((s) => String(field(s, "id")).toLowerCase()));
      const missing: string[] = [];
      for (const type of resourceTypes) {
        const extensions = field(type, "schemaExtensions");
        const urns = [
          field(type, "schema"),
          ...(Array.isArray(extensions) ? extensions.map((e) => field(e, "schema")) : []),
        ];
        for (const urn of urns) {
          if (typeof urn !== "string" || !known.has(urn.toLowerCase())) {
            missing.push(`${String(field(type, "name"))}: ${String(urn)}`);
          }
        }
      }
      if (missing.length > 0) return fail(`not found in /Schemas: ${missing.join(", ")}`);
      return pass();
    },
  },
];
