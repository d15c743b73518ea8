// Test helpers for end-to-end runs of the CLI: run it in-process, snapshot what it wrote, and type-check
// a consumer project that uses the output.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { type CliIo, main } from "../cli.js";

/** Runs the CLI in-process, capturing what it prints. */
export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await main(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Every file under `dir` with its bytes, by relative path. */
export async function snapshotFolder(dir: string): Promise<Record<string, Buffer>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, Buffer> = {};
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path);
  }
  return files;
}

/** The strictest settings a consumer of generated code may use. */
export const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
  },
  include: ["src"],
};

/** Type-checks the project at `dir` with the TypeScript compiler API; returns formatted diagnostics. */
export function typeCheck(dir: string): string[] {
  const configFile = ts.readConfigFile(join(dir, "tsconfig.json"), ts.sys.readFile);
  if (configFile.error) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, dir);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
}

const BIN = fileURLToPath(new URL("../../bin/scimkit.js", import.meta.url));

/**
 * Runs the real `scimkit` binary (bin/scimkit.js, which imports the built dist/) in a child process,
 * as a user's shell does; `env` replaces the environment except PATH and HOME.
 */
export function runBin(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env } },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== "number") return reject(error);
        resolve({ code, out: stdout.replace(/\n$/, ""), err: stderr.replace(/\n$/, "") });
      },
    );
  });
}
