import type { Check } from "../types.js";
import { basicErrorChecks } from "./errors/basics.js";
import { requestErrorChecks } from "./errors/requests.js";
import { unsupportedChecks } from "./errors/unsupported.js";

export { errorShape } from "./errors/shape.js";

/** Errors: status, scimType and body shape (RFC 7644 §3.12), media type (§3.1, §8.1), limits and unsupported features. */
export const errorChecks: readonly Check[] = [
  ...basicErrorChecks,
  ...requestErrorChecks,
  ...unsupportedChecks,
];
