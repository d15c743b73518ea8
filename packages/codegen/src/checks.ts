// Definitions that parse but cannot be served or generated as written: canonical values on attributes
// whose values are not strings, and resource types that share an endpoint or take a reserved one.
import {
  type AttributeDefinition,
  type Located,
  type ResourceTypeDefinition,
  type SchemaDefinition,
  SchemaLoadError,
} from "@scimkit/core";

/** Attribute types whose values are not strings, so string `canonicalValues` can never be one of them. */
const NOT_STRING_VALUED = new Set(["boolean", "integer", "decimal", "complex"]);

/**
 * Refuses `canonicalValues` on a boolean, integer, decimal or complex attribute (at any depth): they
 * are strings (RFC 7643 §2.2, §7), so no value of such an attribute can be one, and the generated
 * types ignore them. Throws {@link SchemaLoadError} at the attribute's `canonicalValues`.
 *
 * @example
 * checkCanonicalValues(schema, { file: "acme.schema.json", pointer: "" });
 */
export function checkCanonicalValues(
  schema: SchemaDefinition,
  where: { readonly file: string; readonly pointer: string },
): void {
  const walk = (attributes: readonly AttributeDefinition[], at: string, owner: string) => {
    attributes.forEach((attribute, i) => {
      const pointer = `${at}/${i}`;
      const name = owner ? `${owner}.${attribute.name}` : attribute.name;
      if (attribute.canonicalValues?.length && NOT_STRING_VALUED.has(attribute.type))
        throw new SchemaLoadError({
          file: where.file,
          pointer: `${pointer}/canonicalValues`,
          problem: `attribute "${name}" has type "${attribute.type}", so "canonicalValues" (strings such as "work", RFC 7643 §2.2) do not apply; remove them`,
        });
      if (attribute.subAttributes) walk(attribute.subAttributes, `${pointer}/subAttributes`, name);
    });
  };
  walk(schema.attributes, `${where.pointer}/attributes`, "");
}

/** Endpoints RFC 7644 gives their own meaning under the service root (§3.2, §3.4.3, §3.7, §3.11, §4). */
const RESERVED_ENDPOINTS = ["ServiceProviderConfig", "ResourceTypes", "Schemas", "Bulk", "Me", ".search"];

/**
 * Refuses two resource types with the same endpoint (compared as a server routes them: case-insensitive,
 * without leading or trailing `/`), since requests to it could only reach one of them, and an endpoint
 * that RFC 7644 reserves (`/Schemas`, `/Bulk`, `/Me`, …). Throws {@link SchemaLoadError} at the later
 * resource type's `endpoint`.
 *
 * @example
 * checkEndpoints(loaded.resourceTypes);
 */
export function checkEndpoints(resourceTypes: readonly Located<ResourceTypeDefinition>[]): void {
  const seen = new Map<string, Located<ResourceTypeDefinition>>();
  const reserved = new Map(RESERVED_ENDPOINTS.map((e) => [e.toLowerCase(), e] as const));
  for (const located of resourceTypes) {
    const { definition: type, file, pointer } = located;
    const key = type.endpoint.replace(/^\/+|\/+$/g, "").toLowerCase();
    const taken = reserved.get(key);
    if (taken)
      throw new SchemaLoadError({
        file,
        pointer: `${pointer}/endpoint`,
        problem: `resource type "${type.name}" has endpoint "${type.endpoint}", which RFC 7644 reserves for /${taken}; choose another endpoint`,
      });
    const previous = seen.get(key);
    if (previous)
      throw new SchemaLoadError({
        file,
        pointer: `${pointer}/endpoint`,
        problem: `resource types "${previous.definition.name}" (${previous.file}) and "${type.name}" both have endpoint "${type.endpoint}"${previous.definition.endpoint === type.endpoint ? "" : ` ("${previous.definition.endpoint}")`}; requests to it can reach only one of them, so give each resource type its own endpoint (endpoints are matched case-insensitively)`,
      });
    seen.set(key, located);
  }
}
