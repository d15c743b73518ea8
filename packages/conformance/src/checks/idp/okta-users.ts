import { type Exchange, field, schemasOf } from "../../http.js";
import { fail, pass, URN } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, USER } from "../bodies.js";
import { oktaReplacement, oktaUser } from "./okta-bodies.js";
import {
  CONSEQUENCE,
  endpoints,
  filterQuery,
  idpFail,
  listedIds,
  listProblem,
  make,
  nonce,
  patchBody,
  patched,
} from "./shared.js";

const base = { profile: "okta", writes: true, level: "MUST" } as const;

/** Okta's lookup: the filter plus the page it always asks for (Okta SCIM 2.0 protocol reference). */
const OKTA_PAGE = "&startIndex=1&count=100";

/** What is wrong with the paging numbers of a ListResponse for Okta: present ones must be integers. */
function pagingProblem(exchange: Exchange): string | undefined {
  for (const name of ["totalResults", "startIndex", "itemsPerPage"]) {
    const value = field(exchange.json, name);
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value)))
      return `expected ${name} as an integer, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** Creates the User Okta would create; the outcome is a failure when the server refused it. */
async function createOktaUser(
  ctx: CheckContext,
  suffix: string,
): Promise<{ users: string; id: string; path: string; userName: string } | CheckOutcome> {
  const users = await endpointOf(ctx, USER);
  if (typeof users !== "string") return users;
  const user = oktaUser(ctx, suffix);
  const made = await make(ctx, users, user.body, CONSEQUENCE.oktaCreate);
  if ("status" in made) return made;
  return { users, id: made.id, path: made.path, userName: user.userName };
}

/** Okta's user lifecycle: lookup, create, PUT profile updates, PATCH (de)activation; Okta never deletes Users. */
export const oktaUserChecks: readonly Check[] = [
  {
    ...base,
    id: "okta.user-lookup-none",
    title:
      'Okta\'s GET /Users?filter=userName eq "…"&startIndex=1&count=100 for nobody answers 200 with an empty ListResponse (or 404 with a SCIM Error)',
    requirement: "RFC 7644 §3.4.2; RFC 7644 §3.4.2.4",
    writes: false,
    requires: ["filter"],
    async run(ctx) {
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      const expression = `userName eq "${ctx.prefix}nobody-${nonce()}@okta.example"`;
      const exchange = await ctx.send("GET", `${users}${filterQuery(expression, OKTA_PAGE)}`);
      // Okta's reference names a 404 with the SCIM Error schema "another acceptable response" for no match,
      // so this profile accepts it; the RFC (§3.4.2) and Entra ID do not.
      if (exchange.status === 404 && schemasOf(exchange.json).includes(URN.error)) return pass();
      const problem = listProblem(exchange, 0) ?? pagingProblem(exchange);
      return problem ? idpFail(CONSEQUENCE.oktaLookup, problem, exchange) : pass();
    },
  },
  {
    ...base,
    id: "okta.user-create",
    title: "Okta's User create (password, externalId, empty groups) answers 201 with the created User",
    requirement: "RFC 7644 §3.3",
    async run(ctx) {
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      const user = oktaUser(ctx, "okta-create");
      const made = await ctx.create(users, user.body);
      const exchange = made.exchange;
      if (exchange.status !== 201 || made.id === undefined)
        return idpFail(CONSEQUENCE.oktaCreate, "expected 201 with the created User", exchange);
      const name = field(exchange.json, "name");
      if (field(exchange.json, "userName") !== user.userName || field(name, "givenName") !== "Test")
        return idpFail(
          CONSEQUENCE.oktaCreate,
          "expected the User as sent (userName, name.givenName)",
          exchange,
        );
      return field(exchange.json, "active") === true
        ? pass()
        : idpFail(CONSEQUENCE.oktaCreate, "expected active true, as sent", exchange);
    },
  },
  {
    ...base,
    id: "okta.user-lookup",
    title:
      "Okta's userName lookup (startIndex=1&count=100) finds the created User, also with the userName upper-cased",
    requirement: "RFC 7644 §3.4.2.2; RFC 7643 §4.1.1",
    requires: ["filter"],
    async run(ctx) {
      const made = await createOktaUser(ctx, "okta-lookup");
      if ("status" in made) return made;
      // Okta's test plan ("Username Case Sensitivity Check") looks the User up upper-cased; caseExact is false.
      for (const name of [made.userName, made.userName.toUpperCase()]) {
        const exchange = await ctx.send(
          "GET",
          `${made.users}${filterQuery(`userName eq "${name}"`, OKTA_PAGE)}`,
        );
        const problem = listProblem(exchange, 1) ?? pagingProblem(exchange);
        if (problem) return idpFail(CONSEQUENCE.oktaLookup, `userName eq "${name}": ${problem}`, exchange);
        if (listedIds(exchange)[0] !== made.id)
          return idpFail(CONSEQUENCE.oktaLookup, `expected the User ${made.id}`, exchange);
      }
      return pass();
    },
  },
  {
    ...base,
    id: "okta.user-duplicate",
    title: "Okta's create of a User that exists answers 409 with a SCIM Error",
    requirement: "RFC 7644 §3.3; RFC 7644 §3.12",
    async run(ctx) {
      const made = await createOktaUser(ctx, "okta-duplicate");
      if ("status" in made) return made;
      const exchange = await ctx.send("POST", made.users, { body: oktaUser(ctx, "okta-duplicate").body });
      const id = field(exchange.json, "id");
      if (exchange.status >= 200 && exchange.status < 300 && typeof id === "string")
        ctx.track(`${made.users}/${encodeURIComponent(id)}`);
      if (exchange.status !== 409) return idpFail(CONSEQUENCE.oktaConflict, "expected 409", exchange);
      return schemasOf(exchange.json).includes(URN.error)
        ? pass()
        : idpFail(CONSEQUENCE.oktaConflict, `expected a SCIM Error body (${URN.error})`, exchange);
    },
  },
  {
    ...base,
    id: "okta.user-replace",
    title:
      "Okta's profile update, GET then PUT of the whole User (id, groups and meta included), answers 200 with it",
    requirement: "RFC 7644 §3.5.1",
    async run(ctx) {
      const made = await createOktaUser(ctx, "okta-replace");
      if ("status" in made) return made;
      const read = await ctx.send("GET", made.path);
      if (read.status !== 200) return idpFail(CONSEQUENCE.oktaUpdate, "expected 200 before the update", read);
      const put = await ctx.send("PUT", made.path, { body: oktaReplacement(made.id, made.userName) });
      if (put.status !== 200) return idpFail(CONSEQUENCE.oktaUpdate, "expected 200 with the User", put);
      if (field(field(put.json, "name"), "middleName") !== "Excited" || field(put.json, "id") !== made.id)
        return idpFail(CONSEQUENCE.oktaUpdate, 'expected the updated User (name.middleName "Excited")', put);
      const back = await ctx.send("GET", made.path);
      return field(field(back.json, "name"), "givenName") === "Another"
        ? pass()
        : idpFail(CONSEQUENCE.oktaSilent, 'expected name.givenName "Another" when read back', back);
    },
  },
  {
    ...base,
    id: "okta.user-deactivate",
    title:
      'Okta\'s PATCH {"op":"replace","value":{"active":false}} deactivates the User, which is still read; active true reactivates',
    requirement: "RFC 7644 §3.5.2.3",
    requires: ["patch"],
    async run(ctx) {
      const made = await createOktaUser(ctx, "okta-deactivate");
      if ("status" in made) return made;
      for (const active of [false, true]) {
        const exchange = await ctx.send("PATCH", made.path, {
          body: patchBody({ op: "replace", value: { active } }),
        });
        if (!patched(exchange)) return idpFail(CONSEQUENCE.oktaUpdate, "expected 200 or 204", exchange);
        if (exchange.status === 200 && field(exchange.json, "active") !== active)
          return idpFail(CONSEQUENCE.oktaUpdate, `expected the updated User (active ${active})`, exchange);
        const read = await ctx.send("GET", made.path);
        if (read.status !== 200 || field(read.json, "active") !== active)
          return idpFail(CONSEQUENCE.oktaSilent, `expected 200 with active ${active} when read back`, read);
      }
      return pass();
    },
  },
  {
    ...base,
    id: "okta.list-paging",
    title:
      "Okta's imports, GET /Users and /Groups with startIndex=1&count=100, answer ListResponses with integer paging in a stable order",
    requirement: "RFC 7644 §3.4.2.4",
    writes: false,
    async run(ctx) {
      const found = await endpoints(ctx);
      if ("status" in found) return found;
      for (const endpoint of [found.users, found.groups]) {
        const exchange = await ctx.send("GET", `${endpoint}?startIndex=1&count=100`);
        const problem = listProblem(exchange) ?? pagingProblem(exchange);
        if (problem) return idpFail(CONSEQUENCE.oktaIntegers, problem, exchange);
        const ids = listedIds(exchange);
        if (ids.length > 100) return fail(`expected at most 100 Resources, got ${ids.length}`, exchange);
        // Okta: the order must not depend on count and startIndex, or pages skip and repeat resources.
        if (ids.length >= 2) {
          const second = await ctx.send("GET", `${endpoint}?startIndex=2&count=1`);
          if (listedIds(second)[0] !== ids[1])
            return idpFail(
              CONSEQUENCE.oktaOrder,
              `expected ${String(ids[1])} second, as with count=100`,
              second,
            );
        }
      }
      return pass();
    },
  },
];
