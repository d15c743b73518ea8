// `scimkit sync`'s command line (DESIGN.md "scimkit sync"): the option table, the usage text, and one-line
// usage errors that name the closest known option or value.
import { parseArgs } from "node:util";
import { didYouMean } from "@scimkit/core/did-you-mean";

/** Where every usage error points. */
export const HELP_HINT = "(see scimkit sync --help)";

/** What `--key` takes: the attribute users are matched by. @example KEYS[0]; // "userName", the default */
export const KEYS = ["userName", "externalId"] as const;

/** An attribute `--key` matches users by. */
export type SyncKey = (typeof KEYS)[number];

/** Default `--concurrency` (the issue: "default 4"). */
export const DEFAULT_CONCURRENCY = 4;
/** Largest `--concurrency`: more parallel requests than this only earn 429s. */
export const MAX_CONCURRENCY = 64;

/** The first line of {@link USAGE}. @example SYNOPSIS.startsWith("Usage: scimkit sync"); // true */
export const SYNOPSIS =
  "Usage: scimkit sync --from <file|url> --to <url> [--token <token>] [--from-token <token>] [--key userName|externalId] [--deactivate-missing [--scope <filter>] [--max-deactivate <n>] [--force]] [--concurrency <n>] [--dry-run] [--report <file>]";

/** `scimkit sync --help` and `scimkit help sync`. */
export const USAGE = `${SYNOPSIS}

Provisions users and groups into a SCIM 2.0 server from a CSV file, a JSON file (an array of SCIM User
bodies, or one per line) or another SCIM server. It reads the source and the target, plans what to create,
update (a minimal PATCH, RFC 7644 §3.5.2) and deactivate, then applies the plan (in bulk, RFC 7644 §3.7,
when the target offers it). Rerunning converges: a second run changes nothing, and a run that was stopped
is finished by running it again.

A CSV's header cells are attribute paths of the target's User resource type: userName, name.givenName,
emails[type eq "work"].value, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department,
active, and groups (group displayNames separated by ";").

Options:
  --from <file|url>      the source: a .csv or .json/.ndjson file, or a SCIM base URL
  --to <url>             the target's SCIM base URL, e.g. https://example.com/scim/v2
  --token <token>        the target's bearer token (default: the SCIM_TOKEN environment variable)
  --from-token <token>   the source's bearer token when --from is a URL (default: SCIM_FROM_TOKEN)
  --key <attribute>      match users by userName (default) or externalId
  --deactivate-missing   set active to false on target users that the source lacks
  --scope <filter>       only users matching this SCIM filter (RFC 7644 §3.4.2.2) may be deactivated
  --max-deactivate <n>   refuse to deactivate more than n users (default: 10% of the scope)
  --force                deactivate even past --max-deactivate
  --concurrency <n>      requests in flight when not in bulk (default ${DEFAULT_CONCURRENCY}, at most ${MAX_CONCURRENCY})
  --dry-run              print the plan and change nothing
  --report <file>        write the outcome as JSON: created, updated, deactivated, unchanged, failed
  -h, --help             show this help

Exit status: 0 every row applied, 1 some rows failed (each is listed with its row number or key),
2 usage error, unreachable source or target, or a refused deactivation.`;

const OPTIONS = {
  from: { type: "string", value: "<file|url>" },
  to: { type: "string", value: "<url>" },
  token: { type: "string", value: "<token>" },
  "from-token": { type: "string", value: "<token>" },
  key: { type: "string", value: "<attribute>" },
  "deactivate-missing": { type: "boolean" },
  scope: { type: "string", value: "<filter>" },
  "max-deactivate": { type: "string", value: "<n>" },
  force: { type: "boolean" },
  concurrency: { type: "string", value: "<n>" },
  "dry-run": { type: "boolean" },
  report: { type: "string", value: "<file>" },
  help: { type: "boolean", short: "h" },
} as const satisfies Record<string, { type: "string" | "boolean"; value?: string; short?: string }>;

type OptionName = keyof typeof OPTIONS;

/** The option names `scimkit sync` takes, for "did you mean" in the dispatcher. */
export const OPTION_NAMES: readonly string[] = Object.keys(OPTIONS);

/**
 * A mistake on the command line; `message` is one line without the program name, and never the token.
 *
 * @example
 * try { parseSyncArgs(["--to"], {}); } catch (e) { if (e instanceof UsageError) process.exitCode = 2; }
 */
export class UsageError extends Error {
  override name = "UsageError" as const;
}

/** Where the rows come from. */
export type SyncSourceArg =
  | { readonly kind: "file"; readonly path: string; readonly format: "csv" | "json" }
  | { readonly kind: "scim"; readonly url: string; readonly token: string | undefined };

/** What `scimkit sync` was asked to do. */
export interface SyncArgs {
  readonly help: boolean;
  readonly from: SyncSourceArg;
  readonly to: string;
  readonly token: string;
  readonly key: SyncKey;
  readonly deactivateMissing: boolean;
  readonly scope: string | undefined;
  /** Undefined: the default, 10% of the scope. */
  readonly maxDeactivate: number | undefined;
  readonly force: boolean;
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly report: string | undefined;
}

/**
 * Parses `argv` (the arguments after `sync`). `env` supplies SCIM_TOKEN and SCIM_FROM_TOKEN when the
 * options are not given. Throws {@link UsageError} for an unknown option (naming the closest), a missing or
 * repeated one, a value the option does not take, or an option that needs another (`--scope` without
 * `--deactivate-missing`). With `--help` nothing else is checked.
 *
 * @example
 * parseSyncArgs(["--from", "users.csv", "--to", "https://h/scim/v2"], { SCIM_TOKEN: "t" }).key; // "userName"
 */
export function parseSyncArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SyncArgs {
  const values = tokenize(argv);
  if (values.help === true) return { ...HELP_ONLY };
  if (typeof values.from !== "string")
    throw new UsageError(
      `--from <file|url> is required: a CSV or JSON file, or a SCIM base URL ${HELP_HINT}`,
    );
  if (typeof values.to !== "string")
    throw new UsageError(`--to <url> is required: the target's SCIM base URL ${HELP_HINT}`);
  const to = checkUrl("to", values.to);
  const token = checkToken("token", values.token, env.SCIM_TOKEN, "SCIM_TOKEN");
  const from = source(values.from, values["from-token"], env.SCIM_FROM_TOKEN);
  const key = oneOf("key", values.key, KEYS) ?? "userName";
  const deactivateMissing = values["deactivate-missing"] === true;
  for (const name of ["scope", "max-deactivate", "force"] as const)
    if (values[name] !== undefined && !deactivateMissing)
      throw new UsageError(`--${name} applies only with --deactivate-missing ${HELP_HINT}`);
  const scope = values.scope as string | undefined;
  if (scope !== undefined && scope.trim() === "")
    throw new UsageError(`--scope is empty; give a SCIM filter, e.g. --scope 'userName sw "a"' ${HELP_HINT}`);
  const maxDeactivate = integer("max-deactivate", values["max-deactivate"], 0, Number.MAX_SAFE_INTEGER);
  const concurrency = integer("concurrency", values.concurrency, 1, MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY;
  const report = values.report as string | undefined;
  if (report !== undefined && report.trim() === "")
    throw new UsageError(`--report is empty; name a file ${HELP_HINT}`);
  return {
    help: false,
    from,
    to,
    token,
    key,
    deactivateMissing,
    scope,
    maxDeactivate,
    force: values.force === true,
    concurrency,
    dryRun: values["dry-run"] === true,
    report,
  };
}

const HELP_ONLY: SyncArgs = {
  help: true,
  from: { kind: "file", path: "", format: "csv" },
  to: "",
  token: "",
  key: "userName",
  deactivateMissing: false,
  scope: undefined,
  maxDeactivate: undefined,
  force: false,
  concurrency: DEFAULT_CONCURRENCY,
  dryRun: false,
  report: undefined,
};

function tokenize(argv: readonly string[]): Partial<Record<OptionName, string | boolean>> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Partial<Record<OptionName, string | boolean>> = {};
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional")
      throw new UsageError(
        `unexpected argument "${token.value}": sync takes options only; the source goes after --from ${HELP_HINT}`,
      );
    const raw = argv[token.index] ?? token.rawName;
    // node:util reads "-from" as the short options -f -r -o -m; name the whole word instead.
    if (/^-[^-]./.test(raw) && raw !== "-h") throw unknownOption(raw.split("=")[0] as string);
    if (!(token.name in OPTIONS)) throw unknownOption(token.rawName);
    const name = token.name as OptionName;
    const spec: { type: string; value?: string } = OPTIONS[name];
    if (name in values) throw new UsageError(`--${name} is given twice; pass it once ${HELP_HINT}`);
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
  return values;
}

function unknownOption(raw: string): UsageError {
  const guess = didYouMean(raw.replace(/^-+/, ""), OPTION_NAMES);
  return new UsageError(`unknown option ${raw}${guess ? `; did you mean --${guess}?` : ""} ${HELP_HINT}`);
}

function oneOf<T extends string>(
  name: OptionName,
  value: string | boolean | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  // Attribute names are case-insensitive (RFC 7643 §2.1): --key username is userName.
  const found = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (found !== undefined) return found;
  const guess = didYouMean(text, allowed);
  throw new UsageError(
    `--${name} takes ${allowed.join(" or ")}; got ${JSON.stringify(text)}${guess ? `; did you mean ${guess}?` : ""} ${HELP_HINT}`,
  );
}

function integer(
  name: OptionName,
  value: string | boolean | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} takes a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}; got ${JSON.stringify(text)} ${HELP_HINT}`,
    );
  return n;
}

function source(
  value: string,
  tokenValue: string | boolean | undefined,
  envToken: string | undefined,
): SyncSourceArg {
  if (/^https?:\/\//i.test(value)) {
    const url = checkUrl("from", value);
    const given = tokenValue !== undefined || (envToken !== undefined && envToken !== "");
    const token = given ? checkToken("from-token", tokenValue, envToken, "SCIM_FROM_TOKEN") : undefined;
    return { kind: "scim", url, token };
  }
  if (tokenValue !== undefined)
    throw new UsageError(`--from-token applies only when --from is a SCIM base URL ${HELP_HINT}`);
  if (value.trim() === "") throw new UsageError(`--from is empty; name a CSV or JSON file ${HELP_HINT}`);
  const extension = /\.([a-z]+)$/i.exec(value)?.[1]?.toLowerCase();
  if (extension === "csv") return { kind: "file", path: value, format: "csv" };
  if (extension === "json" || extension === "ndjson" || extension === "jsonl")
    return { kind: "file", path: value, format: "json" };
  throw new UsageError(
    `--from ${JSON.stringify(value)}: the file must end in .csv, .json, .ndjson or .jsonl (that says how to read it), or be an http(s) SCIM base URL`,
  );
}

/** SCIM endpoints (RFC 7644 §3.2, §4) that end a URL given where the base URL belongs. */
const ENDPOINTS = [
  "users",
  "groups",
  "me",
  "bulk",
  ".search",
  "schemas",
  "resourcetypes",
  "serviceproviderconfig",
];

function checkUrl(name: "to" | "from", value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--${name} ${JSON.stringify(value)} is not a URL; write it in full, e.g. https://example.com/scim/v2`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--${name} must be http: or https:, not ${url.protocol} ${HELP_HINT}`);
  if (url.username !== "" || url.password !== "")
    throw new UsageError(
      `--${name} must not carry credentials; pass the bearer token with --${name === "to" ? "token" : "from-token"}`,
    );
  if (url.search !== "" || url.hash !== "")
    throw new UsageError(
      `--${name} is the SCIM base URL, without a query or fragment (RFC 7644 §1.3): ${url.origin}${url.pathname}`,
    );
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const last = segments.at(-1)?.toLowerCase();
  if (last !== undefined && ENDPOINTS.includes(last)) {
    const base = `${url.origin}/${segments.slice(0, -1).join("/")}`.replace(/\/$/, "");
    throw new UsageError(
      `--${name} is the SCIM base URL, without /${segments.at(-1)} (RFC 7644 §3.2 endpoints are added to it): try --${name} ${base}`,
    );
  }
  return value.replace(/\/+$/, "");
}

function checkToken(
  name: "token" | "from-token",
  value: string | boolean | undefined,
  envValue: string | undefined,
  envName: string,
): string {
  const fromEnv = typeof value !== "string";
  const token = fromEnv ? envValue : value;
  const where = fromEnv ? ` (it came from ${envName})` : "";
  if (token === undefined || (fromEnv && token === ""))
    throw new UsageError(`a bearer token is required: pass --${name} <token> or set ${envName} ${HELP_HINT}`);
  if (token.trim() === "")
    throw new UsageError(
      `--${name} is empty${where}; pass the bearer token, or leave --${name} out to use ${envName}`,
    );
  // RFC 6750 §2.1: the token travels in a header, which holds no spaces or control characters. The message
  // never repeats the token.
  if (/^bearer\s/i.test(token))
    throw new UsageError(
      `the ${name} starts with "Bearer "${where}; pass the token alone, scimkit adds the scheme`,
    );
  if (/[^\x21-\x7e]/.test(token))
    throw new UsageError(
      `the ${name} contains a space, a control or a non-ASCII character${where}; a bearer token (RFC 6750 §2.1) cannot`,
    );
  return token;
}
