import { fail, pass } from "../../outcome.js";
import type { Check } from "../../types.js";
import { metaOf } from "../bodies.js";
import { createUser, isOutcome, patchBase, patchBody, succeeded, valuesOf } from "./support.js";

function primaries(body: unknown, attribute: string): unknown[] {
  return valuesOf(body, attribute)
    .filter((v) => v.primary === true)
    .map((v) => v.value);
}

/** Multi-valued attribute rules PATCH must keep (RFC 7644 §3.5.2, §3.5.2.1; RFC 7643 §2.4). */
export const multiValuedChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.add-appends-value",
    title: "PATCH add to a multi-valued attribute appends the value and keeps the existing ones",
    requirement: "RFC 7644 §3.5.2.1",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-add-appends");
      if (isOutcome(user)) return user;
      const added = `${ctx.prefix}appended-other@example.com`.toLowerCase();
      const patched = await ctx.send("PATCH", user.path, {
        body: patchBody({ op: "add", path: "emails", value: [{ value: added, type: "other" }] }),
      });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", user.path);
      const values = valuesOf(read.json, "emails").map((e) => e.value);
      const want = [...valuesOf(user.created.json, "emails").map((e) => e.value), added];
      const missing = want.filter((v) => !values.includes(v));
      return missing.length === 0
        ? pass()
        : fail(`expected emails ${want.join(", ")}; missing ${missing.join(", ")}`, read);
    },
  },
  {
    ...patchBase,
    id: "patch.add-existing-no-duplicate",
    title: "PATCH add of an email the User already has does not duplicate it",
    requirement: "RFC 7644 §3.5.2.1",
    level: "SHOULD",
    async run(ctx) {
      const user = await createUser(ctx, "patch-add-existing");
      if (isOutcome(user)) return user;
      const existing = valuesOf(user.created.json, "emails").find((e) => e.type === "home");
      if (existing === undefined) return fail("expected the home email in the create answer", user.created);
      const value = { value: existing.value, type: "home" };
      const patched = await ctx.send("PATCH", user.path, {
        body: patchBody({ op: "add", path: "emails", value: [value] }),
      });
      if (!succeeded(patched)) return fail("expected 200 or 204 (adding a value already there)", patched);
      const read = await ctx.send("GET", user.path);
      const same = valuesOf(read.json, "emails").filter((e) => e.value === existing.value);
      return same.length === 1
        ? pass()
        : fail(`expected email ${String(existing.value)} once, found it ${same.length} times`, read);
    },
  },
  {
    ...patchBase,
    id: "patch.add-existing-keeps-meta",
    title: "PATCH add of a value the resource already has keeps meta.lastModified and meta.version",
    requirement: "RFC 7644 §3.5.2.1",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-add-noop");
      if (isOutcome(user)) return user;
      const before = await ctx.send("GET", user.path);
      const existing = valuesOf(before.json, "emails").find((e) => e.type === "home");
      if (existing === undefined) return fail("expected the home email when reading the new User", before);
      const patched = await ctx.send("PATCH", user.path, {
        body: patchBody({ op: "add", path: "emails", value: [existing] }),
      });
      if (!succeeded(patched)) return fail("expected 200 or 204 (adding a value already there)", patched);
      const after = await ctx.send("GET", user.path);
      // "this operation SHALL NOT change the modify timestamp of the resource"
      const [was, is] = [metaOf(before.json), metaOf(after.json)];
      for (const key of ["lastModified", "version"] as const) {
        if (was[key] !== is[key])
          return fail(`meta.${key} changed from ${String(was[key])} although nothing was added`, after);
      }
      return pass();
    },
  },
  {
    ...patchBase,
    id: "patch.primary-exclusive",
    title: "PATCH setting primary on one email clears primary on the others",
    requirement: "RFC 7644 §3.5.2; RFC 7643 §2.4",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-primary");
      if (isOutcome(user)) return user;
      const added = `${ctx.prefix}primary-other@example.com`.toLowerCase();
      // Two ways to set primary: a new value added as primary, then a filtered sub-attribute replace.
      const steps = [
        { op: "add", path: "emails", value: [{ value: added, type: "other", primary: true }] },
        { op: "replace", path: 'emails[type eq "home"].primary', value: true },
      ];
      for (const operation of steps) {
        const patched = await ctx.send("PATCH", user.path, { body: patchBody(operation) });
        if (!succeeded(patched)) return fail("expected 200 or 204", patched);
        const read = await ctx.send("GET", user.path);
        const want =
          operation.op === "add"
            ? added
            : valuesOf(read.json, "emails").find((e) => e.type === "home")?.value;
        const found = primaries(read.json, "emails");
        if (found.length !== 1 || found[0] !== want)
          return fail(
            `after ${operation.op} ${operation.path} expected only ${String(want)} primary, found [${found.join(", ")}]`,
            read,
          );
      }
      return pass();
    },
  },
];
