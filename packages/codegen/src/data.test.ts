import { beforeAll, describe, expect, it } from "vitest";
import { CORE_DIR, EXAMPLES_DIR } from "./__fixtures__/model.js";
import { renderSchemaData } from "./data.js";
import { type GenerationModel, loadSchemaFolder, resolveModel } from "./load.js";
import { planTypes } from "./plan.js";

describe("schema data", () => {
  let core: GenerationModel;
  let examples: GenerationModel;
  beforeAll(async () => {
    core = resolveModel(await loadSchemaFolder(CORE_DIR));
    examples = resolveModel(await loadSchemaFolder(EXAMPLES_DIR));
  });

  it("names a URN constant after each schema's type name, in schema id order", () => {
    expect(renderSchemaData(core, planTypes(core)).names).toEqual([
      "GROUP_SCHEMA",
      "RESOURCE_TYPE_SCHEMA",
      "SCHEMA_SCHEMA",
      "SERVICE_PROVIDER_CONFIGURATION_SCHEMA",
      "USER_SCHEMA",
      "ENTERPRISE_USER_SCHEMA",
      "schemas",
      "resourceTypes",
      "bundle",
    ]);
    expect(renderSchemaData(examples, planTypes(examples)).names.slice(0, 2)).toEqual([
      "DEVICE_SCHEMA",
      "ACME_USER_SCHEMA",
    ]);
  });

  const constants: [string, { given: string; want: string }][] = [
    ["USER_SCHEMA", { given: "USER_SCHEMA", want: "urn:ietf:params:scim:schemas:core:2.0:User" }],
    [
      "ENTERPRISE_USER_SCHEMA",
      { given: "ENTERPRISE_USER_SCHEMA", want: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" },
    ],
    ["DEVICE_SCHEMA", { given: "DEVICE_SCHEMA", want: "urn:acme:params:scim:schemas:core:2.0:Device" }],
    [
      "ACME_USER_SCHEMA",
      { given: "ACME_USER_SCHEMA", want: "urn:acme:params:scim:schemas:extension:2.0:User" },
    ],
  ];
  it.each(constants)("%s", (_, { given, want }) => {
    const { text } = renderSchemaData(examples, planTypes(examples));
    expect(text).toContain(`export const ${given} = ${JSON.stringify(want)};\n`);
  });

  it("holds the resolved schemas and resource types as const, with every default filled in", () => {
    const { text } = renderSchemaData(examples, planTypes(examples));
    const json = (name: string) => {
      const match = new RegExp(`export const ${name} = ([\\s\\S]*?) as const;\\n`).exec(text);
      return JSON.parse(match?.[1] ?? "null") as unknown;
    };
    expect(json("schemas")).toEqual(JSON.parse(JSON.stringify(examples.schemas)));
    expect(json("resourceTypes")).toEqual(JSON.parse(JSON.stringify(examples.resourceTypes)));
    expect(text).toContain("export const bundle = { schemas, resourceTypes } as const;\n");
    // A §2.2 default the example file leaves out is there: Device's resource type has no extensions.
    expect(json("resourceTypes")).toContainEqual(
      expect.objectContaining({ name: "Device", schemaExtensions: [] }),
    );
  });
});
