// Bundle-size budget of the client (issue 6): a browser app that imports `createScimClient` from
// `@scimkit/client` and `filterBuilder` + `stringifyFilter` from `@scimkit/filter` and uses them, bundled with
// esbuild (bundle, minify, format esm, platform browser, tree shaking) from the BUILT packages, must be at most
// 12 kB min+gzip.
//
//   node src/client-size.mjs           # npx -y pnpm@10 size: the budget applies to what an app loads up front
//                                      # with code splitting (esbuild `splitting: true`: the entry chunk and
//                                      # the chunks it imports statically)
//   node src/client-size.mjs --single  # the budget applies to the single-file bundle (every import() inlined)
//   node src/client-size.mjs --eager   # the budget applies to the eager code only (see below)
//
// Exit code 1 when over budget (for CI), 2 when the entry cannot be bundled (packages not built).
//
// The client loads some parts (bulk, the PUT fallback for PATCH, diff) with `import()` on first use. In a
// single-file bundle (`splitting: false`, the options above) esbuild inlines every `import()`, so they count.
// Two more measurements are printed for reference: the eager code only (the same build with every `import()`
// left external: what a bundler that splits perfectly would load before a lazy feature is used), and esbuild
// with `splitting: true` (the entry chunk plus the chunks it imports statically, and the lazy chunks).
// Sizes: gzip with node:zlib at level 9 and brotli at quality 11; with several files, each file is compressed
// on its own (as served) and the sizes summed. The breakdown uses esbuild's metafile (minified bytes per
// input module) and the source map (the output cut by package, to gzip each package's bytes alone and to see
// how much the gzipped output shrinks without them).
// Budget: 12 kB = 12,000 bytes (SI kilobytes; 12 KiB would be 12,288); SIZE_BUDGET_BYTES overrides it.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import * as esbuild from "esbuild";
import { fmt } from "./harness.mjs";

const BUDGET = Number(process.env.SIZE_BUDGET_BYTES ?? 12_000);
const MODE = process.argv.includes("--single")
  ? "single"
  : process.argv.includes("--eager")
    ? "eager"
    : "split";
const EAGER = MODE !== "single";
const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here); // packages/bench: esbuild's working directory (metafile paths are relative to it)
const outdir = join(root, ".size-out"); // nothing is written (write: false)

/** What a browser app using the client and the filter builder looks like. */
const ENTRY = `
import { createScimClient } from "@scimkit/client";
import { filterBuilder, stringifyFilter } from "@scimkit/filter";

const client = createScimClient({ baseUrl: "https://idp.example.com/scim/v2", token: () => localStorage.getItem("scim") ?? "" });
const f = filterBuilder();

export async function findActiveWorkUsers(domain) {
  const filter = stringifyFilter(
    f.and(f.eq("active", true), f.valuePath("emails", (e) => e.and(e.eq("type", "work"), e.ew("value", domain)))),
  );
  const page = await client.users.list({ filter, count: 50 });
  const first = page.Resources[0];
  return first ? client.users.get(first.id) : undefined;
}
`;

const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) =>
  zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
const sum = (values) => values.reduce((a, b) => a + b, 0);

/** The package an input (absolute path, or esbuild's name for the entry) belongs to. */
function packageOf(path) {
  if (!path.startsWith("/") || path.endsWith("/entry.mjs")) return "entry (the app)";
  const scimkit = /\/packages\/([^/]+)\/(?:dist|src)\//.exec(path);
  if (scimkit) return `@scimkit/${scimkit[1]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
  if (dep) {
    const manifest = join(path.slice(0, dep.index + dep[0].length), "package.json");
    return `${dep[1]} ${JSON.parse(readFileSync(manifest, "utf8")).version}`;
  }
  return path;
}
const shortName = (path) =>
  path.replace(/^.*node_modules\/(?!.*node_modules\/)/, "").replace(/^(\.\.\/)+/, "");

/** Base64 VLQ decoding of a source map's `mappings`, as [line, column, source index or -1] per segment. */
function segments(mappings) {
  const digits = new Map(
    [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]),
  );
  const out = [];
  let source = 0;
  let line = 0;
  for (const text of mappings.split(";")) {
    let column = 0;
    for (const segment of text.split(",")) {
      if (segment === "") continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = digits.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      out.push([line, column, fields.length > 1 ? source : -1]);
    }
    line++;
  }
  return out;
}

/** Splits a chunk's text by the package each character came from (its source map): package → text. */
function cutByPackage(text, map) {
  const sourcePackage = map.sources.map((source) =>
    packageOf(source.includes("/") ? resolve(outdir, source) : source),
  );
  const lines = text.split("\n");
  const owner = lines.map((line) => new Array(line.length).fill("(esbuild glue)"));
  const segs = segments(map.mappings);
  for (let i = 0; i < segs.length; i++) {
    const [line, column, source] = segs[i];
    const next = segs[i + 1];
    const end = next && next[0] === line ? next[1] : lines[line].length;
    for (let c = column; c < end; c++) owner[line][c] = source < 0 ? "(esbuild glue)" : sourcePackage[source];
  }
  const pieces = new Map();
  for (const pkg of new Set(owner.flat())) {
    const mine = [];
    const others = [];
    for (let l = 0; l < lines.length; l++) {
      for (let c = 0; c < lines[l].length; c++) (owner[l][c] === pkg ? mine : others).push(lines[l][c]);
      others.push("\n");
    }
    pieces.set(pkg, { mine: Buffer.from(mine.join("")), others: Buffer.from(others.join("")) });
  }
  return pieces;
}

/** Leaves every `import()` out of the bundle, as a bundler that splits perfectly would until it runs. */
const lazyExternal = {
  name: "lazy-external",
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
    );
  },
};

/**
 * Bundles the entry ("single": one file; "eager": one file without what `import()` loads; "split":
 * esbuild's code splitting); returns its chunks, each with code, source map, metafile inputs, and whether it
 * loads eagerly (the entry chunk and what it imports statically).
 */
async function bundle(mode) {
  let result;
  try {
    result = await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: here, sourcefile: "entry.mjs", loader: "js" },
      absWorkingDir: root,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      treeShaking: true,
      splitting: mode === "split",
      plugins: mode === "eager" ? [lazyExternal] : [],
      sourcemap: "external",
      outdir,
      entryNames: "app",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
  } catch (error) {
    console.error("esbuild could not bundle the entry; build the packages first (see BENCHMARKS.md).");
    console.error(error.message);
    process.exit(2);
  }
  const files = new Map(result.outputFiles.map((file) => [file.path, file]));
  const chunks = new Map();
  for (const [path, meta] of Object.entries(result.metafile.outputs)) {
    if (!path.endsWith(".js")) continue;
    const file = files.get(resolve(root, path));
    const code = Buffer.from(file.contents);
    const inputs = Object.entries(meta.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([input, { bytesInOutput }]) => ({
        path: input,
        pkg: packageOf(input.includes("/") ? resolve(root, input) : input),
        bytes: bytesInOutput,
      }));
    const main = [...inputs].sort((a, b) => b.bytes - a.bytes)[0];
    const entry = path.endsWith("/app.js");
    chunks.set(path, {
      path,
      entry,
      name: entry
        ? "entry chunk"
        : meta.entryPoint
          ? `\`${shortName(meta.entryPoint)}\``
          : `shared chunk (\`${shortName(main?.path ?? path)}\`, …)`,
      code,
      text: file.text,
      map: JSON.parse(files.get(`${resolve(root, path)}.map`).text),
      inputs,
      statics: meta.imports.filter((i) => i.kind === "import-statement" && !i.external).map((i) => i.path),
      gzip: gzip(code),
      brotli: brotli(code),
    });
  }
  // eager: the entry chunk and every chunk it imports statically, transitively
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const next of chunks.get(path).statics) visit(next);
  };
  visit([...chunks.values()].find((chunk) => chunk.entry).path);
  for (const chunk of chunks.values()) chunk.eager = eager.has(chunk.path);
  return [...chunks.values()];
}

const builds = {
  single: await bundle("single"),
  eager: await bundle("eager"),
  split: await bundle("split"),
};
const totals = (list) => ({
  files: list.length,
  min: sum(list.map((c) => c.code.length)),
  gzip: sum(list.map((c) => c.gzip)),
  brotli: sum(list.map((c) => c.brotli)),
});
const budgeted = MODE;
const lists = { single: builds.single, eager: builds.eager, split: builds.split.filter((c) => c.eager) };
const eager = lists[budgeted];
const measured = totals(eager);

// ------------------------------------------------------------------------------- breakdowns
/** Per package of a build: minified bytes (metafile), gzip of its bytes alone, gzip marginal (source map). */
function byPackage(chunks) {
  const packages = new Map();
  const of = (pkg) => {
    if (!packages.has(pkg)) packages.set(pkg, { pkg, min: 0, alone: [], marginal: 0 });
    return packages.get(pkg);
  };
  for (const chunk of chunks) {
    for (const [pkg, { mine, others }] of cutByPackage(chunk.text, chunk.map)) {
      of(pkg).alone.push(mine);
      of(pkg).marginal += chunk.gzip - gzip(others);
    }
    for (const m of chunk.inputs) of(m.pkg).min += m.bytes;
  }
  const glue = packages.get("(esbuild glue)");
  const inputs = sum(chunks.flatMap((c) => c.inputs.map((m) => m.bytes)));
  if (glue) glue.min = sum(chunks.map((c) => c.code.length)) - inputs;
  return [...packages.values()]
    .map((p) => ({ ...p, alone: gzip(Buffer.concat(p.alone)) }))
    .sort((a, b) => b.min - a.min);
}
const modules = eager.flatMap((chunk) => chunk.inputs).sort((a, b) => b.bytes - a.bytes);

// ---------------------------------------------------------------------------------------- report
const share = (n) => `${((n / measured.min) * 100).toFixed(1)}%`;
const verdict = measured.gzip <= BUDGET ? "within" : `over by ${fmt(measured.gzip - BUDGET)} B`;
const row = (what, t, budget = "") =>
  `| ${what} | ${t.files} | ${fmt(t.min)} B | ${fmt(t.gzip)} B | ${fmt(t.brotli)} B | ${budget} |`;
const LABEL = {
  single: "single-file bundle (`splitting: false`; every `import()` inlined)",
  eager: "eager code only (the same, every `import()` left external)",
  split: "`splitting: true`: entry chunk + the chunks it imports statically",
};
const out = [
  "Entry: `createScimClient` from @scimkit/client, `filterBuilder` + `stringifyFilter` from @scimkit/filter, used;",
  `esbuild ${esbuild.version}: bundle, minify, format esm, platform browser, tree shaking.`,
  "",
  "| esbuild output | files | minified | gzip -9 | brotli -q 11 | budget (gzip) |",
  "| --- | ---: | ---: | ---: | ---: | ---: |",
  row(`**${LABEL[budgeted]}**`, measured, `${fmt(BUDGET)} B: **${verdict}**`),
  ...["split", "single", "eager"]
    .filter((name) => name !== budgeted)
    .map((name) => row(LABEL[name], totals(lists[name]))),
];
for (const chunk of builds.split.filter((c) => !c.eager))
  out.push(row(`\`splitting: true\`, loaded by \`import()\` on first use: ${chunk.name}`, totals([chunk])));
out.push(
  "",
  "By package (minified: esbuild metafile; gzip alone: the package's own bytes, cut out with the source map,",
  "gzipped by themselves; gzip marginal: how much the gzipped bundle shrinks without them, i.e. what",
  "dropping the package would save):",
);
for (const name of [budgeted, EAGER ? "single" : "eager"]) {
  const total = totals(lists[name]).min;
  out.push("", `${LABEL[name]}:`, "", "| package | minified | share | gzip alone | gzip marginal |");
  out.push("| --- | ---: | ---: | ---: | ---: |");
  for (const p of byPackage(lists[name]))
    out.push(
      `| ${p.pkg} | ${fmt(p.min)} B | ${((p.min / total) * 100).toFixed(1)}% | ${fmt(p.alone)} B | ${fmt(p.marginal)} B |`,
    );
}
const other = EAGER ? builds.single : builds.eager;
const otherBytes = new Map();
for (const m of other.flatMap((c) => c.inputs))
  otherBytes.set(m.path, (otherBytes.get(m.path) ?? 0) + m.bytes);
const otherName = EAGER ? "single file" : "eager only";
out.push(
  "",
  `By input module (esbuild metafile, bytes in the minified output; the last column is the ${otherName} build):`,
  "",
);
out.push(`| module | package | minified | share | ${otherName} |`, "| --- | --- | ---: | ---: | ---: |");
for (const m of modules)
  out.push(
    `| \`${shortName(m.path)}\` | ${m.pkg} | ${fmt(m.bytes)} B | ${share(m.bytes)} | ${otherBytes.has(m.path) ? `${fmt(otherBytes.get(m.path))} B` : "—"} |`,
  );
console.log(out.join("\n"));
console.log("");
const summary = `${LABEL[budgeted]} of the client + filter builder: min+gzip ${fmt(measured.gzip)} B, brotli ${fmt(measured.brotli)} B; budget ${fmt(BUDGET)} B (12 kB)`;
if (measured.gzip > BUDGET) {
  console.log(`FAIL: ${summary}: over budget.`);
  process.exit(1);
}
console.log(`OK: ${summary}: within budget.`);
