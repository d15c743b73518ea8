import { field } from "../http.js";
import { fail, pass, URN } from "../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../types.js";
import { endpointOf, GROUP, USER } from "./bodies.js";

function patchBody(...operations: object[]): object {
  return { schemas: [URN.patchOp], Operations: operations };
}

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
  return { groupPath: `${groups}/${encodeURIComponent(group.id)}`, userId, otherId };
}

const base = { profile: "rfc", writes: true, level: "MUST", requires: ["patch"] } as const;

/** PATCH basics (RFC 7644 §3.5.2). */
export const patchChecks: readonly Check[] = [
  {
    ...base,
    id: "patch.replace-simple",
    title: "PATCH replace of a simple attribute changes it",
    requirement: "RFC 7644 §3.5.2.3",
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const made = await ctx.create(endpoint, USER.body(ctx, "patch-replace"));
      if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
      const path = `${endpoint}/${encodeURIComponent(made.id)}`;
      const body = patchBody({ op: "replace", path: "displayName", value: "Conformance Patched" });
      const patched = await ctx.send("PATCH", path, { body });
      if (patched.status !== 200 && patched.status !== 204) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", path);
      return field(read.json, "displayName") === "Conformance Patched"
        ? pass()
        : fail('expected displayName "Conformance Patched" when read back', read);
    },
  },
  {
    ...base,
    id: "patch.group-add-member",
    title: "PATCH add of members adds the user to the group",
    requirement: "RFC 7644 §3.5.2.1",
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "patch-add-member", false);
      if ("status" in setup) return setup;
      const body = patchBody({ op: "add", path: "members", value: [{ value: setup.userId }] });
      const patched = await ctx.send("PATCH", setup.groupPath, { body });
      if (patched.status !== 200 && patched.status !== 204) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", setup.groupPath);
      return memberIds(read.json).includes(setup.userId)
        ? pass()
        : fail(`expected member ${setup.userId} when read back`, read);
    },
  },
  {
    ...base,
    id: "patch.group-remove-member",
    title: 'PATCH remove with path members[value eq "…"] removes exactly that member',
    requirement: "RFC 7644 §3.5.2.2",
    async run(ctx) {
      const setup = await groupWithUsers(ctx, "patch-remove-member", true);
      if ("status" in setup) return setup;
      const body = patchBody({ op: "remove", path: `members[value eq "${setup.userId}"]` });
      const patched = await ctx.send("PATCH", setup.groupPath, { body });
      if (patched.status !== 200 && patched.status !== 204) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", setup.groupPath);
      if (read.status !== 200) return fail("expected 200", read);
      const ids = memberIds(read.json);
      if (ids.includes(setup.userId)) return fail(`expected member ${setup.userId} to be gone`, read);
      return ids.includes(setup.otherId)
        ? pass()
        : fail(`expected the other member ${setup.otherId} to stay`, read);
    },
  },
  {
    ...base,
    id: "patch.atomic",
    title: "A PATCH whose second operation fails changes nothing",
    requirement: "RFC 7644 §3.5.2",
    async run(ctx) {
      const endpoint = await endpointOf(ctx, USER);
      if (typeof endpoint !== "string") return endpoint;
      const made = await ctx.create(endpoint, USER.body(ctx, "patch-atomic"));
      if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
      const path = `${endpoint}/${encodeURIComponent(made.id)}`;
      const body = patchBody(
        { op: "replace", path: "displayName", value: "Conformance Half Applied" },
        { op: "replace", path: 'emails[type eq "work"', value: "broken-path@example.com" },
      );
      const patched = await ctx.send("PATCH", path, { body });
      if (patched.status !== 400)
        return fail("expected 400 for an unparsable path in the second operation", patched);
      const read = await ctx.send("GET", path);
      return field(read.json, "displayName") === field(made.exchange.json, "displayName")
        ? pass()
        : fail("the first operation was applied although the second failed", read);
    },
  },
];
