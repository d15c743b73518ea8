import { describe, expectTypeOf, test } from "vitest";
import {
  bundle,
  ENTERPRISE_USER_SCHEMA,
  type EnterpriseUser,
  type EnterpriseUserInput,
  type EnterpriseUserManager,
  type EnterpriseUserPatch,
  type Group,
  type GroupAttributePaths,
  type GroupInput,
  type GroupMember,
  type GroupPatch,
  type Meta,
  type ResourceTypeAttributePaths,
  type ResourceTypeModels,
  type ServiceProviderConfig,
  type ServiceProviderConfiguration,
  USER_SCHEMA,
  type User,
  type UserAttributePaths,
  type UserEmail,
  type UserInput,
  type UserName,
  type UserPatch,
} from "./index.js";

/** The keys of T that are required (not optional). */
type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];
/** The literal members of a string union, without its `(string & {})` fallback. */
type Literals<T> = T extends string ? (string extends T ? never : T) : never;

type Enterprise = typeof ENTERPRISE_USER_SCHEMA;
type EmailType = Exclude<UserEmail["type"], undefined>;
type UserCommon = "schemas" | "externalId";
type UserWritable =
  | "userName"
  | "name"
  | "displayName"
  | "nickName"
  | "profileUrl"
  | "title"
  | "userType"
  | "preferredLanguage"
  | "locale"
  | "timezone"
  | "active"
  | "emails"
  | "phoneNumbers"
  | "ims"
  | "photos"
  | "addresses"
  | "entitlements"
  | "roles"
  | "x509Certificates";

describe("User (RFC 7643 §4.1), as a server returns it", () => {
  test("has exactly the core attributes, the common ones and the enterprise extension; no password", () => {
    expectTypeOf<keyof User>().toEqualTypeOf<
      UserCommon | "id" | "meta" | UserWritable | "groups" | Enterprise
    >();
  });

  test("requires schemas, id and userName, and nothing else", () => {
    expectTypeOf<RequiredKeys<User>>().toEqualTypeOf<"schemas" | "id" | "userName">();
    expectTypeOf<User["id"]>().toEqualTypeOf<string>();
    expectTypeOf<User["userName"]>().toEqualTypeOf<string>();
    expectTypeOf<User["schemas"]>().toEqualTypeOf<string[]>();
  });

  test("emails are optional UserEmail elements", () => {
    expectTypeOf<User["emails"]>().toEqualTypeOf<UserEmail[] | undefined>();
    expectTypeOf<Pick<User, "emails">>().toEqualTypeOf<{ emails?: UserEmail[] }>();
    expectTypeOf<UserEmail>().toEqualTypeOf<{
      value?: string;
      display?: string;
      type?: "work" | "home" | "other" | (string & {});
      primary?: boolean;
    }>();
  });

  test("emails.type: the canonical values as literals, widened so any string is allowed (schemas/README.md D4)", () => {
    expectTypeOf<UserEmail["type"]>().toEqualTypeOf<"work" | "home" | "other" | (string & {}) | undefined>();
    // The literals survive for editors to offer (NonNullable<> would collapse the union to string).
    expectTypeOf<Literals<EmailType>>().toEqualTypeOf<"work" | "home" | "other">();
    expectTypeOf<"work">().toExtend<EmailType>();
    expectTypeOf<"Work">().toExtend<EmailType>();
    expectTypeOf<"private">().toExtend<EmailType>();
    expectTypeOf<42>().not.toExtend<EmailType>();
  });

  test("the enterprise extension lives under its URN key (RFC 7643 §3.3, §4.3)", () => {
    expectTypeOf<User["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]>().toEqualTypeOf<
      EnterpriseUser | undefined
    >();
    expectTypeOf<User[Enterprise]>().toEqualTypeOf<EnterpriseUser | undefined>();
    expectTypeOf<User>().not.toHaveProperty("employeeNumber");
    expectTypeOf<User>().not.toHaveProperty("manager");
  });

  test("meta and groups are there, as returned", () => {
    expectTypeOf<User["meta"]>().toEqualTypeOf<Meta | undefined>();
    expectTypeOf<Meta>().toEqualTypeOf<{
      resourceType?: string;
      created?: string;
      lastModified?: string;
      location?: string;
      version?: string;
    }>();
    expectTypeOf<NonNullable<User["groups"]>[number]>().toEqualTypeOf<{
      value?: string;
      $ref?: string;
      display?: string;
      type?: "direct" | "indirect" | (string & {});
    }>();
  });

  test("name is a UserName", () => {
    expectTypeOf<User["name"]>().toEqualTypeOf<UserName | undefined>();
    expectTypeOf<keyof UserName>().toEqualTypeOf<
      "formatted" | "familyName" | "givenName" | "middleName" | "honorificPrefix" | "honorificSuffix"
    >();
  });

  test("a misspelt or missing attribute is a type error", () => {
    const user: User = { schemas: [USER_SCHEMA], id: "2819c223", userName: "bjensen" };
    // @ts-expect-error misspelt attribute
    const misspelt: User = { schemas: [USER_SCHEMA], id: "2819c223", userName: "bjensen", emial: [] };
    // @ts-expect-error id is required in a returned resource
    const noId: User = { schemas: [USER_SCHEMA], userName: "bjensen" };
    // @ts-expect-error password is returned never, so a returned User has none
    const withPassword: User = { schemas: [USER_SCHEMA], id: "1", userName: "bjensen", password: "x" };
    expectTypeOf(user).toEqualTypeOf<User>();
    void [misspelt, noId, withPassword];
  });
});

describe("UserInput: the create (POST) and replace (PUT) body (RFC 7644 §3.3, §3.5.1)", () => {
  test("has no readOnly attribute: no id, meta or groups; has the writeOnly password", () => {
    expectTypeOf<keyof UserInput>().toEqualTypeOf<UserCommon | UserWritable | "password" | Enterprise>();
    expectTypeOf<UserInput>().not.toHaveProperty("id");
    expectTypeOf<UserInput>().not.toHaveProperty("meta");
    expectTypeOf<UserInput>().not.toHaveProperty("groups");
    expectTypeOf<UserInput["password"]>().toEqualTypeOf<string | undefined>();
  });

  test("requires schemas and userName only", () => {
    expectTypeOf<RequiredKeys<UserInput>>().toEqualTypeOf<"schemas" | "userName">();
  });

  test("its complex values match the returned ones where nothing is readOnly", () => {
    expectTypeOf<NonNullable<UserInput["emails"]>[number]>().toEqualTypeOf<UserEmail>();
    expectTypeOf<NonNullable<UserInput["name"]>>().toEqualTypeOf<UserName>();
    expectTypeOf<UserInput[Enterprise]>().toEqualTypeOf<EnterpriseUserInput | undefined>();
  });

  test("rejects what a client must not send", () => {
    const alice: UserInput = {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: "alice",
      emails: [{ value: "alice@example.com", type: "work", primary: true }],
      [ENTERPRISE_USER_SCHEMA]: { employeeNumber: "701984", manager: { value: "26118915-6090" } },
    };
    // @ts-expect-error id is readOnly
    const withId: UserInput = { ...alice, id: "1" };
    // @ts-expect-error meta is readOnly
    const withMeta: UserInput = { ...alice, meta: {} };
    // @ts-expect-error groups is readOnly (RFC 7643 §4.1.2)
    const withGroups: UserInput = { ...alice, groups: [] };
    // @ts-expect-error userName is required
    const noUserName: UserInput = { schemas: [USER_SCHEMA] };
    // @ts-expect-error exactOptionalPropertyTypes: an absent attribute is not `undefined`
    const explicitUndefined: UserInput = { ...alice, nickName: undefined };
    // @ts-expect-error active is a boolean
    const stringBoolean: UserInput = { ...alice, active: "true" };
    // @ts-expect-error the manager's displayName is readOnly
    const managerName: EnterpriseUserInput = { manager: { value: "1", displayName: "Boss" } };
    void [withId, withMeta, withGroups, noUserName, explicitUndefined, stringBoolean, managerName];
  });
});

describe("UserPatch: a path-less PATCH value (RFC 7644 §3.5.2.1)", () => {
  test("has the writable attributes, all optional, and no schemas", () => {
    expectTypeOf<keyof UserPatch>().toEqualTypeOf<"externalId" | UserWritable | "password" | Enterprise>();
    expectTypeOf<RequiredKeys<UserPatch>>().toEqualTypeOf<never>();
    expectTypeOf<UserPatch[Enterprise]>().toEqualTypeOf<EnterpriseUserPatch | undefined>();
    const patch: UserPatch = { active: false };
    expectTypeOf(patch).toEqualTypeOf<UserPatch>();
  });
});

describe("EnterpriseUser (RFC 7643 §4.3)", () => {
  test("has exactly the extension's attributes, none required", () => {
    expectTypeOf<keyof EnterpriseUser>().toEqualTypeOf<
      "employeeNumber" | "costCenter" | "organization" | "division" | "department" | "manager"
    >();
    expectTypeOf<RequiredKeys<EnterpriseUser>>().toEqualTypeOf<never>();
  });

  test("manager has value, $ref and displayName", () => {
    expectTypeOf<EnterpriseUser["manager"]>().toEqualTypeOf<EnterpriseUserManager | undefined>();
    expectTypeOf<EnterpriseUserManager>().toEqualTypeOf<{
      value?: string;
      $ref?: string;
      displayName?: string;
    }>();
    expectTypeOf<NonNullable<EnterpriseUserInput["manager"]>>().toEqualTypeOf<{
      value?: string;
      $ref?: string;
    }>();
  });
});

describe("Group (RFC 7643 §4.2)", () => {
  test("displayName is a required string (schemas/README.md D1)", () => {
    expectTypeOf<Group["displayName"]>().toEqualTypeOf<string>();
    expectTypeOf<RequiredKeys<Group>>().toEqualTypeOf<"schemas" | "id" | "displayName">();
    expectTypeOf<RequiredKeys<GroupInput>>().toEqualTypeOf<"schemas" | "displayName">();
    expectTypeOf<RequiredKeys<GroupPatch>>().toEqualTypeOf<never>();
    expectTypeOf<keyof Group>().toEqualTypeOf<
      "schemas" | "id" | "externalId" | "meta" | "displayName" | "members"
    >();
  });

  test("members are GroupMember values with display (schemas/README.md D2)", () => {
    expectTypeOf<Group["members"]>().toEqualTypeOf<GroupMember[] | undefined>();
    expectTypeOf<GroupMember>().toEqualTypeOf<{
      value?: string;
      $ref?: string;
      display?: string;
      type?: "User" | "Group" | (string & {});
    }>();
    expectTypeOf<NonNullable<GroupInput["members"]>[number]>().toEqualTypeOf<GroupMember>();
  });
});

describe("ServiceProviderConfig (RFC 7643 §5)", () => {
  test("is ServiceProviderConfiguration under the endpoint's name (schemas/README.md D6)", () => {
    expectTypeOf<ServiceProviderConfig>().toEqualTypeOf<ServiceProviderConfiguration>();
  });

  test("its features are required and say whether they are supported", () => {
    expectTypeOf<ServiceProviderConfig["patch"]["supported"]>().toEqualTypeOf<boolean>();
    expectTypeOf<ServiceProviderConfig["bulk"]>().toEqualTypeOf<{
      supported: boolean;
      maxOperations: number;
      maxPayloadSize: number;
    }>();
    expectTypeOf<ServiceProviderConfig["filter"]>().toEqualTypeOf<{
      supported: boolean;
      maxResults: number;
    }>();
    expectTypeOf<ServiceProviderConfig["etag"]["supported"]>().toEqualTypeOf<boolean>();
    expectTypeOf<RequiredKeys<ServiceProviderConfig>>().toEqualTypeOf<
      "schemas" | "patch" | "bulk" | "filter" | "changePassword" | "sort" | "etag" | "authenticationSchemes"
    >();
    expectTypeOf<ServiceProviderConfig["authenticationSchemes"][number]["type"]>().toEqualTypeOf<
      "oauth" | "oauth2" | "oauthbearertoken" | "httpbasic" | "httpdigest" | (string & {})
    >();
  });
});

describe("attribute-path maps (RFC 7644 §3.10)", () => {
  test("map each path to its SCIM type and value type", () => {
    expectTypeOf<UserAttributePaths["emails.type"]["type"]>().toEqualTypeOf<"string">();
    expectTypeOf<UserAttributePaths["emails.type"]["value"]>().toEqualTypeOf<
      "work" | "home" | "other" | (string & {})
    >();
    expectTypeOf<UserAttributePaths["emails"]["value"]>().toEqualTypeOf<UserEmail>();
    expectTypeOf<UserAttributePaths["emails"]["multiValued"]>().toEqualTypeOf<true>();
    expectTypeOf<UserAttributePaths["active"]["value"]>().toEqualTypeOf<boolean>();
    expectTypeOf<UserAttributePaths["meta.lastModified"]["type"]>().toEqualTypeOf<"dateTime">();
    expectTypeOf<UserAttributePaths["id"]["mutability"]>().toEqualTypeOf<"readOnly">();
    expectTypeOf<GroupAttributePaths["members.display"]["value"]>().toEqualTypeOf<string>();
  });

  test("qualify extension attributes with their URN; bare extension names are no paths", () => {
    expectTypeOf<"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value">().toExtend<
      keyof UserAttributePaths
    >();
    expectTypeOf<`${Enterprise}:employeeNumber`>().toExtend<keyof UserAttributePaths>();
    expectTypeOf<"urn:ietf:params:scim:schemas:core:2.0:User:userName">().toExtend<
      keyof UserAttributePaths
    >();
    expectTypeOf<"employeeNumber">().not.toExtend<keyof UserAttributePaths>();
    expectTypeOf<"manager.value">().not.toExtend<keyof UserAttributePaths>();
    expectTypeOf<"emails.typo">().not.toExtend<keyof UserAttributePaths>();
    expectTypeOf<"userName">().not.toExtend<keyof GroupAttributePaths>();
  });

  test("are listed by resource type name", () => {
    expectTypeOf<ResourceTypeAttributePaths>().toEqualTypeOf<{
      Group: GroupAttributePaths;
      User: UserAttributePaths;
    }>();
    expectTypeOf<ResourceTypeModels["User"]>().toEqualTypeOf<{
      resource: User;
      input: UserInput;
      patch: UserPatch;
      paths: UserAttributePaths;
    }>();
  });
});

describe("bundle (schema data as const)", () => {
  test("keeps literal types", () => {
    expectTypeOf(bundle.resourceTypes[0].name).toEqualTypeOf<"Group">();
    expectTypeOf(bundle.resourceTypes[1].name).toEqualTypeOf<"User">();
    expectTypeOf(bundle.resourceTypes[1].endpoint).toEqualTypeOf<"/Users">();
    expectTypeOf(bundle.resourceTypes[1].schemaExtensions[0].schema).toEqualTypeOf<Enterprise>();
    expectTypeOf<(typeof bundle.resourceTypes)[number]["name"]>().toEqualTypeOf<"Group" | "User">();
    expectTypeOf<typeof USER_SCHEMA>().toEqualTypeOf<"urn:ietf:params:scim:schemas:core:2.0:User">();
    // @ts-expect-error there is no third resource type
    void bundle.resourceTypes[2];
  });
});
