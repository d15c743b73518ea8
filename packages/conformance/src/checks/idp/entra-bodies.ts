import { URN } from "../../outcome.js";
import type { CheckContext } from "../../types.js";
import { ENTERPRISE, MS_GROUP_SCHEMA, nonce } from "./shared.js";

/** An Entra ID User create, and the values a check looks for afterwards. */
export interface EntraUser {
  readonly body: Record<string, unknown>;
  readonly userName: string;
  readonly externalId: string;
  readonly email: string;
}

/**
 * The User create body Entra ID sends (Microsoft Learn, "Develop a SCIM endpoint": Create User), with the
 * enterprise extension its default attribute mappings fill (department, employeeId → employeeNumber).
 * `meta.resourceType` and an empty `roles` are part of what Entra sends.
 */
export function entraUser(ctx: CheckContext, suffix: string): EntraUser {
  const userName = `${ctx.prefix}${suffix}@contoso.example`;
  const externalId = `entra-${nonce()}`;
  const email = `${ctx.prefix}${suffix}.work@contoso.example`;
  return {
    userName,
    externalId,
    email,
    body: {
      schemas: [URN.user, ENTERPRISE],
      externalId,
      userName,
      active: true,
      emails: [{ primary: true, type: "work", value: email }],
      meta: { resourceType: "User" },
      name: { formatted: "Adele Vance", familyName: "Vance", givenName: "Adele" },
      roles: [],
      [ENTERPRISE]: { employeeNumber: "701984", department: "Retail" },
    },
  };
}

/** The Group create body Entra ID sends, Microsoft's extra schema URN and `meta` included (same source). */
export function entraGroup(ctx: CheckContext, suffix: string): Record<string, unknown> {
  return {
    schemas: [URN.group, MS_GROUP_SCHEMA],
    externalId: `entra-${nonce()}`,
    displayName: `${ctx.prefix}${suffix}`,
    meta: { resourceType: "Group" },
  };
}
