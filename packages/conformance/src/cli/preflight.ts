// Before a run: can the server be reached at all, and does it take the token? Either "no" is exit 2 with
// one line saying what to fix, instead of a report in which every check failed for the same reason.

/** Longest wait for the server's first answer. */
export const PREFLIGHT_TIMEOUT_MS = 30_000;

/** Why the run cannot start; `message` is one line without the program name and never holds the token. */
export class UnreachableError extends Error {
  override name = "UnreachableError" as const;
}

/**
 * Sends `GET <url>/ServiceProviderConfig` (RFC 7644 §4) with the token and throws
 * {@link UnreachableError} when there is no answer (connection refused, DNS, TLS, timeout), when the
 * answer is a redirect (the run sends requests without following redirects, so the token never goes to
 * another host: the user should pass the final URL), when the token is refused (401, 403: RFC 7644 §2),
 * or when both it and `GET <url>/Users?count=1` answer 404: then there is no SCIM service at that URL,
 * most likely a base URL without its path (`https://host/` for `https://host/scim/v2`). A server that
 * lacks only the discovery endpoints still runs, and its report says so.
 */
export async function preflight(url: string, token: string, signal: AbortSignal): Promise<void> {
  const config = await probe(url, "/ServiceProviderConfig", token, signal);
  if (config.status !== 404) return;
  const users = await probe(url, "/Users?count=1", token, signal);
  if (users.status === 404)
    throw new UnreachableError(
      `no SCIM service at ${url}: GET /ServiceProviderConfig and GET /Users?count=1 both answered 404; pass the SCIM base URL, e.g. https://example.com/scim/v2`,
    );
}

/** One GET with the token; throws {@link UnreachableError} for no answer, a redirect or a refused token. */
async function probe(
  url: string,
  path: string,
  token: string,
  signal: AbortSignal,
): Promise<{ status: number }> {
  const target = `${url}${path}`;
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { accept: "application/scim+json", authorization: `Bearer ${token}` },
      redirect: "manual",
      signal: AbortSignal.any([signal, AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS)]),
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new UnreachableError(`cannot reach ${url}: ${reason(error)}`);
  }
  const { status } = response;
  await response.body?.cancel();
  if (status >= 300 && status < 400) {
    const location = response.headers.get("location");
    throw new UnreachableError(
      `GET ${path} answered ${status} redirecting to ${location ?? "(no Location)"}: pass the URL the server means as --url (requests are not redirected, so the token never reaches another address)`,
    );
  }
  if (status === 401 || status === 403)
    throw new UnreachableError(
      `the server refused the token: GET ${path} answered ${status}; check --token or SCIM_TOKEN`,
    );
  return { status };
}

/** What went wrong with a fetch, from its cause when Node gives one ("connect ECONNREFUSED 127.0.0.1:1"). */
function reason(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `no answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    // A failed connection to every address of a host is an AggregateError with an empty message.
    const inner = cause instanceof AggregateError ? cause.errors.find((e) => e instanceof Error) : undefined;
    return inner instanceof Error && cause.message === "" ? inner.message : cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
