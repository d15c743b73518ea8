import type {
  AttributeDef,
  AttributeType,
  Mutability,
  ResourceTypeDef,
  Returned,
  SchemaDef,
  Uniqueness,
} from "./model.js";

/** One attribute or sub-attribute of a resource type, with the path a PATCH or filter names it by. */
export interface AttributeInfo {
  /**
   * RFC 7644 §3.10 path: `userName`, `name.givenName`, and for extensions the URN-qualified
   * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
   */
  readonly path: string;
  /** URN of the schema defining it. */
  readonly schema: string;
  /** True when `schema` is one of the resource type's extensions (its values live under the URN key). */
  readonly extension: boolean;
  /** The parent complex attribute's name for a sub-attribute. */
  readonly parent: string | undefined;
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly caseExact: boolean;
  readonly definition: AttributeDef;
}

function infosOf(schema: SchemaDef, extension: boolean): AttributeInfo[] {
  const out: AttributeInfo[] = [];
  const prefix = extension ? `${schema.id}:` : "";
  const info = (attr: AttributeDef, parent: AttributeDef | undefined): AttributeInfo => ({
    path: `${prefix}${parent ? `${parent.name}.` : ""}${attr.name}`,
    schema: schema.id,
    extension,
    parent: parent?.name,
    name: attr.name,
    type: attr.type,
    multiValued: attr.multiValued,
    required: attr.required,
    // A sub-attribute of a readOnly attribute cannot be written whatever it says itself.
    mutability: parent?.mutability === "readOnly" ? "readOnly" : attr.mutability,
    returned: parent?.returned === "never" ? "never" : attr.returned,
    uniqueness: attr.uniqueness,
    caseExact: attr.caseExact,
    definition: attr,
  });
  for (const attr of schema.attributes) {
    out.push(info(attr, undefined));
    for (const sub of attr.subAttributes) out.push(info(sub, attr));
  }
  return out;
}

/**
 * Every attribute and sub-attribute of a resource type, base schema first, then each extension.
 *
 * @example
 * listAttributes(user).find((a) => a.path === "name.givenName")?.type; // "string"
 */
export function listAttributes(type: ResourceTypeDef): AttributeInfo[] {
  return [...infosOf(type.schema, false), ...type.extensions.flatMap((e) => infosOf(e.schema, true))];
}

/**
 * The attributes a client may send (RFC 7643 §7 mutability readWrite, writeOnly or immutable; never
 * readOnly, nor a sub-attribute of a readOnly attribute).
 *
 * @example
 * writableAttributes(user).map((a) => a.path); // ["userName", "name", "name.formatted", …, "password", …]
 */
export function writableAttributes(type: ResourceTypeDef): AttributeInfo[] {
  return listAttributes(type).filter((a) => a.mutability !== "readOnly");
}

/**
 * The attribute that names a resource and carries the run prefix: `userName` or `displayName` when the
 * base schema has it, else the first required unique string, else the first required string (RFC 7643
 * §4.1.1, §4.2). Undefined when the schema has none of them.
 *
 * @example
 * namingAttribute(device)?.name; // "displayName" for the Acme Device
 */
export function namingAttribute(type: ResourceTypeDef): AttributeDef | undefined {
  const top = type.schema.attributes.filter(
    (a) => a.type === "string" && !a.multiValued && a.mutability !== "readOnly",
  );
  const byName = (name: string) => top.find((a) => a.name.toLowerCase() === name.toLowerCase());
  return (
    byName("userName") ??
    byName("displayName") ??
    top.find((a) => a.required && a.uniqueness !== "none") ??
    top.find((a) => a.required)
  );
}
