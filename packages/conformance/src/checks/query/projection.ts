import { type Exchange, field, resourcesOf, schemasOf } from "../../http.js";
import { fail, URN } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { withPopulation } from "./define.js";
import { str } from "./expect.js";
import type { Population } from "./population.js";
import type { UserSchema } from "./schema.js";

const PROJECTION = "RFC 7644 §3.4.2.5; RFC 7644 §3.9; RFC 7643 §2.2; RFC 7643 §7";

/** Which projection a request asked for: top-level attribute names, lower-cased. */
type Asked =
  | { readonly mode: "default" }
  | { readonly mode: "attributes"; readonly names: readonly string[] }
  | { readonly mode: "excluded"; readonly names: readonly string[] };

/**
 * What is wrong with one returned resource under RFC 7643 §2.2 `returned` as the server's own schema
 * declares it: `id` (always) must be there; "never" never; "request" only when asked; "default" only
 * when not excluded and, with `attributes`, only when asked. Attributes the User schema does not describe
 * (meta, extension objects) are not judged.
 */
function projectionProblem(resource: unknown, schema: UserSchema, asked: Asked): string | undefined {
  if (typeof field(resource, "id") !== "string") return 'no "id" (returned "always")';
  if (typeof resource !== "object" || resource === null) return "not an object";
  // RFC 7643 §3: "schemas" is REQUIRED in every representation, whatever the projection.
  if (!schemasOf(resource).includes(URN.user)) return `no "schemas" naming ${URN.user}`;
  for (const key of Object.keys(resource)) {
    const lower = key.toLowerCase();
    if (lower === "id" || lower === "schemas" || key.includes(":")) continue;
    const info = schema.attribute(key);
    if (info === undefined || info.returned === "always") continue;
    if (info.returned === "never") return `"${key}" is returned "never" but came back`;
    const named = asked.mode !== "default" && asked.names.includes(lower);
    if (info.returned === "request" && !(asked.mode === "attributes" && named))
      return `"${key}" is returned "request" but came back unasked`;
    if (asked.mode === "attributes" && !named)
      return `"${key}" came back but only [${asked.names.join(", ")}] was asked for`;
    if (asked.mode === "excluded" && named) return `"${key}" came back although excluded`;
  }
  return undefined;
}

/** A failure when the single resource or any listed resource breaks the projection rules. */
function judge(exchange: Exchange, schema: UserSchema, asked: Asked, what: string): CheckOutcome | undefined {
  if (exchange.status !== 200) return fail(`${what}: expected 200`, exchange);
  const resources = resourcesOf(exchange.json) ?? [exchange.json];
  if (resources.length === 0) return fail(`${what}: expected the User in the response`, exchange);
  for (const r of resources) {
    const problem = projectionProblem(r, schema, asked);
    if (problem) return fail(`${what}: ${problem}`, exchange);
  }
  return undefined;
}

/** A failure unless every dotted path is present (`present`) or absent in the first resource. */
function paths(exchange: Exchange, list: readonly string[], present: boolean, what: string) {
  const resource = (resourcesOf(exchange.json) ?? [exchange.json])[0];
  for (const path of list) {
    const value = path.split(".").reduce<unknown>((v, part) => field(v, part), resource);
    if ((value !== undefined) !== present)
      return fail(`${what}: expected "${path}" to be ${present ? "present" : "absent"}`, exchange);
  }
  return undefined;
}

/** GET of alice, once by id and once as the list entry of a filter naming her, with a query suffix. */
async function both(ctx: CheckContext, pop: Population, query: string): Promise<[Exchange, Exchange]> {
  const alice = pop.member("alice");
  const byId = await ctx.send("GET", `${pop.endpoint}/${encodeURIComponent(alice.id)}?${query}`);
  const filter = encodeURIComponent(`userName eq ${str(alice.userName)}`);
  const listed = await ctx.send("GET", `${pop.endpoint}?filter=${filter}&${query}`);
  return [byId, listed];
}

/** attributes / excludedAttributes and the `returned` characteristic, on GET by id and on lists. */
export const projectionChecks: readonly Check[] = [
  {
    id: "query.attributes",
    title: "attributes returns only the named attributes and sub-attributes, plus id",
    requirement: PROJECTION,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName"], ["name.familyName"], ["emails"]], async (ctx, pop, schema) => {
      for (const exchange of await both(ctx, pop, "attributes=userName,emails")) {
        const asked: Asked = { mode: "attributes", names: ["username", "emails"] };
        const what = "attributes=userName,emails";
        const wrong =
          judge(exchange, schema, asked, what) ??
          paths(exchange, ["id", "userName", "emails"], true, what) ??
          paths(exchange, ["name", "displayName"], false, what);
        if (wrong) return wrong;
      }
      for (const exchange of await both(ctx, pop, "attributes=name.familyName")) {
        const asked: Asked = { mode: "attributes", names: ["name"] };
        const what = "attributes=name.familyName";
        const wrong =
          judge(exchange, schema, asked, what) ??
          paths(exchange, ["id", "name.familyName"], true, what) ??
          paths(exchange, ["name.givenName", "emails"], false, what);
        if (wrong) return wrong;
      }
      return undefined;
    }),
  },
  {
    id: "query.excluded-attributes",
    title: "excludedAttributes removes the named attributes from the default set but never id or schemas",
    requirement: PROJECTION,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName"], ["name"], ["emails"]], async (ctx, pop, schema) => {
      for (const exchange of await both(ctx, pop, "excludedAttributes=emails,name,id,schemas")) {
        const asked: Asked = { mode: "excluded", names: ["emails", "name", "id", "schemas"] };
        const what = "excludedAttributes=emails,name,id,schemas";
        const wrong =
          judge(exchange, schema, asked, what) ??
          paths(exchange, ["id", "userName", "displayName"], true, what) ??
          paths(exchange, ["emails", "name"], false, what);
        if (wrong) return wrong;
      }
      for (const exchange of await both(ctx, pop, "excludedAttributes=name.givenName")) {
        const what = "excludedAttributes=name.givenName";
        const wrong =
          paths(exchange, ["id", "userName", "name.familyName", "emails"], true, what) ??
          paths(exchange, ["name.givenName"], false, what);
        if (wrong) return wrong;
      }
      return undefined;
    }),
  },
  {
    id: "query.returned-never-and-request",
    title:
      'returned "never" attributes (password) never come back, even when asked; "request" ones only when asked',
    requirement: PROJECTION,
    level: "MUST",
    profile: "rfc",
    writes: true,
    requires: ["filter"],
    run: withPopulation([["userName"]], async (ctx, pop, schema) => {
      for (const exchange of await both(ctx, pop, "")) {
        const wrong = judge(exchange, schema, { mode: "default" }, "no attributes parameter");
        if (wrong) return wrong;
      }
      const never = [...schema.all.values()].filter((a) => a.returned === "never" && !a.path.includes("."));
      const request = [...schema.all.values()].filter(
        (a) => a.returned === "request" && !a.path.includes("."),
      );
      const names = ["userName", ...never.map((a) => a.path), ...request.map((a) => a.path)];
      const query = `attributes=${names.join(",")}`;
      for (const exchange of await both(ctx, pop, query)) {
        const asked: Asked = { mode: "attributes", names: names.map((n) => n.toLowerCase()) };
        const wrong =
          judge(exchange, schema, asked, query) ?? paths(exchange, ["id", "userName"], true, query);
        if (wrong) return wrong;
      }
      return undefined;
    }),
  },
];
