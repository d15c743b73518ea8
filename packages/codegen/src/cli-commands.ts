// The `scimkit` subcommands: what each one is and where its code lives. The dispatcher (cli.ts) imports a
// subcommand's module only when that subcommand runs, so `scimkit test` never loads the generator and
// `scimkit --help` loads neither. A new subcommand is one more entry (sync will load @scimkit/sync/cli).
// Subcommands from other packages are found where the user installed them (cli-load.ts).
import { importCommand } from "./cli-load.js";

/** Where a command writes. @example await main(["generate", "--schemas", "s", "--out", "o"], { out: () => {}, err: () => {} }); */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** What a subcommand's module exports. */
export interface CommandModule {
  /** The command's usage text (`scimkit <command> --help`, `scimkit help <command>`). */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name and resolves to the exit code. Without `io` it
   * writes to the process (and may use what a terminal offers: colour, a progress line, Ctrl-C).
   */
  run(argv: readonly string[], io?: CliIo): Promise<number>;
}

/** One entry of the subcommand table. */
export interface Subcommand {
  /** Its lines of the top-level usage, each starting "scimkit <command>". */
  readonly synopsis: readonly string[];
  /** One line for the list of commands. */
  readonly summary: string;
  /** Options that, given without a command, point at this one ("did you mean scimkit test …?"). */
  readonly options: readonly string[];
  load(): Promise<CommandModule>;
}

/** Every subcommand, in the order `scimkit --help` lists them. */
export const SUBCOMMANDS: ReadonlyMap<string, Subcommand> = new Map<string, Subcommand>([
  [
    "generate",
    {
      synopsis: [
        "scimkit generate --schemas <dir> --out <dir> [--zod] [--emit <list>] [--title <text>]",
        "scimkit generate --from-url <url> [--token <token>] [--save-schemas <dir>] --out <dir> [...]",
      ],
      summary: "typed models, schema data and OpenAPI from SCIM schema JSON (RFC 7643 §6, §7)",
      options: ["schemas", "from-url", "save-schemas", "timeout", "title", "zod", "emit"],
      load: () => import("./cli-generate.js"),
    },
  ],
  [
    "test",
    {
      synopsis: [
        "scimkit test --url <url> [--token <token>] [--profile <name>] [--format <format>] [--out <file>] [--read-only]",
      ],
      summary: "checks a SCIM server against RFC 7643 and RFC 7644 (and the Entra ID and Okta profiles)",
      options: ["url", "profile", "format", "read-only"],
      load: () => importCommand<CommandModule>("@scimkit/conformance/cli", "@scimkit/conformance", "test"),
    },
  ],
  [
    "sync",
    {
      synopsis: [
        "scimkit sync --from <file|url> --to <url> [--token <token>] [--key userName|externalId] [--deactivate-missing] [--dry-run] [--report <file>] [...]",
      ],
      summary:
        "provisions users and groups from CSV, JSON or another SCIM server into a SCIM server (RFC 7644)",
      options: [
        "from",
        "to",
        "from-token",
        "key",
        "deactivate-missing",
        "scope",
        "max-deactivate",
        "force",
        "concurrency",
        "dry-run",
        "report",
      ],
      load: () => importCommand<CommandModule>("@scimkit/sync/cli", "@scimkit/sync", "sync"),
    },
  ],
]);

/** The command names, and `help`. */
export const COMMAND_NAMES: readonly string[] = [...SUBCOMMANDS.keys(), "help"];

const width = Math.max(...COMMAND_NAMES.map((name) => name.length)) + 3;

/** `scimkit --help`, `scimkit help`, and (on stderr) `scimkit` without arguments. */
export const USAGE = [
  ...[...SUBCOMMANDS.values()]
    .flatMap((command) => command.synopsis)
    .concat(`scimkit help [${[...SUBCOMMANDS.keys()].join("|")}]`)
    .map((line, i) => `${i === 0 ? "Usage: " : "       "}${line}`),
  "",
  "Commands:",
  ...[...SUBCOMMANDS].map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`),
  "",
  "Options:",
  "  -h, --help     show this help; scimkit help <command> (or scimkit <command> --help) shows its options",
  "  -v, --version  show the version",
].join("\n");
