import type { AttributeDef } from "./schema.js";

/** Which of two distinct sample values: 0 for the first write, 1 for a replace. */
export type Variant = 0 | 1;

/** Realistic strings for the RFC 7643 §4.1 attributes a server may validate by name. */
const KNOWN: Readonly<Record<string, readonly [string, string]>> = {
  locale: ["en-US", "fr-FR"],
  preferredLanguage: ["en-US", "fr"],
  timezone: ["America/Los_Angeles", "Europe/Paris"],
  country: ["US", "FR"],
  postalCode: ["94105", "75001"],
};

function sampleString(attribute: AttributeDef, variant: Variant, tag: string, parent?: string): string {
  const canonical = attribute.canonicalValues.filter((v): v is string => typeof v === "string");
  if (canonical.length > 0) return canonical[variant % canonical.length] ?? "";
  const known = KNOWN[attribute.name];
  if (known) return known[variant];
  if (parent === "emails" && attribute.name === "value") return `${tag}-${variant}@example.com`.toLowerCase();
  if (parent === "phoneNumbers" && attribute.name === "value") return `+1-201-555-010${variant}`;
  // Every other string carries the run prefix (in `tag`), so names stay unique and clean-up finds them.
  return `${tag}-${attribute.name}-${variant}`;
}

/**
 * A value for `attribute` that the RFC 7643 §2.3 type allows, distinct per variant, or undefined when
 * none can be made without another resource (a reference to a User or Group, immutable parts).
 * Complex values carry only their readWrite sub-attributes; `primary` is left to its own check.
 */
export function sampleValue(
  attribute: AttributeDef,
  variant: Variant,
  tag: string,
  parent?: string,
): unknown {
  const one = sampleSingle(attribute, variant, tag, parent);
  return one === undefined || !attribute.multiValued ? one : [one];
}

function sampleSingle(attribute: AttributeDef, variant: Variant, tag: string, parent?: string): unknown {
  switch (attribute.type) {
    case "string":
      return sampleString(attribute, variant, tag, parent);
    case "boolean":
      return variant === 0;
    case "integer":
      return 7 + variant;
    case "decimal":
      return 1.5 + variant;
    case "dateTime":
      return variant === 0 ? "2021-02-03T04:05:06Z" : "2022-03-04T05:06:07Z";
    case "binary":
      return variant === 0 ? "Y29uZm9ybWFuY2U=" : "c2NpbWtpdA==";
    case "reference":
      // RFC 7643 §2.3.7: only external/uri references can be made up; resource references need a resource.
      return attribute.referenceTypes.some((t) => t === "external" || t === "uri")
        ? `https://example.com/conformance/${tag}/${variant}`
        : undefined;
    case "complex": {
      const entries = attribute.subAttributes
        .filter((s) => s.mutability === "readWrite" && s.returned !== "never" && s.name !== "primary")
        .flatMap((s) => {
          const value = sampleSingle(s, variant, tag, attribute.name);
          return value === undefined ? [] : [[s.name, value] as const];
        });
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    }
    default:
      return undefined;
  }
}

function sameSingle(attribute: AttributeDef, sent: unknown, got: unknown): boolean {
  if (attribute.type === "complex") {
    if (typeof sent !== "object" || sent === null || typeof got !== "object" || got === null) return false;
    return Object.entries(sent).every(([key, value]) => {
      const sub = attribute.subAttributes.find((s) => s.name === key);
      return sub !== undefined && sameSingle(sub, value, (got as Record<string, unknown>)[key]);
    });
  }
  if (attribute.type === "dateTime" && typeof sent === "string" && typeof got === "string")
    return Date.parse(sent) === Date.parse(got);
  if (
    attribute.type === "string" &&
    !attribute.caseExact &&
    typeof sent === "string" &&
    typeof got === "string"
  )
    return sent.toLowerCase() === got.toLowerCase();
  return sent === got;
}

/** True when what was read back holds the value sent (every sent sub-attribute; for multi-valued, some value). */
export function holds(attribute: AttributeDef, sent: unknown, got: unknown): boolean {
  if (!attribute.multiValued) return sameSingle(attribute, sent, got);
  if (!Array.isArray(sent) || !Array.isArray(got)) return false;
  return sent.every((s) => got.some((g) => sameSingle(attribute, s, g)));
}

/** RFC 7644 §3.5.2.2 "unassigned": absent, null or an empty list. */
export function unassigned(got: unknown): boolean {
  return got === undefined || got === null || (Array.isArray(got) && got.length === 0);
}
