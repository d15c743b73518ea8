import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { loadSchemaFolder, render, resolveModel } from "@scimkit/codegen";
import * as core from "@scimkit/core";
import { describe, expect, it } from "vitest";
import {
  bundle,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  jsonSchema,
  RESOURCE_TYPE_SCHEMA,
  resourceTypes,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  SERVICE_PROVIDER_CONFIGURATION_SCHEMA,
  schemas,
  USER_SCHEMA,
} from "./index.js";

const CORE_SCHEMAS = fileURLToPath(new URL("../../../schemas/core/", import.meta.url));
const GENERATED = new URL("./generated/", import.meta.url);

describe("schema data", () => {
  const constants: [string, { given: string; want: string }][] = [
    ["USER_SCHEMA", { given: USER_SCHEMA, want: core.USER_SCHEMA }],
    ["GROUP_SCHEMA", { given: GROUP_SCHEMA, want: core.GROUP_SCHEMA }],
    ["ENTERPRISE_USER_SCHEMA", { given: ENTERPRISE_USER_SCHEMA, want: core.ENTERPRISE_USER_SCHEMA }],
    [
      "SERVICE_PROVIDER_CONFIG_SCHEMA",
      { given: SERVICE_PROVIDER_CONFIG_SCHEMA, want: core.SERVICE_PROVIDER_CONFIG_SCHEMA },
    ],
    [
      "SERVICE_PROVIDER_CONFIGURATION_SCHEMA",
      { given: SERVICE_PROVIDER_CONFIGURATION_SCHEMA, want: core.SERVICE_PROVIDER_CONFIG_SCHEMA },
    ],
    ["RESOURCE_TYPE_SCHEMA", { given: RESOURCE_TYPE_SCHEMA, want: core.RESOURCE_TYPE_SCHEMA }],
    ["SCHEMA_SCHEMA", { given: SCHEMA_SCHEMA, want: core.SCHEMA_SCHEMA }],
  ];
  it.each(constants)("%s is the RFC 7643 URN", (_, { given, want }) => {
    expect(given).toBe(want);
  });

  it("holds the six RFC 7643 §8.7 schemas, sorted by id", () => {
    expect(schemas.map((s) => s.id)).toEqual([
      GROUP_SCHEMA,
      RESOURCE_TYPE_SCHEMA,
      SCHEMA_SCHEMA,
      SERVICE_PROVIDER_CONFIG_SCHEMA,
      USER_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
    ]);
    expect(schemas.map((s) => s.name)).toEqual([
      "Group",
      "ResourceType",
      "Schema",
      "Service Provider Configuration",
      "User",
      "EnterpriseUser",
    ]);
  });

  it("holds the two §8.6 resource types, the enterprise extension optional (schemas/README.md D5)", () => {
    expect(resourceTypes).toEqual([
      {
        id: "Group",
        name: "Group",
        endpoint: "/Groups",
        description: "Group",
        schema: GROUP_SCHEMA,
        schemaExtensions: [],
      },
      {
        id: "User",
        name: "User",
        endpoint: "/Users",
        description: "User Account",
        schema: USER_SCHEMA,
        schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      },
    ]);
    expect(bundle).toEqual({ schemas, resourceTypes });
  });

  const attributes: [string, { given: string; want: string[] }][] = [
    [
      "User",
      {
        given: USER_SCHEMA,
        want: [
          "userName",
          "name",
          "displayName",
          "nickName",
          "profileUrl",
          "title",
          "userType",
          "preferredLanguage",
          "locale",
          "timezone",
          "active",
          "password",
          "emails",
          "phoneNumbers",
          "ims",
          "photos",
          "addresses",
          "groups",
          "entitlements",
          "roles",
          "x509Certificates",
        ],
      },
    ],
    ["Group", { given: GROUP_SCHEMA, want: ["displayName", "members"] }],
    [
      "EnterpriseUser",
      {
        given: ENTERPRISE_USER_SCHEMA,
        want: ["employeeNumber", "costCenter", "organization", "division", "department", "manager"],
      },
    ],
  ];
  it.each(attributes)("%s has the RFC's attributes in the RFC's order", (_, { given, want }) => {
    expect(schemas.find((s) => s.id === given)?.attributes.map((a) => a.name)).toEqual(want);
  });

  it("fills in every characteristic (RFC 7643 §2.2), e.g. on Group members.display (schemas/README.md D2)", () => {
    const members = schemas.find((s) => s.id === GROUP_SCHEMA)?.attributes.find((a) => a.name === "members");
    expect(members?.subAttributes?.find((a) => a.name === "display")).toEqual({
      name: "display",
      type: "string",
      multiValued: false,
      description: "A human-readable name for the group member, primarily used for display purposes.",
      required: false,
      caseExact: false,
      mutability: "immutable",
      returned: "default",
      uniqueness: "none",
    });
  });

  it("is the bundle @scimkit/core has built in (in another order)", () => {
    const builtIn = core.coreBundle();
    const plain = (value: readonly { id?: string }[]) =>
      (JSON.parse(JSON.stringify(value)) as { id: string }[]).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(plain(schemas)).toEqual(plain(builtIn.schemas));
    expect(plain(resourceTypes)).toEqual(plain(builtIn.resourceTypes));
  });

  it("exports the JSON Schema 2020-12 definitions of every type", () => {
    expect(jsonSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(jsonSchema.$defs)).toEqual(
      expect.arrayContaining([
        "User",
        "UserInput",
        "UserPatch",
        "Group",
        "EnterpriseUser",
        "UserEmail",
        "Meta",
      ]),
    );
  });
});

describe("src/generated", () => {
  it("is exactly what `scimkit generate --schemas schemas/core` renders now (the drift check)", async () => {
    const files = await render(resolveModel(await loadSchemaFolder(CORE_SCHEMAS)));
    expect(files.map((f) => f.path)).toHaveLength(8);
    for (const file of files) {
      const committed = await readFile(new URL(file.path, GENERATED), "utf8");
      expect(committed, `src/generated/${file.path} is stale: run \`pnpm generate\` in packages/models`).toBe(
        file.contents,
      );
    }
  }, 30_000);
});
