import { parseArgs } from "node:util";
import { SchemaLoadError } from "@scimkit/core";
import { GENERATED_OUTPUTS, type GeneratedOutput, generate } from "./generate.js";

const USAGE = `Usage: scimkit generate --schemas <dir> --out <dir> [--zod] [--emit <list>] [--title <text>]

Generates typed SCIM 2.0 models from SCIM schema JSON (RFC 7643 §6, §7).

Options:
  --schemas <dir>  folder of schema and resource type .json files (read recursively)
  --out <dir>      output folder (created if missing)
  --zod            also write zod.gen.ts: zod 4 schemas and validators (needs zod)
  --emit <list>    write only these, comma-separated: types, data, json-schema, openapi, zod
  --title <text>   title of the generated OpenAPI document
  -h, --help       show this help
  -v, --version    show the version`;

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
 * be used (the message names the file and JSON pointer), 2 on a usage error.
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
  if (!values.schemas || !values.out) {
    io.err(`scimkit generate: ${!values.schemas ? "--schemas" : "--out"} is required\n\n${USAGE}`);
    return 2;
  }
  let emit: GeneratedOutput[] | undefined;
  if (values.emit !== undefined) {
    const names = values.emit
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
    const unknown = names.filter((n) => !(GENERATED_OUTPUTS as readonly string[]).includes(n));
    if (names.length === 0 || unknown.length > 0) {
      io.err(
        `scimkit generate: --emit takes a comma-separated list of ${GENERATED_OUTPUTS.join(", ")}; got ${JSON.stringify(values.emit)}\n\n${USAGE}`,
      );
      return 2;
    }
    emit = names as GeneratedOutput[];
  }
  try {
    const started = performance.now();
    const result = await generate({
      schemas: values.schemas,
      out: values.out,
      ...(values.title !== undefined && { title: values.title }),
      ...(values.zod === true && { zod: true }),
      ...(emit !== undefined && { emit }),
    });
    const ms = Math.round(performance.now() - started);
    const types = result.model.resourceTypes.map((t) => t.name).join(", ") || "none";
    io.out(`scimkit: ${result.model.schemas.length} schemas, resource types: ${types}`);
    if (result.model.builtins.length)
      io.out(`scimkit: built-in RFC 7643 schemas used: ${result.model.builtins.join(", ")}`);
    for (const file of result.files)
      io.out(`  ${file.changed ? "wrote    " : "unchanged"} ${values.out.replace(/\/$/, "")}/${file.path}`);
    io.out(`scimkit: done in ${ms} ms`);
    return 0;
  } catch (e) {
    if (e instanceof SchemaLoadError) {
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
