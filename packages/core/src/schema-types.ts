/**
 * SCIM attribute data types (RFC 7643 §2.3).
 *
 * @example
 * const t: AttributeType = "dateTime";
 */
export type AttributeType =
  | "string"
  | "boolean"
  | "decimal"
  | "integer"
  | "dateTime"
  | "binary"
  | "reference"
  | "complex";

/** Every {@link AttributeType}. @example ATTRIBUTE_TYPES.includes("binary"); // true */
export const ATTRIBUTE_TYPES: readonly AttributeType[] = Object.freeze([
  "string",
  "boolean",
  "decimal",
  "integer",
  "dateTime",
  "binary",
  "reference",
  "complex",
]);

/** When an attribute may be written (RFC 7643 §7 "mutability"). @example const m: Mutability = "immutable"; */
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
/** Every {@link Mutability}. @example MUTABILITIES.length; // 4 */
export const MUTABILITIES: readonly Mutability[] = Object.freeze([
  "readOnly",
  "readWrite",
  "immutable",
  "writeOnly",
]);

/** When an attribute is returned (RFC 7643 §7 "returned"). @example const r: Returned = "always"; */
export type Returned = "always" | "never" | "default" | "request";
/** Every {@link Returned}. @example RETURNED_VALUES.includes("request"); // true */
export const RETURNED_VALUES: readonly Returned[] = Object.freeze(["always", "never", "default", "request"]);

/** How unique an attribute's value is (RFC 7643 §7 "uniqueness"). @example const u: Uniqueness = "server"; */
export type Uniqueness = "none" | "server" | "global";
/** Every {@link Uniqueness}. @example UNIQUENESS_VALUES.includes("global"); // true */
export const UNIQUENESS_VALUES: readonly Uniqueness[] = Object.freeze(["none", "server", "global"]);

/**
 * One attribute of a SCIM schema (RFC 7643 §7 "attributes"), with every characteristic present: the
 * loader fills in the RFC 7643 §2.2 defaults (required false, caseExact false, mutability readWrite,
 * returned default, uniqueness none, type string, multiValued false).
 *
 * @example
 * const userName: AttributeDefinition = {
 *   name: "userName", type: "string", multiValued: false, required: true, caseExact: false,
 *   mutability: "readWrite", returned: "default", uniqueness: "server",
 * };
 */
export interface AttributeDefinition {
  /** The attribute's name, in schema case (RFC 7643 §2.1 ATTRNAME, or `$ref`). */
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description?: string;
  readonly required: boolean;
  /** Suggested values (RFC 7643 §7); scimkit treats them as non-exhaustive unless strict. */
  readonly canonicalValues?: readonly string[];
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  /** For `reference` attributes: resource type names, `external` or `uri` (RFC 7643 §7). */
  readonly referenceTypes?: readonly string[];
  /** For `complex` attributes: the sub-attributes, which are never complex themselves (RFC 7643 §2.3.8). */
  readonly subAttributes?: readonly AttributeDefinition[];
}

/**
 * A SCIM schema (RFC 7643 §7), such as the core User schema or an extension.
 *
 * @example
 * const schema: SchemaDefinition = { id: "urn:acme:params:scim:schemas:extension:2.0:User", name: "AcmeUser", attributes: [] };
 */
export interface SchemaDefinition {
  /** The schema URI, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  readonly id: string;
  /** Human-readable name; generated TypeScript types are named after it in PascalCase. */
  readonly name: string;
  readonly description?: string;
  readonly attributes: readonly AttributeDefinition[];
}

/**
 * An extension a resource type may carry (RFC 7643 §6 "schemaExtensions").
 *
 * @example
 * const ext: SchemaExtension = { schema: ENTERPRISE_USER_SCHEMA, required: false };
 */
export interface SchemaExtension {
  readonly schema: string;
  readonly required: boolean;
}

/**
 * A SCIM resource type (RFC 7643 §6): a name, an endpoint, a base schema and its extensions.
 *
 * @example
 * const users: ResourceTypeDefinition = {
 *   id: "User", name: "User", endpoint: "/Users", schema: USER_SCHEMA,
 *   schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
 * };
 */
export interface ResourceTypeDefinition {
  readonly id?: string;
  readonly name: string;
  /** Path relative to the service's base URL, starting with "/", e.g. "/Users". */
  readonly endpoint: string;
  readonly description?: string;
  /** The base schema URI. */
  readonly schema: string;
  readonly schemaExtensions: readonly SchemaExtension[];
}

/**
 * Everything a client or server needs to know about a set of resource types: the schemas and the
 * resource types that use them. `scimkit generate` emits one for your schema folder; `coreBundle()`
 * is the RFC 7643 one (User with the EnterpriseUser extension, and Group).
 *
 * @example
 * const registry = new SchemaRegistry(coreBundle());
 */
export interface ScimBundle {
  readonly schemas: readonly SchemaDefinition[];
  readonly resourceTypes: readonly ResourceTypeDefinition[];
}
