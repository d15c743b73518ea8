import type { Discovery } from "../types.js";

/** An attribute's data type (RFC 7643 §2.3, §7 "type"). */
export type AttributeType =
  | "string"
  | "boolean"
  | "decimal"
  | "integer"
  | "dateTime"
  | "binary"
  | "reference"
  | "complex";
/** RFC 7643 §7 "mutability". */
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
/** RFC 7643 §7 "returned". */
export type Returned = "always" | "never" | "default" | "request";
/** RFC 7643 §7 "uniqueness". */
export type Uniqueness = "none" | "server" | "global";

/** One attribute definition read from /Schemas, every characteristic filled in (RFC 7643 §2.2 defaults). */
export interface AttributeDef {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly caseExact: boolean;
  readonly canonicalValues: readonly string[];
  readonly referenceTypes: readonly string[];
  readonly subAttributes: readonly AttributeDef[];
}

/** One schema (RFC 7643 §7): its URN and attributes. */
export interface SchemaDef {
  readonly id: string;
  readonly attributes: readonly AttributeDef[];
}

/** One resource type (RFC 7643 §6) with its base schema and extension schemas resolved from /Schemas. */
export interface ResourceTypeDef {
  readonly name: string;
  /** The endpoint with one leading slash ("/Users"). */
  readonly endpoint: string;
  readonly schema: SchemaDef;
  readonly extensions: readonly { readonly schema: SchemaDef; readonly required: boolean }[];
}

const TYPES: readonly AttributeType[] = [
  "string",
  "boolean",
  "decimal",
  "integer",
  "dateTime",
  "binary",
  "reference",
  "complex",
];
const MUTABILITY: readonly Mutability[] = ["readOnly", "readWrite", "immutable", "writeOnly"];
const RETURNED: readonly Returned[] = ["always", "never", "default", "request"];
const UNIQUENESS: readonly Uniqueness[] = ["none", "server", "global"];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value[key]` with the key matched case-insensitively (RFC 7643 §2.1: attribute names are). */
export function propOf(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  if (Object.hasOwn(value, key)) return value[key];
  const lower = key.toLowerCase();
  const found = Object.keys(value).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : value[found];
}

/** The keyword of `choices` matching `value` case-insensitively, else `fallback`. */
function keyword<T extends string>(value: unknown, choices: readonly T[], fallback: T): T {
  if (typeof value !== "string") return fallback;
  return choices.find((c) => c.toLowerCase() === value.toLowerCase()) ?? fallback;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Reads one attribute definition as /Schemas serves it. Missing characteristics take RFC 7643 §2.2's
 * defaults (type string, readWrite, returned default, uniqueness none, caseExact false); a definition
 * without a name is not an attribute and gives undefined.
 *
 * @example
 * parseAttribute({ name: "userName", type: "string", uniqueness: "server" })?.mutability; // "readWrite"
 */
export function parseAttribute(raw: unknown): AttributeDef | undefined {
  const name = propOf(raw, "name");
  if (typeof name !== "string" || name === "") return undefined;
  const subs = propOf(raw, "subAttributes");
  return {
    name,
    type: keyword(propOf(raw, "type"), TYPES, "string"),
    multiValued: propOf(raw, "multiValued") === true,
    required: propOf(raw, "required") === true,
    mutability: keyword(propOf(raw, "mutability"), MUTABILITY, "readWrite"),
    returned: keyword(propOf(raw, "returned"), RETURNED, "default"),
    uniqueness: keyword(propOf(raw, "uniqueness"), UNIQUENESS, "none"),
    caseExact: propOf(raw, "caseExact") === true,
    canonicalValues: strings(propOf(raw, "canonicalValues")),
    referenceTypes: strings(propOf(raw, "referenceTypes")),
    subAttributes: Array.isArray(subs) ? subs.flatMap((s) => parseAttribute(s) ?? []) : [],
  };
}

/**
 * Reads one schema as /Schemas serves it, or undefined without an `id`.
 *
 * @example
 * parseSchema({ id: "urn:acme:Device", attributes: [{ name: "serialNumber" }] })?.attributes.length; // 1
 */
export function parseSchema(raw: unknown): SchemaDef | undefined {
  const id = propOf(raw, "id");
  if (typeof id !== "string" || id === "") return undefined;
  const attributes = propOf(raw, "attributes");
  return {
    id,
    attributes: Array.isArray(attributes) ? attributes.flatMap((a) => parseAttribute(a) ?? []) : [],
  };
}

/**
 * Every resource type /ResourceTypes advertises whose base schema /Schemas describes, in discovery order,
 * with its extensions (an extension /Schemas lacks is left out: nothing can be generated for it).
 *
 * @example
 * const types = resourceTypesOf(await ctx.discovery());
 * types.map((t) => t.name); // ["User", "Group", "Device"]
 */
export function resourceTypesOf(discovery: Discovery): ResourceTypeDef[] {
  const schemas = new Map<string, SchemaDef>();
  for (const raw of discovery.schemas) {
    const schema = parseSchema(raw);
    if (schema) schemas.set(schema.id.toLowerCase(), schema);
  }
  const passwordRefused =
    propOf(propOf(discovery.serviceProviderConfig, "changePassword"), "supported") === false;
  const types: ResourceTypeDef[] = [];
  for (const raw of discovery.resourceTypes) {
    const name = propOf(raw, "name");
    const endpoint = propOf(raw, "endpoint");
    const schemaId = propOf(raw, "schema");
    if (typeof name !== "string" || typeof endpoint !== "string" || typeof schemaId !== "string") continue;
    const schema = schemas.get(schemaId.toLowerCase());
    if (!schema) continue;
    const rawExtensions = propOf(raw, "schemaExtensions");
    const extensions = (Array.isArray(rawExtensions) ? rawExtensions : []).flatMap((e) => {
      const id = propOf(e, "schema");
      const found = typeof id === "string" ? schemas.get(id.toLowerCase()) : undefined;
      return found ? [{ schema: found, required: propOf(e, "required") === true }] : [];
    });
    const base = passwordRefused ? withoutPassword(schema) : schema;
    types.push({ name, endpoint: `/${endpoint.replace(/^\/+/, "")}`, schema: base, extensions });
  }
  return types;
}

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:user";

/**
 * The core User schema without `password`. A server advertising changePassword.supported false (RFC 7643
 * §5) may refuse any request carrying a password, and a generated body cannot tell setting one from
 * changing one, so the bodies leave it out there; discovery.capability-change-password and
 * security.password-never-returned send their own password and test that behaviour.
 */
function withoutPassword(schema: SchemaDef): SchemaDef {
  if (schema.id.toLowerCase() !== USER_SCHEMA) return schema;
  return { ...schema, attributes: schema.attributes.filter((a) => a.name.toLowerCase() !== "password") };
}

/**
 * The resource type named `name` (case-insensitively), or undefined when discovery lacks it or its schema.
 *
 * @example
 * const user = resourceTypeOf(await ctx.discovery(), "User");
 */
export function resourceTypeOf(discovery: Discovery, name: string): ResourceTypeDef | undefined {
  return resourceTypesOf(discovery).find((t) => t.name.toLowerCase() === name.toLowerCase());
}
