// The `scimkit` command line's usage errors and output-folder refusals, through the real binary.
import { existsSync } from "node:fs";
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { run, runBin, snapshotFolder } from "./__fixtures__/consumer.js";
import { CORE_DIR, EXAMPLES_DIR, removeTempFolders, tempFolder } from "./__fixtures__/model.js";

afterAll(removeTempFolders);

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(await readFile(join(PACKAGE_DIR, "package.json"), "utf8")) as {
  version: string;
};

const HINT = String.raw` \(see scimkit --help\)$`;
const GEN_HINT = String.raw` \(see scimkit generate --help\)$`;

describe("scimkit usage, through the real binary (bin/scimkit.js)", () => {
  const cases: [string, { given: string[]; want: { code: number; out?: RegExp; err?: RegExp } }][] = [
    [
      "no arguments: the usage, on stderr",
      { given: [], want: { code: 2, err: /^Usage: scimkit generate --schemas <dir> --out <dir>/ } },
    ],
    [
      "an unknown command",
      {
        given: ["build"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit: unknown command "build"; the commands are generate, test, sync and help${HINT}`,
          ),
        },
      },
    ],
    [
      "a misspelt command",
      {
        given: ["generat", "--schemas", "s"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit: unknown command "generat"; did you mean "scimkit generate"\\?${HINT}`),
        },
      },
    ],
    [
      "options without a command",
      {
        given: ["--schemas", "s", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit: no command; did you mean "scimkit generate --schemas s --out o"\\?${HINT}`,
          ),
        },
      },
    ],
    [
      "a stray positional argument says what it is",
      {
        given: ["generate", "./scim-schemas", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit generate: unexpected argument "./scim-schemas": generate takes options only; a schema folder goes after --schemas, the output folder after --out${GEN_HINT}`,
          ),
        },
      },
    ],
    [
      "missing --out",
      {
        given: ["generate", "--schemas", "schemas"],
        want: { code: 2, err: new RegExp(`^scimkit generate: --out <dir> is required${GEN_HINT}`) },
      },
    ],
    [
      "missing --schemas",
      {
        given: ["generate", "--out", "src/scim"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: --schemas <dir> or --from-url <url> is required${GEN_HINT}`),
        },
      },
    ],
    [
      "both --schemas and --from-url",
      {
        given: ["generate", "--schemas", "s", "--from-url", "http://localhost:8080/scim/v2", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit generate: --schemas and --from-url cannot be used together; pass one of them${GEN_HINT}`,
          ),
        },
      },
    ],
    [
      "--token without --from-url",
      {
        given: ["generate", "--schemas", "s", "--out", "o", "--token", "t0ken"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: --token only applies with --from-url${GEN_HINT}`),
        },
      },
    ],
    [
      "--save-schemas without --from-url",
      {
        given: ["generate", "--schemas", "s", "--out", "o", "--save-schemas", "saved"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: --save-schemas only applies with --from-url${GEN_HINT}`),
        },
      },
    ],
    [
      "--from-url that is not a URL",
      {
        given: ["generate", "--from-url", "localhost", "--out", "o"],
        want: {
          code: 2,
          err: /^scimkit generate: --from-url: the service URL is not an absolute URL; pass the SCIM service root, e.g. https:\/\/example.com\/scim\/v2$/,
        },
      },
    ],
    [
      "--from-url with another protocol",
      {
        given: ["generate", "--from-url", "ftp://example.com/scim", "--out", "o"],
        want: {
          code: 2,
          err: /^scimkit generate: --from-url: the service URL uses ftp: where http: or https: is needed/,
        },
      },
    ],
    [
      "--from-url with a password in it, which is not repeated",
      {
        given: ["generate", "--from-url", "https://admin:hunter22@example.com/scim/v2", "--out", "o"],
        want: {
          code: 2,
          err: /^scimkit generate: --from-url: the service URL https:\/\/example.com\/scim\/v2 has a user name or password in it; pass a bearer token with --token or SCIM_TOKEN instead$/,
        },
      },
    ],
    [
      "--from-url naming /Schemas itself",
      {
        given: ["generate", "--from-url", "https://example.com/scim/v2/Schemas/", "--out", "o"],
        want: {
          code: 2,
          err: /^scimkit generate: --from-url: the service URL https:\/\/example.com\/scim\/v2\/Schemas\/ ends in \/Schemas; pass the SCIM service root it is under/,
        },
      },
    ],
    [
      "an empty --token",
      {
        given: ["generate", "--from-url", "https://example.com/scim/v2", "--out", "o", "--token", " "],
        want: {
          code: 2,
          err: /^scimkit generate: --token is empty; pass the bearer token, or leave --token out/,
        },
      },
    ],
    [
      "a --token that cannot be a header value, which is not repeated",
      {
        given: ["generate", "--from-url", "https://example.com/scim/v2", "--out", "o", "--token", "se cret"],
        want: {
          code: 2,
          err: /^scimkit generate: the token holds spaces, control or non-ASCII characters, which cannot be sent in an Authorization header$/,
        },
      },
    ],
    [
      "a --timeout that is not a number of seconds",
      {
        given: ["generate", "--from-url", "https://example.com/scim/v2", "--out", "o", "--timeout", "soon"],
        want: {
          code: 2,
          err: /^scimkit generate: --timeout takes a number of seconds \(up to 3600\); got "soon"$/,
        },
      },
    ],
    [
      "an unknown option: one line, with the option it resembles",
      {
        given: ["generate", "--schema", "x", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: unknown option --schema; did you mean --schemas\\?${GEN_HINT}`),
        },
      },
    ],
    [
      "an unknown option that is a longer spelling",
      {
        given: ["generate", "--schemas", "s", "--output", "o"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: unknown option --output; did you mean --out\\?${GEN_HINT}`),
        },
      },
    ],
    [
      "an option in camel case",
      {
        given: ["generate", "--fromUrl", "https://example.com/scim/v2", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit generate: unknown option --fromUrl; did you mean --from-url\\?${GEN_HINT}`,
          ),
        },
      },
    ],
    [
      "a long option with one dash",
      {
        given: ["generate", "-schemas", "s", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: unknown option -schemas; did you mean --schemas\\?${GEN_HINT}`),
        },
      },
    ],
    [
      "an unknown option like nothing known",
      {
        given: ["generate", "--verbose"],
        want: { code: 2, err: new RegExp(`^scimkit generate: unknown option --verbose${GEN_HINT}`) },
      },
    ],
    [
      "an option without its value, at the end",
      {
        given: ["generate", "--out", "o", "--schemas"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: --schemas needs a value: --schemas <dir>${GEN_HINT}`),
        },
      },
    ],
    [
      "an option without its value, before the next option",
      {
        given: ["generate", "--schemas", "--out", "o"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit generate: --schemas needs a value: --schemas <dir> \\(a value that starts with "--" is written --schemas=--out\\)${GEN_HINT}`,
          ),
        },
      },
    ],
    [
      "a value given to a flag",
      {
        given: ["generate", "--schemas", "s", "--out", "o", "--zod=yes"],
        want: { code: 2, err: new RegExp(`^scimkit generate: --zod takes no value${GEN_HINT}`) },
      },
    ],
    [
      "an option given twice",
      {
        given: ["generate", "--schemas", "s", "--out", "a", "--out", "b"],
        want: {
          code: 2,
          err: new RegExp(`^scimkit generate: --out is given twice; pass it once${GEN_HINT}`),
        },
      },
    ],
    [
      "an unknown --emit group",
      {
        given: ["generate", "--schemas", "s", "--out", "o", "--emit", "types,docs"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit generate: --emit takes a comma-separated list of types, data, json-schema, openapi, zod, validators; got "types,docs"${GEN_HINT}`,
          ),
        },
      },
    ],
    [
      "--help",
      {
        given: ["--help"],
        want: { code: 0, out: /^Usage: scimkit generate[\s\S]*-v, --version +show the version$/ },
      },
    ],
    [
      "-h after a command",
      {
        given: ["generate", "-h"],
        want: { code: 0, out: /^Usage: scimkit generate[\s\S]*\n {2}--zod {17}also/ },
      },
    ],
    [
      "scimkit help",
      {
        given: ["help"],
        want: { code: 0, out: /^Usage: scimkit generate[\s\S]*scimkit help \[generate\|test\|sync\]/ },
      },
    ],
    [
      "scimkit help generate",
      {
        given: ["help", "generate"],
        want: { code: 0, out: /^Usage: scimkit generate[\s\S]*\n {2}--schemas <dir> {7}folder/ },
      },
    ],
    [
      "scimkit help about something else",
      {
        given: ["help", "build"],
        want: {
          code: 2,
          err: new RegExp(
            `^scimkit: no help for "build": the commands are generate, test, sync and help${HINT}`,
          ),
        },
      },
    ],
    [
      "--version",
      { given: ["--version"], want: { code: 0, out: new RegExp(`^${version.replace(/\./g, "\\.")}$`) } },
    ],
    ["-v", { given: ["-v"], want: { code: 0, out: /^\d+\.\d+\.\d+$/ } }],
  ];
  it.concurrent.each(cases)("%s", async (_, { given, want }) => {
    const result = await runBin(given);
    expect(result.code).toBe(want.code);
    if (want.out) expect(result.out).toMatch(want.out);
    else expect(result.out).toBe("");
    if (want.err) expect(result.err).toMatch(want.err);
    else expect(result.err).toBe("");
    // Usage errors are one line: no parser message with unbalanced quotes, no usage text after it.
    if (want.code === 2 && given.length > 0) expect(result.err.split("\n")).toHaveLength(1);
  });

  it("the in-process main() says the same as the binary", async () => {
    const given = ["generate", "--schema", "x"];
    expect(await run(...given)).toEqual(await runBin(given));
  });
});

describe("scimkit generate refuses an --out that cannot be the output folder, before reading anything", () => {
  it("--out naming a file", async () => {
    const dir = await tempFolder({ "scim.ts": "// mine\n" });
    const result = await runBin(["generate", "--schemas", CORE_DIR, "--out", "scim.ts"], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      out: "",
      err: "scimkit generate: --out scim.ts is a file; pass a folder (it is created when missing) (see scimkit generate --help)",
    });
    expect(await readFile(join(dir, "scim.ts"), "utf8")).toBe("// mine\n");
  });

  it("--out under a file", async () => {
    const dir = await tempFolder({ "scim.ts": "// mine\n" });
    const result = await runBin(["generate", "--schemas", CORE_DIR, "--out", "scim.ts/generated"], {
      cwd: dir,
    });
    expect(result).toEqual({
      code: 2,
      out: "",
      err: "scimkit generate: --out scim.ts/generated cannot be created: scim.ts is a file (see scimkit generate --help)",
    });
  });

  it("--out the same folder as --schemas", async () => {
    const dir = await tempFolder();
    await cp(EXAMPLES_DIR, join(dir, "scim-schemas"), { recursive: true });
    const before = await snapshotFolder(join(dir, "scim-schemas"));
    const result = await runBin(["generate", "--schemas", "scim-schemas", "--out", "./scim-schemas/"], {
      cwd: dir,
    });
    expect(result).toEqual({
      code: 2,
      out: "",
      err: "scimkit generate: --schemas and --out must be different folders: --schemas is read as schema JSON, so the generated openapi.json would be read back as a schema; write the output elsewhere, e.g. --out src/scim (see scimkit generate --help)",
    });
    expect(await snapshotFolder(join(dir, "scim-schemas"))).toEqual(before);
  });

  it("--out inside --schemas, which a second run would read back", async () => {
    const dir = await tempFolder();
    await cp(EXAMPLES_DIR, join(dir, "scim"), { recursive: true });
    const result = await runBin(["generate", "--schemas", "scim", "--out", "scim/generated"], { cwd: dir });
    expect(result).toEqual({
      code: 2,
      out: "",
      err: "scimkit generate: --out scim/generated is inside --schemas scim: every .json file there is read as a schema, so the next run would read the generated openapi.json; put the output folder outside it (see scimkit generate --help)",
    });
    expect(existsSync(join(dir, "scim", "generated"))).toBe(false);
  });

  it("--out inside --save-schemas, refused before asking the server", async () => {
    const dir = await tempFolder();
    // Nothing listens on port 9 (discard): asking would fail with exit 1, not this usage error.
    const result = await runBin(
      ["generate", "--from-url", "http://127.0.0.1:9/scim/v2", "--save-schemas", "scim", "--out", "scim/out"],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      "scimkit generate: --out scim/out is inside --save-schemas scim: every .json file there is read as a schema, so the next run would read the generated openapi.json; put the output folder outside it (see scimkit generate --help)",
    );
  });

  it("--save-schemas the same folder as --out", async () => {
    const result = await runBin(
      ["generate", "--from-url", "http://127.0.0.1:9/scim/v2", "--out", "o/", "--save-schemas", "o"],
      { cwd: await tempFolder() },
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^scimkit generate: --save-schemas and --out must be different folders/);
  });
});
