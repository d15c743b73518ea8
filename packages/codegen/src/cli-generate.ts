// `scimkit generate`: its options and usage, and the run itself. The `scimkit` dispatcher (cli.ts) imports
// this module only for `generate`, since it loads the generator (openapi-typescript, the TypeScript API).
import { SchemaLoadError } from "@scimkit/core";
import { type CliArgs, parseOptions, UsageError } from "./cli-args.js";
import type { CliIo } from "./cli-commands.js";
import { bearerToken, DEFAULT_FETCH_TIMEOUT_MS, SchemaFetchError, serviceRoot } from "./fetch-schemas.js";
import {
  type FolderSource,
  GENERATED_OUTPUTS,
  type GeneratedOutput,
  type GenerateOptions,
  generate,
  type ServerSource,
} from "./generate.js";
import { OutputFolderError } from "./output-folder.js";
import { zodNote } from "./zod-check.js";

/** Where every usage error of `scimkit generate` points. */
const HINT = "(see scimkit generate --help)";

const OPTIONS = {
  schemas: { type: "string", value: "<dir>" },
  "from-url": { type: "string", value: "<url>" },
  token: { type: "string", value: "<token>" },
  "save-schemas": { type: "string", value: "<dir>" },
  timeout: { type: "string", value: "<seconds>" },
  out: { type: "string", value: "<dir>" },
  title: { type: "string", value: "<text>" },
  zod: { type: "boolean" },
  emit: { type: "string", value: "<list>" },
  help: { type: "boolean", short: "h" },
} as const;

/** `scimkit generate --help` and `scimkit help generate`. */
export const usage = `Usage: scimkit generate --schemas <dir> --out <dir> [--zod] [--emit <list>] [--title <text>]
       scimkit generate --from-url <url> [--token <token>] [--save-schemas <dir>] --out <dir> [...]

Generates typed SCIM 2.0 models from SCIM schema JSON (RFC 7643 §6, §7), read from a folder or from a
SCIM server's /Schemas and /ResourceTypes (RFC 7644 §4).

Options:
  --schemas <dir>       folder of schema and resource type .json files (read recursively)
  --from-url <url>      SCIM service root to read them from instead, e.g. https://example.com/scim/v2
  --token <token>       bearer token for --from-url (default: the SCIM_TOKEN environment variable)
  --save-schemas <dir>  with --from-url, also write what the server returned there, one file each
  --timeout <seconds>   with --from-url, time limit of each request (default ${DEFAULT_FETCH_TIMEOUT_MS / 1000})
  --out <dir>           output folder (created if missing); not inside --schemas or --save-schemas
  --zod                 also write zod.gen.ts: zod schemas and validators (imports zod >= 4.1)
  --emit <list>         write only these, comma-separated: types, data, json-schema, openapi, zod, validators
  --title <text>        title of the generated OpenAPI document
  -h, --help            show this help`;

const stdio: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs `scimkit generate` with `argv` (the arguments after `generate`) and resolves to its exit code: 0
 * on success, 1 when the schemas cannot be used (the message names the file or URL and the JSON pointer)
 * or the server cannot be read, 2 on a usage error (one line, ending with a pointer to `--help`). With
 * `--from-url` and no `--token`, the token is read from the `SCIM_TOKEN` environment variable.
 *
 * @example
 * process.exitCode = await run(["--schemas", "./scim-schemas", "--out", "./src/scim"]);
 */
export async function run(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  try {
    const args = parseOptions(argv, OPTIONS, HINT);
    if (args.values.help) {
      io.out(usage);
      return 0;
    }
    return await runGenerate(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`scimkit generate: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** `scimkit generate`: checks the options (usage errors throw {@link UsageError}), then generates. */
async function runGenerate({ values, positionals }: CliArgs<typeof OPTIONS>, io: CliIo): Promise<number> {
  const stray = positionals[0];
  if (stray !== undefined)
    throw new UsageError(
      `unexpected argument "${stray}": generate takes options only; a schema folder goes after --schemas, the output folder after --out ${HINT}`,
    );
  const fromUrl = values["from-url"];
  if (values.schemas !== undefined && fromUrl !== undefined)
    throw new UsageError(`--schemas and --from-url cannot be used together; pass one of them ${HINT}`);
  if (values.schemas === undefined && fromUrl === undefined)
    throw new UsageError(`--schemas <dir> or --from-url <url> is required ${HINT}`);
  if (!values.out) throw new UsageError(`--out <dir> is required ${HINT}`);
  if (fromUrl === undefined) {
    for (const flag of ["token", "save-schemas", "timeout"] as const)
      if (values[flag] !== undefined) throw new UsageError(`--${flag} only applies with --from-url ${HINT}`);
  }
  const saveDir = values["save-schemas"];
  let source: FolderSource | ServerSource;
  if (fromUrl !== undefined) {
    try {
      serviceRoot(fromUrl);
    } catch (e) {
      throw new UsageError(`--from-url: ${(e as Error).message}`);
    }
    if (values.token !== undefined && values.token.trim() === "")
      throw new UsageError("--token is empty; pass the bearer token, or leave --token out to use SCIM_TOKEN");
    let token: string | undefined;
    try {
      token = bearerToken(values.token ?? process.env.SCIM_TOKEN);
    } catch (e) {
      throw new UsageError(
        `${(e as Error).message}${values.token === undefined ? " (it came from SCIM_TOKEN)" : ""}`,
      );
    }
    let timeoutMs: number | undefined;
    if (values.timeout !== undefined) {
      const seconds = Number(values.timeout);
      if (!(values.timeout.trim() !== "" && seconds > 0 && seconds <= 3600))
        throw new UsageError(
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
      throw new UsageError(
        `--emit takes a comma-separated list of ${GENERATED_OUTPUTS.join(", ")}; got ${JSON.stringify(values.emit)} ${HINT}`,
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
    const types = result.model.resourceTypes.map((t) => t.name).join(", ");
    io.out(`scimkit: ${result.model.schemas.length} schemas, resource types: ${types}`);
    if (result.model.builtins.length)
      io.out(`scimkit: built-in RFC 7643 schemas used: ${result.model.builtins.join(", ")}`);
    for (const file of result.files)
      io.out(`  ${file.changed ? "wrote    " : "unchanged"} ${out}/${file.path}`);
    if (result.files.some((f) => f.path === "zod.gen.ts")) {
      const note = zodNote(values.out);
      if (note) io.out(`scimkit: note: ${note}`);
    }
    io.out(`scimkit: done in ${ms} ms`);
    return 0;
  } catch (e) {
    if (e instanceof OutputFolderError) throw new UsageError(`${e.message} ${HINT}`);
    if (e instanceof SchemaLoadError) {
      io.err(`scimkit: ${describeLoadError(e)}`);
      return 1;
    }
    if (e instanceof SchemaFetchError) {
      io.err(`scimkit: ${e.message}`);
      return 1;
    }
    io.err(`scimkit: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/** `file:line:column: problem`, `file: /pointer: problem`, or `file: problem` for the whole file or folder. */
export function describeLoadError(e: SchemaLoadError): string {
  if (e.line !== undefined) return `${e.file}:${e.line}:${e.column ?? 1}: ${e.problem}`;
  return `${e.file}: ${e.pointer === "" ? "" : `${e.pointer}: `}${e.problem}`;
}
