import type { IdpName } from "./types.js";

/** Distinct User-Agents remembered; past it the cache starts over (a client sending random ones cannot grow it). */
const MAX_SEEN = 256;
const SEEN = new Map<string, IdpName>();

/**
 * The identity provider a User-Agent names. Entra ID's provisioning service sends
 * `Microsoft Azure AD SCIM provisioning <version>` (older tenants and Microsoft's SCIM samples
 * mention "Azure AD SCIM"; newer builds may say "Entra"); Okta's sends `Okta SCIM Client <version>`
 * (Okta's SCIM 2.0 guide shows it on every request). Anything else — curl, scripts, other IdPs — is
 * `other`, so a console can still tell the IdP's traffic from everything else.
 *
 * @example
 * idpOf("Okta SCIM Client 1.0.0"); // "okta"
 */
export function idpOf(userAgent: string | null | undefined): IdpName {
  if (!userAgent) return "other";
  // An IdP sends the same User-Agent on every request: recognised once per string.
  const known = SEEN.get(userAgent);
  if (known !== undefined) return known;
  const idp = recognise(userAgent);
  if (SEEN.size >= MAX_SEEN) SEEN.clear();
  SEEN.set(userAgent, idp);
  return idp;
}

function recognise(userAgent: string): IdpName {
  if (/\bokta\b/i.test(userAgent)) return "okta";
  if (/azure\s*ad|\bentra\b|\baad\b.*scim|microsoft.*provisioning/i.test(userAgent)) return "entra";
  return "other";
}
