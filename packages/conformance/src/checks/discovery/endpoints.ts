import { type Exchange, field, resourcesOf, schemasOf } from "../../http.js";
import { fail, pass, URN } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";

/** GET of a discovery list: 200, a ListResponse (or a bare array), at least one resource, each with `schema`. */
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
  if (!Array.isArray(exchange.json) && field(exchange.json, "totalResults") !== resources.length) {
    // RFC 7644 §4: query parameters (pagination) SHALL be ignored, so the list is complete.
    return fail(`expected totalResults ${resources.length}, the number of Resources`, exchange);
  }
  return pass();
}

/** The Resources of a discovery list, with the exchange that read them. */
async function readList(
  ctx: CheckContext,
  path: string,
): Promise<{ exchange: Exchange; resources: Record<string, unknown>[] } | CheckOutcome> {
  const exchange = await ctx.send("GET", path);
  const resources = Array.isArray(exchange.json)
    ? (exchange.json as Record<string, unknown>[])
    : resourcesOf(exchange.json);
  if (exchange.status !== 200 || !resources || resources.length === 0)
    return fail("expected 200 and a non-empty ListResponse", exchange);
  return { exchange, resources };
}

/** GET each listed resource by its id (RFC 7644 §4: "in the same way that a single User … is retrieved"). */
async function eachById(
  ctx: CheckContext,
  list: string,
  schema: string,
  idOf: (resource: Record<string, unknown>) => unknown,
): Promise<CheckOutcome> {
  const read = await readList(ctx, list);
  if ("status" in read) return read;
  for (const resource of read.resources) {
    const id = idOf(resource);
    if (typeof id !== "string" || id === "")
      return fail(
        `a resource in ${list} has no id (${JSON.stringify(resource).slice(0, 200)})`,
        read.exchange,
      );
    // The RFC 7644 §4 example appends the schema URI as it is (colons are valid in a path segment).
    const one = await ctx.send("GET", `${list}/${encodeURIComponent(id).replace(/%3A/gi, ":")}`);
    if (one.status !== 200) return fail(`expected 200 for ${list}/${id}`, one);
    if (!schemasOf(one.json).includes(schema)) return fail(`expected schemas to contain ${schema}`, one);
    if (idOf(one.json as Record<string, unknown>) !== id)
      return fail(`expected the resource ${id}, as listed in ${list}`, one);
  }
  return pass();
}

/** Discovery endpoints: RFC 7644 §4 and the ServiceProviderConfig / ResourceType documents of RFC 7643 §5, §6. */
export const endpointChecks: readonly Check[] = [
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
    requirement: "RFC 7643 §5; RFC 7644 §3.7.4",
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
      const schemes = field(exchange.json, "authenticationSchemes");
      if (!Array.isArray(schemes)) problems.push("authenticationSchemes is not an array");
      else {
        // RFC 7643 §5: type, name and description of each scheme are REQUIRED.
        schemes.forEach((scheme, i) => {
          for (const key of ["type", "name", "description"]) {
            if (typeof field(scheme, key) !== "string")
              problems.push(`authenticationSchemes[${i}].${key} is not a string`);
          }
        });
      }
      return problems.length === 0 ? pass() : fail(problems.join("; "), exchange);
    },
  },
  {
    id: "discovery.resource-types",
    title: "GET /ResourceTypes answers 200 with a ListResponse of ResourceType resources",
    requirement: "RFC 7644 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    run: (ctx) => listEndpoint(ctx, "/ResourceTypes", URN.resourceType),
  },
  {
    id: "discovery.schemas",
    title: "GET /Schemas answers 200 with a ListResponse of Schema resources",
    requirement: "RFC 7644 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    run: (ctx) => listEndpoint(ctx, "/Schemas", URN.schema),
  },
  {
    id: "discovery.resource-type-by-id",
    title: "GET /ResourceTypes/{id} answers each listed resource type",
    requirement: "RFC 7644 §4; RFC 7643 §6",
    level: "MUST",
    profile: "rfc",
    writes: false,
    // RFC 7643 §6: "id" may equal "name"; servers that leave it out are found by name.
    run: (ctx) =>
      eachById(ctx, "/ResourceTypes", URN.resourceType, (t) => field(t, "id") ?? field(t, "name")),
  },
  {
    id: "discovery.schema-by-id",
    title: "GET /Schemas/{schema URI} answers each listed schema",
    requirement: "RFC 7644 §4; RFC 7643 §7",
    level: "MUST",
    profile: "rfc",
    writes: false,
    run: (ctx) => eachById(ctx, "/Schemas", URN.schema, (s) => field(s, "id")),
  },
  {
    id: "discovery.resource-type-schemas",
    title: "Every resource type's schema and schema extensions are listed in /Schemas",
    requirement: "RFC 7643 §6",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const types = await readList(ctx, "/ResourceTypes");
      if ("status" in types) return types;
      const schemas = await readList(ctx, "/Schemas");
      if ("status" in schemas) return schemas;
      // Schema URIs are case-insensitive (RFC 7643 §2.1).
      const known = new Set(schemas.resources.map((s) => String(field(s, "id")).toLowerCase()));
      const missing: string[] = [];
      for (const type of types.resources) {
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
      if (missing.length > 0) return fail(`not found in /Schemas: ${missing.join(", ")}`, types.exchange);
      return pass();
    },
  },
];
