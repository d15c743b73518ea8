import { field } from "../http.js";
import { skip, URN } from "../outcome.js";
import { parseSchema, type ResourceTypeDef, resourceTypeOf } from "../schema/model.js";
import type { CheckContext, CheckOutcome } from "../types.js";

/**
 * The two core resource types, with a minimal valid body for each (the CRUD checks send generated bodies
 * with every writable attribute instead: see {@link resourceTypeFor} and `src/schema/body.ts`).
 */
export interface CoreType {
  /** Resource type name as in /ResourceTypes. */
  readonly name: "User" | "Group";
  /** Lower-case word used in check ids. */
  readonly key: "user" | "group";
  /** The attribute holding the run prefix (uniqueness and clean-up). */
  readonly nameAttribute: "userName" | "displayName";
  /** A minimal valid body (RFC 7643 §4), for checks that need a resource and not its attributes. */
  body(ctx: CheckContext, suffix: string): Record<string, unknown>;
  /** The minimal body with one simple attribute changed, for checks that need a second version (ETags, bulk PUT). */
  changed(
    ctx: CheckContext,
    suffix: string,
  ): { body: Record<string, unknown>; attribute: string; value: string };
}

export const USER: CoreType = {
  name: "User",
  key: "user",
  nameAttribute: "userName",
  body: (ctx, suffix) => ({
    schemas: [URN.user],
    userName: `${ctx.prefix}${suffix}`,
    name: { givenName: "Conformance", familyName: "Check" },
    displayName: "Conformance Check",
    active: true,
  }),
  changed: (ctx, suffix) => ({
    body: { ...USER.body(ctx, suffix), displayName: "Conformance Replaced" },
    attribute: "displayName",
    value: "Conformance Replaced",
  }),
};

export const GROUP: CoreType = {
  name: "Group",
  key: "group",
  nameAttribute: "displayName",
  body: (ctx, suffix) => ({ schemas: [URN.group], displayName: `${ctx.prefix}${suffix}` }),
  changed: (ctx, suffix) => ({
    body: { schemas: [URN.group], displayName: `${ctx.prefix}${suffix}-replaced` },
    attribute: "displayName",
    value: `${ctx.prefix}${suffix}-replaced`,
  }),
};

/** The endpoint of a core resource type, or a skip outcome when the server does not advertise it. */
export async function endpointOf(ctx: CheckContext, type: CoreType): Promise<string | CheckOutcome> {
  const endpoint = await ctx.endpoint(type.name);
  return endpoint ?? skip(`/ResourceTypes advertises no ${type.name} resource type`);
}

/** The `meta` attribute of a resource body as an object. */
export function metaOf(body: unknown): Record<string, unknown> {
  const meta = field(body, "meta");
  return typeof meta === "object" && meta !== null ? (meta as Record<string, unknown>) : {};
}

// Used when /Schemas does not describe the core types, so the CRUD checks still run with RFC 7643 §4's
// attributes that every server has (the bodies above); a server that describes them gets its own schema.
const FALLBACK_SCHEMAS = {
  User: {
    id: URN.user,
    attributes: [
      { name: "userName", type: "string", required: true, uniqueness: "server" },
      { name: "name", type: "complex", subAttributes: [{ name: "givenName" }, { name: "familyName" }] },
      { name: "displayName", type: "string" },
      { name: "active", type: "boolean" },
    ],
  },
  Group: { id: URN.group, attributes: [{ name: "displayName", type: "string", required: true }] },
} as const;

/**
 * The resource type definition of User or Group as the server describes it in /ResourceTypes and
 * /Schemas (RFC 7644 §4), or RFC 7643 §4's basic attributes when it does not; a skip outcome when the
 * server does not advertise the type at all.
 *
 * @example
 * const user = await resourceTypeFor(ctx, USER);
 * if (!("schema" in user)) return user; // skipped
 * const body = generateBody(user, { prefix: ctx.prefix, seed: "patch-replace", variant: 0 });
 */
export async function resourceTypeFor(
  ctx: CheckContext,
  type: CoreType,
): Promise<ResourceTypeDef | CheckOutcome> {
  const endpoint = await endpointOf(ctx, type);
  if (typeof endpoint !== "string") return endpoint;
  const described = resourceTypeOf(await ctx.discovery(), type.name);
  if (described) return { ...described, endpoint };
  const schema = parseSchema(FALLBACK_SCHEMAS[type.name]);
  return {
    name: type.name,
    endpoint,
    schema: schema ?? { id: FALLBACK_SCHEMAS[type.name].id, attributes: [] },
    extensions: [],
  };
}
