import { field } from "../../http.js";
import { fail, pass } from "../../outcome.js";
import type { Check } from "../../types.js";
import { USER } from "../bodies.js";
import { createUser, isOutcome, patchBase, patchBody, succeeded } from "./support.js";

/** What a successful PATCH answers (RFC 7644 §3.5.2, last paragraph; §3.9 for `attributes`). */
export const responseChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.replace-simple",
    title: "PATCH replace of a simple attribute changes it",
    requirement: "RFC 7644 §3.5.2.3",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-replace", USER.body(ctx, "patch-replace"));
      if (isOutcome(user)) return user;
      const body = patchBody({ op: "replace", path: "displayName", value: "Conformance Patched" });
      const patched = await ctx.send("PATCH", user.path, { body });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", user.path);
      return field(read.json, "displayName") === "Conformance Patched"
        ? pass()
        : fail('expected displayName "Conformance Patched" when read back', read);
    },
  },
  {
    ...patchBase,
    id: "patch.response-body",
    title: "A successful PATCH answers 200 with the whole changed resource, or 204 with no body",
    requirement: "RFC 7644 §3.5.2",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-response", USER.body(ctx, "patch-response"));
      if (isOutcome(user)) return user;
      const body = patchBody({ op: "replace", path: "displayName", value: "Conformance Response" });
      const patched = await ctx.send("PATCH", user.path, { body });
      if (patched.status === 204) {
        return patched.text === "" ? pass() : fail("expected no body with 204", patched);
      }
      if (patched.status !== 200) return fail("expected 200 with the resource or 204", patched);
      const id = field(user.created.json, "id");
      if (field(patched.json, "id") !== id)
        return fail(`expected the resource (id ${id}) in the body`, patched);
      if (field(patched.json, "displayName") !== "Conformance Response")
        return fail('expected the changed displayName "Conformance Response" in the body', patched);
      // "the entire resource": attributes returned by default stay in the answer.
      const userName = field(user.created.json, "userName");
      return field(patched.json, "userName") === userName
        ? pass()
        : fail(`expected the unchanged userName ${String(userName)} in the body too`, patched);
    },
  },
  {
    ...patchBase,
    id: "patch.response-attributes",
    title: "A PATCH with ?attributes= answers 200 with only the requested attributes (and id)",
    requirement: "RFC 7644 §3.5.2; RFC 7644 §3.9",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-attributes", USER.body(ctx, "patch-attributes"));
      if (isOutcome(user)) return user;
      const body = patchBody({ op: "replace", path: "displayName", value: "Conformance Projected" });
      const patched = await ctx.send("PATCH", `${user.path}?attributes=displayName`, { body });
      if (patched.status !== 200) return fail("expected 200 (204 is not allowed with attributes)", patched);
      if (field(patched.json, "id") !== field(user.created.json, "id"))
        return fail("expected id (returned always) in the body", patched);
      if (field(patched.json, "displayName") !== "Conformance Projected")
        return fail('expected displayName "Conformance Projected" in the body', patched);
      // name and userName are returned by default, so they go when not listed (§3.9).
      for (const attribute of ["name", "userName"]) {
        if (field(patched.json, attribute) !== undefined)
          return fail(`expected ${attribute} to be left out (not in attributes=displayName)`, patched);
      }
      return pass();
    },
  },
];
