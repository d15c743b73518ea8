import { namingAttribute } from "./attributes.js";
import type { AttributeDef, ResourceTypeDef, SchemaDef } from "./model.js";
import { hashOf, isResourceReference, referencedType, simpleValue, type ValueOptions } from "./values.js";

/** Options of {@link generateBody}. */
export interface BodyOptions extends ValueOptions {
  /**
   * Group `members` (any top-level attribute named `members`) are sent only when given here, verbatim
   * (e.g. `[{ value: userId }]`): members must exist, and a check decides which.
   */
  readonly members?: readonly Readonly<Record<string, unknown>>[];
  /** Variant of the immutable attributes; default `variant`. A replace body keeps them with 0. */
  readonly immutableVariant?: number;
  /** Send the common attribute `externalId` (RFC 7643 §3.1), prefixed. Default true. */
  readonly externalId?: boolean;
  /** Leaves out the attributes (by RFC 7644 §3.10 path, e.g. `name.givenName`) for which this is false. */
  readonly include?: (path: string, attr: AttributeDef) => boolean;
}

/** How many values a multi-valued attribute gets: two, so that `primary` is on exactly one of them. */
const VALUES = 2;

type Json = Record<string, unknown>;

interface Walk {
  readonly options: BodyOptions;
  readonly naming: AttributeDef | undefined;
  /** "writable": what a client sends; "readOnly": values for readOnly attributes a server must ignore. */
  readonly mode: "writable" | "readOnly";
}

function optionsFor(attr: AttributeDef, walk: Walk): ValueOptions {
  if (attr.mutability !== "immutable" || walk.options.immutableVariant === undefined) return walk.options;
  return { ...walk.options, variant: walk.options.immutableVariant };
}

function wanted(attr: AttributeDef, parent: AttributeDef | undefined, walk: Walk, path: string): boolean {
  if (walk.options.include && !walk.options.include(path, attr)) return false;
  if (walk.mode === "readOnly") return parent !== undefined || attr.mutability === "readOnly";
  return attr.mutability !== "readOnly";
}

/** A complex value; for a `User`/`Group` reference (a `$ref` to resources) its `value` is an existing id. */
function complexValue(attr: AttributeDef, path: string, index: number, walk: Walk): Json | undefined {
  const ref = attr.subAttributes.find((s) => s.name === "$ref" && isResourceReference(s));
  const options = optionsFor(attr, walk);
  let target: string | undefined;
  if (ref) {
    target = referencedType(ref, options);
    if (target === undefined && walk.mode === "writable") return undefined;
  }
  const out: Json = {};
  for (const sub of attr.subAttributes) {
    const subPath = `${path}.${sub.name}`;
    if (!wanted(sub, attr, walk, subPath)) continue;
    const name = sub.name.toLowerCase();
    if (ref) {
      // The server derives $ref and display from the id; a readOnly body points at nothing real.
      if (name === "value")
        out[sub.name] =
          walk.mode === "readOnly"
            ? `scimkit-readonly-${hashOf(`${options.seed}|${subPath}`).toString(16)}`
            : options.references?.[target ?? ""]?.id;
      else if (name === "type" && target !== undefined && sub.canonicalValues.includes(target))
        out[sub.name] = target;
      if (name === "value" || name === "type" || name === "$ref" || name.startsWith("display")) continue;
    }
    if (name === "primary" && sub.type === "boolean" && attr.multiValued) {
      if (index === 0) out[sub.name] = true;
      continue;
    }
    const value =
      sub.type === "complex"
        ? undefined
        : simpleValue(sub, attr, subPath, index, optionsFor(sub, walk), prefixedAs(sub, undefined));
    if (value !== undefined) out[sub.name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function prefixedAs(attr: AttributeDef, naming: AttributeDef | undefined): "naming" | "unique" | undefined {
  if (attr === naming) return "naming";
  return attr.type === "string" && attr.uniqueness !== "none" ? "unique" : undefined;
}

function attributeValue(attr: AttributeDef, path: string, walk: Walk): unknown {
  const one = (index: number) =>
    attr.type === "complex"
      ? complexValue(attr, path, index, walk)
      : simpleValue(attr, undefined, path, index, optionsFor(attr, walk), prefixedAs(attr, walk.naming));
  if (!attr.multiValued) return one(0);
  const ref = attr.subAttributes.some((s) => s.name === "$ref" && isResourceReference(s));
  // One value when the values could not differ: a single referenced resource or a one-entry canonical list.
  const count = ref || (attr.type !== "complex" && attr.canonicalValues.length === 1) ? 1 : VALUES;
  const values = Array.from({ length: count }, (_, i) => one(i)).filter((v) => v !== undefined);
  return values.length > 0 ? values : undefined;
}

function schemaValues(schema: SchemaDef, prefix: string, walk: Walk): Json {
  const out: Json = {};
  for (const attr of schema.attributes) {
    const path = `${prefix}${attr.name}`;
    if (prefix === "" && attr.name.toLowerCase() === "members") {
      if (walk.mode === "writable" && walk.options.members) out[attr.name] = [...walk.options.members];
      continue;
    }
    if (!wanted(attr, undefined, walk, path)) continue;
    const value = attributeValue(attr, path, walk);
    if (value !== undefined) out[attr.name] = value;
  }
  return out;
}

function bodyOf(type: ResourceTypeDef, walk: Walk): Json {
  const body: Json = { schemas: [type.schema.id] };
  Object.assign(body, schemaValues(type.schema, "", walk));
  if (walk.mode === "writable" && walk.options.externalId !== false) {
    const v = walk.options.variant;
    body.externalId = `${walk.options.prefix}${walk.options.seed}-external${v === 0 ? "" : `-v${v}`}`;
  }
  for (const extension of type.extensions) {
    const values = schemaValues(extension.schema, `${extension.schema.id}:`, walk);
    if (Object.keys(values).length === 0) continue;
    body[extension.schema.id] = values;
    (body.schemas as string[]).push(extension.schema.id);
  }
  return body;
}

/**
 * A valid body for any resource type that sets every writable attribute (RFC 7643 §7 mutability
 * readWrite, writeOnly, immutable), extensions included under their URN key and listed in `schemas`
 * (RFC 7643 §3). Values fit each type (see {@link simpleValue}); multi-valued attributes get two values
 * with `primary: true` on the first only (RFC 7643 §2.4); `User`/`Group` references point at
 * `options.references` or are left out; group `members` only come from `options.members`. The naming
 * attribute ({@link namingAttribute}) is `<prefix><seed>`, other unique strings `<prefix><seed>-<name>`,
 * so that clean-up finds them and two seeds never collide. Same options, same body; `variant: 1` gives
 * another value for every attribute (keep immutable ones with `immutableVariant: 0`).
 *
 * @example
 * const user = resourceTypeOf(await ctx.discovery(), "User");
 * const body = generateBody(user, { prefix: ctx.prefix, seed: "replace", variant: 0 });
 * const again = generateBody(user, { prefix: ctx.prefix, seed: "replace", variant: 1, immutableVariant: 0 });
 */
export function generateBody(type: ResourceTypeDef, options: BodyOptions): Json {
  return bodyOf(type, { options, naming: namingAttribute(type), mode: "writable" });
}

/**
 * Values for the resource type's top-level readOnly attributes, e.g. User `groups` (a made-up group id): what a server must ignore when a client sends them (RFC 7643 §7
 * "readOnly … SHALL be ignored"). `schemas` lists the base schema and the extensions with a value.
 *
 * @example
 * const ignored = readOnlyBody(user, { prefix: ctx.prefix, seed: "ro", variant: 0 });
 * const put = { ...generateBody(user, opts), ...ignored, schemas: generateBody(user, opts).schemas };
 */
export function readOnlyBody(type: ResourceTypeDef, options: BodyOptions): Json {
  return bodyOf(type, { options, naming: namingAttribute(type), mode: "readOnly" });
}
