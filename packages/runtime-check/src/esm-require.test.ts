// The READMEs' claim "ESM only, Node ≥ 20.19, which can also require() it": every published package's
// built entry point loads with import() and with require() in the Node running the tests (≥ 20.19).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./harness.js";

interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  exports: { ".": { default: string } };
}

const published = readdirSync(path.join(repoRoot, "packages"))
  .map((dir) => path.join(repoRoot, "packages", dir))
  .filter((dir) => existsSync(path.join(dir, "package.json")))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest,
  }))
  .filter(({ manifest }) => manifest.private !== true);

describe("every published package, as built", () => {
  it("is more than none", () => {
    expect(published.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(["@scimkit/client", "@scimkit/server"]),
    );
  });

  it.each(published.map((p) => [p.manifest.name, p] as const))(
    "%s is ESM and loads with import() and require()",
    (_, { dir, manifest }) => {
      expect(manifest.type).toBe("module");
      const entry = path.join(dir, manifest.exports["."].default);
      if (!existsSync(entry)) {
        // biome-ignore lint/suspicious/noConsole: say why the check is skipped
        console.warn(`runtime-check: ${manifest.name} not built (${entry}); run the build first`);
        return;
      }
      const script = `const viaRequire = require(${JSON.stringify(entry)});
import(${JSON.stringify(entry)}).then((viaImport) => {
  const a = Object.keys(viaRequire).sort().join(), b = Object.keys(viaImport).sort().join();
  if (a !== b || a === "") throw new Error("require() and import() differ: " + a + " / " + b);
  console.log("ok");
});`;
      const result = spawnSync(process.execPath, ["--no-warnings", "-e", script], { encoding: "utf8" });
      expect({ status: result.status, stdout: result.stdout.trim(), stderr: result.stderr }).toEqual({
        status: 0,
        stdout: "ok",
        stderr: "",
      });
    },
  );
});
