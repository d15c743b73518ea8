import {
  type AttributeDefinition,
  COMMON_ATTRIBUTES,
  type ResourceTypeDefinition,
  type SchemaDefinition,
} from "@scimkit/core";
import type { GenerationModel } from "./load.js";
import { pascalCase, singular } from "./names.js";

/**
 * The three shapes of a resource (or schema) that scimkit generates types for.
 * - `resource`: as a server returns it (RFC 7643 §7 `returned`: never-returned attributes absent).
 * - `input`: a create (POST) or replace (PUT) body: readOnly attributes absent (RFC 7644 §3.3, §3.5.1).
 * - `patch`: the value of a path-less PATCH add/replace (RFC 7644 §3.5.2.1): writable attributes, all optional.
 *
 * @example
 * const view: View = "input";
 */
export type View = "resource" | "input" | "patch";

/** The type names of one schema or resource type, per view. @example plan.resourceTypes[0].names.input; // "UserInput" */
export interface ViewNames {
  readonly resource: string;
  readonly input: string;
  readonly patch: string;
}

/** A resource type and the names of its generated types. @example plan.resourceTypes[0].names.resource; // "User" */
export interface PlannedResourceType {
  readonly definition: ResourceTypeDefinition;
  readonly names: ViewNames;
  readonly base: SchemaDefinition;
  readonly extensions: readonly { readonly schema: SchemaDefinition; readonly required: boolean }[];
}

/**
 * A schema that gets interfaces of its own. `kind` says what it holds: `extension` (only its own
 * attributes, found under its URN key in a resource) or `resource` (a base or standalone schema: its
 * attributes plus `schemas` and the common attributes of RFC 7643 §3.1).
 *
 * @example
 * plan.schemas.find((s) => s.definition.name === "EnterpriseUser")?.kind; // "extension"
 */
export interface PlannedSchema {
  readonly definition: SchemaDefinition;
  readonly names: ViewNames;
  readonly kind: "extension" | "resource";
  /**
   * Used by no resource type (the discovery schemas ServiceProviderConfig, ResourceType and Schema of
   * RFC 7643 §5–§7): only read, so only the `resource` view is generated.
   */
  readonly standalone: boolean;
}

/**
 * Every TypeScript name the generators emit, decided once so all outputs agree.
 *
 * @example
 * const plan = planTypes(model);
 * plan.complexName(ENTERPRISE_USER_SCHEMA, "manager"); // "EnterpriseUserManager"
 */
export interface TypePlan {
  readonly resourceTypes: readonly PlannedResourceType[];
  readonly schemas: readonly PlannedSchema[];
  /** Type name of one value of a complex attribute (resource view); `schemaId` undefined for common attributes. */
  complexName(schemaId: string | undefined, attribute: string): string;
  /** Name of the type holding a schema's attributes, per view (a resource type's when it shares the schema's name). */
  schemaTypeName(schemaId: string, view: View): string;
  /** Base name for a schema's URN constant, e.g. "EnterpriseUser" → ENTERPRISE_USER_SCHEMA. */
  schemaConstantBase(schemaId: string): string;
}

/**
 * Decides the name of every generated type (DESIGN.md): a resource type's types are named after its
 * `name` (`User`, `UserInput`, `UserPatch`); each other schema after its `name` in PascalCase
 * (`EnterpriseUser`); one value of a complex attribute after its owner and the singular of the
 * attribute (`UserEmail`, `GroupMember`, `EnterpriseUserManager`, common `Meta`). When two names
 * collide, the schema's name is prefixed with its URN namespace (`AcmeUser`); if that still collides,
 * generation stops with an error naming both.
 *
 * @example
 * const plan = planTypes(resolveModel(await loadSchemaFolder("./schemas")));
 */
export function planTypes(model: GenerationModel): TypePlan {
  const taken = new Map<string, string>();
  const claim = (name: string, owner: string): boolean => {
    for (const n of [name, `${name}Input`, `${name}Patch`]) if (taken.has(n)) return false;
    for (const n of [name, `${name}Input`, `${name}Patch`]) taken.set(n, owner);
    return true;
  };
  const views = (name: string): ViewNames => ({
    resource: name,
    input: `${name}Input`,
    patch: `${name}Patch`,
  });
  const registry = model.registry;

  const resourceTypes: PlannedResourceType[] = [];
  const ownerOf = new Map<string, string>();
  for (const definition of model.resourceTypes) {
    const name = pascalCase(definition.name);
    if (!claim(name, `resource type "${definition.name}"`)) {
      throw new Error(
        `resource type "${definition.name}": its type name ${name} is already used by ${taken.get(name)}; rename one of them`,
      );
    }
    const { base, extensions } = registry.schemasOf(definition.name);
    resourceTypes.push({
      definition,
      names: views(name),
      base,
      extensions: extensions.map((e) => ({ schema: e.schema, required: e.required })),
    });
    if (pascalCase(base.name) === name && !ownerOf.has(base.id)) ownerOf.set(base.id, name);
  }

  const extensionIds = new Set(
    model.resourceTypes.flatMap((t) => t.schemaExtensions.map((e) => e.schema.toLowerCase())),
  );
  const baseIds = new Set(model.resourceTypes.map((t) => t.schema.toLowerCase()));
  const schemas: PlannedSchema[] = [];
  for (const definition of model.schemas) {
    if (ownerOf.has(definition.id)) continue;
    let name = pascalCase(definition.name);
    if (!claim(name, `schema "${definition.id}"`)) {
      const namespace = /^urn:([^:]+):/i.exec(definition.id)?.[1] ?? "";
      const prefixed = pascalCase(`${namespace} ${definition.name}`);
      if (!claim(prefixed, `schema "${definition.id}"`)) {
        throw new Error(
          `schema "${definition.id}": its type name ${name} (and ${prefixed}) is already used by ${taken.get(name)}; give the schema a distinct "name"`,
        );
      }
      name = prefixed;
    }
    ownerOf.set(definition.id, name);
    const lower = definition.id.toLowerCase();
    schemas.push({
      definition,
      names: views(name),
      kind: extensionIds.has(lower) && !baseIds.has(lower) ? "extension" : "resource",
      standalone: !extensionIds.has(lower) && !baseIds.has(lower),
    });
  }

  // Complex attribute value types, named after their owner.
  const complexNames = new Map<string, string>();
  const nameComplex = (
    schemaId: string | undefined,
    owner: string,
    attributes: readonly AttributeDefinition[],
  ) => {
    for (const attribute of attributes) {
      if (attribute.type !== "complex") continue;
      const noun = attribute.multiValued
        ? (singular(attribute.name) ?? `${attribute.name}Item`)
        : attribute.name;
      let name = owner + pascalCase(noun);
      if (taken.has(name)) name = `${owner}${pascalCase(attribute.name)}Value`;
      if (taken.has(name))
        throw new Error(
          `cannot name the type of "${attribute.name}" in ${owner}: ${name} is taken by ${taken.get(name)}`,
        );
      taken.set(name, `attribute "${attribute.name}" of ${owner}`);
      complexNames.set(`${schemaId ?? ""}\u0000${attribute.name}`, name);
    }
  };
  nameComplex(undefined, "", COMMON_ATTRIBUTES);
  for (const schema of model.schemas)
    nameComplex(schema.id, ownerOf.get(schema.id) as string, schema.attributes);

  const viewNameOfSchema = new Map<string, ViewNames>();
  for (const t of resourceTypes)
    if (ownerOf.get(t.base.id) === t.names.resource) viewNameOfSchema.set(t.base.id, t.names);
  for (const s of schemas) viewNameOfSchema.set(s.definition.id, s.names);

  return {
    resourceTypes,
    schemas,
    complexName(schemaId, attribute) {
      const name = complexNames.get(`${schemaId ?? ""}\u0000${attribute}`);
      if (name === undefined)
        throw new Error(
          `no type name planned for complex attribute "${attribute}" of ${schemaId ?? "the common attributes"}`,
        );
      return name;
    },
    schemaTypeName(schemaId, view) {
      const names = viewNameOfSchema.get(schemaId);
      if (!names) throw new Error(`no type planned for schema "${schemaId}"`);
      return names[view];
    },
    schemaConstantBase(schemaId) {
      return ownerOf.get(schemaId) ?? pascalCase(schemaId);
    },
  };
}
