import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check } from "../../types.js";
import { metaOf } from "../bodies.js";
import { canonical, createUser, isOutcome, patchBase, patchBody, succeeded } from "./support.js";

/** All-or-nothing PATCH and its effect on meta (RFC 7644 §3.5.2, §3.14; RFC 7643 §3.1). */
export const atomicityChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.atomic",
    title: "A PATCH whose last operation fails leaves the resource and its meta.version unchanged",
    requirement: "RFC 7644 §3.5.2",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-atomic");
      if (isOutcome(user)) return user;
      const before = await ctx.send("GET", user.path);
      if (before.status !== 200) return fail("expected 200 reading the new User", before);
      const body = patchBody(
        { op: "replace", path: "displayName", value: "Conformance Half Applied" },
        { op: "add", path: "emails", value: [{ value: "half-applied@example.com", type: "other" }] },
        { op: "remove", path: 'addresses[type eq "home"]' },
        { op: "replace", path: 'emails[type eq "work"', value: "broken-path@example.com" },
      );
      const patched = await ctx.send("PATCH", user.path, { body });
      if (patched.status !== 400)
        return fail("expected 400 for an unparsable path in the last operation", patched);
      const after = await ctx.send("GET", user.path);
      if (canonical(after.json) !== canonical(before.json))
        return fail("some operations were applied although the last one failed", after);
      const [was, is] = [metaOf(before.json), metaOf(after.json)];
      if (was.version !== is.version)
        return fail(`meta.version changed from ${String(was.version)} although nothing was applied`, after);
      return was.lastModified === is.lastModified
        ? pass()
        : fail(
            `meta.lastModified changed from ${String(was.lastModified)} although nothing was applied`,
            after,
          );
    },
  },
  {
    ...patchBase,
    id: "patch.meta-changes",
    title: "A successful PATCH changes meta.version (when versioned) and meta.lastModified",
    requirement: "RFC 7643 §3.1; RFC 7644 §3.14",
    level: "SHOULD",
    async run(ctx) {
      const user = await createUser(ctx, "patch-meta");
      if (isOutcome(user)) return user;
      const was = metaOf(user.created.json);
      const body = patchBody({ op: "replace", path: "displayName", value: "Conformance Meta" });
      const patched = await ctx.send("PATCH", user.path, { body });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const after = await ctx.send("GET", user.path);
      if (field(after.json, "displayName") !== "Conformance Meta")
        return fail('expected displayName "Conformance Meta" when read back', after);
      const is = metaOf(after.json);
      if (was.version !== undefined && was.version === is.version)
        return fail(`meta.version is still ${String(was.version)} after the change`, after);
      const [from, to] = [Date.parse(String(was.lastModified)), Date.parse(String(is.lastModified))];
      if (Number.isNaN(to)) return fail("expected meta.lastModified as a dateTime", after);
      if (!Number.isNaN(from) && to < from)
        return fail(`meta.lastModified went back from ${String(was.lastModified)}`, after);
      // Without a version, lastModified is the only sign of the change (RFC 7643 §3.1).
      return was.version === undefined && to === from
        ? fail(`meta.lastModified is still ${String(was.lastModified)} after the change`, after)
        : pass();
    },
  },
];
