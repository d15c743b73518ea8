import { fail, pass } from "../../outcome.js";
import type { AttributeInfo } from "../../schema/attributes.js";
import { readOnlyBody } from "../../schema/body.js";
import { propOf, type ResourceTypeDef } from "../../schema/model.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { USER } from "../bodies.js";
import { createSubject, everyType, topLevel, valueAt } from "./subjects.js";
import { canonical, createUser, isOutcome, patchBase, patchBody, wrongError } from "./support.js";

/** One attribute a check provokes an error on, and the operation that should be refused. */
interface Refused {
  readonly path: string;
  /** How to read its value back; `id` is read directly. */
  readonly target: AttributeInfo | undefined;
  readonly operation: object;
}

function readBack(body: unknown, refused: Refused): unknown {
  return refused.target ? valueAt(body, refused.target) : propOf(body, refused.path);
}

/**
 * For every type, one PATCH per operation `pick` gives; each must answer 400 with one of `scimTypes`
 * (RFC 7644 §3.12) and leave the attribute as it was.
 */
async function refusedForEach(
  ctx: CheckContext,
  seed: string,
  what: string,
  pick: (type: ResourceTypeDef) => Refused[],
  scimTypes: readonly string[],
): Promise<CheckOutcome> {
  return everyType(ctx, what, async (type) => {
    const chosen = pick(type);
    if (chosen.length === 0) return "untested";
    const subject = await createSubject(ctx, type, seed, false);
    if ("status" in subject) return subject;
    for (const refused of chosen) {
      const patched = await ctx.send("PATCH", subject.path, { body: patchBody(refused.operation) });
      const problem = wrongError(patched, 400, scimTypes);
      if (problem) return fail(`${type.name} ${refused.path}: ${problem}`, patched);
      const read = await ctx.send("GET", subject.path);
      const [was, is] = [readBack(subject.created.json, refused), readBack(read.json, refused)];
      if (canonical(was) !== canonical(is))
        return fail(`${type.name} ${refused.path} changed although the PATCH was refused`, read);
    }
    return "tested";
  });
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
        "a required attribute",
        (type) =>
          topLevel(type)
            .filter((t) => t.required && t.mutability !== "readOnly")
            .map((target) => ({ path: target.path, target, operation: { op: "remove", path: target.path } })),
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
        "a readOnly attribute",
        (type) => {
          // Values shaped like each readOnly attribute (RFC 7643 §3.1 `id` included), from the generator.
          const values = readOnlyBody(type, { prefix: ctx.prefix, seed: "patch-read-only", variant: 1 });
          const id = {
            path: "id",
            target: undefined,
            operation: { op: "replace", path: "id", value: "conformance-new-id" },
          };
          return [
            id,
            ...topLevel(type).flatMap((target) => {
              const value = valueAt(values, target);
              if (target.mutability !== "readOnly" || value === undefined) return [];
              return [{ path: target.path, target, operation: { op: "replace", path: target.path, value } }];
            }),
          ];
        },
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
  {
    ...patchBase,
    id: "patch.add-needs-value",
    title: 'PATCH add without a "value" answers 400 and changes nothing',
    requirement: "RFC 7644 §3.5.2.1",
    level: "MUST",
    async run(ctx) {
      const user = await createUser(ctx, "patch-add-no-value", USER.body(ctx, "patch-add-no-value"));
      if (isOutcome(user)) return user;
      // §3.5.2.1: an add "MUST contain a "value" member"; RFC 7644 §3.12 gives no scimType for a missing
      // member, so invalidSyntax (malformed request) and invalidValue (missing value) are both accepted.
      const patched = await ctx.send("PATCH", user.path, {
        body: patchBody({ op: "add", path: "nickName" }),
      });
      const problem = wrongError(patched, 400, ["invalidSyntax", "invalidValue"]);
      if (problem) return fail(problem, patched);
      const read = await ctx.send("GET", user.path);
      return read.status === 200 && canonical(read.json) === canonical(user.created.json)
        ? pass()
        : fail("expected the User unchanged after the refused PATCH", read);
    },
  },
];
