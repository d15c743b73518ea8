import { valueEquals } from "../../schema/compare.js";
import type { AttributeDef } from "../../schema/model.js";

/**
 * True when what was read back holds the value sent: equal as the attribute's type compares (RFC 7643
 * §2.3), every sent sub-attribute of a complex value, and each sent value of a multi-valued attribute
 * somewhere in the list (order does not matter, RFC 7643 §2.4).
 */
export function holds(attribute: AttributeDef, sent: unknown, got: unknown): boolean {
  if (got === undefined || got === null) return false;
  if (!attribute.multiValued) return valueEquals(attribute, sent, got);
  if (!Array.isArray(got)) return false;
  return (Array.isArray(sent) ? sent : [sent]).every((s) => got.some((g) => valueEquals(attribute, s, g)));
}

/** RFC 7644 §3.5.2.2 "unassigned": absent, null or an empty list. */
export function unassigned(got: unknown): boolean {
  return got === undefined || got === null || (Array.isArray(got) && got.length === 0);
}
