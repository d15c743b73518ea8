import { field } from "../../http.js";
import { fail, pass, skip } from "../../outcome.js";
import { generateBody } from "../../schema/body.js";
import { compareResource } from "../../schema/compare.js";
import type { AttributeDef, ResourceTypeDef } from "../../schema/model.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { bodyFor, createFor, isOutcome } from "./behaviour.js";

type Json = Record<string, unknown>;

/** The schema attributes holding a body's top-level keys: the base schema's, then each extension's. */
function sections(
  type: ResourceTypeDef,
  body: Json,
): { attrs: readonly AttributeDef[]; values: Json; urn: string | undefined }[] {
  const out: { attrs: readonly AttributeDef[]; values: Json; urn: string | undefined }[] = [
    { attrs: type.schema.attributes, values: body, urn: undefined },
  ];
  for (const extension of type.extensions) {
    const values = body[extension.schema.id];
    if (typeof values === "object" && values !== null)
      out.push({ attrs: extension.schema.attributes, values: values as Json, urn: extension.schema.id });
  }
  return out;
}

/**
 * The body with its immutable single-valued attributes (and immutable sub-attributes of single-valued
 * complex ones) changed, and their paths. Multi-valued ones are left alone: replacing their values is
 * replacing elements, which RFC 7644 §3.5.1 allows (a Group's `members`).
 */
function immutableChange(ctx: CheckContext, type: ResourceTypeDef, seed: string, body: Json) {
  const other = generateBody(type, { prefix: ctx.prefix, seed, variant: 0, immutableVariant: 1 });
  const changed: Json = structuredClone(body);
  // Only the changed attributes, as first sent, to see that a refused PUT left them alone.
  const original: Json = { schemas: body.schemas };
  const paths: string[] = [];
  const target = sections(type, changed);
  for (const { attrs, values, urn } of sections(type, other)) {
    const into = target.find((t) => t.urn === urn)?.values;
    if (!into) continue;
    const keep = (name: string) => {
      if (urn !== undefined && original[urn] === undefined) original[urn] = {};
      const holder = (urn === undefined ? original : original[urn]) as Json;
      holder[name] = (urn === undefined ? body : (body[urn] as Json))[name];
    };
    for (const attr of attrs) {
      if (attr.multiValued || !(attr.name in values) || !(attr.name in into)) continue;
      const differs = JSON.stringify(values[attr.name]) !== JSON.stringify(into[attr.name]);
      if (attr.mutability === "immutable" && differs) {
        keep(attr.name);
        into[attr.name] = values[attr.name];
        paths.push(attr.name);
      } else if (attr.type === "complex" && attr.subAttributes.some((s) => s.mutability === "immutable")) {
        const sub = into[attr.name] as Json;
        for (const s of attr.subAttributes.filter((x) => x.mutability === "immutable")) {
          const value = (values[attr.name] as Json)[s.name];
          if (value !== undefined && JSON.stringify(value) !== JSON.stringify(sub[s.name])) {
            keep(attr.name);
            sub[s.name] = value;
            paths.push(`${attr.name}.${s.name}`);
          }
        }
      }
    }
  }
  return { changed, original, paths };
}

/**
 * Replacing a resource with a different value for an immutable attribute answers 400 `mutability`
 * and leaves the value as it was (RFC 7644 §3.5.1, §3.12 Table 9).
 */
export async function immutableRefused(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
): Promise<CheckOutcome> {
  const probe = bodyFor(ctx, type, seed);
  if (immutableChange(ctx, type, seed, probe).paths.length === 0) {
    return skip("no single-valued immutable attribute");
  }
  const made = await createFor(ctx, type, seed);
  if (isOutcome(made)) return made;
  const { changed, original, paths } = immutableChange(ctx, type, seed, made.body);
  const put = await ctx.send("PUT", made.path, { body: changed });
  const read = await ctx.send("GET", made.path);
  const kept = compareResource(type, original, read.json);
  if (put.status !== 400 || field(put.json, "scimType") !== "mutability") {
    return fail(`expected 400 with scimType "mutability" for a changed immutable ${paths.join(", ")}`, put);
  }
  return kept.length === 0 ? pass() : fail(`the refused PUT still changed ${kept.join("; ")}`, read);
}

/** Top-level single-valued writable strings a server must keep unique (RFC 7643 §7 uniqueness server/global). */
function uniqueAttributes(type: ResourceTypeDef): { attr: AttributeDef; urn: string | undefined }[] {
  return [
    { attrs: type.schema.attributes, urn: undefined },
    ...type.extensions.map((e) => ({ attrs: e.schema.attributes, urn: e.schema.id })),
  ].flatMap(({ attrs, urn }) =>
    attrs
      .filter(
        (a) =>
          a.type === "string" && !a.multiValued && a.uniqueness !== "none" && a.mutability !== "readOnly",
      )
      .map((attr) => ({ attr, urn })),
  );
}

/**
 * A second resource whose unique attribute repeats the first's (in other case when the attribute is
 * not caseExact, RFC 7643 §2.3.1) answers 409 `uniqueness` (RFC 7644 §3.3).
 */
export async function uniquenessEnforced(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
): Promise<CheckOutcome> {
  const unique = uniqueAttributes(type);
  if (unique.length === 0) return skip("no string attribute is marked unique");
  const made = await createFor(ctx, type, seed);
  if (isOutcome(made)) return made;
  for (const { attr, urn } of unique) {
    const twin = bodyFor(ctx, type, `${seed}-twin`);
    const holder = (urn === undefined ? made.body : made.body[urn]) as Json | undefined;
    const into = (urn === undefined ? twin : twin[urn]) as Json | undefined;
    const value = holder?.[attr.name];
    if (typeof value !== "string" || !into) continue;
    into[attr.name] = attr.caseExact ? value : value.toUpperCase();
    const label = urn === undefined ? attr.name : `${urn}:${attr.name}`;
    const { exchange } = await ctx.create(type.endpoint, twin);
    if (exchange.status !== 409 || field(exchange.json, "scimType") !== "uniqueness") {
      return fail(`expected 409 with scimType "uniqueness" for a duplicate ${label}`, exchange);
    }
  }
  return pass();
}
