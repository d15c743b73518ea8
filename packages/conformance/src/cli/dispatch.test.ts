// `scimkit test` reached through @scimkit/codegen's `scimkit` dispatcher (the real binary), which finds
// this package where it is installed (here: the project in the working directory, this package itself)
// and loads nothing of the generator for it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, ensureBuilt, scimkit } from "./__fixtures__/bin.js";

const CONFORMANCE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const CODEGEN_DIR = join(CONFORMANCE_DIR, "..", "codegen");
// The module-load recorder of @scimkit/codegen's own dispatcher tests (node:module hooks).
const RECORDER = join(CODEGEN_DIR, "src", "__fixtures__", "record-loads.mjs");

let folder: string;
beforeAll(async () => {
  ensureBuilt();
  folder = await mkdtemp(join(tmpdir(), "scimkit-dispatch-"));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe("scimkit test --help loads the dispatcher and @scimkit/conformance/cli, never the generator", () => {
  it("records every module the process loads", async () => {
    const log = join(folder, "loads.txt");
    const result = await scimkit(["test", "--help"], {
      NODE_OPTIONS: `--import ${pathToFileURL(RECORDER).href}`,
      SCIMKIT_LOAD_LOG: log,
    });
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Usage: scimkit test --url <url>/);
    const loaded = (await readFile(log, "utf8")).split("\n").filter((l) => l !== "");
    expect(loaded).toContain(pathToFileURL(BIN).href);
    expect(loaded.some((url) => url.endsWith("/conformance/dist/cli/index.js"))).toBe(true);
    const dispatcher = ["cli.js", "cli-args.js", "cli-commands.js", "cli-load.js"].map(
      (file) => pathToFileURL(join(CODEGEN_DIR, "dist", file)).href,
    );
    // Everything else: nothing of codegen's generator, no openapi-typescript, TypeScript, prettier or
    // json-schema-to-typescript, and no worker thread (where openapi-typescript would be loaded).
    const others = loaded.filter(
      (url) =>
        url !== pathToFileURL(BIN).href &&
        !dispatcher.includes(url) &&
        !/\/conformance\/dist\//.test(url) &&
        // @scimkit/core's one-module did-you-mean entry, which the dispatcher and this CLI share; nothing
        // else of core (its index would bring the schema registry and the core bundle)
        !/\/core\/dist\/did-you-mean\.js$/.test(url) &&
        !url.startsWith("node:"),
    );
    expect(others).toEqual([]);
    expect(
      loaded.filter((url) => /\/core\/dist\//.test(url)).map((url) => url.replace(/.*\/core\//, "")),
    ).toEqual(["dist/did-you-mean.js"]);
    expect(loaded).not.toContain("node:worker_threads");
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
      "an unknown option of test, with the one it resembles",
      {
        given: ["test", "--url", "https://example.com/scim/v2", "--formt", "json"],
        want: {
          code: 2,
          err: /^scimkit test: unknown option --formt; did you mean --format\? \(see scimkit test --help\)\n$/,
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
    [
      "an endpoint given as the base URL",
      {
        given: ["test", "--url", "https://example.com/scim/v2/Users", "--token", "t0ken-t0ken"],
        want: {
          code: 2,
          err: /^scimkit test: --url is the SCIM base URL, without \/Users \(RFC 7644 §3\.2 endpoints are added to it\): try --url https:\/\/example\.com\/scim\/v2\n$/,
        },
      },
    ],
  ];
  it.concurrent.each(cases)("%s", async (_, { given, want }) => {
    const result = await scimkit(given);
    expect(result.code).toBe(want.code);
    if (want.out) expect(result.out).toMatch(want.out);
    else expect(result.out).toBe("");
    if (want.err) expect(result.err).toMatch(want.err);
    else expect(result.err).toBe("");
    if (want.code === 2) expect(result.err.trimEnd().split("\n")).toHaveLength(1);
  });

  it("exits 2 with one line when nothing listens at --url", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/scim/v2`;
    const result = await scimkit(["test", "--url", url, "--token", "a-token-0123456789"]);
    expect(result).toMatchObject({
      code: 2,
      out: "",
      err: `scimkit test: cannot reach ${url}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
  });

  it("scimkit test --help explains every option the top-level help shows for it", async () => {
    const top = await scimkit(["--help"]);
    const synopsis = top.out.split("\n").filter((line) => /scimkit test --/.test(line));
    expect(synopsis.length).toBeGreaterThan(0);
    const { out: usage } = await scimkit(["test", "--help"]);
    for (const line of synopsis)
      for (const [option] of line.matchAll(/--[a-z-]+/g)) expect(usage).toContain(`  ${option}`);
  });
});

/** A port of 127.0.0.1 that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
