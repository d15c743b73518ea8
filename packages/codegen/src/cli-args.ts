// Argument parsing for the `scimkit` command line: an option table per command and one-line usage
// errors with a did-you-mean, instead of node:util's parser messages followed by the whole usage. Kept
// free of heavy imports: the dispatcher (cli.ts) loads it for every command, and takes did-you-mean from
// @scimkit/core's one-module `did-you-mean` entry, not from its index.
import { parseArgs } from "node:util";
import { didYouMean } from "@scimkit/core/did-you-mean";

/** One option of a command: a string (with the placeholder its usage shows) or a boolean flag. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly value?: string;
  readonly short?: string;
}

/** A command's options by long name. */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** The parsed command line: option values by name, and the positional arguments in order. */
export interface CliArgs<T extends OptionTable> {
  readonly values: { [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean };
  readonly positionals: readonly string[];
}

/** A mistake in the command line; `message` is one line, without the program name. */
export class UsageError extends Error {
  override name = "UsageError" as const;
}

/** Where every usage error points. */
export const HELP_HINT = "(see scimkit --help)";

/**
 * Parses `argv` against `options`; every error message ends with `hint`. Throws {@link UsageError}
 * for an unknown option (naming the closest known one), an option without its value, a value given to
 * a flag, or a string option given twice.
 *
 * @example
 * parseOptions(["--out", "o"], { out: { type: "string", value: "<dir>" } }).values.out; // "o"
 */
export function parseOptions<T extends OptionTable>(
  argv: readonly string[],
  options: T,
  hint: string = HELP_HINT,
): CliArgs<T> {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const shorts = Object.values(options)
    .map((o) => o.short ?? "")
    .join("");
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    const raw = argv[token.index] ?? token.rawName;
    // "-schemas" is read as the short options -s -c -h …; name the whole word instead.
    if (/^-[^-]/.test(raw) && raw.length > 2 && !(shorts !== "" && new RegExp(`^-[${shorts}]+$`).test(raw)))
      throw unknownOption(raw.split("=")[0] as string, options, hint);
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) throw unknownOption(token.rawName, options, hint);
    const name = token.name;
    if (name in values && spec.type === "string")
      throw new UsageError(`--${name} is given twice; pass it once ${hint}`);
    if (spec.type === "boolean") {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value ${hint}`);
      values[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("--"))) {
      const dashes =
        value === undefined ? "" : ` (a value that starts with "--" is written --${name}=${value})`;
      throw new UsageError(`--${name} needs a value: --${name} ${spec.value}${dashes} ${hint}`);
    }
    values[name] = value;
  }
  return { values: values as CliArgs<T>["values"], positionals };
}

function unknownOption(raw: string, options: OptionTable, hint: string): UsageError {
  const given = raw.replace(/^-+/, "");
  const names = Object.keys(options);
  // Prefer a real option over -h/--help and -v/--version, which any word of four letters is close to.
  const guess =
    didYouMean(
      given,
      names.filter((n) => options[n]?.short === undefined),
    ) ??
    didYouMean(
      given,
      names.filter((n) => options[n]?.short !== undefined),
    );
  return new UsageError(`unknown option ${raw}${guess ? `; did you mean --${guess}?` : ""} ${hint}`);
}
