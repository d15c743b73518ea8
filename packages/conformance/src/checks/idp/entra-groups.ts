import { field, resourcesOf } from "../../http.js";
import { pass, URN } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, GROUP } from "../bodies.js";
import { entraGroup } from "./entra-bodies.js";
import {
  CONSEQUENCE,
  endpoints,
  filterQuery,
  idpFail,
  listedIds,
  listProblem,
  make,
  memberIds,
  patchBody,
  patched,
  plainUser,
} from "./shared.js";

const base = { profile: "entra", writes: true, level: "MUST" } as const;

/** Two Users and a Group; both are members when `members` is true (created in the RFC's own form). */
async function groupWithUsers(
  ctx: CheckContext,
  suffix: string,
  members: boolean,
): Promise<{ groupPath: string; groupName: string; groupId: string; ids: [string, string] } | CheckOutcome> {
  const found = await endpoints(ctx);
  if ("status" in found) return found;
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const user = await make(ctx, found.users, plainUser(ctx, `${suffix}-${n}`), CONSEQUENCE.entraEscrow);
    if ("status" in user) return user;
    ids.push(user.id);
  }
  const [first = "", second = ""] = ids;
  const groupName = `${ctx.prefix}${suffix}`;
  const body = {
    schemas: [URN.group],
    displayName: groupName,
    ...(members ? { members: [{ value: first }, { value: second }] } : {}),
  };
  const group = await make(ctx, found.groups, body, CONSEQUENCE.entraEscrow);
  if ("status" in group) return group;
  return { groupPath: group.path, groupName, groupId: group.id, ids: [first, second] };
}

/** Entra ID's group lifecycle (Microsoft Learn, "Develop a SCIM endpoint": Group Operations). */
export const entraGroupChecks: readonly Check[] = [
  {
    ...base,
    id: "entra.group-create",
    title:
      "Entra's Group create (Microsoft's ADSCIM schema URN, externalId, meta) answers 201 with the Group",
    requirement: "RFC 7644 §3.3",
    async run(ctx) {
      const groups = await endpointOf(ctx, GROUP);
      if (typeof groups !== "string") return groups;
      const body = entraGroup(ctx, "entra-group-create");
      const made = await ctx.create(groups, body);
      const exchange = made.exchange;
      if (exchange.status !== 201 || made.id === undefined)
        return idpFail(CONSEQUENCE.entraEscrow, "expected 201 with the created Group", exchange);
      return field(exchange.json, "displayName") === body.displayName
        ? pass()
        : idpFail(CONSEQUENCE.entraEscrow, `expected displayName "${String(body.displayName)}"`, exchange);
    },
  },
  {
    ...base,
    id: "entra.group-lookup",
    title:
      'Entra\'s GET /Groups?excludedAttributes=members&filter=displayName eq "…" finds the Group without its members; so does GET /Groups/{id}?excludedAttributes=members',
    requirement: "RFC 7644 §3.4.2.5; RFC 7644 §3.4.2.2",
    requires: ["filter"],
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "entra-group-lookup", true);
      if ("status" in setup) return setup;
      const groups = setup.groupPath.slice(0, setup.groupPath.lastIndexOf("/"));
      const listed = await ctx.send(
        "GET",
        `${groups}?excludedAttributes=members&${filterQuery(`displayName eq "${setup.groupName}"`).slice(1)}`,
      );
      const problem = listProblem(listed, 1);
      if (problem) return idpFail(CONSEQUENCE.entraEscrow, problem, listed);
      if (listedIds(listed)[0] !== setup.groupId)
        return idpFail(CONSEQUENCE.entraEscrow, `expected the Group ${setup.groupId}`, listed);
      // Microsoft Learn: requests to retrieve groups exclude members, so large groups are never sent whole.
      if ((resourcesOf(listed.json) ?? []).some((r) => "members" in r))
        return idpFail(
          CONSEQUENCE.entraEscrow,
          "expected no members with excludedAttributes=members",
          listed,
        );
      const one = await ctx.send("GET", `${setup.groupPath}?excludedAttributes=members`);
      if (one.status !== 200) return idpFail(CONSEQUENCE.entraEscrow, "expected 200", one);
      return field(one.json, "members") === undefined
        ? pass()
        : idpFail(CONSEQUENCE.entraEscrow, "expected no members with excludedAttributes=members", one);
    },
  },
  {
    ...base,
    id: "entra.group-add-members",
    title: 'Entra\'s PATCH "op":"Add" of members (with "$ref": null) adds both Users',
    requirement: "RFC 7644 §3.5.2.1",
    requires: ["patch"],
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "entra-add-members", false);
      if ("status" in setup) return setup;
      const [first, second] = setup.ids;
      const body = patchBody({
        op: "Add",
        path: "members",
        value: [
          { $ref: null, value: first },
          { $ref: null, value: second },
        ],
      });
      const exchange = await ctx.send("PATCH", setup.groupPath, { body });
      if (!patched(exchange)) return idpFail(CONSEQUENCE.entraReference, "expected 200 or 204", exchange);
      const read = await ctx.send("GET", setup.groupPath);
      const ids = memberIds(read.json);
      return ids.includes(first) && ids.includes(second)
        ? pass()
        : idpFail(CONSEQUENCE.entraSilent, `expected members ${first} and ${second} when read back`, read);
    },
  },
  {
    ...base,
    id: "entra.group-remove-members",
    title:
      'Entra\'s PATCH "op":"Remove", "path":"members" with a value list removes exactly the listed member',
    requirement: "RFC 7644 §3.5.2.2",
    requires: ["patch"],
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "entra-remove-members", true);
      if ("status" in setup) return setup;
      const [stays, goes] = setup.ids;
      // Microsoft Learn documents this body for Update Group [Remove Members]; Entra sends it unless the
      // aadOptscim062020 flag is set.
      const body = patchBody({ op: "Remove", path: "members", value: [{ $ref: null, value: goes }] });
      const exchange = await ctx.send("PATCH", setup.groupPath, { body });
      if (!patched(exchange)) return idpFail(CONSEQUENCE.entraReference, "expected 200 or 204", exchange);
      const read = await ctx.send("GET", setup.groupPath);
      const ids = memberIds(read.json);
      if (ids.includes(goes))
        return idpFail(CONSEQUENCE.entraSilent, `expected member ${goes} to be gone when read back`, read);
      return ids.includes(stays)
        ? pass()
        : idpFail(CONSEQUENCE.entraSilent, `expected member ${stays}, which was not listed, to stay`, read);
    },
  },
];
