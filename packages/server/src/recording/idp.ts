import type { IdpName } from "./types.js";

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
  if (/\bokta\b/i.test(userAgent)) return "okta";
  if (/azure\s*ad|\bentra\b|\baad\b.*scim|microsoft.*provisioning/i.test(userAgent)) return "entra";
  return "other";
}
