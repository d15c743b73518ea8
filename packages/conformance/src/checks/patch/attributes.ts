import { fail } from "../../outcome.js";
import type { ResourceTypeDef } from "../../schema/model.js";
import type { Check, CheckContext } from "../../types.js";
import {
  applyAll,
  everyType,
  type LoopSubject,
  listed,
  prepare,
  type Sample,
  type TypeResult,
  valueAt,
} from "./subjects.js";
import { patchBase } from "./support.js";
import { holds, unassigned } from "./values.js";

/** Applies one op per sample in one PATCH, reads the resource back and names the samples not as sent. */
async function writeAndRead(
  ctx: CheckContext,
  type: ResourceTypeDef,
  subject: LoopSubject,
  chosen: readonly Sample[],
  op: "add" | "replace",
): Promise<TypeResult> {
  if (chosen.length === 0) return "untested";
  const variant = op === "add" ? 0 : 1;
  const operations = chosen.map((s) => ({
    label: `${op} ${s.target.path}`,
    operation: { op, path: s.target.path, value: s.values[variant] },
  }));
  const refused = await applyAll(ctx, subject.path, type.name, operations);
  if (refused) return refused;
  const read = await ctx.send("GET", subject.path);
  if (read.status !== 200) return fail(`expected 200 reading the ${type.name} back`, read);
  const wrong = chosen.filter((s) => {
    const { definition } = s.target;
    const got = valueAt(read.json, s.target);
    if (!holds(definition, s.values[variant], got)) return true;
    // Replacing a multi-valued attribute without a filter replaces all its values (§3.5.2.3).
    if (op !== "replace" || !definition.multiValued || !Array.isArray(s.values[0])) return false;
    return s.values[0].some((old) => holds(definition, [old], got) && !holds(definition, [old], s.values[1]));
  });
  if (wrong.length === 0) return "tested";
  const names = listed(wrong.map((s) => s.target.path));
  return fail(`${type.name}: after ${op}, ${names} did not read back as sent`, read);
}

/** add, replace and remove of every writable attribute of every resource type (RFC 7644 §3.5.2.1–3). */
export const attributeChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.add-every-attribute",
    title: "PATCH add sets every writable attribute (extensions by full URN path), read back with GET",
    requirement: "RFC 7644 §3.5.2.1; RFC 7644 §3.10",
    level: "MUST",
    run: (ctx) =>
      everyType(ctx, "a writable attribute that values can be made for", async (type) => {
        const prepared = await prepare(ctx, type, "patch-add-all", false);
        if ("status" in prepared) return prepared;
        const { subject } = prepared;
        const chosen = prepared.chosen;
        return writeAndRead(ctx, type, subject, chosen, "add");
      }),
  },
  {
    ...patchBase,
    id: "patch.replace-every-attribute",
    title: "PATCH replace changes every writable attribute (extensions by full URN path), read back with GET",
    requirement: "RFC 7644 §3.5.2.3; RFC 7644 §3.10",
    level: "MUST",
    run: (ctx) =>
      everyType(ctx, "a writable attribute that values can be made for", async (type) => {
        const prepared = await prepare(ctx, type, "patch-replace-all", true);
        if ("status" in prepared) return prepared;
        const { subject } = prepared;
        const chosen = prepared.chosen;
        return writeAndRead(ctx, type, subject, chosen, "replace");
      }),
  },
  {
    ...patchBase,
    id: "patch.remove-every-attribute",
    title: "PATCH remove unassigns every optional writable attribute (extensions by full URN path)",
    requirement: "RFC 7644 §3.5.2.2; RFC 7644 §3.10",
    level: "MUST",
    run: (ctx) =>
      everyType(ctx, "a writable attribute that values can be made for", async (type) => {
        const prepared = await prepare(ctx, type, "patch-remove-all", true);
        if ("status" in prepared) return prepared;
        const { subject } = prepared;
        const chosen = prepared.chosen.filter((s) => !s.target.required);
        if (chosen.length === 0) return "untested";
        const operations = chosen.map((s) => ({
          label: `remove ${s.target.path}`,
          operation: { op: "remove", path: s.target.path },
        }));
        const refused = await applyAll(ctx, subject.path, type.name, operations);
        if (refused) return refused;
        const read = await ctx.send("GET", subject.path);
        if (read.status !== 200) return fail(`expected 200 reading the ${type.name} back`, read);
        const left = chosen.filter((s) => !unassigned(valueAt(read.json, s.target)));
        if (left.length === 0) return "tested";
        const names = listed(left.map((s) => s.target.path));
        return fail(`${type.name}: after remove, ${names} still had a value`, read);
      }),
  },
];
