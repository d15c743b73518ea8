import type { Check } from "../../types.js";
import { oktaGroupChecks } from "./okta-groups.js";
import { oktaUserChecks } from "./okta-users.js";

/**
 * The `okta` profile: the requests Okta's SCIM 2.0 provisioning sends, as Okta's "SCIM 2.0 protocol
 * reference" documents them, users first, then Group Push.
 */
export const oktaChecks: readonly Check[] = [...oktaUserChecks, ...oktaGroupChecks];
