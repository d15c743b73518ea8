/**
 * @scimkit/models: the RFC 7643 core resource types as TypeScript, generated from `schemas/core/`
 * by `scimkit generate` (see src/generated/, which is committed and must not be edited).
 */

export { jsonSchema } from "./generated/json-schema.gen.js";
export type {
  EnterpriseUser,
  EnterpriseUserInput,
  EnterpriseUserManager,
  EnterpriseUserPatch,
  Group,
  GroupInput,
  GroupMember,
  GroupPatch,
  Meta,
  ResourceType,
  ResourceTypeModels,
  ResourceTypeSchemaExtension,
  Schema,
  SchemaAttribute,
  ServiceProviderConfiguration,
  ServiceProviderConfiguration as ServiceProviderConfig,
  ServiceProviderConfigurationAuthenticationScheme,
  ServiceProviderConfigurationBulk,
  ServiceProviderConfigurationChangePassword,
  ServiceProviderConfigurationEtag,
  ServiceProviderConfigurationFilter,
  ServiceProviderConfigurationPatchValue,
  ServiceProviderConfigurationSort,
  User,
  UserAddress,
  UserEmail,
  UserEntitlement,
  UserGroup,
  UserIm,
  UserInput,
  UserName,
  UserPatch,
  UserPhoneNumber,
  UserPhoto,
  UserRole,
  UserX509Certificate,
} from "./generated/models.gen.js";
export type {
  components as OpenApiComponents,
  operations as OpenApiOperations,
  paths as OpenApiPaths,
} from "./generated/openapi.gen.js";
export type {
  GroupAttributePaths,
  ResourceTypeAttributePaths,
  UserAttributePaths,
} from "./generated/paths.gen.js";
/** URN of the ServiceProviderConfig schema (RFC 7643 §5). @example config.schemas.includes(SERVICE_PROVIDER_CONFIG_SCHEMA) */
export {
  bundle,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  resourceTypes,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIGURATION_SCHEMA,
  SERVICE_PROVIDER_CONFIGURATION_SCHEMA as SERVICE_PROVIDER_CONFIG_SCHEMA,
  schemas,
  USER_SCHEMA,
} from "./generated/schema-data.gen.js";
