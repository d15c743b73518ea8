import { type AttributeDefinition, COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE } from "@scimkit/core";
import type { PlannedResourceType, PlannedSchema, TypePlan, View } from "./plan.js";

/** A JSON Schema (2020-12) object. @example const s: JsonSchema = { type: "string" }; */
export type JsonSchema = { [key: string]: unknown };

/** The JSON Schema 2020-12 dialect URI. @example doc.$schema === JSON_SCHEMA_DIALECT */
export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/**
 * The SCIM characteristics of an attribute, carried on its JSON Schema as the `x-scim` annotation so
 * that nothing RFC 7643 §7 says about it is lost (JSON Schema 2020-12 ignores unknown keywords).
 *
 * @example
 * schema["x-scim"]; // { type: "string", mutability: "readOnly", returned: "always", uniqueness: "server", caseExact: true, ... }
 */
export type ScimAnnotation = Omit<AttributeDefinition, "name" | "description" | "subAttributes">;

/** Whether an attribute appears in a view at all. */
function inView(attribute: AttributeDefinition, view: View): boolean {
  if (view === "resource") return attribute.returned !== "never" && attribute.mutability !== "writeOnly";
  return attribute.mutability !== "readOnly";
}

/** Whether a present attribute is required in a view. */
function requiredIn(attribute: AttributeDefinition, view: View): boolean {
  if (view === "patch" || !attribute.required) return false;
  return view === "input" || attribute.returned === "always" || attribute.returned === "default";
}

function annotation(attribute: AttributeDefinition): ScimAnnotation {
  const { name: _n, description: _d, subAttributes: _s, ...rest } = attribute;
  return rest;
}

function scalar(attribute: AttributeDefinition): JsonSchema {
  switch (attribute.type) {
    case "string":
      return { type: "string" };
    case "boolean":
      return { type: "boolean" };
    case "decimal":
      return { type: "number" };
    case "integer":
      return { type: "integer" };
    case "dateTime":
      return { type: "string", format: "date-time" };
    case "binary":
      return { type: "string", contentEncoding: "base64" };
    case "reference":
      return { type: "string", format: "uri-reference" };
    case "complex":
      throw new Error(`complex attribute "${attribute.name}" has no scalar form`);
    default: {
      const never: never = attribute.type;
      throw new Error(`unknown attribute type ${String(never)}`);
    }
  }
}

interface Builder {
  readonly plan: TypePlan;
  readonly defs: Map<string, JsonSchema>;
}

/** One attribute's schema in a view; `undefined` when the view leaves it out. */
function attributeSchema(
  b: Builder,
  attribute: AttributeDefinition,
  schemaId: string | undefined,
  view: View,
): JsonSchema | undefined {
  if (!inView(attribute, view)) return undefined;
  let one: JsonSchema;
  if (attribute.type === "complex") {
    const object = objectSchema(b, attribute.subAttributes ?? [], undefined, view, true);
    if (Object.keys(object.properties as object).length === 0) return undefined;
    if (view === "resource") {
      // Resource-view complex values get a named type of their own (UserEmail, Meta, ...).
      const name = b.plan.complexName(schemaId, attribute.name);
      if (!b.defs.has(name))
        b.defs.set(name, {
          title: name,
          ...(attribute.description !== undefined && { description: attribute.description }),
          ...object,
        });
      one = { $ref: `#/$defs/${name}` };
    } else {
      one = object;
    }
  } else {
    one = scalar(attribute);
  }
  const described = (s: JsonSchema): JsonSchema => ({
    ...(attribute.description !== undefined && { description: attribute.description }),
    ...s,
    "x-scim": annotation(attribute),
  });
  return attribute.multiValued ? described({ type: "array", items: one }) : described(one);
}

function objectSchema(
  b: Builder,
  attributes: readonly AttributeDefinition[],
  schemaId: string | undefined,
  view: View,
  isSub: boolean,
): JsonSchema & { properties: Record<string, JsonSchema>; required: string[] } {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const attribute of attributes) {
    // Sub-attributes of nested complex attributes (RFC 7643 §8.7.2 only) stay unnamed.
    const schema =
      isSub && attribute.type === "complex"
        ? inView(attribute, view)
          ? (() => {
              const inner = objectSchema(b, attribute.subAttributes ?? [], undefined, view, true);
              return {
                ...(attribute.description !== undefined && { description: attribute.description }),
                ...(attribute.multiValued ? { type: "array", items: inner } : inner),
                "x-scim": annotation(attribute),
              };
            })()
          : undefined
        : attributeSchema(b, attribute, schemaId, view);
    if (schema === undefined) continue;
    properties[attribute.name] = schema;
    if (requiredIn(attribute, view)) required.push(attribute.name);
  }
  return { type: "object", properties, required, additionalProperties: false };
}

function withoutEmptyRequired(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.required) && schema.required.length === 0) {
    const { required: _r, ...rest } = schema;
    return rest;
  }
  return schema;
}

/** `schemas` plus the common attributes (RFC 7643 §3, §3.1) in a view; `id` is required on returned resources. */
function commonProperties(
  b: Builder,
  view: View,
  idRequired: boolean,
): { properties: Record<string, JsonSchema>; required: string[] } {
  const out = objectSchema(b, [SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES], undefined, view, false);
  if (view === "patch") delete out.properties.schemas;
  const required = out.required.filter((n) => n !== "id");
  if (idRequired && view === "resource" && out.properties.id) required.push("id");
  return { properties: out.properties, required };
}

function resourceTypeSchema(b: Builder, t: PlannedResourceType, view: View): JsonSchema {
  const common = commonProperties(b, view, true);
  const own = objectSchema(b, t.base.attributes, t.base.id, view, false);
  const properties: Record<string, JsonSchema> = { ...common.properties, ...own.properties };
  const required = [...common.required, ...own.required];
  for (const ext of t.extensions) {
    properties[ext.schema.id] = {
      ...(ext.schema.description !== undefined && { description: ext.schema.description }),
      $ref: `#/$defs/${b.plan.schemaTypeName(ext.schema.id, view)}`,
    };
    if (ext.required && view !== "patch") required.push(ext.schema.id);
  }
  return withoutEmptyRequired({
    title: t.names[view],
    ...(t.definition.description !== undefined && { description: t.definition.description }),
    type: "object",
    properties,
    required,
    additionalProperties: false,
  });
}

function schemaSchema(b: Builder, s: PlannedSchema, view: View): JsonSchema {
  const common = s.kind === "resource" ? commonProperties(b, view, false) : { properties: {}, required: [] };
  const own = objectSchema(b, s.definition.attributes, s.definition.id, view, false);
  return withoutEmptyRequired({
    title: s.names[view],
    ...(s.definition.description !== undefined && { description: s.definition.description }),
    type: "object",
    properties: { ...common.properties, ...own.properties },
    required: [...common.required, ...own.required],
    additionalProperties: false,
  });
}

/**
 * Every generated model as a JSON Schema 2020-12 definition, keyed by its TypeScript type name: per
 * resource type and per schema the three views (`User`, `UserInput`, `UserPatch`), and a named
 * definition for the value of each complex attribute in the resource view (`UserEmail`, `Meta`).
 * References between them are `#/$defs/Name`.
 *
 * @example
 * const { $defs } = buildJsonSchemas(plan);
 * $defs.UserInput.properties.id; // undefined: readOnly attributes are not part of a create request
 */
export function buildJsonSchemas(plan: TypePlan): { $schema: string; $defs: Record<string, JsonSchema> } {
  const b: Builder = { plan, defs: new Map() };
  const ordered = new Map<string, JsonSchema>();
  const views: View[] = ["resource", "input", "patch"];
  for (const t of plan.resourceTypes)
    for (const view of views) ordered.set(t.names[view], resourceTypeSchema(b, t, view));
  for (const s of plan.schemas)
    for (const view of s.standalone ? (["resource"] as const) : views)
      ordered.set(s.names[view], schemaSchema(b, s, view));
  for (const [name, def] of b.defs) ordered.set(name, withoutEmptyRequired(def));
  return { $schema: JSON_SCHEMA_DIALECT, $defs: Object.fromEntries(ordered) };
}
