export { readBoundedBody } from "./bounded-body.js";
export { BULK_ID_PATH, BULK_ID_REFERENCE, bulkIdReferences, replaceBulkIds } from "./bulk-ids.js";
export { COMMON_ATTRIBUTES, coreBundle, SCHEMAS_ATTRIBUTE } from "./core-bundle.js";
export { didYouMean, editDistance } from "./did-you-mean.js";
export type { ScimErrorBody, ScimErrorOptions, ScimType } from "./errors.js";
export { isScimError, SCIM_TYPES, ScimError } from "./errors.js";
export { isForbiddenKey } from "./json-keys.js";
export type { JsonFault } from "./json-text.js";
export { lineColumn, locateJsonError, parseJsonText } from "./json-text.js";
export type { ResolvedAttribute, ResolvedSchema, ResolveOptions } from "./registry.js";
export { SchemaRegistry } from "./registry.js";
export type { LoadedDocuments, Located } from "./schema-loader.js";
export {
  addDefinitions,
  parseAttributeList,
  parseResourceTypeDefinition,
  parseSchemaDefinition,
  parseSchemaDocument,
  SchemaLoadError,
} from "./schema-loader.js";
export type {
  AttributeDefinition,
  AttributeType,
  Mutability,
  ResourceTypeDefinition,
  Returned,
  SchemaDefinition,
  SchemaExtension,
  ScimBundle,
  Uniqueness,
} from "./schema-types.js";
export { ATTRIBUTE_TYPES, MUTABILITIES, RETURNED_VALUES, UNIQUENESS_VALUES } from "./schema-types.js";
export {
  BULK_REQUEST_URN,
  BULK_RESPONSE_URN,
  ENTERPRISE_USER_SCHEMA,
  ERROR_MESSAGE_URN,
  GROUP_SCHEMA,
  isUrn,
  LIST_RESPONSE_URN,
  PATCH_OP_URN,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SCIM_MEDIA_TYPE,
  SEARCH_REQUEST_URN,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./urns.js";
