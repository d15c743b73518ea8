import type { Check } from "../types.js";
import { atomicityChecks } from "./patch/atomicity.js";
import { attributeChecks } from "./patch/attributes.js";
import { patchErrorChecks } from "./patch/errors.js";
import { memberChecks } from "./patch/members.js";
import { multiValuedChecks } from "./patch/multi-valued.js";
import { pathLessChecks } from "./patch/path-less.js";
import { responseChecks } from "./patch/response.js";
import { subAttributeChecks } from "./patch/sub-attributes.js";
import { valueFilterChecks } from "./patch/value-filters.js";

/** PATCH (RFC 7644 §3.5.2): every operation on every attribute form, value filters, errors, atomicity. */
export const patchChecks: readonly Check[] = [
  ...responseChecks,
  ...memberChecks,
  ...attributeChecks,
  ...subAttributeChecks,
  ...pathLessChecks,
  ...valueFilterChecks,
  ...multiValuedChecks,
  ...patchErrorChecks,
  ...atomicityChecks,
];
