import { fail, pass, skip } from "../../outcome.js";
import type { Check, CheckContext, CheckOutcome } from "../../types.js";
import { resourceTypes, type TypeInfo } from "./schema.js";
import { applyAll, createSubject, listed, type Sample, samples, valueAt } from "./subjects.js";
import { patchBase } from "./support.js";
import { holds, sampleValue, unassigned } from "./values.js";

/**
 * Runs `each` for every advertised resource type /Schemas describes; the first failure wins, so its
 * detail names the type and the attributes.
 */
async function everyType(
  ctx: CheckContext,
  each: (type: TypeInfo) => Promise<CheckOutcome | undefined>,
): Promise<CheckOutcome> {
  const types = await resourceTypes(ctx);
  if (types.length === 0) return skip("/ResourceTypes and /Schemas describe no resource type");
  for (const type of types) {
    const outcome = await each(type);
    if (outcome) return outcome;
  }
  return pass();
}

/** Applies one op per sample, reads the resource back and fails naming the samples `ok` rejects. */
async function writeAndRead(
  ctx: CheckContext,
  type: TypeInfo,
  path: string,
  chosen: readonly Sample[],
  op: "add" | "replace",
  variant: 0 | 1,
): Promise<CheckOutcome | undefined> {
  const operations = chosen.map((s) => ({
    label: `${op} ${s.target.path}`,
    operation: { op, path: s.target.path, value: s.values[variant] },
  }));
  const refused = await applyAll(ctx, path, type.name, operations);
  if (refused) return refused;
  const read = await ctx.send("GET", path);
  if (read.status !== 200) return fail(`expected 200 reading the ${type.name} back`, read);
  const wrong = chosen.filter((s) => {
    const got = valueAt(read.json, s.target);
    if (!holds(s.target.attribute, s.values[variant], got)) return true;
    // Replacing a multi-valued attribute without a filter replaces all its values (§3.5.2.3).
    return op === "replace" && s.target.attribute.multiValued && holds(s.target.attribute, s.values[0], got);
  });
  if (wrong.length === 0) return undefined;
  const names = listed(wrong.map((s) => s.target.path));
  return fail(`${type.name}: after ${op}, ${names} did not read back as sent`, read);
}

/** add, replace and remove on every writable attribute of every resource type (RFC 7644 §3.5.2.1–3). */
export const attributeChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.add-every-attribute",
    title: "PATCH add sets every writable attribute (extensions by full URN path), read back with GET",
    requirement: "RFC 7644 §3.5.2.1",
    level: "MUST",
    async run(ctx) {
      return everyType(ctx, async (type) => {
        const subject = await createSubject(ctx, type, "patch-add-all", false);
        if ("status" in subject) return subject;
        const chosen = samples(ctx, type, "patch-add-all");
        return writeAndRead(ctx, type, subject.path, chosen, "add", 0);
      });
    },
  },
  {
    ...patchBase,
    id: "patch.replace-every-attribute",
    title: "PATCH replace changes every writable attribute (extensions by full URN path), read back with GET",
    requirement: "RFC 7644 §3.5.2.3",
    level: "MUST",
    async run(ctx) {
      return everyType(ctx, async (type) => {
        const subject = await createSubject(ctx, type, "patch-replace-all", true);
        if ("status" in subject) return subject;
        const chosen = samples(ctx, type, "patch-replace-all");
        return writeAndRead(ctx, type, subject.path, chosen, "replace", 1);
      });
    },
  },
  {
    ...patchBase,
    id: "patch.replace-sub-attributes",
    title: "PATCH replace of attr.sub (and urn:…:attr.sub) changes that sub-attribute and keeps the others",
    requirement: "RFC 7644 §3.5.2.3; RFC 7644 §3.10",
    level: "MUST",
    async run(ctx) {
      return everyType(ctx, async (type) => {
        const suffix = "patch-sub-attributes";
        const subject = await createSubject(ctx, type, suffix, true);
        if ("status" in subject) return subject;
        const tag = `${ctx.prefix}${suffix}`;
        // Singular complex attributes only: a sub-attribute of a multi-valued one needs a value filter.
        const complex = samples(ctx, type, suffix).filter(
          (s) => s.target.attribute.type === "complex" && !s.target.attribute.multiValued,
        );
        const changes = complex.flatMap((s) =>
          Object.keys(s.values[0] as object).flatMap((name) => {
            const sub = s.target.attribute.subAttributes.find((a) => a.name === name);
            const value = sub && sampleValue(sub, 1, tag, s.target.attribute.name);
            return value === undefined ? [] : [{ sample: s, name, value, path: `${s.target.path}.${name}` }];
          }),
        );
        if (changes.length === 0) return undefined;
        const refused = await applyAll(
          ctx,
          subject.path,
          type.name,
          changes.map((c) => ({
            label: `replace ${c.path}`,
            operation: { op: "replace", path: c.path, value: c.value },
          })),
        );
        if (refused) return refused;
        const read = await ctx.send("GET", subject.path);
        const wrong = complex.filter((s) => {
          const want = { ...(s.values[0] as object) };
          for (const c of changes.filter((c) => c.sample === s)) Object.assign(want, { [c.name]: c.value });
          return !holds(s.target.attribute, want, valueAt(read.json, s.target));
        });
        if (wrong.length === 0) return undefined;
        const names = listed(wrong.map((s) => s.target.path));
        return fail(
          `${type.name}: after replacing each sub-attribute, ${names} did not read back as sent`,
          read,
        );
      });
    },
  },
  {
    ...patchBase,
    id: "patch.remove-every-attribute",
    title: "PATCH remove unassigns every optional writable attribute (extensions by full URN path)",
    requirement: "RFC 7644 §3.5.2.2",
    level: "MUST",
    async run(ctx) {
      return everyType(ctx, async (type) => {
        const subject = await createSubject(ctx, type, "patch-remove-all", true);
        if ("status" in subject) return subject;
        const chosen = samples(ctx, type, "patch-remove-all").filter((s) => !s.target.attribute.required);
        const operations = chosen.map((s) => ({
          label: `remove ${s.target.path}`,
          operation: { op: "remove", path: s.target.path },
        }));
        const refused = await applyAll(ctx, subject.path, type.name, operations);
        if (refused) return refused;
        const read = await ctx.send("GET", subject.path);
        if (read.status !== 200) return fail(`expected 200 reading the ${type.name} back`, read);
        const left = chosen.filter((s) => !unassigned(valueAt(read.json, s.target)));
        if (left.length === 0) return undefined;
        return fail(
          `${type.name}: after remove, ${listed(left.map((s) => s.target.path))} still had a value`,
          read,
        );
      });
    },
  },
];
