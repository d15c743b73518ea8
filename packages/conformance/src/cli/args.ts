// `scimkit test`'s command line: the option table, the usage text, and one-line usage errors that name
// the closest known option or value.
import { parseArgs } from "node:util";
import { didYouMean } from "@scimkit/core/did-you-mean";
import type { CheckProfile } from "../types.js";

/** Where every usage error points. */
export const HELP_HINT = "(see scimkit test --help)";

/** What `--profile` takes. @example PROFILES.includes("okta"); // true */
export const PROFILES = ["rfc", "entra", "okta", "all"] as const;
/** What `--format` takes. @example FORMATS[0]; // "text", the default */
export const FORMATS = ["text", "json", "junit"] as const;

/** A report format `--format` takes. */
export type ReportFormat = (typeof FORMATS)[number];

/** The first line of {@link USAGE}. @example SYNOPSIS.startsWith("Usage: scimkit test"); // true */
export const SYNOPSIS =
  "Usage: scimkit test --url <url> [--token <token>] [--profile rfc|entra|okta|all] [--format text|json|junit] [--out <file>] [--read-only]";

/** `scimkit test --help` and `scimkit help test`. */
export const USAGE = `${SYNOPSIS}

Checks a SCIM 2.0 server against RFC 7643 and RFC 7644 (and the Entra ID and Okta profiles). Every check
names the requirement it tests; a failure says what was sent and what came back. Everything the run
creates is named scimkit-conformance-<run id>-… and deleted when it ends, also after Ctrl-C.

Options:
  --url <url>        the server's SCIM base URL, e.g. https://example.com/scim/v2
  --token <token>    bearer token (default: the SCIM_TOKEN environment variable)
  --profile <name>   the checks to run: rfc (default), entra, okta, or all
  --format <format>  text (default), json (the report object) or junit (XML for CI)
  --out <file>       write the report to this file; stdout then shows the failures and the summary
  --read-only        skip every check that creates resources (for production servers)
  -h, --help         show this help

Exit status: 0 no MUST check failed, 1 a MUST check failed, 2 usage error or server unreachable,
130 interrupted (Ctrl-C: the run stops and deletes what it created; a second Ctrl-C exits at once).`;

const OPTIONS = {
  url: { type: "string", value: "<url>" },
  token: { type: "string", value: "<token>" },
  profile: { type: "string", value: "<name>" },
  format: { type: "string", value: "<format>" },
  out: { type: "string", value: "<file>" },
  "read-only": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies Record<string, { type: "string" | "boolean"; value?: string; short?: string }>;

type OptionName = keyof typeof OPTIONS;

/**
 * A mistake on the command line; `message` is one line, without the program name.
 *
 * @example
 * try { parseTestArgs(["--url"], {}); } catch (e) { if (e instanceof UsageError) process.exitCode = 2; }
 */
export class UsageError extends Error {
  override name = "UsageError" as const;
}

/** What `scimkit test` was asked to do. */
export interface TestArgs {
  readonly help: boolean;
  readonly url: string;
  readonly token: string;
  readonly profile: CheckProfile | "all";
  readonly format: ReportFormat;
  readonly out: string | undefined;
  readonly readOnly: boolean;
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

/**
 * Parses `argv` (the arguments after `test`). `env` supplies SCIM_TOKEN when `--token` is not given.
 * Throws {@link UsageError} for an unknown option (naming the closest), a missing or repeated one, a
 * value the option does not take, or a URL that cannot be a SCIM base URL. With `--help` nothing else
 * is checked.
 *
 * @example
 * parseTestArgs(["--url", "https://h/scim/v2"], { SCIM_TOKEN: "t" }).profile; // "rfc"
 */
export function parseTestArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TestArgs {
  const values = tokenize(argv);
  const help = values.help === true;
  if (help) return { ...DEFAULTS, help };
  const url = checkUrl(values.url);
  const fromEnv = typeof values.token !== "string";
  const token = checkToken(fromEnv ? env.SCIM_TOKEN : (values.token as string), fromEnv);
  const profile = oneOf("profile", values.profile, PROFILES) ?? "rfc";
  const format = oneOf("format", values.format, FORMATS) ?? "text";
  const out = values.out as string | undefined;
  if (out !== undefined && out.trim() === "")
    throw new UsageError(`--out is empty; name a file ${HELP_HINT}`);
  return { help, url, token, profile, format, out, readOnly: values["read-only"] === true };
}

const DEFAULTS = {
  url: "",
  token: "",
  profile: "rfc",
  format: "text",
  out: undefined,
  readOnly: false,
} as const;

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
        `unexpected argument "${token.value}": test takes options only; the server's base URL goes after --url ${HELP_HINT}`,
      );
    const raw = argv[token.index] ?? token.rawName;
    // node:util reads "-url" as the short options -u -r -l; name the whole word instead.
    if (/^-[^-]./.test(raw) && raw !== "-h") throw unknownOption(raw.split("=")[0] as string);
    if (!(token.name in OPTIONS)) throw unknownOption(token.rawName);
    const name = token.name as OptionName;
    const spec: { type: string; value?: string } = OPTIONS[name];
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
  return values;
}

function unknownOption(raw: string): UsageError {
  const given = raw.replace(/^-+/, "");
  const guess = didYouMean(given, Object.keys(OPTIONS));
  return new UsageError(`unknown option ${raw}${guess ? `; did you mean --${guess}?` : ""} ${HELP_HINT}`);
}

function oneOf<T extends string>(
  name: OptionName,
  value: string | boolean | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if ((allowed as readonly string[]).includes(text)) return text as T;
  const guess = didYouMean(text, allowed);
  throw new UsageError(
    `--${name} takes ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}; got ${JSON.stringify(text)}${guess ? `; did you mean ${guess}?` : ""} ${HELP_HINT}`,
  );
}

function checkUrl(value: string | boolean | undefined): string {
  if (typeof value !== "string")
    throw new UsageError(`--url <url> is required: the server's SCIM base URL ${HELP_HINT}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--url ${JSON.stringify(value)} is not a URL; write it in full, e.g. https://example.com/scim/v2`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`--url must be http: or https:, not ${url.protocol} ${HELP_HINT}`);
  if (url.username !== "" || url.password !== "")
    throw new UsageError(
      "--url must not carry credentials; pass the bearer token with --token or SCIM_TOKEN",
    );
  if (url.search !== "" || url.hash !== "")
    throw new UsageError(
      `--url is the SCIM base URL, without a query or fragment (RFC 7644 §1.3): ${url.origin}${url.pathname}`,
    );
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const last = segments.at(-1)?.toLowerCase();
  if (last !== undefined && ENDPOINTS.includes(last)) {
    const base = `${url.origin}/${segments.slice(0, -1).join("/")}`.replace(/\/$/, "");
    throw new UsageError(
      `--url is the SCIM base URL, without /${segments.at(-1)} (RFC 7644 §3.2 endpoints are added to it): try --url ${base}`,
    );
  }
  return value.replace(/\/+$/, "");
}

function checkToken(token: string | undefined, fromEnv: boolean): string {
  const where = fromEnv ? " (it came from SCIM_TOKEN)" : "";
  if (token === undefined || (fromEnv && token === ""))
    throw new UsageError(`a bearer token is required: pass --token <token> or set SCIM_TOKEN ${HELP_HINT}`);
  if (token.trim() === "")
    throw new UsageError(
      `--token is empty${where}; pass the bearer token, or leave --token out to use SCIM_TOKEN`,
    );
  // RFC 6750 §2.1: the token travels in an HTTP header, which cannot hold spaces or control characters.
  // The message never repeats the token.
  if (/^bearer\s/i.test(token))
    throw new UsageError(
      `the token starts with "Bearer "${where}; pass the token alone, scimkit adds the scheme`,
    );
  if (/[^\x21-\x7e]/.test(token))
    throw new UsageError(
      `the token contains a space, a control or a non-ASCII character${where}; a bearer token (RFC 6750 §2.1) cannot`,
    );
  return token;
}
