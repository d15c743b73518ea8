export type { TextOptions } from "./format.js";
export { formatJson, formatJunit, formatSummary, formatText } from "./format.js";
export type { Exchange } from "./http.js";
export { CHECKS } from "./registry.js";
export type { ConformanceOptions } from "./run.js";
export { runConformance } from "./run.js";
export type {
  Capability,
  Check,
  CheckContext,
  CheckLevel,
  CheckOutcome,
  CheckProfile,
  CheckResult,
  CheckStatus,
  ConformanceReport,
  Discovery,
  SendOptions,
} from "./types.js";
