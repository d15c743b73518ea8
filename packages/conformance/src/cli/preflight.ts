// Before a run: can the server be reached at all, and does it take the token? Either "no" is exit 2 with
// one line saying what to fix, instead of a report in which every check failed for the same reason.
// The probing is @scimkit/client's probeScimServer (shared with `scimkit sync`); the wording is ours.

/** Why the run cannot start; `message` is one line without the program name and never holds the token. */
export class UnreachableError extends Error {
  override name = "UnreachableError" as const;
}

/**
 * Probes `<url>/ServiceProviderConfig` (RFC 7644 §4) with the token and throws {@link UnreachableError}
 * when there is no answer (connection refused, DNS, TLS, timeout), when the answer is a redirect (the run
 * sends requests without following redirects, so the token never goes to another host: the user should
 * pass the final URL), when the token is refused (401, 403: RFC 7644 §2), or when both it and
 * `GET <url>/Users?count=1` answer 404: then there is no SCIM service at that URL, most likely a base URL
 * without its path (`https://host/` for `https://host/scim/v2`). A server that lacks only the discovery
 * endpoints still runs, and its report says so.
 */
export async function preflight(url: string, token: string, signal: AbortSignal): Promise<void> {
  // Loaded here, not at the top: `scimkit test --help` loads nothing outside this package and core's
  // did-you-mean (dispatch.test.ts); the one-module `probe` entry keeps the run's start small too.
  const { probeScimServer } = await import("@scimkit/client/probe");
  const found = await probeScimServer(url, { token, signal });
  if (found.ok) return;
  switch (found.problem) {
    case "unreachable":
      throw new UnreachableError(`cannot reach ${url}: ${found.reason}`);
    case "redirect":
      throw new UnreachableError(
        `GET ${found.path} answered ${found.status} redirecting to ${found.location ?? "(no Location)"}: pass the URL the server means as --url (requests are not redirected, so the token never reaches another address)`,
      );
    case "refused":
      throw new UnreachableError(
        `the server refused the token: GET ${found.path} answered ${found.status}; check --token or SCIM_TOKEN`,
      );
    case "not-scim":
      throw new UnreachableError(
        `no SCIM service at ${url}: GET /ServiceProviderConfig and GET /Users?count=1 both answered 404; pass the SCIM base URL, e.g. https://example.com/scim/v2`,
      );
    default:
      return found satisfies never;
  }
}
