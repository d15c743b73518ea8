import { field } from "../../http.js";
import { fail, pass, skip } from "../../outcome.js";
import { propOf as lookup } from "../../schema/model.js";
import type { Check } from "../../types.js";
import { USER } from "../bodies.js";
import { createUser, ENTERPRISE, isOutcome, patchBase, patchBody, succeeded } from "./support.js";

/** The enterprise extension when the User resource type advertises it (RFC 7643 §4.3, §6). */
async function enterpriseAdvertised(ctx: Parameters<Check["run"]>[0]): Promise<boolean> {
  const user = (await ctx.discovery()).resourceTypes.find((t) => t.name === USER.name);
  const extensions = Array.isArray(user?.schemaExtensions) ? user.schemaExtensions : [];
  return extensions.some((e) => field(e, "schema") === ENTERPRISE);
}

/** PATCH without `path`: the value is a set of attributes of the resource (RFC 7644 §3.5.2.1, §3.5.2.3). */
export const pathLessChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.path-less-add",
    title: "PATCH add without a path adds the attributes of its value object",
    requirement: "RFC 7644 §3.5.2.1",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-pathless-add", USER.body(ctx, "patch-pathless-add"));
      if (isOutcome(user)) return user;
      const phone = "+1-201-555-0199";
      const value = { nickName: "Conformance Nick", phoneNumbers: [{ value: phone, type: "work" }] };
      const patched = await ctx.send("PATCH", user.path, { body: patchBody({ op: "add", value }) });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", user.path);
      if (field(read.json, "nickName") !== value.nickName)
        return fail(`expected nickName "${value.nickName}" when read back`, read);
      const phones = field(read.json, "phoneNumbers");
      return Array.isArray(phones) && phones.some((p) => field(p, "value") === phone)
        ? pass()
        : fail(`expected phone number ${phone} when read back`, read);
    },
  },
  {
    ...patchBase,
    id: "patch.path-less-replace",
    title: "PATCH replace without a path replaces the attributes of its value object and keeps the rest",
    requirement: "RFC 7644 §3.5.2.3",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-pathless-replace", USER.body(ctx, "patch-pathless-replace"));
      if (isOutcome(user)) return user;
      const value = { displayName: "Conformance Pathless", name: { givenName: "Pathless" } };
      const patched = await ctx.send("PATCH", user.path, { body: patchBody({ op: "replace", value }) });
      if (!succeeded(patched)) return fail("expected 200 or 204", patched);
      const read = await ctx.send("GET", user.path);
      if (field(read.json, "displayName") !== value.displayName)
        return fail(`expected displayName "${value.displayName}" when read back`, read);
      const name = field(read.json, "name");
      if (field(name, "givenName") !== "Pathless")
        return fail('expected name.givenName "Pathless" when read back', read);
      return field(read.json, "userName") === field(user.created.json, "userName")
        ? pass()
        : fail("expected userName kept (not in the value)", read);
    },
  },
  {
    ...patchBase,
    id: "patch.path-less-extension",
    title: "PATCH add and replace without a path accept the extension under its schema URN key",
    requirement: "RFC 7644 §3.5.2.1; RFC 7644 §3.5.2.3; RFC 7643 §3.3",
    level: "MUST",
    async run(ctx) {
      if (!(await enterpriseAdvertised(ctx)))
        return skip(`the User resource type advertises no ${ENTERPRISE} extension`);
      const user = await createUser(ctx, "patch-pathless-ext", USER.body(ctx, "patch-pathless-ext"));
      if (isOutcome(user)) return user;
      const steps = [
        { op: "add", value: { [ENTERPRISE]: { department: "Conformance Added" } } },
        {
          op: "replace",
          value: { [ENTERPRISE]: { department: "Conformance Replaced", costCenter: "CC-7" } },
        },
      ];
      for (const operation of steps) {
        const patched = await ctx.send("PATCH", user.path, { body: patchBody(operation) });
        if (!succeeded(patched)) return fail(`expected 200 or 204 for a path-less ${operation.op}`, patched);
        const read = await ctx.send("GET", user.path);
        const extension = lookup(read.json, ENTERPRISE);
        const want = operation.value[ENTERPRISE] as Record<string, string>;
        for (const [key, expected] of Object.entries(want)) {
          if (lookup(extension, key) !== expected)
            return fail(
              `after the path-less ${operation.op}, expected ${ENTERPRISE}:${key} "${expected}"`,
              read,
            );
        }
        const schemas = field(read.json, "schemas");
        if (!Array.isArray(schemas) || !schemas.includes(ENTERPRISE))
          return fail(`expected ${ENTERPRISE} in schemas once the extension has a value (§3.5.2)`, read);
      }
      return pass();
    },
  },
];
