// Static portability check: bundles a package the way a browser or edge bundler does (esbuild,
// platform "neutral" or "browser") and reports every Node builtin import, with the import chain that
// reaches it, and every reference to a Node global in the modules that end up in the bundle.
import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import path from "node:path";
import * as esbuild from "esbuild";

/** Node globals that browsers, Deno (without its Node compatibility), workerd and Bun's web APIs lack. */
export const NODE_GLOBALS = [
  "process",
  "Buffer",
  "global",
  "require",
  "module",
  "exports",
  "__dirname",
  "__filename",
  "setImmediate",
  "clearImmediate",
] as const;

const MARKER = "__scimkit_node_global_";
/** esbuild's name for the `stdin` entry in the metafile. */
const STDIN = "<stdin>";

const builtinNames = new Set(builtinModules.flatMap((name) => [name, name.replace(/^node:/, "")]));

/** `node:*`, a bare Node builtin (`fs`, `fs/promises`, `buffer`, `process` …). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinNames.has(specifier);
}

export interface BuiltinImport {
  /** The builtin as written (`node:fs`, `buffer`). */
  specifier: string;
  /** esbuild's import kind (`import-statement`, `dynamic-import`, `require-call` …). */
  kind: string;
  /** Module paths from the entry to the importing module, relative to the working directory. */
  chain: string[];
}

export interface GlobalReference {
  name: (typeof NODE_GLOBALS)[number];
  file: string;
  /** The statement that references it, as esbuild prints it. */
  code: string;
  chain: string[];
}

export interface PortabilityReport {
  platform: esbuild.Platform;
  /** Every module in the bundle's import graph, relative to the working directory. */
  modules: string[];
  /** The npm packages those modules belong to (`@scimkit/client` for the workspace's own). */
  packages: string[];
  builtinImports: BuiltinImport[];
  globals: GlobalReference[];
  /** esbuild warnings about imports it could not follow (computed `require`/`import()`). */
  unresolvable: string[];
  /** Size of the bundle, bytes. */
  bundleBytes: number;
}

export interface CheckOptions {
  /** The module or package to bundle, resolved from `resolveDir` (e.g. `@scimkit/client`). */
  entry: string;
  resolveDir: string;
  /** Paths in the report are relative to this directory (the repository root). */
  workingDir: string;
  platform: "neutral" | "browser";
  /** More files to scan, and to bundle as entry points of their own (e.g. every file of a `dist`). */
  extraFiles?: string[];
}

/** Bundles `entry` (and `extraFiles`) for `platform` and reports everything Node-only in the result. */
export async function checkPortability(options: CheckOptions): Promise<PortabilityReport> {
  const builtinImports: { specifier: string; kind: string; importer: string }[] = [];
  const recordBuiltins: esbuild.Plugin = {
    name: "record-node-builtins",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point" || !isNodeBuiltin(args.path)) return undefined;
        builtinImports.push({
          specifier: args.path,
          kind: args.kind,
          importer: path.relative(options.workingDir, args.importer),
        });
        return { path: args.path, external: true };
      });
    },
  };
  const result = await esbuild.build({
    stdin: {
      contents: `export * from ${JSON.stringify(options.entry)};`,
      resolveDir: options.resolveDir,
    },
    entryPoints: options.extraFiles ?? [],
    absWorkingDir: options.workingDir,
    bundle: true,
    write: false,
    outdir: "out",
    format: "esm",
    platform: options.platform,
    // Neutral has no main fields by default; these are what a bundler for a browser or worker tries.
    ...(options.platform === "neutral" && { mainFields: ["module", "main"] }),
    metafile: true,
    logLevel: "silent",
    plugins: [recordBuiltins],
  });
  const graph = result.metafile.inputs;
  const findChain = chainFinder(graph, [
    STDIN,
    ...(options.extraFiles ?? []).map((file) => path.relative(options.workingDir, file)),
  ]);
  // The chain starts at the entry as the user imports it: `import "@scimkit/client"`.
  const chainTo = (file: string) =>
    findChain(file).map((step) => (step === STDIN ? `import "${options.entry}"` : step));

  const modules = Object.keys(graph).filter((file) => file !== STDIN);
  const globals: GlobalReference[] = [];
  for (const file of modules) {
    const source = await readFile(path.join(options.workingDir, file), "utf8");
    for (const hit of await nodeGlobalsIn(source, file)) globals.push({ ...hit, file, chain: chainTo(file) });
  }
  const packages = [...new Set(modules.map(packageOf))].sort();
  return {
    platform: options.platform,
    modules,
    packages,
    builtinImports: builtinImports.map(({ specifier, kind, importer }) => ({
      specifier,
      kind,
      chain: chainTo(importer),
    })),
    globals,
    unresolvable: result.warnings
      .filter((w) => /require|import\(\)|dynamic import/i.test(w.text))
      .map((w) => `${w.location?.file ?? "?"}:${w.location?.line ?? "?"}: ${w.text}`),
    bundleBytes: result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0),
  };
}

/** References to Node globals that are not bound in the module (esbuild's `define` only replaces free ones). */
export async function nodeGlobalsIn(
  source: string,
  file: string,
): Promise<{ name: (typeof NODE_GLOBALS)[number]; code: string }[]> {
  const define: Record<string, string> = {};
  for (const name of NODE_GLOBALS) {
    define[name] = `${MARKER}${name}`;
    define[`globalThis.${name}`] = `${MARKER}${name}`;
  }
  const { code } = await esbuild.transform(source, {
    define,
    loader: "js",
    format: "esm",
    sourcefile: file,
    logLevel: "silent",
  });
  const hits: { name: (typeof NODE_GLOBALS)[number]; code: string }[] = [];
  for (const line of code.split("\n")) {
    const names = new Set([...line.matchAll(new RegExp(`${MARKER}(\\w+)`, "g"))].map((match) => match[1]));
    for (const name of names as Set<(typeof NODE_GLOBALS)[number]>) {
      hits.push({ name, code: line.trim().replaceAll(MARKER, "").slice(0, 200) });
    }
  }
  return hits;
}

/** Shortest import chain (breadth-first) from any root to `target`, over esbuild's metafile graph. */
function chainFinder(graph: esbuild.Metafile["inputs"], roots: string[]): (target: string) => string[] {
  const parent = new Map<string, string | undefined>();
  const queue: string[] = [];
  for (const root of roots) {
    if (!parent.has(root)) {
      parent.set(root, undefined);
      queue.push(root);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!;
    for (const { path: to, external } of graph[from]?.imports ?? []) {
      if (external || parent.has(to)) continue;
      parent.set(to, from);
      queue.push(to);
    }
  }
  return (target) => {
    const chain: string[] = [];
    for (let at: string | undefined = target; at !== undefined; at = parent.get(at)) chain.unshift(at);
    return chain;
  };
}

/** `packages/core/dist/index.js` → `@scimkit/core`; `node_modules/.pnpm/ky@1/node_modules/ky/x.js` → `ky`. */
export function packageOf(file: string): string {
  const inNodeModules = file.split("node_modules/").at(-1)!;
  if (inNodeModules !== file) {
    const [scope, name] = inNodeModules.split("/");
    return scope!.startsWith("@") ? `${scope}/${name}` : scope!;
  }
  const workspace = /^packages\/([^/]+)\//.exec(file);
  return workspace ? `@scimkit/${workspace[1]}` : file;
}

/** Every `.js`/`.mjs` file under `dir`, recursively. */
export async function jsFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.m?js$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** A readable account of everything Node-only in the report, or `undefined` when there is nothing. */
export function describeProblems(report: PortabilityReport): string | undefined {
  const lines: string[] = [];
  for (const { specifier, kind, chain } of report.builtinImports) {
    lines.push(`imports Node builtin "${specifier}" (${kind}): ${chain.join(" → ")} → ${specifier}`);
  }
  for (const { name, code, chain } of report.globals) {
    lines.push(`references Node global "${name}": ${chain.join(" → ")}\n      ${code}`);
  }
  for (const warning of report.unresolvable) lines.push(`import that cannot be checked: ${warning}`);
  if (lines.length === 0) return undefined;
  return [
    `Not portable (esbuild, platform "${report.platform}"): ${lines.length} Node-only dependenc${lines.length === 1 ? "y" : "ies"}`,
    ...lines.map((line) => `  - ${line}`),
  ].join("\n");
}
