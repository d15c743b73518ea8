import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { locateRuntime, packageDir, RUNTIME_VERSIONS } from "./harness.js";

const scratch = await mkdtemp(path.join(tmpdir(), "scimkit-runtimes-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("locateRuntime", () => {
  it("pins an exact version of each runtime in package.json", () => {
    expect(Object.keys(RUNTIME_VERSIONS).sort()).toEqual(["bun", "deno", "workerd"]);
    for (const version of Object.values(RUNTIME_VERSIONS)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("is what the README's install command installs", async () => {
    const readme = await readFile(path.join(packageDir, "README.md"), "utf8");
    const pinned = Object.entries(RUNTIME_VERSIONS).map(([name, version]) => `${name}@${version}`);
    expect(readme).toContain(`npm install --no-save --prefix /tmp/scimkit-runtimes ${pinned.join(" ")}\n`);
  });

  it("without SCIMKIT_RUNTIMES, says so and gives the npm command that installs them", () => {
    const found = locateRuntime("bun", {});
    expect(found).toEqual({
      missing: expect.stringMatching(
        /^SCIMKIT_RUNTIMES is not set \(run `npm install --no-save --prefix <dir> bun@\S+ deno@\S+ workerd@\S+`, then set SCIMKIT_RUNTIMES=<dir>; \.ci\/run does\)$/,
      ),
    });
  });

  it("names the executable it looked for when the folder lacks it", () => {
    const found = locateRuntime("deno", { SCIMKIT_RUNTIMES: scratch });
    expect("missing" in found && found.missing).toContain(
      `${path.join(scratch, "node_modules", ".bin", "deno")} does not exist`,
    );
  });

  it("finds an executable under <dir>/node_modules/.bin", async () => {
    const bin = path.join(scratch, "node_modules", ".bin");
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, "workerd"), "#!/bin/sh\n", { mode: 0o755 });
    expect(locateRuntime("workerd", { SCIMKIT_RUNTIMES: scratch })).toEqual({
      path: path.join(bin, "workerd"),
    });
  });
});
