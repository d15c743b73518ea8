// The `scimkit` dispatcher through the real binary: generate loads only its own module, `help`
// and `--version` load none, and `scimkit test` without @scimkit/conformance installed says what to install.
// `scimkit test` itself, through this binary, is tested in @scimkit/conformance (src/cli/dispatch.test.ts
// and cli.test.ts), which depends on this package (the other way round would make the workspace a cycle).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "./__fixtures__/consumer.js";
import { SUBCOMMANDS } from "./cli-commands.js";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const RECORDER = fileURLToPath(new URL("./__fixtures__/record-loads.mjs", import.meta.url));
const folder = await mkdtemp(join(tmpdir(), "scimkit-dispatch-"));
afterAll(() => rm(folder, { recursive: true, force: true }));

let logs = 0;
/** Runs bin/scimkit.js with a module-load recorder; resolves to the exit code and every URL loaded. */
function loadsOf(args: readonly string[]): Promise<{ code: number; out: string; loaded: string[] }> {
  const log = join(folder, `loads-${++logs}.txt`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", pathToFileURL(RECORDER).href, "bin/scimkit.js", ...args],
      { cwd: PACKAGE_DIR, env: { PATH: process.env.PATH, SCIMKIT_LOAD_LOG: log } },
      async (error, stdout) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== "number") return reject(error);
        const text = await readFile(log, "utf8").catch(() => "");
        resolve({ code, out: stdout, loaded: text.split("\n").filter((l) => l !== "") });
      },
    );
  });
}

/**
 * What the dispatcher itself is: the bin, four small modules of dist/, and @scimkit/core's one-module
 * `did-you-mean` entry (its dist, through the dependency link to its real path; this test process resolves the source condition, the bin does not).
 */
const CORE_DIR = dirname(
  createRequire(join(PACKAGE_DIR, "package.json")).resolve("@scimkit/core/package.json"),
);
const DID_YOU_MEAN = pathToFileURL(join(CORE_DIR, "dist", "did-you-mean.js")).href;
const DISPATCHER = [
  "bin/scimkit.js",
  "dist/cli.js",
  DID_YOU_MEAN,
  "dist/cli-args.js",
  "dist/cli-commands.js",
  "dist/cli-load.js",
].map((path) => (path.startsWith("file:") ? path : pathToFileURL(join(PACKAGE_DIR, path)).href));
const fromConformance = (url: string) => /\/conformance\/dist\//.test(url);
const builtin = (url: string) => url.startsWith("node:");

describe("the scimkit dispatcher loads only what the subcommand needs", () => {
  it("scimkit --help and --version load no subcommand", async () => {
    for (const args of [["--help"], ["--version"], ["help"]]) {
      const { code, loaded } = await loadsOf(args);
      expect(code, args.join(" ")).toBe(0);
      expect(loaded.filter((url) => !builtin(url))).toEqual(DISPATCHER);
    }
  });

  it("is not vacuous: scimkit generate --help is seen loading the generator", async () => {
    const { code, loaded } = await loadsOf(["generate", "--help"]);
    expect(code).toBe(0);
    expect(loaded).toContain(pathToFileURL(join(PACKAGE_DIR, "dist/generate.js")).href);
    expect(loaded.some((url) => url.includes("/json-schema-to-typescript/"))).toBe(true);
    expect(loaded.some(fromConformance)).toBe(false);
  });
});

describe("the dispatcher's own usage errors", () => {
  const cases: [string, { given: string[]; want: { code: number; err: RegExp } }][] = [
    [
      "a misspelt command",
      {
        given: ["tset", "--url", "x"],
        want: {
          code: 2,
          err: /^scimkit: unknown command "tset"; did you mean "scimkit test"\? \(see scimkit --help\)$/,
        },
      },
    ],
    [
      "test's options without the command",
      {
        given: ["--url", "https://example.com/scim/v2", "--format", "json"],
        want: {
          code: 2,
          err: /^scimkit: no command; did you mean "scimkit test --url https:\/\/example.com\/scim\/v2 --format json"\?/,
        },
      },
    ],
    [
      "the command after an option",
      {
        given: ["--out", "o", "generate", "--schemas", "s"],
        want: { code: 2, err: /^scimkit: the command goes first: "scimkit generate --out o --schemas s"/ },
      },
    ],
    [
      "help with a misspelt topic",
      {
        given: ["help", "tets"],
        want: {
          code: 2,
          err: /^scimkit: no help for "tets"; did you mean "scimkit help test"\?: the commands are generate, test, sync and help/,
        },
      },
    ],
  ];
  it.concurrent.each(cases)("%s", async (_, { given, want }) => {
    const result = await runBin(given);
    expect(result).toEqual({ code: want.code, out: "", err: expect.stringMatching(want.err) });
    expect(result.err.split("\n")).toHaveLength(1);
  });
});

describe("scimkit test where @scimkit/conformance is not installed", () => {
  it("exits 2 with one line naming the package to install", async () => {
    // codegen does not depend on @scimkit/conformance (cli-load.ts), and a folder outside the workspace
    // has no project that installed it; its behaviour when installed is tested in @scimkit/conformance.
    const result = await runBin(["test", "--url", "https://example.com/scim/v2", "--token", "t"], {
      cwd: folder,
    });
    expect(result).toEqual({
      code: 2,
      out: "",
      err: 'scimkit: "scimkit test" needs @scimkit/conformance, which is not installed here: npm install --save-dev @scimkit/conformance (or npx -p @scimkit/codegen -p @scimkit/conformance scimkit test …)',
    });
  });
});

describe("the subcommand table (generate; test is checked in @scimkit/conformance)", () => {
  it.each([...SUBCOMMANDS].filter(([name]) => name === "generate"))(
    "%s: its module's usage names every option its synopsis shows",
    async (_, command) => {
      const { usage } = await command.load();
      for (const line of command.synopsis)
        for (const [option] of line.matchAll(/--[a-z-]+/g)) expect(usage).toContain(`  ${option}`);
      for (const option of command.options) expect(usage).toContain(`  --${option}`);
    },
  );
});
