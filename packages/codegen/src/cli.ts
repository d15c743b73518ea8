import { SchemaLoadError } from "@scimkit/core";
import {
  type CliArgs,
  COMMANDS,
  HELP_HINT,
  parseCli,
  USAGE,
  UsageError,
  unknownCommand,
} from "./cli-args.js";
import { bearerToken, SchemaFetchError, serviceRoot } from "./fetch-schemas.js";
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
 * usage error (one line, ending with a pointer to `--help`). With `--from-url` and no `--token`, the
 * token is read from the `SCIM_TOKEN` environment variable.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  let command: string | undefined;
  try {
    const args = parseCli(argv);
    const { values, positionals } = args;
    command = positionals[0];
    if (values.version) {
      io.out(await version());
      return 0;
    }
    if (values.help || command === "help") {
      const topic = command === "help" ? positionals.slice(1) : [];
      if (topic.length > 1 || (topic[0] !== undefined && topic[0] !== "generate"))
        throw new UsageError(
          `no help for "${topic.join(" ")}": the commands are ${COMMANDS.join(" and ")} ${HELP_HINT}`,
        );
      io.out(USAGE);
      return 0;
    }
    if (command === undefined) {
      if (argv.length === 0) {
        io.err(USAGE);
        return 2;
      }
      throw new UsageError(`no command; did you mean "scimkit generate ${argv.join(" ")}"? ${HELP_HINT}`);
    }
    if (command !== "generate") throw unknownCommand(command);
    return await runGenerate(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${command === "generate" ? "scimkit generate" : "scimkit"}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** `scimkit generate`: checks the options (usage errors throw {@link UsageError}), then generates. */
async function runGenerate({ values, positionals }: CliArgs, io: CliIo): Promise<number> {
  const stray = positionals[1];
  if (stray !== undefined)
    throw new UsageError(
      `unexpected argument "${stray}": generate takes options only; a schema folder goes after --schemas, the output folder after --out ${HELP_HINT}`,
    );
  const fromUrl = values["from-url"];
  if (values.schemas !== undefined && fromUrl !== undefined)
    throw new UsageError(`--schemas and --from-url cannot be used together; pass one of them ${HELP_HINT}`);
  if (values.schemas === undefined && fromUrl === undefined)
    throw new UsageError(`--schemas <dir> or --from-url <url> is required ${HELP_HINT}`);
  if (!values.out) throw new UsageError(`--out <dir> is required ${HELP_HINT}`);
  if (fromUrl === undefined) {
    for (const flag of ["token", "save-schemas", "timeout"] as const)
      if (values[flag] !== undefined)
        throw new UsageError(`--${flag} only applies with --from-url ${HELP_HINT}`);
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
        `--emit takes a comma-separated list of ${GENERATED_OUTPUTS.join(", ")}; got ${JSON.stringify(values.emit)} ${HELP_HINT}`,
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
    if (e instanceof OutputFolderError) throw new UsageError(`${e.message} ${HELP_HINT}`);
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

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
