import { type Exchange, field } from "../../http.js";
import { fail, URN } from "../../outcome.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { endpointOf, USER } from "../bodies.js";

/** The enterprise User extension (RFC 7643 §4.3). */
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Fields every PATCH check shares: PATCH is optional (RFC 7644 §3.5.2), so each needs the capability. */
export const patchBase = { profile: "rfc", writes: true, requires: ["patch"] } as const;

/** A PatchOp request body (RFC 7644 §3.5.2). */
export function patchBody(...operations: object[]): object {
  return { schemas: [URN.patchOp], Operations: operations };
}

/** §3.5.2: success is 200 with the resource or 204 without a body. */
export function succeeded(exchange: Exchange): boolean {
  return exchange.status === 200 || exchange.status === 204;
}

/** The resource's URL path under the base URL. */
export function resourcePath(endpoint: string, id: string): string {
  return `${endpoint}/${encodeURIComponent(id)}`;
}

/** A resource created for one check: its path, the create exchange and the body it came back with. */
export interface Subject {
  readonly endpoint: string;
  readonly path: string;
  readonly created: Exchange;
}

/**
 * A User with two emails (work primary, home) and two addresses (work, home): enough multi-valued
 * values for the value-filter and primary checks without creating more than one resource.
 */
export function richUser(ctx: CheckContext, suffix: string): Record<string, unknown> {
  const local = `${ctx.prefix}${suffix}`.toLowerCase();
  return {
    ...USER.body(ctx, suffix),
    emails: [
      { value: `${local}-work@example.com`, type: "work", primary: true },
      { value: `${local}-home@example.com`, type: "home" },
    ],
    addresses: [
      { type: "work", streetAddress: "1 Work Street", locality: "Worktown", country: "US" },
      { type: "home", streetAddress: "2 Home Road", locality: "Hometown", country: "US" },
    ],
  };
}

/** Creates a User (the rich one unless a body is given) and returns where it lives. */
export async function createUser(
  ctx: CheckContext,
  suffix: string,
  body: Record<string, unknown> = richUser(ctx, suffix),
): Promise<Subject | CheckOutcome> {
  const endpoint = await endpointOf(ctx, USER);
  if (typeof endpoint !== "string") return endpoint;
  const made = await ctx.create(endpoint, body);
  if (made.id === undefined) return fail("could not create a User to test with", made.exchange);
  return { endpoint, path: resourcePath(endpoint, made.id), created: made.exchange };
}

/** True when a helper returned an outcome rather than its value. */
export function isOutcome(value: unknown): value is CheckOutcome {
  return typeof value === "object" && value !== null && "status" in value && !("path" in value);
}

/** The values of a multi-valued attribute as objects, or [] when absent. */
export function valuesOf(body: unknown, attribute: string): Record<string, unknown>[] {
  const values = field(body, attribute);
  return Array.isArray(values)
    ? values.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null)
    : [];
}

/**
 * Why an error answer is not the expected one: status, then scimType (RFC 7644 §3.12), or undefined.
 * `scimTypes` lists the keywords the RFC allows for this failure.
 */
export function wrongError(
  exchange: Exchange,
  status: number,
  scimTypes: readonly string[],
): string | undefined {
  if (exchange.status !== status) return `expected ${status}`;
  if (scimTypes.length === 0) return undefined;
  const scimType = field(exchange.json, "scimType");
  return typeof scimType === "string" && scimTypes.includes(scimType)
    ? undefined
    : `expected scimType ${scimTypes.map((t) => `"${t}"`).join(" or ")}`;
}

/** A resource without `meta`, as canonical JSON (keys sorted), to compare two reads of one resource. */
export function canonical(resource: unknown, dropMeta = true): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !(dropMeta && key === "meta"))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, v]) => [key, sort(v)]));
  };
  return JSON.stringify(sort(resource));
}
