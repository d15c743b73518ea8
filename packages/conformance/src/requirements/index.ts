import { RFC7643 } from "./rfc7643.js";
import { RFC7644 } from "./rfc7644.js";
import { RFC9865 } from "./rfc9865.js";
import type { Requirement } from "./types.js";

export { COVERAGE } from "./coverage.js";
export { type CoverageStatus, citedSections, coverage, type RequirementCoverage } from "./coverage-status.js";
export type { Requirement, Rfc } from "./types.js";

/** Every catalogued service-provider requirement of RFC 7643, 7644 and 9865, in RFC and section order. */
export const REQUIREMENTS: readonly Requirement[] = [...RFC7643, ...RFC7644, ...RFC9865];
