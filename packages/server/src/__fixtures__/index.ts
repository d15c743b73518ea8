import { readFileSync } from "node:fs";

/** Loose JSON for assertions on resources. */
// biome-ignore lint/suspicious/noExplicitAny: test fixtures are read as loose JSON
export type Json = any;

/** A fresh copy of an RFC 7643 §8 example (`minimal-user`, `full-user`, `enterprise-user`, `group`). */
export function rfcExample(name: "minimal-user" | "full-user" | "enterprise-user" | "group"): Json {
  return JSON.parse(readFileSync(new URL(`./rfc7643/${name}.json`, import.meta.url), "utf8"));
}

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** A PATCH request body holding `operations`. */
export function patchOf(...operations: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** Freezes a value and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** What a call threw (or `undefined`), for asserting status and scimType together. */
export function thrown(
  fn: () => unknown,
): { name: string; status?: number; scimType?: string; detail?: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    const e = error as { name: string; status?: number; scimType?: string; detail?: string };
    return {
      name: e.name,
      ...(e.status !== undefined && { status: e.status }),
      ...(e.scimType !== undefined && { scimType: e.scimType }),
      ...(e.detail !== undefined && { detail: e.detail }),
    };
  }
}
