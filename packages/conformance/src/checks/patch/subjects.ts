import type { Exchange } from "../../http.js";
import { fail, pass, skip } from "../../outcome.js";
import { type AttributeInfo, listAttributes } from "../../schema/attributes.js";
import { generateBody } from "../../schema/body.js";
import { isEchoed } from "../../schema/compare.js";
import { propOf, type ResourceTypeDef, resourceTypesOf } from "../../schema/model.js";
import type { ResourceRef } from "../../schema/values.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { metaOf } from "../bodies.js";
import { patchBody, resourcePath, succeeded } from "./support.js";

/** One top-level attribute the loop checks exercise, with a generated value for each variant. */
export interface Sample {
  readonly target: AttributeInfo;
  readonly values: readonly [unknown, unknown];
}

/** A resource created for a loop check, and itself as a reference target for its own type. */
export interface LoopSubject {
  readonly path: string;
  readonly created: Exchange;
  readonly ref: ResourceRef;
}

/** The top-level attributes (RFC 7644 §3.10 paths: extensions URN-qualified) of a type. */
export function topLevel(type: ResourceTypeDef): AttributeInfo[] {
  return listAttributes(type).filter((a) => a.parent === undefined);
}

/** Reads an attribute's value from a resource body (extension attributes under their URN, RFC 7643 §3.3). */
export function valueAt(body: unknown, target: AttributeInfo): unknown {
  return propOf(target.extension ? propOf(body, target.schema) : body, target.name);
}

/**
 * The readWrite attributes a server returns by default that the body generator can give values for,
 * both variants. Immutable, writeOnly and returned "never"/"request" attributes cannot be replaced or read
 * back (RFC 7643 §7); resource references point at `references` (or are left out).
 */
export function samples(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
  references?: Readonly<Record<string, ResourceRef>>,
): Sample[] {
  const options = { prefix: ctx.prefix, seed, externalId: false, ...(references ? { references } : {}) };
  const first = generateBody(type, { ...options, variant: 0 });
  const second = generateBody(type, { ...options, variant: 1, immutableVariant: 0 });
  return topLevel(type).flatMap((target) => {
    if (target.mutability !== "readWrite" || !isEchoed(target.definition)) return [];
    const values = [valueAt(first, target), valueAt(second, target)] as const;
    return values[0] === undefined || values[1] === undefined ? [] : [{ target, values }];
  });
}

/**
 * Creates a resource of `type` from the body generator: every writable attribute when `full`, else only
 * the required ones (and the extensions holding one). The naming attribute carries the run prefix.
 */
export async function createSubject(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
  full: boolean,
): Promise<LoopSubject | CheckOutcome> {
  const generated = generateBody(type, { prefix: ctx.prefix, seed, variant: 0, externalId: false });
  const body = full ? generated : requiredOnly(type, generated);
  const made = await ctx.create(type.endpoint, body);
  if (made.id === undefined) return fail(`could not create a ${type.name} to test with`, made.exchange);
  const location = metaOf(made.exchange.json).location;
  const ref = { id: made.id, ...(typeof location === "string" ? { location } : {}) };
  return { path: resourcePath(type.endpoint, made.id), created: made.exchange, ref };
}

function requiredOnly(type: ResourceTypeDef, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { schemas: [type.schema.id] };
  for (const target of topLevel(type)) {
    const value = valueAt(body, target);
    if (!target.required || value === undefined) continue;
    if (!target.extension) out[target.name] = value;
    else {
      out[target.schema] = { ...(out[target.schema] as object | undefined), [target.name]: value };
      if (!(out.schemas as string[]).includes(target.schema)) (out.schemas as string[]).push(target.schema);
    }
  }
  return out;
}

/**
 * A subject and its samples for one loop check. References to the type itself point at the subject;
 * when `full`, what the create body could not hold (those references) is added by a first PATCH, so
 * every sample starts at its variant-0 value.
 */
export async function prepare(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
  full: boolean,
): Promise<{ subject: LoopSubject; chosen: Sample[] } | CheckOutcome> {
  const subject = await createSubject(ctx, type, seed, full);
  if ("status" in subject) return subject;
  const chosen = samples(ctx, type, seed, { [type.name]: subject.ref });
  if (full) {
    const missing = chosen.filter((s) => valueAt(subject.created.json, s.target) === undefined);
    const setup = await applyAll(
      ctx,
      subject.path,
      type.name,
      missing.map((s) => ({
        label: `add ${s.target.path} (setting up)`,
        operation: { op: "add", path: s.target.path, value: s.values[0] },
      })),
    );
    if (setup) return setup;
  }
  return { subject, chosen };
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

/** "a, b, c, d and 4 more": a bounded list of attribute paths for a failure detail. */
export function listed(names: readonly string[]): string {
  const shown = names.slice(0, 4).join(", ");
  return names.length > 4 ? `${shown} and ${names.length - 4} more` : shown;
}

/** What one resource type gave a loop check: a failure, or whether it had anything to test. */
export type TypeResult = CheckOutcome | "tested" | "untested";

/**
 * Runs `each` for every advertised resource type /Schemas describes; the first failure wins, so its
 * detail names the type and the attributes. Skipped when no type has `what` to test.
 */
export async function everyType(
  ctx: CheckContext,
  what: string,
  each: (type: ResourceTypeDef) => Promise<TypeResult>,
): Promise<CheckOutcome> {
  const types = resourceTypesOf(await ctx.discovery());
  if (types.length === 0) return skip("/ResourceTypes and /Schemas describe no resource type");
  let tested = false;
  for (const type of types) {
    const result = await each(type);
    if (result === "tested") tested = true;
    else if (result !== "untested") return result;
  }
  return tested ? pass() : skip(`no advertised resource type has ${what}`);
}
