import { beforeAll, describe, expect, it } from "vitest";
import { ACME_URN, ENTERPRISE_URN, EXAMPLES_DIR, USER_URN } from "./__fixtures__/model.js";
import { buildJsonSchemas } from "./json-schema.js";
import { loadSchemaFolder, resolveModel } from "./load.js";
import { renderPathMaps } from "./paths.js";
import { planTypes } from "./plan.js";

const DEVICE_URN = "urn:acme:params:scim:schemas:core:2.0:Device";

interface Entry {
  type: string;
  multiValued: boolean;
  caseExact: boolean;
  mutability: string;
  value: string;
}

/** The entries of each `export interface XAttributePaths` in rendered path maps, by interface and path. */
function parse(text: string): Record<string, Record<string, Entry>> {
  const maps: Record<string, Record<string, Entry>> = {};
  let current: Record<string, Entry> | undefined;
  for (const line of text.split("\n")) {
    const start = /^export interface (\w+) \{$/.exec(line);
    if (start?.[1]) current = maps[start[1]] = {};
    const entry =
      /^ {2}("[^"]+"): \{ type: "(\w+)"; multiValued: (true|false); caseExact: (true|false); mutability: "(\w+)"; value: (.+) \};$/.exec(
        line,
      );
    if (entry && current) {
      const [, path, type, multiValued, caseExact, mutability, value] = entry as unknown as string[];
      current[JSON.parse(path as string) as string] = {
        type: type as string,
        multiValued: multiValued === "true",
        caseExact: caseExact === "true",
        mutability: mutability as string,
        value: value as string,
      };
    }
  }
  return maps;
}

describe("attribute-path maps of schemas/examples (RFC 7644 §3.10)", () => {
  let text: string;
  let names: string[];
  let maps: Record<string, Record<string, Entry>>;
  beforeAll(async () => {
    const model = resolveModel(await loadSchemaFolder(EXAMPLES_DIR));
    const plan = planTypes(model);
    ({ text, names } = renderPathMaps(plan, buildJsonSchemas(plan).$defs, model.registry));
    maps = parse(text);
  });

  it("has one interface per resource type, plus the map by resource type name", () => {
    expect(names).toEqual(["DeviceAttributePaths", "UserAttributePaths", "ResourceTypeAttributePaths"]);
    expect(text).toContain(
      'export interface ResourceTypeAttributePaths {\n  "Device": DeviceAttributePaths;\n  "User": UserAttributePaths;\n}\n',
    );
  });

  const entries: [string, { given: [string, string]; want: Entry | undefined }][] = [
    [
      "a core attribute",
      {
        given: ["UserAttributePaths", "userName"],
        want: {
          type: "string",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: "string",
        },
      },
    ],
    [
      "… URN-qualified",
      {
        given: ["UserAttributePaths", `${USER_URN}:userName`],
        want: {
          type: "string",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: "string",
        },
      },
    ],
    [
      "a multi-valued complex attribute: the value is one element",
      {
        given: ["UserAttributePaths", "emails"],
        want: {
          type: "complex",
          multiValued: true,
          caseExact: false,
          mutability: "readWrite",
          value: "UserEmail",
        },
      },
    ],
    [
      "a sub-attribute with canonical values",
      {
        given: ["UserAttributePaths", "emails.type"],
        want: {
          type: "string",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: '"work" | "home" | "other" | (string & {})',
        },
      },
    ],
    [
      "a common attribute's sub-attribute (RFC 7643 §3.1)",
      {
        given: ["UserAttributePaths", "meta.lastModified"],
        want: {
          type: "dateTime",
          multiValued: false,
          caseExact: false,
          mutability: "readOnly",
          value: "string",
        },
      },
    ],
    [
      "$ref as a sub-attribute (schemas/README.md D3)",
      {
        given: ["UserAttributePaths", "groups.$ref"],
        want: {
          type: "reference",
          multiValued: false,
          caseExact: true,
          mutability: "readOnly",
          value: "string",
        },
      },
    ],
    [
      "an enterprise extension sub-attribute, URN-qualified",
      {
        given: ["UserAttributePaths", `${ENTERPRISE_URN}:manager.value`],
        want: {
          type: "string",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: "string",
        },
      },
    ],
    [
      "an enterprise extension complex attribute: its named type",
      {
        given: ["UserAttributePaths", `${ENTERPRISE_URN}:manager`],
        want: {
          type: "complex",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: "EnterpriseUserManager",
        },
      },
    ],
    [
      "a bare extension attribute is no path",
      { given: ["UserAttributePaths", "employeeNumber"], want: undefined },
    ],
    [
      "… nor a bare custom extension attribute",
      { given: ["UserAttributePaths", "badgeNumber"], want: undefined },
    ],
    [
      "a custom extension attribute of every type: decimal",
      {
        given: ["UserAttributePaths", `${ACME_URN}:costAllocation`],
        want: {
          type: "decimal",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: "number",
        },
      },
    ],
    [
      "… multi-valued string with canonical values: one value's union",
      {
        given: ["UserAttributePaths", `${ACME_URN}:skills`],
        want: {
          type: "string",
          multiValued: true,
          caseExact: false,
          mutability: "readWrite",
          value: '"typescript" | "identity" | "security" | (string & {})',
        },
      },
    ],
    [
      "… binary",
      {
        given: ["UserAttributePaths", `${ACME_URN}:avatar`],
        want: {
          type: "binary",
          multiValued: false,
          caseExact: true,
          mutability: "readWrite",
          value: "string",
        },
      },
    ],
    [
      "a custom resource type's complex attribute",
      {
        given: ["DeviceAttributePaths", "owner"],
        want: {
          type: "complex",
          multiValued: false,
          caseExact: false,
          mutability: "readWrite",
          value: "DeviceOwner",
        },
      },
    ],
    [
      "… its sub-attribute",
      {
        given: ["DeviceAttributePaths", "owner.display"],
        want: {
          type: "string",
          multiValued: false,
          caseExact: false,
          mutability: "readOnly",
          value: "string",
        },
      },
    ],
    [
      "… an immutable attribute, URN-qualified",
      {
        given: ["DeviceAttributePaths", `${DEVICE_URN}:serialNumber`],
        want: {
          type: "string",
          multiValued: false,
          caseExact: true,
          mutability: "immutable",
          value: "string",
        },
      },
    ],
    ["Device has no User attributes", { given: ["DeviceAttributePaths", "userName"], want: undefined }],
  ];
  it.each(entries)("%s", (_, { given: [map, path], want }) => {
    expect(maps[map]?.[path]).toEqual(want);
  });

  it("lists every path exactly once, and no path twice in different case", () => {
    for (const [name, map] of Object.entries(maps)) {
      const lower = Object.keys(map).map((p) => p.toLowerCase());
      expect(new Set(lower).size, name).toBe(lower.length);
    }
    expect(Object.keys(maps.DeviceAttributePaths ?? {})).toHaveLength(
      2 * (3 + 6 + 9 + 3 + 3), // bare and URN-qualified: schemas, id, externalId; meta + 5; Device attributes; owner.*; certificates.*
    );
  });

  it("documents each path with the attribute's description", () => {
    expect(text).toContain(
      '  /**\n   * Hardware serial number assigned by the manufacturer.\n   *\n   * @remarks SCIM: required · immutable · unique (global) · case-exact\n   */\n  "serialNumber": {',
    );
  });
});
