import { type Exchange, field, resourcesOf, schemasOf } from "../../http.js";
import { fail, pass, URN } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { type CoreType, endpointOf, GROUP, metaOf, USER } from "../bodies.js";
import { badRequest } from "../errors/shape.js";
import { createUser } from "../support.js";
import { sameUrl } from "./create.js";

/**
 * What is wrong with a just-created resource's representation, or undefined: RFC 7643 §3 `schemas`
 * (present, holding the base schema, no duplicates), §3.1 `id` (non-empty, never containing "bulkId")
 * and `meta` (lastModified equals created until the first change; meta.location equals any
 * Content-Location), RFC 7644 §1.3 (locations carry no query string).
 */
function representationProblem(type: CoreType, exchange: Exchange): string | undefined {
  const schemas = schemasOf(exchange.json);
  const baseUrn = type.name === "User" ? URN.user : URN.group;
  if (schemas.length === 0) return '"schemas" is missing or empty';
  if (!schemas.some((s) => s.toLowerCase() === baseUrn.toLowerCase()))
    return `"schemas" does not list the base schema ${baseUrn}`;
  const lower = schemas.map((s) => s.toLowerCase());
  if (new Set(lower).size !== lower.length) return `"schemas" repeats a value: ${JSON.stringify(schemas)}`;
  const id = field(exchange.json, "id");
  if (typeof id !== "string" || id === "") return '"id" is not a non-empty string';
  if (id.includes("bulkId")) return `"id" ${id} contains the reserved word "bulkId"`;
  const meta = metaOf(exchange.json);
  const created = typeof meta.created === "string" ? Date.parse(meta.created) : Number.NaN;
  const modified = typeof meta.lastModified === "string" ? Date.parse(meta.lastModified) : Number.NaN;
  if (Number.isNaN(created) || created !== modified)
    return "meta.lastModified differs from meta.created on a resource never modified";
  const contentLocation = exchange.headers.get("content-location");
  if (
    contentLocation !== null &&
    !(typeof meta.location === "string" && sameUrl(contentLocation, meta.location))
  )
    return `Content-Location ${contentLocation} differs from meta.location`;
  for (const url of [exchange.headers.get("location"), meta.location]) {
    if (typeof url === "string" && url.includes("?")) return `the location ${url} carries a query string`;
  }
  return undefined;
}

/** PUT of a resource that does not exist must not create it (RFC 7644 §3.2, §3.5.1). */
async function putNeverCreates(ctx: CheckContext): Promise<CheckOutcome> {
  const endpoint = await endpointOf(ctx, USER);
  if (typeof endpoint !== "string") return endpoint;
  const body = USER.body(ctx, "put-no-create");
  const put = await ctx.send("PUT", `${endpoint}/${ctx.prefix}no-such-id`, { body });
  const made = field(put.json, "id");
  // A server that created it anyway: clean up what it made, then fail.
  if (put.status >= 200 && put.status < 300 && typeof made === "string") {
    await ctx.send("DELETE", `${endpoint}/${encodeURIComponent(made)}`);
  }
  if (put.status !== 404) return fail("expected 404 for a PUT to an id that does not exist", put);
  const filter = encodeURIComponent(`userName eq "${String(body.userName)}"`);
  const lookup = await ctx.send("GET", `${endpoint}?filter=${filter}`);
  // Compared here rather than trusted to the filter, so a server that ignores filters is not blamed.
  const wanted = String(body.userName).toLowerCase();
  const found = (resourcesOf(lookup.json) ?? []).filter(
    (r) => String(field(r, "userName")).toLowerCase() === wanted,
  );
  return lookup.status === 200 && found.length > 0
    ? fail("the PUT answered 404 but a User with its userName now exists", lookup)
    : pass();
}

/** A PUT without a required attribute is refused and changes nothing (RFC 7644 §3.5.1, RFC 7643 §4.1.1). */
async function putNeedsRequired(ctx: CheckContext): Promise<CheckOutcome> {
  const made = await createUser(ctx, "put-required");
  if (!("path" in made)) return made;
  const { userName: _dropped, ...withoutUserName } = USER.changed(ctx, "put-required").body;
  const put = await ctx.send("PUT", made.path, { body: withoutUserName });
  const problem = badRequest(put, ["invalidValue", "invalidSyntax"]);
  if (problem) return fail(`${problem} for a PUT without the required userName`, put);
  const read = await ctx.send("GET", made.path);
  return field(read.json, "userName") === `${ctx.prefix}put-required`
    ? pass()
    : fail("the refused PUT still changed the User", read);
}

/** Once deleted, a resource no longer holds its unique userName (RFC 7644 §3.6). */
async function deletedFreesUserName(ctx: CheckContext): Promise<CheckOutcome> {
  const made = await createUser(ctx, "delete-reuse");
  if (!("path" in made)) return made;
  const deleted = await ctx.send("DELETE", made.path);
  // Only the reuse is judged here; the DELETE's status is crud.*.delete's business.
  if (deleted.status < 200 || deleted.status > 299) return fail("expected the DELETE to succeed", deleted);
  ctx.untrack(made.path);
  const { exchange, id } = await ctx.create(made.endpoint, USER.body(ctx, "delete-reuse"));
  return id !== undefined ? pass() : fail("expected 201 for a userName whose User was deleted", exchange);
}

/** Rules on any resource and on PUT and DELETE that the per-type CRUD checks do not cover. */
export const contractChecks: readonly Check[] = [
  {
    id: "crud.representation",
    title:
      "A created User and Group have a non-empty id, schemas naming the base schema once, lastModified equal to created, locations without a query",
    requirement: "RFC 7643 §2.1; RFC 7643 §3; RFC 7643 §3.1; RFC 7643 §3.3; RFC 7643 §4.1; RFC 7644 §1.3",
    level: "MUST",
    profile: "rfc",
    writes: true,
    async run(ctx) {
      for (const type of [USER, GROUP]) {
        const endpoint = await endpointOf(ctx, type);
        if (typeof endpoint !== "string") continue;
        // RFC 7643 §4.1: Users are served at /Users (and Groups at /Groups, §4.2).
        if (endpoint.toLowerCase() !== `/${type.name.toLowerCase()}s`)
          return fail(
            `the ${type.name} resource type's endpoint is ${endpoint}, not /${type.name}s`,
            await ctx.send("GET", "/ResourceTypes"),
          );
        const { exchange, id } = await ctx.create(endpoint, type.body(ctx, `representation-${type.key}`));
        if (id === undefined)
          return fail(`could not create a ${type.name} (expected 201 and an id)`, exchange);
        const problem = representationProblem(type, exchange);
        if (problem) return fail(`${type.name}: ${problem}`, exchange);
      }
      return pass();
    },
  },
  {
    id: "crud.put-no-create",
    title: "PUT to an id that does not exist answers 404 and creates nothing",
    requirement: "RFC 7644 §3.2; RFC 7644 §3.5.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    run: putNeverCreates,
  },
  {
    id: "crud.put-required",
    title: "PUT without a required attribute (userName) answers 400 and changes nothing",
    requirement: "RFC 7644 §3.5.1",
    level: "MUST",
    profile: "rfc",
    writes: true,
    run: putNeedsRequired,
  },
  {
    id: "crud.delete-frees-unique",
    title: "After DELETE, a new User may take the deleted User's userName",
    requirement: "RFC 7644 §3.6",
    level: "SHOULD",
    profile: "rfc",
    writes: true,
    run: deletedFreesUserName,
  },
];
