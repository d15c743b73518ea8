import type { AttributeDef } from "./model.js";

/** A resource that exists on the server, for `User`/`Group` references (RFC 7643 §7 referenceTypes). */
export interface ResourceRef {
  readonly id: string;
  /** Its `meta.location`, sent where a bare reference attribute (not a complex `value`) needs a URI. */
  readonly location?: string;
}

/** What decides a generated value: the same options always give the same value. */
export interface ValueOptions {
  /** The run prefix (`ctx.prefix`): unique strings and the naming attribute start with it. */
  readonly prefix: string;
  /** Any text; bodies with different seeds get different values for unique attributes. */
  readonly seed: string;
  /** 0 for the first value, 1 (or more) for a distinct second value of every attribute. */
  readonly variant: number;
  /** Existing resources by resource type name; a reference to a type not listed here is left out. */
  readonly references?: Readonly<Record<string, ResourceRef>>;
}

/** FNV-1a, 32 bits: a small, stable hash so that values are deterministic per seed and path. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

const LOCALES = ["en-US", "fr-CA", "de-DE", "ja-JP"];
const TIMEZONES = ["America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"];
const COUNTRIES = ["US", "DE", "FR", "JP"];

/** True when a reference attribute points at SCIM resources only (no `uri`/`external` target). */
export function isResourceReference(attr: AttributeDef): boolean {
  return (
    attr.type === "reference" &&
    attr.referenceTypes.length > 0 &&
    !attr.referenceTypes.some((t) => t === "uri" || t === "external")
  );
}

/** The first of an attribute's referenceTypes that `references` has a resource for. */
export function referencedType(attr: AttributeDef, options: ValueOptions): string | undefined {
  return attr.referenceTypes.find((t) => options.references?.[t] !== undefined);
}

/**
 * A string shaped by what the attribute holds, since servers often check these: an e-mail address under
 * `emails`, an RFC 3966 number under `phoneNumbers`, BCP 47 tags for `locale`/`preferredLanguage`
 * (RFC 7643 §4.1.1), an IANA zone for `timezone`, an ISO 3166-1 code for `addresses.country` (§4.1.2),
 * a `password` that common password policies accept.
 */
function shapedString(attr: AttributeDef, parent: AttributeDef | undefined, n: number, tag: string) {
  const name = attr.name.toLowerCase();
  const owner = parent?.name.toLowerCase();
  if (owner === "emails" && name === "value") return `${tag}@example.com`;
  if (owner === "phonenumbers" && name === "value")
    return `tel:+1-201-555-${String(n % 10000).padStart(4, "0")}`;
  if (name === "locale" || name === "preferredlanguage") return pick(LOCALES, n);
  if (name === "timezone") return pick(TIMEZONES, n);
  if (owner === "addresses" && name === "country") return pick(COUNTRIES, n);
  if (name.includes("ipaddress")) return `192.0.2.${(n % 250) + 1}`;
  // Upper and lower case, a digit and a symbol: what common password policies ask for.
  if (name === "password") return `Sc1m!${tag}-Kit`;
  return undefined;
}

/**
 * A value of a simple (non-complex) attribute, right for its `type`; undefined when none can be given
 * (a `User`/`Group` reference without a matching resource in `options.references`).
 * - `canonicalValues` are respected: element `index` of variant `v` gets value `index + v` of the list;
 * - `prefixed` puts `options.prefix` first: "naming" gives `<prefix><seed>` (then `-v1` for variant 1),
 *   "unique" (uniqueness server/global) `<prefix><seed>-<name>`;
 * - another variant gives another value, except when the canonical list has a single entry.
 *
 * @example
 * simpleValue(def, undefined, "urn:acme:…:User:hireDate", 0, { prefix, seed: "a", variant: 1 }, undefined);
 * // "2021-…T…Z", another instant than variant 0
 */
export function simpleValue(
  attr: AttributeDef,
  parent: AttributeDef | undefined,
  path: string,
  index: number,
  options: ValueOptions,
  prefixed: "naming" | "unique" | undefined,
): string | number | boolean | undefined {
  const v = options.variant;
  const hash = hashOf(`${options.seed}|${path}|${index}`);
  const n = hash + v + index;
  const tag = `${attr.name.replace(/[^A-Za-z0-9]/g, "").toLowerCase() || "v"}-${hash.toString(16)}-${v}`;
  switch (attr.type) {
    case "string": {
      if (attr.canonicalValues.length > 0) return pick(attr.canonicalValues, index + v);
      if (prefixed !== undefined) {
        const name = prefixed === "naming" ? "" : `-${attr.name}`;
        return `${options.prefix}${options.seed}${name}${v === 0 ? "" : `-v${v}`}${index === 0 ? "" : `-${index}`}`;
      }
      return shapedString(attr, parent, n, tag) ?? tag;
    }
    case "boolean":
      return v % 2 === 0;
    case "integer":
      return (hash % 90000) + 1000 + v * 7 + index;
    case "decimal":
      return (hash % 9000) + 100.25 + v * 7 + index;
    case "dateTime": {
      const seconds = 1_577_836_800 + (hash % 100_000_000) + v * 86_400 + index * 60;
      return new Date(seconds * 1000).toISOString().replace(".000Z", "Z");
    }
    case "binary":
      return btoa(`scimkit:${tag}:${index}`);
    case "reference": {
      if (!isResourceReference(attr)) return `https://example.com/scimkit/${tag}/${index}`;
      const target = referencedType(attr, options);
      const ref = target === undefined ? undefined : options.references?.[target];
      return ref?.location;
    }
    case "complex":
      return undefined;
  }
}
