import type { Env } from "./call.js";
import type { Incoming } from "./incoming.js";
import type { AuthOptions, Principal } from "./options.js";

/** Shortest static token accepted: 16 characters is ~96 bits when random, out of reach of guessing. */
export const MIN_TOKEN_LENGTH = 16;

/** Compares two strings in time that depends only on the length of `a` (the token sent). */
export function constantTimeEqual(a: string, b: string): boolean {
  // UTF-16 code units compared directly: no encoding per comparison on every request's path.
  let diff = a.length ^ b.length;
  const n = b.length || 1;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ (b.charCodeAt(i % n) || 0);
  return diff === 0;
}

const ENTRIES = new WeakMap<object, [string, string][]>();

/** The static tokens as `[token, tenant]` pairs (made once per tokens object, not per request). */
function entriesOf(tokens: NonNullable<AuthOptions["tokens"]>): [string, string][] {
  const known = ENTRIES.get(tokens);
  if (known) return known;
  const entries: [string, string][] = Array.isArray(tokens)
    ? (tokens as readonly unknown[]).map((t) => [t as string, "default"])
    : Object.entries(tokens as Record<string, string>);
  ENTRIES.set(tokens, entries);
  return entries;
}

/**
 * Refuses static tokens that would let anyone in: empty, `"undefined"` / `"null"` (an unset environment
 * variable turned into a string), shorter than {@link MIN_TOKEN_LENGTH}, or with whitespace (RFC 6750
 * §2.1: a b64token never matches such a value). The message names the entry, never the token.
 */
export function checkTokens(auth: AuthOptions | undefined): void {
  if (auth?.tokens === undefined) return;
  const min = auth.minTokenLength ?? MIN_TOKEN_LENGTH;
  if (!Number.isInteger(min) || min < 1)
    throw new TypeError(
      `createScimHandler: auth.minTokenLength must be a whole number of at least 1, got ${String(min)}`,
    );
  const list = Array.isArray(auth.tokens);
  entriesOf(auth.tokens).forEach(([token, tenant], index) => {
    const entry = list
      ? `auth.tokens[${index}]`
      : `the auth.tokens entry for tenant ${JSON.stringify(tenant)}`;
    const problem = (why: string) =>
      new TypeError(
        `createScimHandler: ${entry} ${why}; use a random secret of at least ${Math.max(min, MIN_TOKEN_LENGTH)} characters (e.g. \`openssl rand -base64 32\`), and check that its environment variable is set`,
      );
    if (typeof token !== "string")
      throw problem(`is a ${token === null ? "null" : typeof token}, not a string`);
    if (token.trim() === "") throw problem("is empty");
    if (/^(?:undefined|null)$/i.test(token.trim()))
      throw problem(`is the text "${token.trim()}", which is what an unset variable turns into`);
    if (/[\s\p{Cc}]/u.test(token)) throw problem("holds whitespace or control characters");
    if (token.length < min)
      throw problem(
        `is ${token.length} character${token.length === 1 ? "" : "s"} long, shorter than ${min}${min === MIN_TOKEN_LENGTH ? " (auth.minTokenLength)" : ""}`,
      );
  });
}

const WARNED = Symbol.for("@scimkit/server:no-auth-warning");

/** Once per process (not per handler, so tests and hot reloads don't repeat it): a handler without `auth`. */
export function warnNoAuth(): void {
  const flags = globalThis as { [WARNED]?: boolean };
  if (flags[WARNED]) return;
  flags[WARNED] = true;
  // biome-ignore lint/suspicious/noConsole: a handler that lets every request in must say so where operators look, and it has no logger option
  console.warn(
    '@scimkit/server: createScimHandler has no `auth` option, so every request is accepted as tenant "default". Pass auth: { tokens: [...] } or { verify }; if a proxy in front authenticates, say so with auth: { verify: () => ({ tenant: "default" }) }.',
  );
}

/** Why a request was not authenticated: no usable credentials, or credentials we refuse (RFC 6750 §3.1). */
export type AuthFailure = "missing" | "invalid";

export async function authenticate(env: Env, incoming: Incoming): Promise<Principal | AuthFailure> {
  const auth = env.options.auth;
  if (!auth) return { tenant: "default" };
  const header = incoming.header("authorization") ?? "";
  // RFC 6750 §3: a request with no Bearer credentials (none, or another scheme) "lacks authentication information".
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return "missing";
  const token = match[1] as string;
  if (auth.tokens) {
    let found: Principal | undefined;
    // Compare against every token so timing does not reveal which one (or whether any) matched.
    for (const [candidate, tenant] of entriesOf(auth.tokens))
      if (constantTimeEqual(token, candidate) && !found) found = { tenant, subject: `token:${tenant}` };
    if (found) return found;
  }
  if (auth.verify) return (await auth.verify(token, incoming.request)) ?? "invalid";
  return "invalid";
}

/** RFC 6750 §3: 401 with a Bearer challenge; `error="invalid_token"` only when a token was sent (§3.1). */
export function challenge(failure: AuthFailure): { detail: string; header: string } {
  return failure === "missing"
    ? {
        detail: "authentication required: send Authorization: Bearer <token>",
        header: 'Bearer realm="SCIM"',
      }
    : {
        detail: "the bearer token is not valid: it is unknown, expired or revoked",
        header: 'Bearer realm="SCIM", error="invalid_token"',
      };
}
