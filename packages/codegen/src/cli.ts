// The `scimkit` command: a dispatcher that loads only what the subcommand it runs needs (the table is in
// cli-commands.ts). `--help` and `--version` load no subcommand at all.
import { didYouMean } from "@scimkit/core/did-you-mean";
import { HELP_HINT, UsageError } from "./cli-args.js";
import { type CliIo, COMMAND_NAMES, type CommandModule, SUBCOMMANDS, USAGE } from "./cli-commands.js";

export type { CliIo, CommandModule, Subcommand } from "./cli-commands.js";
export { SUBCOMMANDS } from "./cli-commands.js";

const stdio: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the `scimkit` command line and returns its exit code. The first argument names the subcommand
 * (`generate`, `test`, `help`), whose module is loaded and given the rest; each documents its exit codes,
 * and all of them answer a usage error with 2 and one line on stderr. Without `io`, output goes to the
 * process and a subcommand may use the terminal (colour, progress, Ctrl-C).
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  const print = io ?? stdio;
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      print.err(USAGE);
      return 2;
    }
    if (first === "--version" || first === "-v") {
      print.out(await version());
      return 0;
    }
    if (first === "help" || first === "--help" || first === "-h") return await help(rest, print);
    const command = SUBCOMMANDS.get(first);
    if (command) return await (await command.load()).run(rest, io);
    throw first.startsWith("-") ? noCommand(argv) : unknownCommand(first);
  } catch (e) {
    if (e instanceof UsageError) {
      print.err(`scimkit: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** `scimkit help [command]`: the top-level usage, or the command's own (which loads its module). */
async function help(topic: readonly string[], io: CliIo): Promise<number> {
  const [name, ...more] = topic;
  if (name === undefined || (name === "help" && more.length === 0)) {
    io.out(USAGE);
    return 0;
  }
  const command = more.length === 0 ? SUBCOMMANDS.get(name) : undefined;
  if (!command) {
    const guess = more.length === 0 ? didYouMean(name, COMMAND_NAMES) : undefined;
    throw new UsageError(
      `no help for "${topic.join(" ")}"${guess ? `; did you mean "scimkit help ${guess}"?` : ""}: the commands are ${commandList()} ${HELP_HINT}`,
    );
  }
  const module: CommandModule = await command.load();
  io.out(module.usage);
  return 0;
}

/** An unknown command, with the closest known one. */
function unknownCommand(command: string): UsageError {
  const guess = didYouMean(command, COMMAND_NAMES);
  return new UsageError(
    `unknown command "${command}"${guess ? `; did you mean "scimkit ${guess}"?` : `; the commands are ${commandList()}`} ${HELP_HINT}`,
  );
}

/** Options without a command first: name the command they belong to, or say that the command goes first. */
function noCommand(argv: readonly string[]): UsageError {
  const later = argv.findIndex((arg) => SUBCOMMANDS.has(arg));
  if (later > 0) {
    const fixed = [argv[later], ...argv.slice(0, later), ...argv.slice(later + 1)].join(" ");
    return new UsageError(`the command goes first: "scimkit ${fixed}" ${HELP_HINT}`);
  }
  const given = new Set(argv.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")[0]));
  const votes = [...SUBCOMMANDS].map(
    ([name, c]) => [name, c.options.filter((o) => given.has(o)).length] as const,
  );
  const most = Math.max(...votes.map(([, n]) => n));
  const best = votes.filter(([, n]) => n === most && n > 0);
  if (best.length === 1 && best[0])
    return new UsageError(`no command; did you mean "scimkit ${best[0][0]} ${argv.join(" ")}"? ${HELP_HINT}`);
  return new UsageError(
    `no command: the commands are ${commandList()}, e.g. "scimkit test --url <url>" ${HELP_HINT}`,
  );
}

function commandList(): string {
  return `${COMMAND_NAMES.slice(0, -1).join(", ")} and ${COMMAND_NAMES.at(-1)}`;
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
