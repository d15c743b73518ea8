import { type Exchange, field } from "../../http.js";
import { fail } from "../../outcome.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { isWritable, type Target, type TypeInfo, targets } from "./schema.js";
import { patchBody, resourcePath, succeeded } from "./support.js";
import { sampleValue, type Variant } from "./values.js";

/** What the loop checks exercise on one resource type: its attributes with a value for each variant. */
export interface Sample {
  readonly target: Target;
  readonly values: readonly [unknown, unknown];
}

/** The writable top-level attributes of a type that a value can be made for (both variants). */
export function samples(ctx: CheckContext, type: TypeInfo, suffix: string): Sample[] {
  const tag = `${ctx.prefix}${suffix}`;
  return targets(type).flatMap((target) => {
    if (!isWritable(target.attribute)) return [];
    const values = [0, 1].map((v) => sampleValue(target.attribute, v as Variant, tag));
    const [first, second] = values;
    return first === undefined || second === undefined ? [] : [{ target, values: [first, second] as const }];
  });
}

/** Reads a target's value from a resource body (extension attributes under their URN, RFC 7643 §3.3). */
export function valueAt(body: unknown, target: Target): unknown {
  const holder = target.urn === undefined ? body : lookup(body, target.urn);
  return lookup(holder, target.attribute.name);
}

/** `body[key]`, matching the key case-insensitively (RFC 7643 §2.1). */
export function lookup(body: unknown, key: string): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  if (key in record) return record[key];
  const found = Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : record[found];
}

/**
 * Creates a resource of `type`: its required attributes, plus every sample at variant 0 when `full`.
 * Required strings carry the run prefix (`userName`, `displayName`), so clean-up and uniqueness hold.
 */
export async function createSubject(
  ctx: CheckContext,
  type: TypeInfo,
  suffix: string,
  full: boolean,
): Promise<{ path: string; created: Exchange } | CheckOutcome> {
  const tag = `${ctx.prefix}${suffix}`;
  const body: Record<string, unknown> = { schemas: [type.schema] };
  const chosen = full
    ? samples(ctx, type, suffix).map((s) => ({ target: s.target, value: s.values[0] }))
    : [];
  for (const target of targets(type)) {
    const { attribute } = target;
    if (!attribute.required || attribute.mutability === "readOnly") continue;
    if (chosen.some((c) => c.target.path === target.path)) continue;
    const value = sampleValue(attribute, 0, tag);
    if (value !== undefined) chosen.push({ target, value });
  }
  for (const { target, value } of chosen) {
    if (target.urn === undefined) body[target.attribute.name] = value;
    else {
      const extension = (body[target.urn] ?? {}) as Record<string, unknown>;
      body[target.urn] = { ...extension, [target.attribute.name]: value };
      if (!(body.schemas as string[]).includes(target.urn)) (body.schemas as string[]).push(target.urn);
    }
  }
  const made = await ctx.create(type.endpoint, body);
  if (made.id === undefined) return fail(`could not create a ${type.name} to test with`, made.exchange);
  return { path: resourcePath(type.endpoint, made.id), created: made.exchange };
}

/**
 * Sends the operations as one PATCH; when that fails, sends them one by one and fails with the first
 * one refused, so the detail names the attribute.
 */
export async function applyAll(
  ctx: CheckContext,
  path: string,
  typeName: string,
  operations: readonly { readonly label: string; readonly operation: object }[],
): Promise<CheckOutcome | undefined> {
  if (operations.length === 0) return undefined;
  const all = await ctx.send("PATCH", path, { body: patchBody(...operations.map((o) => o.operation)) });
  if (succeeded(all)) return undefined;
  for (const { label, operation } of operations) {
    const one = await ctx.send("PATCH", path, { body: patchBody(operation) });
    if (!succeeded(one)) return fail(`${typeName} ${label}: expected 200 or 204`, one);
  }
  return fail(`${typeName}: each operation succeeds alone but not together`, all);
}

/** "a, b, c and 4 more": a bounded list of attribute names for a failure detail. */
export function listed(names: readonly string[]): string {
  const shown = names.slice(0, 4).join(", ");
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}

/** The id of a created resource, for messages. */
export function idOf(created: Exchange): string {
  return String(field(created.json, "id"));
}
