import { COMMON_ATTRIBUTES_DOCUMENT, CORE_SCHEMA_DOCUMENTS } from "./generated/rfc-schemas.gen.js";
import { addDefinitions, type LoadedDocuments, parseAttributeList } from "./schema-loader.js";
import type { AttributeDefinition, ScimBundle } from "./schema-types.js";

const SOURCE = "schemas/core/common-attributes.json";

/**
 * The common attributes every resource has and no schema URI owns (RFC 7643 §3.1): `id`,
 * `externalId` and `meta` with its sub-attributes. Read from `schemas/core/common-attributes.json`.
 *
 * @example
 * COMMON_ATTRIBUTES.map((a) => a.name); // ["id", "externalId", "meta"]
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = Object.freeze(
  parseAttributeList(COMMON_ATTRIBUTES_DOCUMENT.commonAttributes, {
    file: SOURCE,
    pointer: "/commonAttributes",
  }),
);

/**
 * The `schemas` attribute of every resource (RFC 7643 §3): the URIs of the schemas the resource uses.
 * Required, multi-valued; URIs compare case-insensitively.
 *
 * @example
 * SCHEMAS_ATTRIBUTE.multiValued; // true
 */
export const SCHEMAS_ATTRIBUTE: AttributeDefinition = Object.freeze({
  name: "schemas",
  type: "reference",
  multiValued: true,
  description:
    "The URIs of the schemas (base schema and extensions) that define the attributes present in the resource.",
  required: true,
  caseExact: false,
  mutability: "readWrite",
  returned: "always",
  uniqueness: "none",
  referenceTypes: ["uri"],
});

let core: ScimBundle | undefined;

/**
 * The RFC 7643 bundle: the User (with the EnterpriseUser extension) and Group resource types of §8.6
 * and the six schemas of §8.7 (User, Group, EnterpriseUser, ServiceProviderConfig, ResourceType, Schema),
 * as stored in `schemas/core/`. Computed once.
 *
 * @example
 * const registry = new SchemaRegistry(coreBundle());
 * registry.resolve("Group", "members.value")?.attribute.mutability; // "immutable"
 */
export function coreBundle(): ScimBundle {
  if (core) return core;
  const loaded: LoadedDocuments = { schemas: [], resourceTypes: [] };
  for (const [file, document] of Object.entries(CORE_SCHEMA_DOCUMENTS))
    addDefinitions(loaded, document, `schemas/core/${file}`, "");
  core = Object.freeze({
    schemas: Object.freeze(loaded.schemas.map((s) => s.definition)),
    resourceTypes: Object.freeze(loaded.resourceTypes.map((r) => r.definition)),
  });
  return core;
}
