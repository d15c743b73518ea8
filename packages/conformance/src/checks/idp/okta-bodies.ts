import { URN } from "../../outcome.js";
import type { CheckContext } from "../../types.js";
import { nonce } from "./shared.js";

/**
 * The User create body Okta sends (Okta SCIM 2.0 protocol reference: Create the User): the userName doubles
 * as the work email, a password, Okta's user id as externalId, and an empty (readOnly) `groups`.
 */
export function oktaUser(
  ctx: CheckContext,
  suffix: string,
): { body: Record<string, unknown>; userName: string } {
  const userName = `${ctx.prefix}${suffix}@okta.example`;
  return {
    userName,
    body: {
      schemas: [URN.user],
      userName,
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: userName, type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: `00u${nonce()}`,
      groups: [],
      password: `Pw-${nonce()}`,
      active: true,
    },
  };
}

/** The full User Okta PUTs to update a profile: id, readOnly `groups` and `meta` included (same reference). */
export function oktaReplacement(id: string, userName: string): Record<string, unknown> {
  return {
    schemas: [URN.user],
    id,
    userName,
    name: { givenName: "Another", middleName: "Excited", familyName: "User" },
    emails: [{ primary: true, value: userName, type: "work", display: userName }],
    active: true,
    groups: [],
    meta: { resourceType: "User" },
  };
}

/** The Group Okta pushes: a displayName and an empty members list (Okta SCIM 2.0 protocol reference: Create Groups). */
export function oktaGroup(ctx: CheckContext, suffix: string): Record<string, unknown> {
  return { schemas: [URN.group], displayName: `${ctx.prefix}${suffix}`, members: [] };
}
