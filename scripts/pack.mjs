#!/usr/bin/env node
// `pnpm pack-packages [dir]`: packs every published package (packages/* without "private": true, the set
// `changeset publish` publishes) with `pnpm pack` into dir (default: a fresh temporary folder), then
// checks each tarball as npm will show it: package.json metadata (repository, homepage, bugs, engines,
// ESM only, no workspace: ranges left), a README that says ESM only and Node ≥ 20.19, and README links
// that resolve: relative links must name files inside the tarball. Exits 1 listing every problem.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, resolve } from "node:path";

const root = join(import.meta.dirname, "..");
const dest = process.argv[2] ? resolve(process.argv[2]) : mkdtempSync(join(tmpdir(), "scimkit-packs-"));
mkdirSync(dest, { recursive: true });
const out = (line) => process.stdout.write(`${line}\n`);

/** Runs a command, returning stdout; exits with its output when it fails. */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.error || result.status !== 0) {
    process.stderr.write(
      `${command} ${args.join(" ")} failed in ${cwd}: ${result.error?.message ?? result.stderr}\n`,
    );
    process.exit(1);
  }
  return result.stdout;
}

/** Every problem a packed package.json or README shows; `files` is the tarball's file list. */
function problemsOf(dir, manifest, readme, files) {
  const problems = [];
  const repository = manifest.repository;
  if (typeof repository !== "object" || !repository?.url || repository.directory !== `packages/${dir}`)
    problems.push(`package.json: "repository" needs "url" and "directory": "packages/${dir}"`);
  if (typeof manifest.homepage !== "string") problems.push('package.json: "homepage" is missing');
  if (typeof manifest.bugs?.url !== "string" && typeof manifest.bugs !== "string")
    problems.push('package.json: "bugs" is missing');
  if (manifest.engines?.node !== ">=20.19") problems.push('package.json: "engines.node" must be ">=20.19"');
  if (manifest.type !== "module") problems.push('package.json: "type" must be "module" (ESM only)');
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"])
    for (const [name, range] of Object.entries(manifest[field] ?? {}))
      if (String(range).startsWith("workspace:") || String(range).startsWith("catalog:"))
        problems.push(`package.json: ${field}.${name} is still "${range}"`);
  if (readme === undefined) return [...problems, "README.md is not in the tarball"];
  if (!/ESM only/.test(readme)) problems.push('README.md: does not say the package is "ESM only"');
  if (!/Node ≥ 20\.19/.test(readme)) problems.push("README.md: does not say Node ≥ 20.19");
  if (/Node ≥ 20(?![.\d])|Node 20(?![.\d])/.test(readme))
    problems.push('README.md: says "Node 20" where 20.19 is needed');
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
    const path = posix.normalize(decodeURI(target.split("#")[0] ?? ""));
    const inTarball = files.some((f) => f === path || f.startsWith(`${path.replace(/\/$/, "")}/`));
    if (path.startsWith("..") || !inTarball)
      problems.push(
        `README.md: the link to ${target} does not resolve on npm (not in the tarball); link to the repository instead`,
      );
  }
  return problems;
}

const packages = readdirSync(join(root, "packages"))
  .filter((dir) => existsSync(join(root, "packages", dir, "package.json")))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")),
  }));
const published = packages.filter((p) => p.manifest.private !== true);
out(`packing ${published.length} published packages into ${dest}`);
out(
  `skipped (private): ${packages
    .filter((p) => p.manifest.private === true)
    .map((p) => p.manifest.name)
    .join(", ")}`,
);

let failed = 0;
for (const { dir, manifest } of published) {
  const packed = run("pnpm", ["pack", "--pack-destination", dest], join(root, "packages", dir));
  const tarball = packed
    .trim()
    .split("\n")
    .filter((line) => line.endsWith(".tgz"))
    .at(-1);
  if (!tarball) {
    process.stderr.write(`pnpm pack printed no tarball for ${manifest.name}:\n${packed}\n`);
    process.exit(1);
  }
  const path = resolve(join(root, "packages", dir), tarball);
  const files = run("tar", ["-tzf", path], dest)
    .split("\n")
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ""));
  const read = (file) =>
    files.includes(file) ? run("tar", ["-xzOf", path, `package/${file}`], dest) : undefined;
  const problems = problemsOf(dir, JSON.parse(read("package.json") ?? "{}"), read("README.md"), files);
  out(
    `${problems.length ? "FAIL" : "ok  "} ${manifest.name}@${manifest.version}: ${files.length} files, ${path}`,
  );
  for (const problem of problems) out(`       ${problem}`);
  if (problems.length) failed++;
}
if (failed) {
  out(`${failed} of ${published.length} packages have problems`);
  process.exit(1);
}
