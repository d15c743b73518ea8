import { fail, pass, skip } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { USER } from "../bodies.js";
import { type AttributeDef, resourceTypes, type Target, type TypeInfo, targets } from "./schema.js";
import { createSubject, valueAt } from "./subjects.js";
import { canonical, createUser, isOutcome, patchBase, patchBody, wrongError } from "./support.js";
import { sampleValue } from "./values.js";

/** `id` is readOnly on every resource (RFC 7643 §3.1) though /Schemas rarely lists it. */
const ID: AttributeDef = {
  name: "id",
  type: "string",
  multiValued: false,
  required: false,
  mutability: "readOnly",
  returned: "always",
  caseExact: true,
  canonicalValues: [],
  referenceTypes: [],
  subAttributes: [],
};

/** A value shaped like the attribute, its readOnly parts included (to provoke a mutability error). */
function forcedValue(attribute: AttributeDef, tag: string): unknown {
  const writable = (a: AttributeDef): AttributeDef => ({
    ...a,
    mutability: "readWrite",
    returned: "default",
    subAttributes: a.subAttributes.map(writable),
  });
  return sampleValue(writable(attribute), 1, tag) ?? `${tag}-${attribute.name}`;
}

/**
 * For every type, one PATCH per attribute `pick` selects; each must fail as `problem` says and leave the
 * attribute as it was.
 */
async function refusedForEach(
  ctx: CheckContext,
  suffix: string,
  pick: (type: TypeInfo) => Target[],
  operation: (target: Target) => object,
  scimTypes: readonly string[],
): Promise<CheckOutcome> {
  const types = await resourceTypes(ctx);
  if (types.length === 0) return skip("/ResourceTypes and /Schemas describe no resource type");
  for (const type of types) {
    const chosen = pick(type);
    if (chosen.length === 0) continue;
    const subject = await createSubject(ctx, type, suffix, false);
    if ("status" in subject) return subject;
    for (const target of chosen) {
      const patched = await ctx.send("PATCH", subject.path, { body: patchBody(operation(target)) });
      const problem = wrongError(patched, 400, scimTypes);
      if (problem) return fail(`${type.name} ${target.path}: ${problem}`, patched);
      const read = await ctx.send("GET", subject.path);
      const [was, is] = [valueAt(subject.created.json, target), valueAt(read.json, target)];
      if (canonical(was) !== canonical(is))
        return fail(`${type.name} ${target.path} changed although the PATCH was refused`, read);
    }
  }
  return pass();
}

/** Operations a server must refuse, with the RFC 7644 §3.12 scimType (§3.5.2, §3.5.2.2). */
export const patchErrorChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.remove-required",
    title: "PATCH remove of a required attribute answers 400 mutability and keeps the attribute",
    requirement: "RFC 7644 §3.5.2.2",
    level: "MUST",
    run: (ctx) =>
      refusedForEach(
        ctx,
        "patch-remove-required",
        (type) => targets(type).filter((t) => t.attribute.required && t.attribute.mutability !== "readOnly"),
        (target) => ({ op: "remove", path: target.path }),
        ["mutability"],
      ),
  },
  {
    ...patchBase,
    id: "patch.read-only",
    title: "PATCH replace of a readOnly attribute (id, groups, …) answers 400 mutability",
    requirement: "RFC 7644 §3.5.2; RFC 7644 §3.12",
    level: "MUST",
    run: (ctx) =>
      refusedForEach(
        ctx,
        "patch-read-only",
        (type) => [
          { path: "id", attribute: ID },
          ...targets(type).filter((t) => t.attribute.mutability === "readOnly" && t.path !== "id"),
        ],
        (target) => ({
          op: "replace",
          path: target.path,
          value: forcedValue(target.attribute, "conformance"),
        }),
        ["mutability"],
      ),
  },
  {
    ...patchBase,
    id: "patch.unknown-attribute",
    title: "PATCH naming an attribute the schema does not define answers 400 invalidPath or noTarget",
    requirement: "RFC 7644 §3.5.2; RFC 7644 §3.12",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-unknown", USER.body(ctx, "patch-unknown"));
      if (isOutcome(user)) return user;
      for (const operation of [
        { op: "replace", path: "conformanceNoSuchAttribute", value: "x" },
        { op: "remove", path: "conformanceNoSuchAttribute" },
      ]) {
        const patched = await ctx.send("PATCH", user.path, { body: patchBody(operation) });
        const problem = wrongError(patched, 400, ["invalidPath", "noTarget"]);
        if (problem) return fail(`${problem} for ${operation.op} of an undefined attribute`, patched);
      }
      return pass();
    },
  },
  {
    ...patchBase,
    id: "patch.bad-op",
    title: 'A PATCH operation whose "op" is not add, remove or replace answers 400 invalidSyntax',
    requirement: "RFC 7644 §3.5.2; RFC 7644 §3.12",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-bad-op", USER.body(ctx, "patch-bad-op"));
      if (isOutcome(user)) return user;
      const body = patchBody({ op: "frobnicate", path: "displayName", value: "Conformance Bad Op" });
      const patched = await ctx.send("PATCH", user.path, { body });
      const problem = wrongError(patched, 400, ["invalidSyntax"]);
      if (problem) return fail(problem, patched);
      const read = await ctx.send("GET", user.path);
      return read.status === 200 && canonical(read.json) === canonical(user.created.json)
        ? pass()
        : fail("expected the User unchanged after the refused PATCH", read);
    },
  },
  {
    ...patchBase,
    id: "patch.remove-without-path",
    title: "PATCH remove without a path answers 400 noTarget",
    requirement: "RFC 7644 §3.5.2.2",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-remove-no-path", USER.body(ctx, "patch-remove-no-path"));
      if (isOutcome(user)) return user;
      const patched = await ctx.send("PATCH", user.path, { body: patchBody({ op: "remove" }) });
      const problem = wrongError(patched, 400, ["noTarget"]);
      return problem ? fail(problem, patched) : pass();
    },
  },
];
