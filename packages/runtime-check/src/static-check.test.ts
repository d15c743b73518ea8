// The static half of "runs unchanged in Node ≥ 20, browsers, Deno, Bun and edge workers": no module of
// @scimkit/client's bundle imports a Node builtin or references a Node global.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageDir, repoRoot } from "./harness.js";
import { checkPortability, describeProblems, jsFilesIn, nodeGlobalsIn, packageOf } from "./static-check.js";

const clientDir = path.join(repoRoot, "packages/client");
const clientManifest = JSON.parse(await readFile(path.join(clientDir, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};
/** @scimkit/client's runtime dependencies in this workspace (core, filter, models). */
const workspaceDeps = Object.keys(clientManifest.dependencies).filter((name) => name.startsWith("@scimkit/"));

describe.each(["neutral", "browser"] as const)("@scimkit/client bundled for platform %s", (platform) => {
  it("imports no Node builtin and references no Node global", async () => {
    // Every built file of the client and of its workspace dependencies is an entry point too, so a
    // module the client does not import today is checked as well.
    const extraFiles = (
      await Promise.all(
        ["client", ...workspaceDeps.map((name) => name.replace("@scimkit/", ""))].map((name) =>
          jsFilesIn(path.join(repoRoot, "packages", name, "dist")),
        ),
      )
    ).flat();
    const report = await checkPortability({
      entry: "@scimkit/client",
      resolveDir: packageDir,
      workingDir: repoRoot,
      platform,
      extraFiles,
    });
    const problems = describeProblems(report);
    if (problems) expect.fail(problems);
    // Not vacuous: the built client, its dependencies and ky were all in the graph.
    expect(report.modules).toContain("packages/client/dist/index.js");
    expect(report.packages).toEqual(expect.arrayContaining(["@scimkit/client", ...workspaceDeps, "ky"]));
    expect(report.modules.every((file) => !file.endsWith(".ts"))).toBe(true);
    expect(report.bundleBytes).toBeGreaterThan(1000);
  });
});

describe("the check itself", () => {
  const fixtures = path.join(packageDir, "src/__fixtures__/node-leak");

  it("names the import chain to a Node builtin and the Node globals used", async () => {
    const report = await checkPortability({
      entry: "./entry.js",
      resolveDir: fixtures,
      workingDir: repoRoot,
      platform: "neutral",
    });
    const leaf = "packages/runtime-check/src/__fixtures__/node-leak/leaf.js";
    const chain = [
      'import "./entry.js"',
      "packages/runtime-check/src/__fixtures__/node-leak/entry.js",
      "packages/runtime-check/src/__fixtures__/node-leak/middle.js",
      leaf,
    ];
    expect(report.builtinImports).toEqual([
      { specifier: "node:fs", kind: "import-statement", chain },
      { specifier: "buffer", kind: "import-statement", chain },
    ]);
    expect(report.globals).toEqual([
      {
        name: "process",
        file: leaf,
        code: 'const home = typeof process === "undefined" ? "/" : process.env.HOME;',
        chain,
      },
    ]);
    const message = describeProblems(report);
    expect(message).toContain(
      `entry.js → packages/runtime-check/src/__fixtures__/node-leak/middle.js → ${leaf} → node:fs`,
    );
    expect(message).toContain('references Node global "process"');
  });

  it("ignores local bindings, properties, comments and strings named like Node globals", async () => {
    const source = await readFile(path.join(fixtures, "shadowed.js"), "utf8");
    expect(await nodeGlobalsIn(source, "shadowed.js")).toEqual([]);
    expect(await nodeGlobalsIn("export const x = globalThis.Buffer;", "x.js")).toEqual([
      { name: "Buffer", code: "const x = Buffer;" },
    ]);
  });

  it("names packages of workspace and pnpm paths", () => {
    expect(packageOf("packages/core/dist/index.js")).toBe("@scimkit/core");
    expect(packageOf("node_modules/.pnpm/ky@1.14.3/node_modules/ky/distribution/index.js")).toBe("ky");
    expect(packageOf("node_modules/.pnpm/@a+b@1/node_modules/@a/b/x.js")).toBe("@a/b");
  });
});
