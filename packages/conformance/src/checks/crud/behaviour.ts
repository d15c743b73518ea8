import type { Exchange } from "../../http.js";
import { fail, skip } from "../../outcome.js";
import { type BodyOptions, generateBody } from "../../schema/body.js";
import type { ResourceTypeDef } from "../../schema/model.js";
import type { Capability, CheckContext, CheckLevel, CheckOutcome } from "../../types.js";

/**
 * Which resource types a CRUD check covers. `user` and `group` are RFC 7643 §4's core types; `custom`
 * is one check per behaviour that runs it on every other resource type the server advertises and names
 * the type that failed, so that check ids stay static whatever a server adds ("Device", "Role" …).
 */
export type TypeKey = "user" | "group" | "custom";

/** One CRUD behaviour, run on one resource type; the check ids are `crud.<key>.<name>`. */
export interface Behaviour {
  readonly name: string;
  /** The title for one type ("POST /Users answers 201 Created"), given its name and endpoint. */
  title(type: string, endpoint: string): string;
  readonly requirement: string;
  readonly level: CheckLevel;
  readonly requires?: readonly Capability[];
  /** The keys this behaviour is registered for. */
  readonly keys: readonly TypeKey[];
  run(ctx: CheckContext, type: ResourceTypeDef, seed: string): Promise<CheckOutcome>;
}

/** The generated body of a check: every writable attribute, prefixed, deterministic per seed. */
export function bodyFor(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
  extra: Partial<BodyOptions> = {},
): Record<string, unknown> {
  return generateBody(type, { prefix: ctx.prefix, seed, variant: 0, ...extra });
}

/** A created resource: where it lives, the body sent and the create exchange. */
export interface Created {
  readonly path: string;
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly exchange: Exchange;
}

/** Creates a resource with the generated body; the outcome is a failure naming the create when it did not work. */
export async function createFor(
  ctx: CheckContext,
  type: ResourceTypeDef,
  seed: string,
): Promise<Created | CheckOutcome> {
  const body = bodyFor(ctx, type, seed);
  const { exchange, id } = await ctx.create(type.endpoint, body);
  if (id === undefined) {
    return fail(
      `could not create a ${type.name} with every writable attribute set (expected 201 and an id)`,
      exchange,
    );
  }
  return { path: `${type.endpoint}/${encodeURIComponent(id)}`, id, body, exchange };
}

/** Narrows a {@link createFor} result. */
export function isOutcome(value: Created | CheckOutcome): value is CheckOutcome {
  return "status" in value && !("path" in value);
}

/**
 * Runs a behaviour on several resource types: the first failure is the outcome (its detail starts with
 * the type's name), passes when at least one type passed and none failed, skips otherwise.
 */
export async function onEach(
  types: readonly ResourceTypeDef[],
  none: string,
  run: (type: ResourceTypeDef) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  if (types.length === 0) return skip(none);
  const skipped: string[] = [];
  let passed = 0;
  for (const type of types) {
    const outcome = await run(type);
    if (outcome.status === "failed") return { status: "failed", detail: `${type.name}: ${outcome.detail}` };
    if (outcome.status === "skipped") skipped.push(`${type.name}: ${outcome.detail}`);
    else passed += 1;
  }
  return passed > 0 ? { status: "passed" } : skip(skipped.join("; "));
}
