import { type Exchange, resourcesOf } from "../http.js";
import { fail, pass, skip } from "../outcome.js";
import { type AttributeInfo, listAttributes, namingAttribute } from "../schema/attributes.js";
import { propOf, type ResourceTypeDef } from "../schema/model.js";
import type { Check, CheckContext, CheckOutcome } from "../types.js";
import { endpointOf, USER } from "./bodies.js";
import { bodyFor, onEach } from "./crud/behaviour.js";
import { allTypes } from "./crud/types.js";

function hasPassword(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).some((k) => k.toLowerCase() === "password")
  );
}

/** The string values a body holds for an attribute (a sub-attribute's in every element of its parent). */
function sentValues(body: Record<string, unknown>, info: AttributeInfo): string[] {
  const holder = info.extension ? propOf(body, info.schema) : body;
  const top = propOf(holder, info.parent ?? info.name);
  const values =
    info.parent === undefined ? [top] : (Array.isArray(top) ? top : [top]).map((e) => propOf(e, info.name));
  return values.flat().filter((v): v is string => typeof v === "string" && v.length >= 8);
}

/**
 * Creates a resource with every writable attribute and looks for the values sent for its writeOnly and
 * returned "never" attributes (RFC 7643 §7) in the create response, a read, a read naming them in
 * `attributes`, and a list.
 */
async function hiddenStayHidden(ctx: CheckContext, type: ResourceTypeDef): Promise<CheckOutcome> {
  const hidden = listAttributes(type).filter((a) => a.mutability === "writeOnly" || a.returned === "never");
  if (hidden.length === 0) return skip('no writeOnly or returned "never" attribute');
  const body = bodyFor(ctx, type, `${type.name.toLowerCase()}-never-returned`);
  const secrets = hidden.flatMap((a) => sentValues(body, a).map((value) => ({ path: a.path, value })));
  if (secrets.length === 0)
    return skip('no value was generated for its writeOnly or returned "never" attributes');
  const created = await ctx.create(type.endpoint, body);
  if (created.id === undefined) return fail(`could not create a ${type.name} to test with`, created.exchange);
  const path = `${type.endpoint}/${encodeURIComponent(created.id)}`;
  const named = encodeURIComponent(hidden.map((a) => a.path).join(","));
  const exchanges: Exchange[] = [
    created.exchange,
    await ctx.send("GET", path),
    await ctx.send("GET", `${path}?attributes=${named}`),
  ];
  const naming = namingAttribute(type);
  const name = naming ? body[naming.name] : undefined;
  if (naming && typeof name === "string") {
    const filter = encodeURIComponent(`${naming.name} eq "${name}"`);
    exchanges.push(await ctx.send("GET", `${type.endpoint}?filter=${filter}`));
  }
  for (const exchange of exchanges) {
    const leaked = secrets.find((s) => exchange.text.includes(s.value));
    if (leaked) return fail(`${leaked.path} was returned`, exchange);
  }
  return pass();
}

/** Security: authentication (RFC 7644 §2, §3.12) and returned "never" (RFC 7643 §4.1.1). */
export const securityChecks: readonly Check[] = [
  {
    id: "security.no-token",
    title: "A request without a bearer token answers 401",
    requirement: "RFC 7644 §2; RFC 7644 §3.12",
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
    requirement: "RFC 7644 §2; RFC 7644 §3.12",
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
    id: "security.www-authenticate",
    title: "A 401 answer names the supported authentication schemes in a WWW-Authenticate header",
    requirement: "RFC 7644 §2",
    level: "MUST",
    profile: "rfc",
    writes: false,
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const exchange = await ctx.send("GET", `${endpoint}?count=1`, { auth: "none" });
      if (exchange.status !== 401) return skip("the request without a token was not answered 401");
      // RFC 7644 §2: the provider "SHALL indicate supported HTTP authentication schemes via the
      // "WWW-Authenticate" header" (RFC 7235 §4.1: at least one challenge, a scheme name first).
      const challenge = exchange.headers.get("www-authenticate") ?? "";
      return /^\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+/.test(challenge)
        ? pass()
        : fail("expected a WWW-Authenticate header naming an authentication scheme", exchange);
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
  {
    id: "security.never-returned",
    title: 'writeOnly and returned "never" attributes of every resource type are never returned',
    requirement: "RFC 7643 §7",
    level: "MUST",
    profile: "rfc",
    writes: true,
    run: async (ctx) =>
      onEach(await allTypes(ctx), "no resource type is advertised", (type) => hiddenStayHidden(ctx, type)),
  },
];
