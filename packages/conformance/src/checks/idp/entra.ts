import type { Check } from "../../types.js";
import { entraGroupChecks } from "./entra-groups.js";
import { entraUserChecks } from "./entra-users.js";

/**
 * The `entra` profile: the requests Microsoft Entra ID provisioning sends, as Microsoft documents them
 * ("Develop a SCIM endpoint", "Known issues … SCIM 2.0 protocol compliance"), users first, then groups.
 */
export const entraChecks: readonly Check[] = [...entraUserChecks, ...entraGroupChecks];
