import { type AttributeDefinition, coreBundle, type ScimBundle } from "@scimkit/core";
import { ENTERPRISE, USER } from "./index.js";

/**
 * The core bundle with attribute characteristics changed (`returned`, mutability …) in the User and
 * enterprise User schemas, keyed by attribute path (`"name.middleName"`), so tests reach `returned:
 * request`, `never` and `always` at every level.
 */
export function bundleWith(changes: Record<string, Partial<AttributeDefinition>>): ScimBundle {
  const change = (prefix: string, attributes: readonly AttributeDefinition[]): AttributeDefinition[] =>
    attributes.map((a) => {
      const path = prefix + a.name;
      const subAttributes = a.subAttributes && change(`${path}.`, a.subAttributes);
      return { ...a, ...(subAttributes && { subAttributes }), ...changes[path] };
    });
  const core = coreBundle();
  return {
    resourceTypes: core.resourceTypes,
    schemas: core.schemas.map((s) =>
      s.id === USER || s.id === ENTERPRISE ? { ...s, attributes: change("", s.attributes) } : s,
    ),
  };
}
