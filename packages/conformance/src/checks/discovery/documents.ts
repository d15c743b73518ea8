import { type Exchange, field, resourcesOf } from "../../http.js";
import { fail, pass, skip, URN } from "../../outcome.js";
import type { Check, CheckOutcome } from "../../types.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** The ids (or names) of a discovery list's resources, in the order served. */
function idsOf(exchange: Exchange): string[] {
  return (resourcesOf(exchange.json) ?? []).map((r) => String(field(r, "id") ?? field(r, "name")));
}

/** The attribute of a Schema resource with this name (case-insensitive, RFC 7643 §2.1). */
function attributeOf(schema: unknown, name: string): Record<string, unknown> | undefined {
  const attributes = field(schema, "attributes");
  if (!Array.isArray(attributes)) return undefined;
  return attributes.find(
    (a): a is Record<string, unknown> =>
      typeof a === "object" && a !== null && String(field(a, "name")).toLowerCase() === name.toLowerCase(),
  );
}

/**
 * Characteristics RFC 7643 §8.7.1 gives core attributes, which a server serving that schema keeps:
 * `[schema URN, attribute, characteristic, value]`. Only characteristics whose change would alter what
 * clients may send or read back are listed (a server may add attributes, or narrow descriptions).
 */
// userName's caseExact is left out on purpose: a server declaring it true and filtering accordingly is
// consistent (query.test.ts keeps such a server passing), and RFC 7643 §2.3.1 lets the schema decide.
const CORE_CHARACTERISTICS: readonly (readonly [string, string, string, unknown])[] = [
  [URN.user, "userName", "required", true],
  [URN.user, "userName", "uniqueness", "server"],
  [URN.user, "password", "mutability", "writeOnly"],
  [URN.user, "password", "returned", "never"],
  [URN.user, "emails", "multiValued", true],
  [URN.user, "groups", "multiValued", true],
  [URN.user, "groups", "mutability", "readOnly"],
  [URN.group, "members", "multiValued", true],
  [ENTERPRISE, "manager", "type", "complex"],
];

/** RFC 7643 §2.2: the value a characteristic left out of a schema attribute takes. */
const DEFAULTS: Readonly<Record<string, unknown>> = {
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  type: "string",
};

/** The discovery documents themselves: RFC 7643 §6, §8.7.1 and what RFC 7644 §3.1, §4 say they hold. */
export const documentChecks: readonly Check[] = [
  {
    id: "discovery.resource-type-fields",
    title: "Every ResourceType, listed and read by id, has a name, an endpoint and a schema",
    requirement: "RFC 7643 §6",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx): Promise<CheckOutcome> {
      const list = await ctx.send("GET", "/ResourceTypes");
      const types = resourcesOf(list.json);
      if (list.status !== 200 || types === undefined) return fail("expected a ListResponse", list);
      for (const listed of types) {
        const id = field(listed, "id") ?? field(listed, "name");
        const exchanges: [unknown, Exchange][] = [[listed, list]];
        if (typeof id === "string") {
          const read = await ctx.send("GET", `/ResourceTypes/${encodeURIComponent(id)}`);
          if (read.status === 200) exchanges.push([read.json, read]);
        }
        for (const [type, exchange] of exchanges) {
          // RFC 7643 §6: name, endpoint and schema are REQUIRED; endpoint is relative to the base URL.
          for (const key of ["name", "endpoint", "schema"]) {
            const value = field(type, key);
            if (typeof value !== "string" || value === "")
              return fail(`resource type ${String(id)} has no "${key}"`, exchange);
          }
          if (!String(field(type, "endpoint")).startsWith("/"))
            return fail(`resource type ${String(id)}: "endpoint" must be a path such as "/Users"`, exchange);
        }
      }
      return pass();
    },
  },
  {
    id: "discovery.no-message-schemas",
    title: "/Schemas lists resource schemas only, not the protocol messages (urn:ietf:params:scim:api:…)",
    requirement: "RFC 7644 §3.1",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const exchange = await ctx.send("GET", "/Schemas");
      if (exchange.status !== 200) return fail("expected 200", exchange);
      // RFC 7644 §3.1: message schemas "are not discoverable via the /Schemas endpoint".
      const messages = idsOf(exchange).filter((id) =>
        id.toLowerCase().startsWith("urn:ietf:params:scim:api:"),
      );
      return messages.length === 0
        ? pass()
        : fail(`/Schemas lists protocol message schemas: ${messages.join(", ")}`, exchange);
    },
  },
  {
    id: "discovery.ignores-paging",
    title: "/ResourceTypes and /Schemas ignore startIndex and count: every resource comes back",
    requirement: "RFC 7644 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      for (const endpoint of ["/ResourceTypes", "/Schemas"]) {
        const plain = await ctx.send("GET", endpoint);
        if (plain.status !== 200) return fail("expected 200", plain);
        // RFC 7644 §4: discovery endpoints "SHALL ignore" sorting and pagination parameters. Only paging
        // is sent: a filter SHOULD be answered 403, and a server without sorting may answer sortBy 501.
        const query = `${endpoint}?startIndex=2&count=1`;
        const paged = await ctx.send("GET", query);
        const want = idsOf(plain).sort();
        const got = idsOf(paged).sort();
        if (paged.status !== 200 || got.join() !== want.join())
          return fail(`expected 200 with the same ${want.length} resources as without parameters`, paged);
      }
      return pass();
    },
  },
  {
    id: "discovery.pagination-flags",
    title: "A ServiceProviderConfig pagination attribute carries cursor and index as booleans",
    requirement: "RFC 9865 §4",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const pagination = field((await ctx.discovery()).serviceProviderConfig, "pagination");
      if (pagination === undefined) return skip("the ServiceProviderConfig has no pagination attribute");
      // RFC 9865 §4: "cursor" and "index" are REQUIRED booleans of the pagination complex attribute.
      const wrong = ["cursor", "index"].filter((key) => typeof field(pagination, key) !== "boolean");
      return wrong.length === 0
        ? pass()
        : fail(
            `pagination.${wrong.join(" and pagination.")} is not a boolean`,
            await ctx.send("GET", "/ServiceProviderConfig"),
          );
    },
  },
  {
    id: "discovery.core-schemas",
    title: "The User, Group and enterprise schemas served keep the characteristics RFC 7643 §8.7.1 gives",
    requirement: "RFC 7643 §8.7.1",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const { schemas } = await ctx.discovery();
      const served = new Map(schemas.map((s) => [String(field(s, "id")), s]));
      if (!served.has(URN.user) && !served.has(URN.group))
        return skip("/Schemas serves neither User nor Group");
      const wrong: string[] = [];
      for (const [urn, name, key, want] of CORE_CHARACTERISTICS) {
        const schema = served.get(urn);
        if (schema === undefined) continue;
        const attribute = attributeOf(schema, name);
        if (attribute === undefined) continue;
        const got = field(attribute, key) ?? DEFAULTS[key];
        if (got !== want) wrong.push(`${name}.${key} is ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
      }
      if (wrong.length === 0) return pass();
      return fail(
        `/Schemas differs from RFC 7643 §8.7.1: ${wrong.join("; ")}`,
        await ctx.send("GET", "/Schemas"),
      );
    },
  },
];
