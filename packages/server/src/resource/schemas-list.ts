import { ScimError } from "@scimkit/core";
import type { TypeContext } from "./context.js";
import { clip } from "./normalize.js";

/** The URNs of a `schemas` value: the strings of a list, or a single string (lenient bodies send one). */
function urnsOf(given: unknown): string[] {
  if (typeof given === "string") return [given];
  if (!Array.isArray(given)) return [];
  return given.filter((s): s is string => typeof s === "string");
}

/**
 * A `schemas` value naming the base schema of another resource type of the bundle (a Group URN sent to
 * /Users) is the wrong endpoint, not an identity provider's quirk: 400 `invalidValue` in both modes
 * (RFC 7643 §3: "The "schemas" attribute for a resource MUST only contain values defined as "schema"
 * and "schemaExtensions" for the resource's defined "resourceType"").
 *
 * @example
 * checkNotOtherResourceType(context, ["urn:ietf:params:scim:schemas:core:2.0:Group"]); // throws on a User context
 */
export function checkNotOtherResourceType(context: TypeContext, given: unknown): void {
  const own = context.base.id.toLowerCase();
  for (const urn of urnsOf(given)) {
    const lower = urn.toLowerCase();
    if (lower === own) continue;
    const other = context.registry.bundle.resourceTypes.find((t) => t.schema.toLowerCase() === lower);
    if (other !== undefined) {
      throw ScimError.invalidValue(
        `"schemas" lists "${other.schema}", the schema of ${other.name} resources; this is a ${context.type.name} (${context.type.endpoint}): send ${other.name} resources to ${other.endpoint} (RFC 7643 §3)`,
      );
    }
  }
}

/**
 * Strict: RFC 7643 §3 says of `schemas`: "Duplicate values MUST NOT be included", so a URN listed twice,
 * in any case (URNs compare case-insensitively), is 400 `invalidValue`. Lenient mode rebuilds the list.
 *
 * @example
 * checkNoDuplicateSchemas([USER_SCHEMA, USER_SCHEMA.toUpperCase()]); // throws
 */
export function checkNoDuplicateSchemas(given: readonly string[]): void {
  const seen = new Set<string>();
  for (const urn of given) {
    const lower = urn.toLowerCase();
    if (seen.has(lower))
      throw ScimError.invalidValue(
        `"schemas" lists "${clip(urn)}" twice; duplicate values MUST NOT be included (RFC 7643 §3)`,
      );
    seen.add(lower);
  }
}
