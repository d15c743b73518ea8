// Before a run: can the target (and a SCIM source) be reached, and does it take the token? Either "no" is
// exit 2 with one line saying what to fix, before anything is read or planned.

/** Longest wait for a server's first answer. */
export const PREFLIGHT_TIMEOUT_MS = 30_000;

/** Why the run cannot start; `message` is one line without the program name and never holds the token. */
export class UnreachableError extends Error {
  override name = "UnreachableError" as const;
}

/**
 * Sends `GET <url>/ServiceProviderConfig` (RFC 7644 §4) with the token and throws
 * {@link UnreachableError} when there is no answer, the answer is a redirect (requests are not redirected,
 * so the token never reaches another host), the token is refused (401/403, RFC 7644 §2), or nothing SCIM
 * answers there (404 from both /ServiceProviderConfig and /Users).
 *
 * @example
 * await preflight("target", "http://127.0.0.1:8080/scim/v2", token, signal);
 */
export async function preflight(
  role: "source" | "target",
  url: string,
  token: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const option = role === "target" ? "--token or SCIM_TOKEN" : "--from-token or SCIM_FROM_TOKEN";
  const config = await probe(role, url, "/ServiceProviderConfig", token, option, signal);
  if (config !== 404) return;
  const users = await probe(role, url, "/Users?count=1", token, option, signal);
  if (users === 404)
    throw new UnreachableError(
      `no SCIM service at the ${role} ${url}: GET /ServiceProviderConfig and GET /Users?count=1 both answered 404; pass the SCIM base URL, e.g. https://example.com/scim/v2`,
    );
}

async function probe(
  role: string,
  url: string,
  path: string,
  token: string | undefined,
  option: string,
  signal: AbortSignal,
): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      headers: {
        accept: "application/scim+json",
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      redirect: "manual",
      signal: AbortSignal.any([signal, AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS)]),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new UnreachableError(`cannot reach the ${role} ${url}: ${reason(error)}`);
  }
  const { status } = response;
  await response.body?.cancel();
  if (status >= 300 && status < 400)
    throw new UnreachableError(
      `the ${role} answered GET ${path} with ${status} redirecting to ${response.headers.get("location") ?? "(no Location)"}: pass the URL it means (requests are not redirected, so the token never reaches another address)`,
    );
  if (status === 401 || status === 403)
    throw new UnreachableError(
      `the ${role} refused the token: GET ${path} answered ${status}; check ${option}`,
    );
  return status;
}

/** What went wrong with a fetch, from its cause when Node gives one ("connect ECONNREFUSED 127.0.0.1:1"). */
function reason(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `no answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const inner = cause instanceof AggregateError ? cause.errors.find((e) => e instanceof Error) : undefined;
    return inner instanceof Error && cause.message === "" ? inner.message : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
