/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMON_ATTRIBUTES, coreBundle, SCHEMAS_ATTRIBUTE } from "./core-bundle.js";
import { SchemaRegistry } from "./registry.js";
import { parseAttributeList, parseSchemaDocument } from "./schema-loader.js";
import type { AttributeDefinition } from "./schema-types.js";
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./urns.js";

const CORE_DIR = new URL("../../../schemas/core/", import.meta.url);
const byId = <T extends { id?: string; name: string }>(a: T, b: T): number =>
  (a.id ?? a.name).localeCompare(b.id ?? b.name);

describe("coreBundle", () => {
  const bundle = coreBundle();

  it("holds the six RFC 7643 §8.7 schemas", () => {
    expect(bundle.schemas).toHaveLength(6);
    expect(bundle.schemas.map((s) => s.id).sort()).toEqual(
      [
        USER_SCHEMA,
        GROUP_SCHEMA,
        ENTERPRISE_USER_SCHEMA,
        SERVICE_PROVIDER_CONFIG_SCHEMA,
        RESOURCE_TYPE_SCHEMA,
        SCHEMA_SCHEMA,
      ].sort(),
    );
  });

  it("holds the User and Group resource types of RFC 7643 §8.6", () => {
    expect(bundle.resourceTypes).toHaveLength(2);
    const user = bundle.resourceTypes.find((r) => r.name === "User");
    const group = bundle.resourceTypes.find((r) => r.name === "Group");
    expect(user).toMatchObject({ endpoint: "/Users", schema: USER_SCHEMA });
    expect(group).toMatchObject({ endpoint: "/Groups", schema: GROUP_SCHEMA, schemaExtensions: [] });
  });

  it("lists them in RFC 7643 order, User first (/ResourceTypes and /Schemas follow the bundle)", () => {
    expect(bundle.resourceTypes.map((r) => r.name)).toEqual(["User", "Group"]);
    expect(bundle.schemas.map((s) => s.id)).toEqual([
      USER_SCHEMA,
      GROUP_SCHEMA,
      ENTERPRISE_USER_SCHEMA,
      SERVICE_PROVIDER_CONFIG_SCHEMA,
      RESOURCE_TYPE_SCHEMA,
      SCHEMA_SCHEMA,
    ]);
  });

  it("makes the enterprise extension optional on User (schemas/README.md D5)", () => {
    const user = bundle.resourceTypes.find((r) => r.name === "User");
    expect(user?.schemaExtensions).toEqual([{ schema: ENTERPRISE_USER_SCHEMA, required: false }]);
  });

  it("is computed once", () => {
    expect(coreBundle()).toBe(bundle);
    expect(coreBundle().schemas).toBe(bundle.schemas);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(bundle)).toBe(true);
    expect(Object.isFrozen(bundle.schemas)).toBe(true);
    expect(Object.isFrozen(bundle.resourceTypes)).toBe(true);
  });

  it("is what schemas/core says (the generated data is not stale)", () => {
    const schemas = [];
    const resourceTypes = [];
    for (const file of readdirSync(CORE_DIR).filter((f) => f.endsWith(".json"))) {
      const doc = parseSchemaDocument(readFileSync(new URL(file, CORE_DIR), "utf8"), file);
      schemas.push(...doc.schemas.map((s) => s.definition));
      resourceTypes.push(...doc.resourceTypes.map((r) => r.definition));
    }
    expect([...bundle.schemas].sort(byId)).toEqual(schemas.sort(byId));
    expect([...bundle.resourceTypes].sort(byId)).toEqual(resourceTypes.sort(byId));
  });

  it("builds a registry", () => {
    const registry = new SchemaRegistry(bundle);
    expect(registry.resolve("Group", "members.value")?.attribute.mutability).toBe("immutable");
  });
});

describe("COMMON_ATTRIBUTES", () => {
  const byName = (name: string): AttributeDefinition | undefined =>
    COMMON_ATTRIBUTES.find((a) => a.name === name);

  it("names id, externalId and meta (RFC 7643 §3.1)", () => {
    expect(COMMON_ATTRIBUTES.map((a) => a.name)).toEqual(["id", "externalId", "meta"]);
    expect(byName("meta")?.subAttributes?.map((a) => a.name)).toEqual([
      "resourceType",
      "created",
      "lastModified",
      "location",
      "version",
    ]);
  });

  const cases: [name: string, { given: string; want: Partial<AttributeDefinition> }][] = [
    [
      "id",
      {
        given: "id",
        want: {
          type: "string",
          caseExact: true,
          mutability: "readOnly",
          returned: "always",
          uniqueness: "server",
          required: false,
        },
      },
    ],
    [
      "externalId",
      {
        given: "externalId",
        want: {
          type: "string",
          caseExact: true,
          mutability: "readWrite",
          returned: "default",
          required: false,
        },
      },
    ],
    [
      "meta",
      {
        given: "meta",
        want: { type: "complex", multiValued: false, mutability: "readOnly", returned: "default" },
      },
    ],
  ];
  it.each(cases)("%s has the RFC 7643 §3.1 characteristics", (_name, { given, want }) => {
    expect(byName(given)).toMatchObject(want);
  });

  it("makes every meta sub-attribute readOnly, returned by default", () => {
    for (const sub of byName("meta")?.subAttributes ?? []) {
      expect(sub, sub.name).toMatchObject({ mutability: "readOnly", returned: "default", required: false });
    }
    const meta = byName("meta")?.subAttributes ?? [];
    expect(meta.find((a) => a.name === "created")?.type).toBe("dateTime");
    expect(meta.find((a) => a.name === "location")).toMatchObject({
      type: "reference",
      referenceTypes: ["uri"],
      caseExact: true,
    });
    expect(meta.find((a) => a.name === "version")?.caseExact).toBe(true);
    expect(meta.find((a) => a.name === "resourceType")?.caseExact).toBe(true);
  });

  it("is schemas/core/common-attributes.json", () => {
    const raw = JSON.parse(readFileSync(new URL("common-attributes.json", CORE_DIR), "utf8")) as {
      commonAttributes: unknown;
    };
    expect(COMMON_ATTRIBUTES).toEqual(
      parseAttributeList(raw.commonAttributes, {
        file: "common-attributes.json",
        pointer: "/commonAttributes",
      }),
    );
  });

  it("is frozen", () => {
    expect(Object.isFrozen(COMMON_ATTRIBUTES)).toBe(true);
  });
});

describe("SCHEMAS_ATTRIBUTE", () => {
  it("is the required, multi-valued URI list of RFC 7643 §3", () => {
    expect(SCHEMAS_ATTRIBUTE).toStrictEqual({
      name: "schemas",
      type: "reference",
      multiValued: true,
      description: expect.any(String),
      required: true,
      caseExact: false,
      mutability: "readWrite",
      returned: "always",
      uniqueness: "none",
      referenceTypes: ["uri"],
    });
    expect(SCHEMAS_ATTRIBUTE.subAttributes).toBeUndefined();
    expect(Object.isFrozen(SCHEMAS_ATTRIBUTE)).toBe(true);
  });

  it("is not one of the COMMON_ATTRIBUTES", () => {
    expect(COMMON_ATTRIBUTES.some((a) => a.name === "schemas")).toBe(false);
  });
});
