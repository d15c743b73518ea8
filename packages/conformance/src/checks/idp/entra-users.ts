import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, USER } from "../bodies.js";
import { type EntraUser, entraUser } from "./entra-bodies.js";
import {
  CONSEQUENCE,
  ENTERPRISE,
  endpoints,
  enterpriseOf,
  filterQuery,
  idpFail,
  listedIds,
  listProblem,
  make,
  nonce,
  patchBody,
  patched,
  plainUser,
  workEmail,
} from "./shared.js";

const base = { profile: "entra", writes: true, level: "MUST" } as const;

/** The consequence of a failed Entra request: a 404 is its quarantine reason, anything else goes to escrow. */
function entraConsequence(status: number): string {
  return status === 404 ? CONSEQUENCE.entraNotFound : CONSEQUENCE.entraEscrow;
}

/** Creates the User Entra ID would create; the outcome is a failure when the server refused it. */
async function createEntraUser(
  ctx: CheckContext,
  suffix: string,
): Promise<{ user: EntraUser; id: string; path: string; users: string } | CheckOutcome> {
  const users = await endpointOf(ctx, USER);
  if (typeof users !== "string") return users;
  const user = entraUser(ctx, suffix);
  const made = await make(ctx, users, user.body, CONSEQUENCE.entraEscrow);
  if ("status" in made) return made;
  return { user, id: made.id, path: made.path, users };
}

/** Entra ID's user lifecycle: lookup, create, update, disable, delete (Microsoft Learn, "Develop a SCIM endpoint"). */
export const entraUserChecks: readonly Check[] = [
  {
    ...base,
    id: "entra.test-connection",
    title:
      "Entra's lookups for nobody (userName eq, externalId eq, Group displayName eq with excludedAttributes=members) answer 200 and an empty ListResponse",
    requirement: "RFC 7644 §3.4.2",
    writes: false,
    requires: ["filter"],
    async run(ctx) {
      const found = await endpoints(ctx);
      if ("status" in found) return found;
      const nobody = nonce();
      // Entra's Test Connection and every provisioning cycle start with lookups that match nothing.
      for (const path of [
        `${found.users}${filterQuery(`userName eq "${ctx.prefix}nobody-${nobody}@contoso.example"`)}`,
        `${found.users}${filterQuery(`externalId eq "entra-nobody-${nobody}"`)}`,
        `${found.groups}?excludedAttributes=members&${filterQuery(`displayName eq "${ctx.prefix}nobody-${nobody}"`).slice(1)}`,
      ]) {
        const exchange = await ctx.send("GET", path);
        const problem = listProblem(exchange, 0);
        if (problem) return idpFail(entraConsequence(exchange.status), problem, exchange);
      }
      return pass();
    },
  },
  {
    ...base,
    id: "entra.user-create",
    title:
      "Entra's User create (enterprise extension, a work email, meta and empty roles) answers 201 with the User",
    requirement: "RFC 7644 §3.3; RFC 7643 §4.3",
    async run(ctx) {
      const users = await endpointOf(ctx, USER);
      if (typeof users !== "string") return users;
      const user = entraUser(ctx, "entra-create");
      const made = await ctx.create(users, user.body);
      const exchange = made.exchange;
      if (exchange.status !== 201 || made.id === undefined)
        return idpFail(entraConsequence(exchange.status), "expected 201 with the created User", exchange);
      const body = exchange.json;
      const problems: string[] = [];
      if (field(body, "userName") !== user.userName) problems.push("userName");
      if (field(body, "externalId") !== user.externalId) problems.push("externalId");
      if (workEmail(body) !== user.email) problems.push('emails[type eq "work"].value');
      const extension = enterpriseOf(body);
      if (extension.department !== "Retail") problems.push(`${ENTERPRISE}:department`);
      if (extension.employeeNumber !== "701984") problems.push(`${ENTERPRISE}:employeeNumber`);
      return problems.length === 0
        ? pass()
        : fail(`expected the created User to hold what was sent: ${problems.join(", ")} differ`, exchange);
    },
  },
  {
    ...base,
    id: "entra.user-lookup",
    title:
      'Entra\'s lookups by userName (in any case), externalId and emails[type eq "work"].value find the created User',
    requirement: "RFC 7644 §3.4.2.2; RFC 7643 §4.1.1",
    requires: ["filter"],
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-lookup");
      if ("status" in made) return made;
      const { user } = made;
      // userName is caseExact false (RFC 7643 §4.1.1); Microsoft's SCIM validator looks it up in another case.
      for (const expression of [
        `userName eq "${user.userName}"`,
        `userName eq "${user.userName.toUpperCase()}"`,
        `externalId eq "${user.externalId}"`,
        // Microsoft Learn: "Use userName or emails[type eq "work"] attributes to query users."
        `emails[type eq "work"].value eq "${user.email}"`,
      ]) {
        const exchange = await ctx.send("GET", `${made.users}${filterQuery(expression)}`);
        const problem = listProblem(exchange, 1);
        if (problem) return idpFail(entraConsequence(exchange.status), `${expression}: ${problem}`, exchange);
        if (listedIds(exchange)[0] !== made.id)
          return idpFail(CONSEQUENCE.entraEscrow, `${expression}: expected the User ${made.id}`, exchange);
      }
      return pass();
    },
  },
  {
    ...base,
    id: "entra.user-duplicate",
    title: "Entra's create of a userName that exists in another case answers 409 uniqueness",
    requirement: "RFC 7644 §3.3; RFC 7644 §3.12",
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-duplicate");
      if ("status" in made) return made;
      const again = entraUser(ctx, "entra-duplicate");
      const exchange = await ctx.send("POST", made.users, {
        body: { ...again.body, userName: made.user.userName.toUpperCase() },
      });
      const id = field(exchange.json, "id");
      if (exchange.status >= 200 && exchange.status < 300 && typeof id === "string")
        ctx.track(`${made.users}/${encodeURIComponent(id)}`);
      if (exchange.status !== 409) return fail("expected 409 for a userName that exists", exchange);
      return field(exchange.json, "scimType") === "uniqueness"
        ? pass()
        : fail('expected scimType "uniqueness"', exchange);
    },
  },
  {
    ...base,
    id: "entra.patch-replace",
    title: 'Entra\'s PATCH "op":"Replace" of emails[type eq "work"].value and name.familyName changes both',
    requirement: "RFC 7644 §3.5.2.3",
    requires: ["patch"],
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-replace");
      if ("status" in made) return made;
      const email = `replaced.${nonce()}@contoso.example`;
      // Entra emits op values capitalised (Microsoft Learn: "Don't require a case-sensitive match … op").
      const body = patchBody(
        { op: "Replace", path: 'emails[type eq "work"].value', value: email },
        { op: "Replace", path: "name.familyName", value: "Replaced" },
      );
      const exchange = await ctx.send("PATCH", made.path, { body });
      if (!patched(exchange))
        return idpFail(entraConsequence(exchange.status), "expected 200 or 204", exchange);
      const read = await ctx.send("GET", made.path);
      if (workEmail(read.json) !== email)
        return idpFail(CONSEQUENCE.entraSilent, `expected the work email ${email} when read back`, read);
      if (field(field(read.json, "name"), "familyName") !== "Replaced")
        return idpFail(CONSEQUENCE.entraSilent, 'expected name.familyName "Replaced" when read back', read);
      return pass();
    },
  },
  {
    ...base,
    id: "entra.user-disable",
    title:
      'Entra\'s disable, PATCH "Replace" active with the string "False", deactivates a User that is still read and found; "True" restores it',
    requirement: "RFC 7644 §3.5.2.3; RFC 7643 §2.3.2",
    requires: ["patch", "filter"],
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-disable");
      if ("status" in made) return made;
      const off = await ctx.send("PATCH", made.path, {
        body: patchBody({ op: "Replace", path: "active", value: "False" }),
      });
      if (!patched(off)) return idpFail(entraConsequence(off.status), "expected 200 or 204", off);
      // Microsoft Learn: a User is returned whether or not it is active, until it is hard deleted.
      const read = await ctx.send("GET", made.path);
      if (read.status !== 200 || field(read.json, "active") !== false)
        return idpFail(CONSEQUENCE.entraSilent, "expected 200 with active false after the disable", read);
      const listed = await ctx.send(
        "GET",
        `${made.users}${filterQuery(`userName eq "${made.user.userName}"`)}`,
      );
      const problem = listProblem(listed, 1);
      if (problem) return idpFail(entraConsequence(listed.status), `a disabled User: ${problem}`, listed);
      const on = await ctx.send("PATCH", made.path, {
        body: patchBody({ op: "Replace", path: "active", value: "True" }),
      });
      if (!patched(on)) return idpFail(entraConsequence(on.status), "expected 200 or 204", on);
      const back = await ctx.send("GET", made.path);
      return field(back.json, "active") === true
        ? pass()
        : idpFail(CONSEQUENCE.entraSilent, 'expected active true after "True"', back);
    },
  },
  {
    ...base,
    id: "entra.patch-pathless",
    title:
      'Entra\'s path-less PATCH replace with dotted and URN-qualified keys ("name.givenName", "urn:…:User:employeeNumber") changes each',
    requirement: "RFC 7644 §3.5.2.3",
    requires: ["patch"],
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-pathless");
      if ("status" in made) return made;
      // What Entra sends to replace several attributes with its SCIM-compliant flag (aadOptscim062020),
      // the behaviour Microsoft says becomes the default.
      const value = {
        displayName: "Adele V.",
        "name.givenName": "Adela",
        "name.familyName": "Vancová",
        [`${ENTERPRISE}:employeeNumber`]: "701985",
      };
      const exchange = await ctx.send("PATCH", made.path, { body: patchBody({ op: "replace", value }) });
      if (!patched(exchange))
        return idpFail(entraConsequence(exchange.status), "expected 200 or 204", exchange);
      const read = await ctx.send("GET", made.path);
      const name = field(read.json, "name");
      const wrong = [
        field(read.json, "displayName") !== "Adele V." && "displayName",
        field(name, "givenName") !== "Adela" && "name.givenName",
        field(name, "familyName") !== "Vancová" && "name.familyName",
        enterpriseOf(read.json).employeeNumber !== "701985" && `${ENTERPRISE}:employeeNumber`,
      ].filter((w): w is string => typeof w === "string");
      return wrong.length === 0
        ? pass()
        : idpFail(CONSEQUENCE.entraSilent, `not changed when read back: ${wrong.join(", ")}`, read);
    },
  },
  {
    ...base,
    id: "entra.manager",
    title:
      "Entra's PATCH \"Add\" of urn:…:enterprise:2.0:User:manager with the manager's id as a bare string sets manager.value",
    requirement: "RFC 7644 §3.5.2.1; RFC 7643 §4.3",
    // Entra provisions the User all the same; only the manager reference fails.
    level: "SHOULD",
    requires: ["patch"],
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-managed");
      if ("status" in made) return made;
      const manager = await make(ctx, made.users, plainUser(ctx, "entra-manager"), CONSEQUENCE.entraEscrow);
      if ("status" in manager) return manager;
      const exchange = await ctx.send("PATCH", made.path, {
        body: patchBody({ op: "Add", path: `${ENTERPRISE}:manager`, value: manager.id }),
      });
      if (!patched(exchange)) return idpFail(CONSEQUENCE.entraReference, "expected 200 or 204", exchange);
      const read = await ctx.send("GET", made.path);
      return field(enterpriseOf(read.json).manager, "value") === manager.id
        ? pass()
        : idpFail(CONSEQUENCE.entraSilent, `expected manager.value ${manager.id} when read back`, read);
    },
  },
  {
    ...base,
    id: "entra.user-delete",
    title: "Entra's hard delete answers 204; then the User reads 404 and its userName lookup finds nothing",
    requirement: "RFC 7644 §3.6; RFC 7644 §3.4.2",
    requires: ["filter"],
    async run(ctx) {
      const made = await createEntraUser(ctx, "entra-delete");
      if ("status" in made) return made;
      const deleted = await ctx.send("DELETE", made.path);
      if (deleted.status !== 204) return idpFail(entraConsequence(deleted.status), "expected 204", deleted);
      ctx.untrack(made.path);
      const read = await ctx.send("GET", made.path);
      if (read.status !== 404) return fail("expected 404 for the deleted User", read);
      const lookup = await ctx.send(
        "GET",
        `${made.users}${filterQuery(`userName eq "${made.user.userName}"`)}`,
      );
      const problem = listProblem(lookup, 0);
      return problem ? idpFail(entraConsequence(lookup.status), problem, lookup) : pass();
    },
  },
];
