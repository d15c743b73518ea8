import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelOf, removeTempFolders, tempFolder, writeFiles } from "./__fixtures__/model.js";
import { GENERATED_HEADER } from "./format.js";
import { generate, render } from "./generate.js";
import { buildJsonSchemas } from "./json-schema.js";
import { type GenerationModel, loadSchemaFolder, resolveModel } from "./load.js";
import { buildOpenApi } from "./openapi.js";
import { planTypes } from "./plan.js";

afterAll(removeTempFolders);

const WIDGET_DIR = fileURLToPath(new URL("./__fixtures__/widget/", import.meta.url));
const OUTPUTS = [
  "models.gen.ts",
  "paths.gen.ts",
  "schema-data.gen.ts",
  "json-schema.gen.ts",
  "openapi.json",
  "openapi.gen.ts",
  "validators.gen.ts",
  "index.ts",
];

/** Type-checks `files` (path → contents) as a strict ESM project; returns the diagnostics, formatted. */
async function typeCheck(files: Record<string, string>): Promise<string[]> {
  const dir = await tempFolder({ "package.json": { type: "module" }, ...files });
  const program = ts.createProgram(
    Object.keys(files)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(dir, f)),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      noEmit: true,
      types: [],
    },
  );
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file ? relative(dir, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    );
}

describe("render", () => {
  let model: GenerationModel;
  let files: Record<string, string>;
  beforeAll(async () => {
    model = resolveModel(await loadSchemaFolder(WIDGET_DIR));
    files = Object.fromEntries((await render(model, { title: "Widgets" })).map((f) => [f.path, f.contents]));
  });

  // Snapshots of a tiny fixture (STYLE.md §3); tsc type-checks them with the package's sources.
  it("snapshot: models.gen.ts", async () => {
    await expect(files["models.gen.ts"]).toMatchFileSnapshot("./__snapshots__/widget/models.gen.ts");
  });

  it("snapshot: paths.gen.ts", async () => {
    await expect(files["paths.gen.ts"]).toMatchFileSnapshot("./__snapshots__/widget/paths.gen.ts");
  });

  it("produces every output file, in a fixed order, each starting with the generated header", () => {
    expect(Object.keys(files)).toEqual(OUTPUTS);
    for (const [path, contents] of Object.entries(files)) {
      if (path.endsWith(".ts")) expect(contents.startsWith(`${GENERATED_HEADER}\n\n`), path).toBe(true);
      expect(contents.endsWith("\n"), path).toBe(true);
    }
  });

  it("renders the same bytes every time", async () => {
    const again = Object.fromEntries(
      (await render(model, { title: "Widgets" })).map((f) => [f.path, f.contents]),
    );
    expect(again).toEqual(files);
  });

  it("embeds the JSON Schemas and the OpenAPI document the builders return", () => {
    const plan = planTypes(model);
    const built = buildJsonSchemas(plan);
    const embedded = (files["json-schema.gen.ts"] ?? "").match(
      /export const jsonSchema = ([\s\S]*);\n$/,
    )?.[1];
    expect(JSON.parse(embedded ?? "null")).toEqual(built);
    expect(JSON.parse(files["openapi.json"] ?? "null")).toEqual(
      buildOpenApi(plan, built.$defs, { title: "Widgets" }),
    );
  });

  it("re-exports every generated name explicitly from index.ts (STYLE.md §4)", () => {
    const index = files["index.ts"] ?? "";
    expect(index).not.toContain("export *");
    for (const name of [
      "Widget,",
      "WidgetInput,",
      "WidgetPatch,",
      "WidgetPart,",
      "WidgetExtension,",
      "Meta,",
      "ResourceTypeModels,",
      "WidgetAttributePaths,",
      "WIDGET_SCHEMA,",
      "WIDGET_EXTENSION_SCHEMA,",
      "bundle,",
      "jsonSchema,",
      "paths as OpenApiPaths,",
    ])
      expect(index).toContain(`  ${name}\n`);
  });

  it("does not depend on where the schemas folder is", async () => {
    const copy = await tempFolder();
    for (const f of ["widget.schema.json", "widget-extension.schema.json", "widget.resource-type.json"])
      await writeFiles(copy, { [`nested/${f}`]: await readFile(join(WIDGET_DIR, f), "utf8") });
    const there = await render(resolveModel(await loadSchemaFolder(copy)), { title: "Widgets" });
    expect(Object.fromEntries(there.map((f) => [f.path, f.contents]))).toEqual(files);
  }, 30_000);

  it("writes code that type-checks for names and texts that need quoting or escaping", async () => {
    const thing = "urn:example:params:scim:schemas:core:2.0:Thing";
    const model = modelOf(
      {
        id: thing,
        name: "Thing",
        description: "Ends a comment */ and opens a brace {",
        attributes: [
          {
            name: "cost-center",
            description: "A hyphen in the name; `backticks`, braces } { and */ in the text.",
            canonicalValues: ['quote"d', "brace}", "back\\slash", "*/"],
          },
          { name: "snake_case", type: "integer" },
          { name: "$ref", type: "reference", referenceTypes: ["external"] },
          {
            name: "items",
            type: "complex",
            multiValued: true,
            description: "Nested */",
            subAttributes: [{ name: "x-y", canonicalValues: ["{", "}"] }],
          },
        ],
      },
      { name: "Thing", endpoint: "/Things", schema: thing, description: "Things */ {" },
    );
    const files = Object.fromEntries((await render(model)).map((f) => [`scim/${f.path}`, f.contents]));
    const use = `import type { Thing, ThingAttributePaths, ThingInput } from "./scim/index.js";
export const t: ThingInput = { schemas: [], "cost-center": 'quote"d', snake_case: 1, $ref: "x", items: [{ "x-y": "}" }] };
export const p: keyof ThingAttributePaths = "items.x-y";
export type C = Thing["cost-center"];
`;
    expect(await typeCheck({ ...files, "use.ts": use })).toEqual([]);
  }, 60_000);
});

describe("render with emit", () => {
  const cases: [
    string,
    {
      given: { emit?: ("types" | "data" | "json-schema" | "openapi" | "zod")[]; zod?: boolean };
      want: string[];
    },
  ][] = [
    ["zod only", { given: { emit: ["zod"] }, want: ["zod.gen.ts", "index.ts"] }],
    [
      "data and zod",
      { given: { emit: ["data", "zod"] }, want: ["schema-data.gen.ts", "zod.gen.ts", "index.ts"] },
    ],
    ["types only", { given: { emit: ["types"] }, want: ["models.gen.ts", "paths.gen.ts", "index.ts"] }],
    [
      "default plus --zod",
      {
        given: { zod: true },
        want: [...OUTPUTS.slice(0, -2), "zod.gen.ts", "validators.gen.ts", "index.ts"],
      },
    ],
  ];
  it.each(cases)("%s", async (_name, { given, want }) => {
    const model = resolveModel(await loadSchemaFolder(WIDGET_DIR));
    const rendered = await render(model, given);
    expect(rendered.map((f) => f.path)).toEqual(want);
    const index = rendered.find((f) => f.path === "index.ts")?.contents ?? "";
    for (const file of want.filter((f) => f.endsWith(".gen.ts")))
      expect(index).toContain(`"./${file.replace(/\.ts$/, ".js")}"`);
    expect(
      await typeCheck(
        Object.fromEntries(
          rendered
            .filter((f) => !f.path.includes("zod"))
            .map((f) => [
              f.path,
              f.path === "index.ts"
                ? f.contents.replace(/export \{[^}]*\} from "\.\/zod\.gen\.js";\n/, "")
                : f.contents,
            ]),
        ),
      ),
    ).toEqual([]);
  });
});

describe("generate", () => {
  it("writes only what changed and leaves other files in the output folder alone", async () => {
    const out = await tempFolder({ "keep.ts": "export const mine = 1;\n" });
    const first = await generate({ schemas: WIDGET_DIR, out });
    expect(first.files.map((f) => [f.path, f.changed])).toEqual(OUTPUTS.map((p) => [p, true]));
    expect(first.model.resourceTypes.map((t) => t.name)).toEqual(["Widget"]);

    await writeFile(join(out, "paths.gen.ts"), "// edited by hand\n");
    const second = await generate({ schemas: WIDGET_DIR, out });
    expect(second.files.filter((f) => f.changed).map((f) => f.path)).toEqual(["paths.gen.ts"]);
    expect(await readFile(join(out, "paths.gen.ts"), "utf8")).toBe(
      first.files.find((f) => f.path === "paths.gen.ts")?.contents,
    );
    expect(await readFile(join(out, "keep.ts"), "utf8")).toBe("export const mine = 1;\n");
  }, 30_000);

  it("creates a missing nested output folder and passes the OpenAPI title on", async () => {
    const root = await tempFolder();
    const out = join(root, "a", "b", "scim");
    await generate({ schemas: WIDGET_DIR, out, title: "Widget service" });
    expect(await readFile(join(out, "index.ts"), "utf8")).toContain(GENERATED_HEADER);
    const doc = JSON.parse(await readFile(join(out, "openapi.json"), "utf8")) as { info: { title: string } };
    expect(doc.info.title).toBe("Widget service");
  }, 30_000);
});
