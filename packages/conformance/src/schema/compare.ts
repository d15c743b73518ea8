import type { AttributeDef, ResourceTypeDef } from "./model.js";
import { propOf } from "./model.js";
import { isResourceReference } from "./values.js";

/**
 * True when a server is expected to return what was sent for this attribute by default: not readOnly
 * (ignored on input), not writeOnly or returned "never" (never returned), not returned "request" (only
 * when asked for), RFC 7643 §7.
 */
export function isEchoed(attr: AttributeDef): boolean {
  return (
    attr.mutability !== "readOnly" &&
    attr.mutability !== "writeOnly" &&
    attr.returned !== "never" &&
    attr.returned !== "request"
  );
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/**
 * Whether a returned simple value equals the one sent, as the attribute's type compares (RFC 7643
 * §2.3): strings case-insensitively unless `caseExact`, dateTime as instants (`…T10:00:00Z` equals
 * `…T10:00:00.000Z` and `…T12:00:00+02:00`), numbers numerically, binary and `uri`/`external`
 * references exactly as given, `User`/`Group` references up to a trailing slash.
 *
 * @example
 * valueEquals(hireDate, "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000Z"); // true
 */
export function valueEquals(attr: AttributeDef, sent: unknown, got: unknown): boolean {
  switch (attr.type) {
    case "string":
      if (typeof sent !== "string" || typeof got !== "string") return sent === got;
      return attr.caseExact ? sent === got : sent.toLowerCase() === got.toLowerCase();
    case "dateTime":
      return (
        typeof sent === "string" &&
        typeof got === "string" &&
        !Number.isNaN(Date.parse(got)) &&
        Date.parse(sent) === Date.parse(got)
      );
    case "decimal":
    case "integer":
      return typeof got === "number" && Number(sent) === got;
    case "reference":
      if (isResourceReference(attr) && typeof sent === "string" && typeof got === "string")
        return sameUrl(sent, got);
      return sent === got;
    case "complex":
      return complexMatches(attr, sent, got);
    default:
      return sent === got;
  }
}

/** Every echoed sub-attribute sent is in `got` (a `primary: true` sent must stay true; extra ones are fine). */
function complexMatches(attr: AttributeDef, sent: unknown, got: unknown): boolean {
  if (typeof sent !== "object" || sent === null || typeof got !== "object" || got === null) return false;
  for (const [key, value] of Object.entries(sent)) {
    const sub = attr.subAttributes.find((s) => s.name.toLowerCase() === key.toLowerCase());
    if (!sub || !isEchoed(sub)) continue;
    if (!valueEquals(sub, value, propOf(got, key))) return false;
  }
  return true;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function compareAttribute(attr: AttributeDef, path: string, sent: unknown, got: unknown): string[] {
  if (got === undefined || got === null) return [`${path} sent ${short(sent)} but not returned`];
  if (!attr.multiValued) {
    return valueEquals(attr, sent, got) ? [] : [`${path} sent ${short(sent)}, returned ${short(got)}`];
  }
  if (!Array.isArray(got)) return [`${path} sent a list, returned ${short(got)}`];
  // Multi-valued attributes are unordered (RFC 7643 §2.4): each value sent must be somewhere.
  return (Array.isArray(sent) ? sent : [sent]).flatMap((value) =>
    got.some((g) => valueEquals(attr, value, g))
      ? []
      : [`${path} value ${short(value)} not returned (got ${short(got)})`],
  );
}

function compareObject(
  attributes: readonly AttributeDef[],
  prefix: string,
  sent: Record<string, unknown>,
  got: unknown,
): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(sent)) {
    const attr = attributes.find((a) => a.name.toLowerCase() === key.toLowerCase());
    if (!attr || !isEchoed(attr)) continue;
    problems.push(...compareAttribute(attr, `${prefix}${attr.name}`, value, propOf(got, key)));
  }
  return problems;
}

/**
 * What of a body sent to the server is missing or different in the resource it returned, one line per
 * attribute (empty when everything came back). Attribute names and extension URNs are matched
 * case-insensitively (RFC 7643 §2.1); readOnly, writeOnly, returned "never" and returned "request"
 * attributes, `schemas`, `id` and `meta` are not compared; `externalId` is compared exactly (caseExact,
 * RFC 7643 §3.1); values compare with {@link valueEquals}; multi-valued attributes ignore order.
 *
 * @example
 * const problems = compareResource(user, sentBody, exchange.json);
 * if (problems.length > 0) return fail(`not returned as sent: ${problems.join("; ")}`, exchange);
 */
export function compareResource(
  type: ResourceTypeDef,
  sent: Record<string, unknown>,
  got: unknown,
): string[] {
  const problems = compareObject(type.schema.attributes, "", sent, got);
  const externalId = propOf(sent, "externalId");
  if (externalId !== undefined && propOf(got, "externalId") !== externalId) {
    problems.push(`externalId sent ${short(externalId)}, returned ${short(propOf(got, "externalId"))}`);
  }
  for (const extension of type.extensions) {
    const values = propOf(sent, extension.schema.id);
    if (typeof values !== "object" || values === null) continue;
    const returned = propOf(got, extension.schema.id);
    if (returned === undefined) {
      problems.push(`${extension.schema.id} sent but not returned`);
      continue;
    }
    problems.push(
      ...compareObject(
        extension.schema.attributes,
        `${extension.schema.id}:`,
        values as Record<string, unknown>,
        returned,
      ),
    );
  }
  return problems;
}
