// Argument parsing for the `scimkit` command line: the option table, the usage text, and one-line usage
// errors with a did-you-mean, instead of node:util's parser messages followed by the whole usage.
import { parseArgs } from "node:util";
import { DEFAULT_FETCH_TIMEOUT_MS } from "./fetch-schemas.js";

/** The commands `scimkit` knows. */
export const COMMANDS = ["generate", "help"] as const;

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
  version: { type: "boolean", short: "v" },
} as const satisfies Record<string, { type: "string" | "boolean"; value?: string; short?: string }>;

type OptionName = keyof typeof OPTIONS;
type StringOption = {
  [K in OptionName]: (typeof OPTIONS)[K]["type"] extends "string" ? K : never;
}[OptionName];
type BooleanOption = Exclude<OptionName, StringOption>;

/** The parsed command line: option values by name, and the positional arguments in order. */
export interface CliArgs {
  readonly values: { [K in StringOption]?: string } & { [K in BooleanOption]?: boolean };
  readonly positionals: readonly string[];
}

/** A mistake in the command line; `message` is one line, without the program name. */
export class UsageError extends Error {
  override name = "UsageError" as const;
}

/** Where every usage error points. */
export const HELP_HINT = "(see scimkit --help)";

export const USAGE = `Usage: scimkit generate --schemas <dir> --out <dir> [--zod] [--emit <list>] [--title <text>]
       scimkit generate --from-url <url> [--token <token>] [--save-schemas <dir>] --out <dir> [...]
       scimkit help [generate]

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
  --emit <list>         write only these, comma-separated: types, data, json-schema, openapi, zod
  --title <text>        title of the generated OpenAPI document
  -h, --help            show this help
  -v, --version         show the version`;

/**
 * Parses `argv` (without the program name). Throws {@link UsageError} for an unknown option (naming the
 * closest known one), an option without its value, a value given to a flag, or an option given twice.
 *
 * @example
 * parseCli(["generate", "--schemas", "s", "--out", "o"]).values.schemas; // "s"
 */
export function parseCli(argv: readonly string[]): CliArgs {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
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
    if (/^-[^-]/.test(raw) && raw.length > 2 && !/^-[hv]+$/.test(raw))
      throw unknownOption(raw.split("=")[0] as string);
    const spec = (OPTIONS as Record<string, (typeof OPTIONS)[OptionName]>)[token.name];
    if (!spec) throw unknownOption(token.rawName);
    const name = token.name as OptionName;
    if (name in values && spec.type === "string")
      throw new UsageError(`--${name} is given twice; pass it once ${HELP_HINT}`);
    if (spec.type === "boolean") {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value ${HELP_HINT}`);
      values[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("--"))) {
      const hint =
        value === undefined ? "" : ` (a value that starts with "--" is written --${name}=${value})`;
      throw new UsageError(`--${name} needs a value: --${name} ${spec.value}${hint} ${HELP_HINT}`);
    }
    values[name] = value;
  }
  return { values: values as CliArgs["values"], positionals };
}

function unknownOption(raw: string): UsageError {
  const guess = closest(
    raw.replace(/^-+/, ""),
    Object.keys(OPTIONS).filter((n) => n !== "help" && n !== "version"),
  );
  const known = guess ?? closest(raw.replace(/^-+/, ""), ["help", "version"]);
  return new UsageError(`unknown option ${raw}${known ? `; did you mean --${known}?` : ""} ${HELP_HINT}`);
}

/** An unknown command, with the closest known one. */
export function unknownCommand(command: string): UsageError {
  const guess = closest(command, COMMANDS);
  return new UsageError(
    `unknown command "${command}"${guess ? `; did you mean "scimkit ${guess}"?` : `; the commands are ${COMMANDS.join(" and ")}`} ${HELP_HINT}`,
  );
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
