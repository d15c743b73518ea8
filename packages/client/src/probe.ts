// Before any real work (a conformance run, a sync): is there a SCIM service at this URL, and does it take
// the token? One shared probe so that `scimkit test` and `scimkit sync` judge a URL the same way; each
// caller words the outcome for its own options.

/** How long {@link probeScimServer} waits for each answer unless told otherwise. */
export const PROBE_TIMEOUT_MS = 30_000;

/** Options of {@link probeScimServer}. */
export interface ProbeOptions {
  /** Bearer token sent as `Authorization: Bearer …` (RFC 7644 §2); none is sent when absent. */
  readonly token?: string | undefined;
  /** Aborting it rejects the probe with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Longest wait for each answer, in milliseconds (default {@link PROBE_TIMEOUT_MS}). */
  readonly timeoutMs?: number | undefined;
}

/** What {@link probeScimServer} found; `ok: false` results say what to fix, and never hold the token. */
export type ScimProbeResult =
  /** A SCIM service answered: `status` is the answer to `path` (not a redirect, 401, 403 or a double 404). */
  | { readonly ok: true; readonly path: string; readonly status: number }
  /** No answer at all: connection refused, DNS, TLS, timeout. `reason` is one line. */
  | { readonly ok: false; readonly problem: "unreachable"; readonly reason: string }
  /** A 3xx: the probe does not follow it, so the token never reaches an address the caller did not give. */
  | {
      readonly ok: false;
      readonly problem: "redirect";
      readonly path: string;
      readonly status: number;
      readonly location: string | null;
    }
  /** 401 or 403: the token is missing or refused (RFC 7644 §2). */
  | { readonly ok: false; readonly problem: "refused"; readonly path: string; readonly status: number }
  /** Both `/ServiceProviderConfig` and `/Users?count=1` answered 404: most likely a URL without its SCIM path. */
  | { readonly ok: false; readonly problem: "not-scim" };

const CONFIG_PATH = "/ServiceProviderConfig";
const USERS_PATH = "/Users?count=1";

/**
 * Checks that a SCIM service answers at `baseUrl` with the token: sends `GET <baseUrl>/ServiceProviderConfig`
 * (RFC 7644 §4) and, only when that answers 404, `GET <baseUrl>/Users?count=1` (RFC 7644 §3.4.2), so a
 * server that lacks just the discovery endpoints still counts as SCIM. Redirects are not followed. Never
 * rejects for what the server answers; rejects only with the `signal`'s reason when it is aborted.
 *
 * @example
 * const probe = await probeScimServer("https://example.com/scim/v2", { token });
 * if (!probe.ok && probe.problem === "refused") console.error(`token refused (${probe.status})`);
 */
export async function probeScimServer(baseUrl: string, options: ProbeOptions = {}): Promise<ScimProbeResult> {
  const root = baseUrl.replace(/\/+$/, "");
  const config = await probe(root, CONFIG_PATH, options);
  if (!config.ok || config.status !== 404) return config;
  const users = await probe(root, USERS_PATH, options);
  if (users.ok && users.status === 404) return { ok: false, problem: "not-scim" };
  return users;
}

/** One GET with the token; its answer classified. */
async function probe(root: string, path: string, options: ProbeOptions): Promise<ScimProbeResult> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${root}${path}`, {
      headers: {
        accept: "application/scim+json",
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      },
      redirect: "manual",
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    return { ok: false, problem: "unreachable", reason: reason(error, timeoutMs) };
  }
  const { status } = response;
  await response.body?.cancel();
  if (status >= 300 && status < 400)
    return { ok: false, problem: "redirect", path, status, location: response.headers.get("location") };
  if (status === 401 || status === 403) return { ok: false, problem: "refused", path, status };
  return { ok: true, path, status };
}

/** What went wrong with a fetch, from its cause when Node gives one ("connect ECONNREFUSED 127.0.0.1:1"). */
function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    // A failed connection to every address of a host is an AggregateError with an empty message.
    const inner = cause instanceof AggregateError ? cause.errors.find((e) => e instanceof Error) : undefined;
    return inner instanceof Error && cause.message === "" ? inner.message : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
