import { bulkChecks } from "./checks/bulk.js";
import { crudChecks } from "./checks/crud.js";
import { discoveryChecks } from "./checks/discovery.js";
import { errorChecks } from "./checks/errors.js";
import { etagChecks } from "./checks/etag.js";
import { entraChecks } from "./checks/idp/entra.js";
import { oktaChecks } from "./checks/idp/okta.js";
import { patchChecks } from "./checks/patch.js";
import { queryChecks } from "./checks/query.js";
import { securityChecks } from "./checks/security.js";
import type { Check } from "./types.js";

/** Every implemented check, in the order a run executes them. */
export const CHECKS: readonly Check[] = [
  ...discoveryChecks,
  ...crudChecks,
  ...errorChecks,
  ...securityChecks,
  ...queryChecks,
  ...patchChecks,
  ...etagChecks,
  ...bulkChecks,
  ...entraChecks,
  ...oktaChecks,
];
