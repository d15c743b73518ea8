import type { Check } from "../types.js";
import { attributeChecks } from "./discovery/attributes.js";
import { capabilityChecks } from "./discovery/capabilities.js";
import { documentChecks } from "./discovery/documents.js";
import { endpointChecks } from "./discovery/endpoints.js";

/** Discovery: the RFC 7644 §4 endpoints, RFC 7643 §5–§7 documents, and advertised vs. observed capabilities. */
export const discoveryChecks: readonly Check[] = [
  ...endpointChecks,
  ...documentChecks,
  ...attributeChecks,
  ...capabilityChecks,
];
