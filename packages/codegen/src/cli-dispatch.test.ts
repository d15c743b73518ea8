// The `scimkit` dispatcher through the real binary: each subcommand loads only its own module, `help`
// and `--version` load none, and `scimkit test` is reached (its behaviour against live servers is tested
// in @scimkit/conformance, src/cli/cli.test.ts).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { run, runBin } from "./__fixtures__/consumer.js";
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

/** What the dispatcher itself is: the bin and three small modules of dist/. */
const DISPATCHER = ["bin/scimkit.js", "dist/cli.js", "dist/cli-args.js", "dist/cli-commands.js"].map(
  (path) => pathToFileURL(join(PACKAGE_DIR, path)).href,
);
const fromConformance = (url: string) => /\/conformance\/dist\//.test(url);
const builtin = (url: string) => url.startsWith("node:");

describe("the scimkit dispatcher loads only what the subcommand needs", () => {
  it("scimkit test --help: the dispatcher and @scimkit/conformance/cli, never the generator", async () => {
    const { code, out, loaded } = await loadsOf(["test", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: scimkit test --url <url>/);
    expect(loaded).toContain(pathToFileURL(join(PACKAGE_DIR, "dist/cli.js")).href);
    expect(loaded.some((url) => url.endsWith("/conformance/dist/cli/index.js"))).toBe(true);
    // Everything else: nothing of codegen's generator, no openapi-typescript, TypeScript, prettier or
    // json-schema-to-typescript, and no worker thread (where openapi-typescript would be loaded).
    const others = loaded.filter(
      (url) => !DISPATCHER.includes(url) && !fromConformance(url) && !builtin(url),
    );
    expect(others).toEqual([]);
    expect(loaded).not.toContain("node:worker_threads");
  });

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

describe("scimkit test, reached through the dispatcher", () => {
  const cases: [string, { given: string[]; want: { code: number; out?: RegExp; err?: RegExp } }][] = [
    [
      "scimkit help test",
      { given: ["help", "test"], want: { code: 0, out: /^Usage: scimkit test --url <url>/ } },
    ],
    [
      "scimkit test -h",
      { given: ["test", "-h"], want: { code: 0, out: /\n {2}--read-only {8}skip every check/ } },
    ],
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
          err: /^scimkit: no help for "tets"; did you mean "scimkit help test"\?: the commands are generate, test and help/,
        },
      },
    ],
    [
      "an unknown option of test, with the one it resembles",
      {
        given: ["test", "--url", "https://example.com/scim/v2", "--formt", "json"],
        want: {
          code: 2,
          err: /^scimkit test: unknown option --formt; did you mean --format\? \(see scimkit test --help\)$/,
        },
      },
    ],
    [
      "no token: neither --token nor SCIM_TOKEN",
      {
        given: ["test", "--url", "https://example.com/scim/v2"],
        want: {
          code: 2,
          err: /^scimkit test: a bearer token is required: pass --token <token> or set SCIM_TOKEN/,
        },
      },
    ],
  ];
  it.concurrent.each(cases)("%s", async (_, { given, want }) => {
    const result = await runBin(given);
    expect(result.code).toBe(want.code);
    if (want.out) expect(result.out).toMatch(want.out);
    else expect(result.out).toBe("");
    if (want.err) expect(result.err).toMatch(want.err);
    else expect(result.err).toBe("");
    if (want.code === 2) expect(result.err.split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line when nothing listens at --url", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/scim/v2`;
    const result = await runBin(["test", "--url", url, "--token", "a-token-0123456789"]);
    expect(result).toEqual({
      code: 2,
      out: "",
      err: `scimkit test: cannot reach ${url}: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it("the in-process main() runs the same subcommand as the binary", async () => {
    const given = ["test", "--url", "https://example.com/scim/v2/Users", "--token", "t0ken-t0ken"];
    const inProcess = await run(...given);
    expect(inProcess).toEqual(await runBin(given));
    expect(inProcess.err).toBe(
      "scimkit test: --url is the SCIM base URL, without /Users (RFC 7644 §3.2 endpoints are added to it): try --url https://example.com/scim/v2",
    );
  });
});

describe("the subcommand table", () => {
  it.each([...SUBCOMMANDS])(
    "%s: its module's usage names every option its synopsis shows",
    async (_, command) => {
      const { usage } = await command.load();
      for (const line of command.synopsis)
        for (const [option] of line.matchAll(/--[a-z-]+/g)) expect(usage).toContain(`  ${option}`);
      for (const option of command.options) expect(usage).toContain(`  --${option}`);
    },
  );
});

/** A port of 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
