import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { SchemaLoadError } from "@scimkit/core";
import { bearerToken, DEFAULT_FETCH_TIMEOUT_MS, SchemaFetchError, serviceRoot } from "./fetch-schemas.js";
import {
  type FolderSource,
  GENERATED_OUTPUTS,
  type GeneratedOutput,
  type GenerateOptions,
  generate,
  type ServerSource,
} from "./generate.js";

const USAGE = `Usage: scimkit generate --schemas <dir> --out <dir> [--zod] [--emit <list>] [--title <text>]
       scimkit generate --from-url <url> [--token <token>] [--save-schemas <dir>] --out <dir> [...]

Generates typed SCIM 2.0 models from SCIM schema JSON (RFC 7643 §6, §7), read from a folder or from a
SCIM server's /Schemas and /ResourceTypes (RFC 7644 §4).

Options:
  --schemas <dir>       folder of schema and resource type .json files (read recursively)
  --from-url <url>      SCIM service root to read them from instead, e.g. https://example.com/scim/v2
  --token <token>       bearer token for --from-url (default: the SCIM_TOKEN environment variable)
  --save-schemas <dir>  with --from-url, also write what the server returned there, one file each
  --timeout <seconds>   with --from-url, time limit of each request (default ${DEFAULT_FETCH_TIMEOUT_MS / 1000})
  --out <dir>           output folder (created if missing)
  --zod                 also write zod.gen.ts: zod 4 schemas and validators (needs zod)
  --emit <list>         write only these, comma-separated: types, data, json-schema, openapi, zod
  --title <text>        title of the generated OpenAPI document
  -h, --help            show this help
  -v, --version         show the version`;

/** Where the CLI writes. @example await main(["generate", "--schemas", "s", "--out", "o"], { out: () => {}, err: () => {} }); */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the `scimkit` command line and returns its exit code: 0 on success, 1 when the schemas cannot
 * be used (the message names the file or URL and the JSON pointer) or the server cannot be read, 2 on a
 * usage error. With `--from-url` and no `--token`, the token is read from the `SCIM_TOKEN` environment
 * variable.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    io.err(`scimkit: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(await version());
    return 0;
  }
  if (values.help || positionals.length === 0) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const [command, ...rest] = positionals;
  if (command !== "generate" || rest.length > 0) {
    io.err(`scimkit: unknown command "${positionals.join(" ")}"\n\n${USAGE}`);
    return 2;
  }
  const usage = (problem: string) => {
    io.err(`scimkit generate: ${problem}\n\n${USAGE}`);
    return 2;
  };
  const fromUrl = values["from-url"];
  if (values.schemas !== undefined && fromUrl !== undefined)
    return usage("--schemas and --from-url cannot be used together; pass one of them");
  if (values.schemas === undefined && fromUrl === undefined)
    return usage("--schemas <dir> or --from-url <url> is required");
  if (!values.out) return usage("--out is required");
  if (fromUrl === undefined) {
    for (const flag of ["token", "save-schemas", "timeout"] as const)
      if (values[flag] !== undefined) return usage(`--${flag} only applies with --from-url`);
  }
  const saveDir = values["save-schemas"];
  let source: FolderSource | ServerSource;
  if (fromUrl !== undefined) {
    try {
      serviceRoot(fromUrl);
    } catch (e) {
      return usage(`--from-url: ${(e as Error).message}`);
    }
    if (values.token !== undefined && values.token.trim() === "")
      return usage("--token is empty; pass the bearer token, or leave --token out to use SCIM_TOKEN");
    let token: string | undefined;
    try {
      token = bearerToken(values.token ?? process.env.SCIM_TOKEN);
    } catch (e) {
      return usage(
        `${(e as Error).message}${values.token === undefined ? " (it came from SCIM_TOKEN)" : ""}`,
      );
    }
    if (saveDir !== undefined && resolve(saveDir) === resolve(values.out))
      return usage(
        "--save-schemas and --out must be different folders (openapi.json in --out is not a schema file)",
      );
    let timeoutMs: number | undefined;
    if (values.timeout !== undefined) {
      const seconds = Number(values.timeout);
      if (!(values.timeout.trim() !== "" && seconds > 0 && seconds <= 3600))
        return usage(
          `--timeout takes a number of seconds (up to 3600); got ${JSON.stringify(values.timeout)}`,
        );
      timeoutMs = Math.round(seconds * 1000);
    }
    source = {
      fromUrl,
      ...(token !== undefined && { token }),
      ...(saveDir !== undefined && { saveSchemas: saveDir }),
      ...(timeoutMs !== undefined && { timeoutMs }),
    };
  } else {
    source = { schemas: values.schemas as string };
  }
  let emit: GeneratedOutput[] | undefined;
  if (values.emit !== undefined) {
    const names = values.emit
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
    const unknown = names.filter((n) => !(GENERATED_OUTPUTS as readonly string[]).includes(n));
    if (names.length === 0 || unknown.length > 0) {
      return usage(
        `--emit takes a comma-separated list of ${GENERATED_OUTPUTS.join(", ")}; got ${JSON.stringify(values.emit)}`,
      );
    }
    emit = names as GeneratedOutput[];
  }
  const out = values.out.replace(/\/$/, "");
  try {
    const started = performance.now();
    const options: GenerateOptions = {
      ...source,
      out: values.out,
      ...(values.title !== undefined && { title: values.title }),
      ...(values.zod === true && { zod: true }),
      ...(emit !== undefined && { emit }),
    };
    const result = await generate(options).catch((e: unknown) => {
      if (e instanceof SchemaLoadError && fromUrl !== undefined && saveDir !== undefined)
        throw new SchemaLoadError({
          file: e.file,
          pointer: e.pointer,
          problem: `${e.problem}. What the server returned is saved in ${saveDir}: correct it there and generate with --schemas ${saveDir}`,
          cause: e,
        });
      throw e;
    });
    const ms = Math.round(performance.now() - started);
    if (result.fetched) {
      const { fetched } = result;
      io.out(
        `scimkit: fetched ${fetched.schemas.length} schemas and ${fetched.resourceTypes.length} resource types from ${fetched.url}`,
      );
      for (const note of fetched.notes) io.out(`scimkit: note: ${note}`);
    }
    if (result.saved && saveDir !== undefined) {
      const dir = saveDir.replace(/\/$/, "");
      for (const file of result.saved.files)
        io.out(`  ${file.changed ? "wrote    " : "unchanged"} ${dir}/${file.path}`);
      if (result.saved.others.length)
        io.out(
          `scimkit: note: ${dir} also holds ${result.saved.others.join(", ")}, which the server did not return; --schemas ${dir} reads ${result.saved.others.length === 1 ? "it" : "them"} too`,
        );
    }
    const types = result.model.resourceTypes.map((t) => t.name).join(", ") || "none";
    io.out(`scimkit: ${result.model.schemas.length} schemas, resource types: ${types}`);
    if (result.model.builtins.length)
      io.out(`scimkit: built-in RFC 7643 schemas used: ${result.model.builtins.join(", ")}`);
    for (const file of result.files)
      io.out(`  ${file.changed ? "wrote    " : "unchanged"} ${out}/${file.path}`);
    io.out(`scimkit: done in ${ms} ms`);
    return 0;
  } catch (e) {
    if (e instanceof SchemaLoadError || e instanceof SchemaFetchError) {
      io.err(`scimkit: ${e.message}`);
      return 1;
    }
    io.err(`scimkit: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      schemas: { type: "string" },
      "from-url": { type: "string" },
      token: { type: "string" },
      "save-schemas": { type: "string" },
      timeout: { type: "string" },
      out: { type: "string" },
      title: { type: "string" },
      zod: { type: "boolean" },
      emit: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
