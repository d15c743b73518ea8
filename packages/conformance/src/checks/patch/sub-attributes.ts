import { fail } from "../../outcome.js";
import { valueEquals } from "../../schema/compare.js";
import type { AttributeDef, ResourceTypeDef } from "../../schema/model.js";
import type { Check, CheckContext } from "../../types.js";
import {
  applyAll,
  everyType,
  listed,
  prepare,
  type Sample,
  type TypeResult,
  topLevel,
  valueAt,
} from "./subjects.js";
import { patchBase } from "./support.js";
import { unassigned } from "./values.js";

/** One sub-attribute of a singular complex attribute, addressed as `attr.sub` or `urn:…:attr.sub`. */
interface SubTarget {
  readonly sample: Sample;
  readonly definition: AttributeDef;
  readonly path: string;
  readonly values: readonly [unknown, unknown];
}

// Singular complex attributes only: a sub-attribute of a multi-valued one needs a value filter
// (covered by patch.filter-replace-sub-attribute).
function subTargets(samplesOf: readonly Sample[]): SubTarget[] {
  return samplesOf
    .filter((s) => s.target.type === "complex" && !s.target.multiValued)
    .flatMap((sample) =>
      sample.target.definition.subAttributes.flatMap((definition) => {
        const [first, second] = sample.values.map((v) => (v as Record<string, unknown>)[definition.name]);
        if (first === undefined || second === undefined || definition.mutability !== "readWrite") return [];
        const path = `${sample.target.path}.${definition.name}`;
        return [{ sample, definition, path, values: [first, second] as const }];
      }),
    );
}

function subValue(body: unknown, target: SubTarget): unknown {
  const complex = valueAt(body, target.sample.target);
  return typeof complex === "object" && complex !== null
    ? (complex as Record<string, unknown>)[target.definition.name]
    : undefined;
}

/** Applies `op` to each chosen sub-attribute in one PATCH, reads back, and names the ones `wrong` flags. */
async function subAttributes(
  ctx: CheckContext,
  type: ResourceTypeDef,
  op: "add" | "replace" | "remove",
): Promise<TypeResult> {
  const seed = `patch-sub-${op}`;
  const complex = topLevel(type).some(
    (a) => a.type === "complex" && !a.multiValued && a.mutability === "readWrite",
  );
  if (!complex) return "untested";
  const prepared = await prepare(ctx, type, seed, op !== "add");
  if ("status" in prepared) return prepared;
  const { subject } = prepared;
  const all = subTargets(prepared.chosen);
  // Remove keeps the first sub-attribute of each complex value, to see that the others stay (§3.5.2.2).
  const kept = op === "remove" ? all.filter((t, i) => all.findIndex((o) => o.sample === t.sample) === i) : [];
  const chosen = op === "remove" ? all.filter((t) => !t.definition.required && !kept.includes(t)) : all;
  if (chosen.length === 0) return "untested";
  const variant: 0 | 1 = op === "replace" ? 1 : 0;
  const operations = chosen.map((t) => ({
    label: `${op} ${t.path}`,
    operation: op === "remove" ? { op, path: t.path } : { op, path: t.path, value: t.values[variant] },
  }));
  const refused = await applyAll(ctx, subject.path, type.name, operations);
  if (refused) return refused;
  const read = await ctx.send("GET", subject.path);
  if (read.status !== 200) return fail(`expected 200 reading the ${type.name} back`, read);
  const same = (t: SubTarget, want: unknown) => valueEquals(t.definition, want, subValue(read.json, t));
  const wrong =
    op === "remove"
      ? [
          ...chosen.filter((t) => !unassigned(subValue(read.json, t))),
          ...kept.filter((t) => !same(t, t.values[0])),
        ]
      : chosen.filter((t) => !same(t, t.values[variant]));
  if (wrong.length === 0) return "tested";
  const what = op === "remove" ? "were not removed, or the kept ones changed" : "did not read back as sent";
  return fail(
    `${type.name}: after ${op} of each sub-attribute, ${listed(wrong.map((t) => t.path))} ${what}`,
    read,
  );
}

/**
 * Replace of a whole singular complex attribute with only its first sub-attribute: that one changes, the
 * others stay ("Sub-attributes that are not specified in the value parameter are left unchanged").
 */
async function complexMerge(ctx: CheckContext, type: ResourceTypeDef): Promise<TypeResult> {
  const seed = "patch-complex-merge";
  const complex = topLevel(type).some(
    (a) => a.type === "complex" && !a.multiValued && a.mutability === "readWrite",
  );
  if (!complex) return "untested";
  const prepared = await prepare(ctx, type, seed, true);
  if ("status" in prepared) return prepared;
  const all = subTargets(prepared.chosen);
  // The first sub-attribute of each complex attribute is replaced; those with only one are not merged.
  const first = all.filter((t, i) => all.findIndex((o) => o.sample === t.sample) === i);
  const merged = first.filter((t) => all.some((o) => o.sample === t.sample && o !== t));
  if (merged.length === 0) return "untested";
  const refused = await applyAll(
    ctx,
    prepared.subject.path,
    type.name,
    merged.map((t) => ({
      label: `replace ${t.sample.target.path}`,
      operation: {
        op: "replace",
        path: t.sample.target.path,
        value: { [t.definition.name]: t.values[1] },
      },
    })),
  );
  if (refused) return refused;
  const read = await ctx.send("GET", prepared.subject.path);
  if (read.status !== 200) return fail(`expected 200 reading the ${type.name} back`, read);
  const same = (t: SubTarget, want: unknown) => valueEquals(t.definition, want, subValue(read.json, t));
  const wrong = all.filter((t) => !same(t, merged.includes(t) ? t.values[1] : t.values[0]));
  if (wrong.length === 0) return "tested";
  return fail(
    `${type.name}: after replacing ${listed(merged.map((t) => t.sample.target.path))} with one sub-attribute each, ${listed(wrong.map((t) => t.path))} did not read back as expected`,
    read,
  );
}

const SUB = "a singular complex attribute with a sub-attribute that values can be made for";

/** `attr.sub` paths on singular complex attributes, core and extension (RFC 7644 §3.5.2, §3.10). */
export const subAttributeChecks: readonly Check[] = [
  {
    ...patchBase,
    id: "patch.add-sub-attributes",
    title: "PATCH add of attr.sub (and urn:…:attr.sub) sets that sub-attribute, read back with GET",
    requirement: "RFC 7644 §3.5.2.1; RFC 7644 §3.10",
    level: "MUST",
    run: (ctx) => everyType(ctx, SUB, (type) => subAttributes(ctx, type, "add")),
  },
  {
    ...patchBase,
    id: "patch.replace-sub-attributes",
    title: "PATCH replace of attr.sub (and urn:…:attr.sub) changes that sub-attribute, read back with GET",
    requirement: "RFC 7644 §3.5.2.3; RFC 7644 §3.10",
    level: "MUST",
    run: (ctx) => everyType(ctx, SUB, (type) => subAttributes(ctx, type, "replace")),
  },
  {
    ...patchBase,
    id: "patch.remove-sub-attributes",
    title: "PATCH remove of attr.sub (and urn:…:attr.sub) unassigns that sub-attribute and keeps the others",
    requirement: "RFC 7644 §3.5.2.2; RFC 7644 §3.10",
    level: "MUST",
    run: (ctx) => everyType(ctx, SUB, (type) => subAttributes(ctx, type, "remove")),
  },
  {
    ...patchBase,
    id: "patch.replace-complex-keeps-others",
    title: "PATCH replace of a complex attribute with some sub-attributes leaves the others unchanged",
    requirement: "RFC 7644 §3.5.2.3",
    level: "MUST",
    run: (ctx) =>
      everyType(
        ctx,
        "a singular complex attribute with two sub-attributes that values can be made for",
        (type) => complexMerge(ctx, type),
      ),
  },
];
