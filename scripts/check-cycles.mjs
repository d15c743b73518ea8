#!/usr/bin/env node
// Fails when a package's source has an import cycle that exists at run time (DESIGN.md: dependencies
// point one way, inside a package too). Reads every non-test .ts file under packages/*/src, follows
// relative imports and re-exports (static ones and `import("./…")`), and prints each cycle as the files
// that form it. `import type` / `export type` are left out: with `verbatimModuleSyntax` (tsconfig.base)
// tsc erases exactly those, so they order no module evaluation; `import { type A }` is kept as
// `import {} from …` and counts.
// Usage: node scripts/check-cycles.mjs   (exit 0: none; 1: cycles listed)
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const isTest = (name) => /\.test(-d)?\.ts$/.test(name) || name.endsWith(".d.ts");

function sources(dir, into = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "__fixtures__") sources(path, into);
    } else if (entry.name.endsWith(".ts") && !isTest(entry.name)) into.push(path);
  }
  return into;
}

// `import … from "./x.js"`, `export … from "./x.js"` (group 1: `type ` when type-only, 2: the
// specifier), `import "./x.js"` and `import("./x.js")` (3).
const SPECIFIER =
  /\b(?:import|export)\s+(type\s+)?[\w*{}\s,$]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']|\bimport\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function target(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, ".ts"), `${base}.ts`, join(base, "index.ts")])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

const graph = new Map();
for (const pkg of readdirSync(join(root, "packages"))) {
  const src = join(root, "packages", pkg, "src");
  if (!existsSync(src)) continue;
  for (const file of sources(src)) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, "$1");
    const edges = new Set();
    for (const match of text.matchAll(SPECIFIER)) {
      if (match[1]) continue;
      const to = target(file, match[2] ?? match[3]);
      if (to && !isTest(to)) edges.add(to);
    }
    graph.set(file, edges);
  }
}

// Tarjan's strongly connected components: every component of more than one file (or a file importing
// itself) is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
function visit(file) {
  const mine = { index, low: index, onStack: true };
  index += 1;
  state.set(file, mine);
  stack.push(file);
  for (const next of graph.get(file) ?? []) {
    const seen = state.get(next);
    if (!seen) {
      visit(next);
      mine.low = Math.min(mine.low, state.get(next).low);
    } else if (seen.onStack) mine.low = Math.min(mine.low, seen.index);
  }
  if (mine.low === mine.index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.has(file)) cycles.push(component);
  }
}
for (const file of graph.keys()) if (!state.has(file)) visit(file);

if (cycles.length === 0) {
  process.stdout.write(`check-cycles: no import cycles in ${graph.size} source files\n`);
} else {
  for (const component of cycles)
    process.stderr.write(
      `import cycle: ${component
        .map((f) => relative(root, f))
        .sort()
        .join(" <-> ")}\n`,
    );
  process.stderr.write(
    `check-cycles: ${cycles.length} cycle(s); move what both sides need into a module of its own\n`,
  );
  process.exitCode = 1;
}
