/** Helpers the discovery, errors, etag and bulk checks share: a User to test with, advertised capabilities and limits. */
import { type Exchange, field } from "../http.js";
import { fail } from "../outcome.js";
import type { Capability, CheckContext, CheckOutcome } from "../types.js";
import { endpointOf, USER } from "./bodies.js";

/** A User a check created for itself: where it lives and the exchange that created it. */
export interface MadeUser {
  readonly endpoint: string;
  readonly id: string;
  /** `/Users/{id}`, relative to the base URL. */
  readonly path: string;
  readonly exchange: Exchange;
}

/** Creates a User named `<prefix><suffix>`; the outcome is a failure naming the create when it did not work. */
export async function createUser(ctx: CheckContext, suffix: string): Promise<MadeUser | CheckOutcome> {
  const endpoint = await endpointOf(ctx, USER);
  if (typeof endpoint !== "string") return endpoint;
  const { exchange, id } = await ctx.create(endpoint, USER.body(ctx, suffix));
  if (id === undefined)
    return fail("could not create a User to test with (expected 201 and an id)", exchange);
  return { endpoint, id, path: `${endpoint}/${encodeURIComponent(id)}`, exchange };
}

/** `supported` of a ServiceProviderConfig capability: true, false, or undefined when not advertised. */
export async function advertised(ctx: CheckContext, capability: Capability): Promise<boolean | undefined> {
  const supported = field(field((await ctx.discovery()).serviceProviderConfig, capability), "supported");
  return typeof supported === "boolean" ? supported : undefined;
}

/** A ServiceProviderConfig limit such as bulk.maxOperations, when it is a non-negative integer. */
export async function limit(
  ctx: CheckContext,
  capability: Capability,
  name: string,
): Promise<number | undefined> {
  const value = field(field((await ctx.discovery()).serviceProviderConfig, capability), name);
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A PatchOp body (RFC 7644 §3.5.2) with the given operations. */
export function patchOp(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}

export function isSuccess(exchange: Exchange): boolean {
  return exchange.status >= 200 && exchange.status < 300;
}

/** A failure about the ServiceProviderConfig, quoting the document as the server serves it. */
export async function configFailure(ctx: CheckContext, problem: string): Promise<CheckOutcome> {
  return fail(problem, await ctx.send("GET", "/ServiceProviderConfig"));
}
