import { field } from "../../http.js";
import { pass } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, GROUP } from "../bodies.js";
import { oktaGroup, oktaUser } from "./okta-bodies.js";
import { CONSEQUENCE, endpoints, idpFail, make, memberIds, patchBody, patched } from "./shared.js";

const base = { profile: "okta", writes: true, level: "MUST" } as const;

interface Member {
  readonly id: string;
  readonly userName: string;
}

/** Three Users Okta assigned, and a pushed Group holding the first `members` of them. */
async function pushedGroup(
  ctx: CheckContext,
  suffix: string,
  members: number,
): Promise<{ groupPath: string; groupId: string; users: [Member, Member, Member] } | CheckOutcome> {
  const found = await endpoints(ctx);
  if ("status" in found) return found;
  const users: Member[] = [];
  for (const n of [1, 2, 3]) {
    const user = oktaUser(ctx, `${suffix}-${n}`);
    const made = await make(ctx, found.users, user.body, CONSEQUENCE.oktaCreate);
    if ("status" in made) return made;
    users.push({ id: made.id, userName: user.userName });
  }
  const body = {
    ...oktaGroup(ctx, suffix),
    members: users.slice(0, members).map((u) => ({ value: u.id, display: u.userName })),
  };
  const group = await make(ctx, found.groups, body, CONSEQUENCE.oktaUpdate);
  if ("status" in group) return group;
  const [a, b, c] = users as [Member, Member, Member];
  return { groupPath: group.path, groupId: group.id, users: [a, b, c] };
}

function sameSet(actual: readonly unknown[], expected: readonly string[]): boolean {
  return actual.length === expected.length && expected.every((id) => actual.includes(id));
}

/** Okta's Group Push (Okta SCIM 2.0 protocol reference: SCIM Group operations). */
export const oktaGroupChecks: readonly Check[] = [
  {
    ...base,
    id: "okta.group-push",
    title:
      "Okta's Group Push, POST /Groups with an empty members list, answers 201; GET /Groups/{id} reads it",
    requirement: "RFC 7644 §3.3; RFC 7644 §3.4.1",
    async run(ctx) {
      const groups = await endpointOf(ctx, GROUP);
      if (typeof groups !== "string") return groups;
      const body = oktaGroup(ctx, "okta-push");
      const made = await ctx.create(groups, body);
      if (made.exchange.status !== 201 || made.id === undefined)
        return idpFail(CONSEQUENCE.oktaUpdate, "expected 201 with the created Group", made.exchange);
      const read = await ctx.send("GET", `${groups}/${encodeURIComponent(made.id)}`);
      return read.status === 200 && field(read.json, "displayName") === body.displayName
        ? pass()
        : idpFail(
            CONSEQUENCE.oktaUpdate,
            `expected 200 with displayName "${String(body.displayName)}"`,
            read,
          );
    },
  },
  {
    ...base,
    id: "okta.group-rename",
    title:
      'Okta\'s rename, PATCH {"op":"replace","value":{"id":"<its id>","displayName":"…"}}, renames the Group and keeps its members',
    requirement: "RFC 7644 §3.5.2.3",
    requires: ["patch"],
    async run(ctx) {
      const setup = await pushedGroup(ctx, "okta-rename", 1);
      if ("status" in setup) return setup;
      const displayName = `${ctx.prefix}okta-renamed`;
      // Okta sends the group's unchanged id inside the value, with each membership update too.
      const body = patchBody({ op: "replace", value: { id: setup.groupId, displayName } });
      const exchange = await ctx.send("PATCH", setup.groupPath, { body });
      if (!patched(exchange)) return idpFail(CONSEQUENCE.oktaUpdate, "expected 200 or 204", exchange);
      const read = await ctx.send("GET", setup.groupPath);
      if (field(read.json, "displayName") !== displayName)
        return idpFail(CONSEQUENCE.oktaSilent, `expected displayName "${displayName}" when read back`, read);
      return sameSet(memberIds(read.json), [setup.users[0].id])
        ? pass()
        : idpFail(CONSEQUENCE.oktaSilent, `expected the member ${setup.users[0].id} to stay`, read);
    },
  },
  {
    ...base,
    id: "okta.group-membership",
    title:
      'Okta\'s membership update, one PATCH removing members[value eq "…"] and adding a member, applies both',
    requirement: "RFC 7644 §3.5.2.1; RFC 7644 §3.5.2.2",
    requires: ["patch"],
    async run(ctx) {
      const setup = await pushedGroup(ctx, "okta-membership", 2);
      if ("status" in setup) return setup;
      const [stays, goes, joins] = setup.users;
      const body = patchBody(
        { op: "remove", path: `members[value eq "${goes.id}"]` },
        { op: "add", path: "members", value: [{ value: joins.id, display: joins.userName }] },
      );
      const exchange = await ctx.send("PATCH", setup.groupPath, { body });
      if (!patched(exchange)) return idpFail(CONSEQUENCE.oktaUpdate, "expected 200 or 204", exchange);
      const read = await ctx.send("GET", setup.groupPath);
      return sameSet(memberIds(read.json), [stays.id, joins.id])
        ? pass()
        : idpFail(CONSEQUENCE.oktaSilent, `expected exactly the members ${stays.id} and ${joins.id}`, read);
    },
  },
  {
    ...base,
    id: "okta.group-replace-members",
    title:
      'Okta\'s full membership push, PATCH {"op":"replace","path":"members","value":[…]}, leaves exactly those members',
    requirement: "RFC 7644 §3.5.2.3",
    requires: ["patch"],
    async run(ctx) {
      const setup = await pushedGroup(ctx, "okta-replace-members", 2);
      if ("status" in setup) return setup;
      const [, second, third] = setup.users;
      const value = [second, third].map((u) => ({ value: u.id, display: u.userName }));
      const exchange = await ctx.send("PATCH", setup.groupPath, {
        body: patchBody({ op: "replace", path: "members", value }),
      });
      if (!patched(exchange)) return idpFail(CONSEQUENCE.oktaUpdate, "expected 200 or 204", exchange);
      const read = await ctx.send("GET", setup.groupPath);
      return sameSet(memberIds(read.json), [second.id, third.id])
        ? pass()
        : idpFail(CONSEQUENCE.oktaSilent, `expected exactly the members ${second.id} and ${third.id}`, read);
    },
  },
  {
    ...base,
    id: "okta.group-delete",
    title: "Okta's unlink with delete, DELETE /Groups/{id}, answers 204; the Group then reads 404",
    requirement: "RFC 7644 §3.6",
    async run(ctx) {
      const setup = await pushedGroup(ctx, "okta-delete", 1);
      if ("status" in setup) return setup;
      const deleted = await ctx.send("DELETE", setup.groupPath);
      if (deleted.status !== 204) return idpFail(CONSEQUENCE.oktaUpdate, "expected 204", deleted);
      ctx.untrack(setup.groupPath);
      const read = await ctx.send("GET", setup.groupPath);
      return read.status === 404
        ? pass()
        : idpFail(CONSEQUENCE.oktaSilent, "expected 404 for the deleted Group", read);
    },
  },
];
