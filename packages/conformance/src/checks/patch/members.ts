import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, GROUP, USER } from "../bodies.js";
import { patchBase, patchBody, resourcePath, succeeded } from "./support.js";

function memberIds(body: unknown): unknown[] {
  const members = field(body, "members");
  return Array.isArray(members) ? members.map((m) => field(m, "value")) : [];
}

/** A group and two users for the member checks; both are members when `members` is true. */
async function groupWithUsers(
  ctx: CheckContext,
  suffix: string,
  members: boolean,
): Promise<{ groupPath: string; userId: string; otherId: string } | CheckOutcome> {
  const users = await endpointOf(ctx, USER);
  if (typeof users !== "string") return users;
  const groups = await endpointOf(ctx, GROUP);
  if (typeof groups !== "string") return groups;
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const user = await ctx.create(users, USER.body(ctx, `${suffix}-${n}`));
    if (user.id === undefined) return fail("could not create a User to test with", user.exchange);
    ids.push(user.id);
  }
  const [userId = "", otherId = ""] = ids;
  const body = {
    ...GROUP.body(ctx, suffix),
    ...(members ? { members: [{ value: userId }, { value: otherId }] } : {}),
  };
  const group = await ctx.create(groups, body);
  if (group.id === undefined) return fail("could not create a Group to test with", group.exchange);
  return { groupPath: resourcePath(groups, group.id), userId, otherId };
}

/** Group membership through PATCH, the operation every IdP uses for groups (RFC 7644 §3.5.2.1, §3.5.2.2). */
export const memberChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.group-add-member",
    title: "PATCH add of members adds the user to the group",
    requirement: "RFC 7644 §3.5.2.1",
    level: "MUST",
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "patch-add-member", false);
      if ("status" in setup) return setup;
      const body = patchBody({ op: "add", path: "members", value: [{ value: setup.userId }] });
      const patched = await ctx.send("PATCH", setup.groupPath, { body });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", setup.groupPath);
      return memberIds(read.json).includes(setup.userId)
        ? pass()
        : fail(`expected member ${setup.userId} when read back`, read);
    },
  },
  {
    ...patchBase,
    id: "patch.group-remove-member",
    title: 'PATCH remove with path members[value eq "…"] removes exactly that member',
    requirement: "RFC 7644 §3.5.2.2",
    level: "MUST",
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "patch-remove-member", true);
      if ("status" in setup) return setup;
      const body = patchBody({ op: "remove", path: `members[value eq "${setup.userId}"]` });
      const patched = await ctx.send("PATCH", setup.groupPath, { body });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", setup.groupPath);
      if (read.status !== 200) return fail("expected 200", read);
      const ids = memberIds(read.json);
      if (ids.includes(setup.userId)) return fail(`expected member ${setup.userId} to be gone`, read);
      return ids.includes(setup.otherId)
        ? pass()
        : fail(`expected the other member ${setup.otherId} to stay`, read);
    },
  },
];
