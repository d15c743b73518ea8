import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check } from "../../types.js";
import {
  canonical,
  createUser,
  isOutcome,
  patchBase,
  patchBody,
  succeeded,
  valuesOf,
  wrongError,
} from "./support.js";

function byType(body: unknown, attribute: string, type: string): Record<string, unknown>[] {
  return valuesOf(body, attribute).filter((v) => v.type === type);
}

/** Paths with a value filter, `attr[filter]` and `attr[filter].sub` (RFC 7644 §3.5.2, Figure 7). */
export const valueFilterChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.filter-replace-sub-attribute",
    title: 'PATCH replace of emails[type eq "work"].value changes that email only',
    requirement: "RFC 7644 §3.5.2.3",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-filter-replace");
      if (isOutcome(user)) return user;
      const value = `${ctx.prefix}changed-work@example.com`;
      const body = patchBody({ op: "replace", path: 'emails[type eq "work"].value', value });
      const patched = await ctx.send("PATCH", user.path, { body });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", user.path);
      const work = byType(read.json, "emails", "work");
      if (work.length !== 1 || work[0]?.value !== value)
        return fail(`expected one work email with value ${value} when read back`, read);
      const home = byType(user.created.json, "emails", "home")[0]?.value;
      return byType(read.json, "emails", "home")[0]?.value === home
        ? pass()
        : fail(`expected the home email ${String(home)} to stay`, read);
    },
  },
  {
    ...patchBase,
    id: "patch.filter-remove-element",
    title: 'PATCH remove of addresses[type eq "work"] removes that address and keeps the others',
    requirement: "RFC 7644 §3.5.2.2",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-filter-remove");
      if (isOutcome(user)) return user;
      const body = patchBody({ op: "remove", path: 'addresses[type eq "work"]' });
      const patched = await ctx.send("PATCH", user.path, { body });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", user.path);
      if (byType(read.json, "addresses", "work").length > 0)
        return fail("expected the work address to be gone", read);
      return byType(read.json, "addresses", "home").length === 1
        ? pass()
        : fail("expected the home address to stay", read);
    },
  },
  {
    ...patchBase,
    id: "patch.filter-replace-no-match",
    title: "PATCH replace through a value filter that matches nothing answers 400 noTarget",
    requirement: "RFC 7644 §3.5.2.3",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-filter-nomatch");
      if (isOutcome(user)) return user;
      // `sw`, not `eq`: no value can be built from this filter, so no lenient reading (Entra ID's
      // "add the missing work email", §3.5.2.1) applies and the RFC's noTarget is the one answer.
      const path = 'emails[value sw "no-such-email-"].type';
      const patched = await ctx.send("PATCH", user.path, {
        body: patchBody({ op: "replace", path, value: "other" }),
      });
      const problem = wrongError(patched, 400, ["noTarget"]);
      if (problem) return fail(`${problem} for ${path}, which matches no email`, patched);
      const read = await ctx.send("GET", user.path);
      return canonical(valuesOf(read.json, "emails")) === canonical(valuesOf(user.created.json, "emails"))
        ? pass()
        : fail("expected the emails unchanged after the failed replace", read);
    },
  },
  {
    ...patchBase,
    id: "patch.filter-remove-no-match",
    title: "PATCH remove through a value filter that matches nothing removes nothing",
    // A success response is what §3.5.2.2's example asks ("no changes should be made … and a success
    // response should be returned"); 400 noTarget is what §3.12 Table 9 describes. Either is conformant;
    // removing anything or another error is not.
    requirement: "RFC 7644 §3.5.2.2; RFC 7644 §3.12",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-remove-nomatch");
      if (isOutcome(user)) return user;
      const body = patchBody({ op: "remove", path: 'emails[value eq "no-such-email@example.com"]' });
      const patched = await ctx.send("PATCH", user.path, { body });
      if (!succeeded(patched) && wrongError(patched, 400, ["noTarget"]) !== undefined)
        return fail("expected 200/204 (nothing to remove) or 400 noTarget", patched);
      const read = await ctx.send("GET", user.path);
      const [was, is] = [valuesOf(user.created.json, "emails"), valuesOf(read.json, "emails")];
      if (canonical(is) !== canonical(was))
        return fail(`expected the emails unchanged (${canonical(was)})`, read);
      return field(read.json, "userName") === field(user.created.json, "userName")
        ? pass()
        : fail("expected the rest of the User unchanged", read);
    },
  },
];
