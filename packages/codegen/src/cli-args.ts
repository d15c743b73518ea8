// Argument parsing for the `scimkit` command line: an option table per command and one-line usage
// errors with a did-you-mean, instead of node:util's parser messages followed by the whole usage. Kept
// free of heavy imports: the dispatcher (cli.ts) loads it for every command.
import { parseArgs } from "node:util";

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
    closest(
      given,
      names.filter((n) => options[n]?.short === undefined),
    ) ??
    closest(
      given,
      names.filter((n) => options[n]?.short !== undefined),
    );
  return new UsageError(`unknown option ${raw}${guess ? `; did you mean --${guess}?` : ""} ${hint}`);
}

/**
 * The candidate `given` most likely meant: the same letters apart from case, `-` and `_`
 * (`fromUrl` → `from-url`); one a prefix of the other (`output` → `out`, `schema` → `schemas`); or
 * within a small edit distance (`shemas` → `schemas`).
 *
 * @example
 * closest("schema", ["schemas", "out"]); // "schemas"
 */
export function closest(given: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  const g = squash(given);
  if (g === "") return undefined;
  const same = candidates.find((c) => squash(c) === g);
  if (same) return same;
  const prefixed = candidates.filter(
    (c) => g.length >= 3 && (squash(c).startsWith(g) || g.startsWith(squash(c))),
  );
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(g.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(g, squash(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, with adjacent transposition counted as one edit. */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(a.length, b.length);
}
