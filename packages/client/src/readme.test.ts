/// <reference types="node" />
/**
 * Every ```ts block of README.md compiles against the package's source, as a user's module importing
 * `@scimkit/client` would (the package's tsconfig: strict, exactOptionalPropertyTypes). Each block is
 * its own module; besides its imports it may use only what CONTEXT declares. A block that stops
 * compiling fails this test with its README line and column.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const src = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(src, "..");
const virtualDir = join(src, "__readme__");

/** What the README's snippets take as given (its "Conventions" paragraph says so). */
const CONTEXT = `
declare const client: import("@scimkit/client").ScimClient;
declare const id: string;
declare const baseUrl: string;
declare const token: string;
`;

/**
 * Stand-in for what `scimkit generate --schemas ./scim-schemas --out ./scim` writes for a Device
 * resource type (the README's custom-schema example imports it as "./scim/index.js").
 */
const GENERATED_DEVICE = `
import type { ScimBundle } from "@scimkit/core";
import type { ResourceTypeModels as Core } from "@scimkit/models";
export const DEVICE_SCHEMA = "urn:acme:params:scim:schemas:core:2.0:Device";
export const bundle: ScimBundle = {
  schemas: [{ id: DEVICE_SCHEMA, name: "Device", attributes: [] }],
  resourceTypes: [{ name: "Device", endpoint: "/Devices", schema: DEVICE_SCHEMA, schemaExtensions: [] }],
};
export interface Device { schemas: string[]; id: string; serialNumber: string; meta?: import("@scimkit/models").Meta }
export interface DeviceInput { schemas: string[]; serialNumber: string }
export interface DevicePatch { serialNumber?: string }
export interface DeviceAttributePaths {
  serialNumber: { type: "string"; multiValued: false; caseExact: false; mutability: "readWrite"; value: string };
}
export type ResourceTypeModels = Core & {
  Device: { resource: Device; input: DeviceInput; patch: DevicePatch; paths: DeviceAttributePaths };
};
`;

interface Block {
  /** Where the block is from, for messages: "README.md", or "control" for the test's own broken examples. */
  source: string;
  /** 1-based line of the block's first code line. */
  line: number;
  code: string;
}

/** The ```ts blocks of a Markdown text. */
function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i] ?? "")) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    blocks.push({ source: "README.md", line: start + 1, code: lines.slice(start, end).join("\n") });
    i = end;
  }
  return blocks;
}

/** The folders a virtual file is in, up to the package (module resolution asks whether they exist). */
function ancestors(file: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(file); dir.startsWith(virtualDir); dir = dirname(dir)) out.push(dir);
  return out;
}

/** Type-checks the blocks (in one program: it takes seconds); returns one message per error, `source:line:column message`. */
function typeErrors(blocks: readonly Block[]): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(pkg, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (parsed === undefined) throw new Error("tsconfig.json could not be read");
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, types: ["node"] };
  const files = new Map<string, string>([
    [join(virtualDir, "context.d.ts"), CONTEXT],
    [join(virtualDir, "scim", "index.ts"), GENERATED_DEVICE],
  ]);
  const origin = new Map<string, Block>();
  for (const block of blocks) {
    const file = join(virtualDir, `${block.source.replace(/\W/g, "-")}-line-${block.line}.ts`);
    files.set(file, `${block.code}\nexport {};\n`);
    origin.set(file, block);
  }
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  const folders = new Set([...files.keys()].flatMap((file) => ancestors(file)));
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.directoryExists = (name) => folders.has(name) || (directoryExists?.call(host, name) ?? false);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => {
      const file = d.file as ts.SourceFile;
      const at = file.getLineAndCharacterOfPosition(d.start ?? 0);
      const block = origin.get(file.fileName);
      const where =
        block === undefined ? file.fileName : `${block.source}:${block.line + at.line}:${at.character + 1}`;
      return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

/** Broken examples: the check must report them, or it would pass whatever the README says. */
const CONTROLS: Block[] = [
  {
    source: "control",
    line: 10,
    code: 'import { createScimClient } from "@scimkit/client";\nawait client.users.get(42);',
  },
  { source: "control", line: 20, code: "await client.users.create({ schemas: [USER], userName: 'x' });" },
];

describe("README.md", () => {
  const blocks = tsBlocks(readFileSync(join(pkg, "README.md"), "utf8"));
  let errors: string[] | undefined;
  const errorsOf = (source: string) => {
    errors ??= typeErrors([...blocks, ...CONTROLS]);
    return errors.filter((e) => e.startsWith(`${source}:`));
  };

  it("has its examples in ```ts blocks", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it("every ```ts block compiles against the package (strict, exactOptionalPropertyTypes)", () => {
    expect(errorsOf("README.md")).toStrictEqual([]);
  });

  it("the check fails when an example stops compiling", () => {
    const control = errorsOf("control");
    expect(control).toHaveLength(2);
    expect(control[0]).toMatch(/^control:11:24 TS2345 .*number.*string/);
    expect(control[1]).toMatch(/^control:20:\d+ TS2304 Cannot find name 'USER'/);
  });
});
