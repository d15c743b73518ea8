// Before a run: can the target (and a SCIM source) be reached, and does it take the token? Either "no" is
// exit 2 with one line saying what to fix, before anything is read or planned. The probing is
// @scimkit/client's probeScimServer (shared with `scimkit test`); the wording, naming the role, is ours.
import { probeScimServer } from "@scimkit/client/probe";

/** Why the run cannot start; `message` is one line without the program name and never holds the token. */
export class UnreachableError extends Error {
  override name = "UnreachableError" as const;
}

/**
 * Probes `<url>/ServiceProviderConfig` (RFC 7644 §4) with the token and throws {@link UnreachableError}
 * when there is no answer, the answer is a redirect (requests are not redirected, so the token never
 * reaches another host), the token is refused (401/403, RFC 7644 §2), or nothing SCIM answers there (404
 * from both /ServiceProviderConfig and /Users).
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
  const found = await probeScimServer(url, { token, signal });
  if (found.ok) return;
  switch (found.problem) {
    case "unreachable":
      throw new UnreachableError(`cannot reach the ${role} ${url}: ${found.reason}`);
    case "redirect":
      throw new UnreachableError(
        `the ${role} answered GET ${found.path} with ${found.status} redirecting to ${found.location ?? "(no Location)"}: pass the URL it means (requests are not redirected, so the token never reaches another address)`,
      );
    case "refused": {
      const option = role === "target" ? "--token or SCIM_TOKEN" : "--from-token or SCIM_FROM_TOKEN";
      throw new UnreachableError(
        `the ${role} refused the token: GET ${found.path} answered ${found.status}; check ${option}`,
      );
    }
    case "not-scim":
      throw new UnreachableError(
        `no SCIM service at the ${role} ${url}: GET /ServiceProviderConfig and GET /Users?count=1 both answered 404; pass the SCIM base URL, e.g. https://example.com/scim/v2`,
      );
    default:
      return found satisfies never;
  }
}
