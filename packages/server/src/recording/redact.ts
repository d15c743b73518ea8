import type { SchemaRegistry } from "@scimkit/core";
import { forEachBagHeader, type HeaderBag } from "../http/incoming.js";

/** What a secret value is replaced with. */
export const REDACTED = "[redacted]";

/** Request headers whose values are credentials: kept as their scheme only, or not at all. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);

/**
 * The secret attributes of the bundle as lower-cased paths: `password`, and `parent.sub` for a
 * sub-attribute (acme's `apikeys.value`): every attribute whose `returned` is `never` (RFC 7643 §7),
 * plus `password`, which RFC 7643 §4.1.1 defines so and which a custom bundle without the core User
 * schema could still receive.
 *
 * @example
 * secretNames(registry).has("password"); // true
 */
export function secretNames(registry: SchemaRegistry): ReadonlySet<string> {
  const names = new Set<string>(["password"]);
  for (const schema of registry.bundle.schemas)
    for (const attribute of schema.attributes) {
      const name = attribute.name.toLowerCase();
      if (attribute.returned === "never") names.add(name);
      for (const sub of attribute.subAttributes ?? [])
        if (sub.returned === "never") names.add(`${name}.${sub.name.toLowerCase()}`);
    }
  return names;
}

/**
 * An attribute path or member name as the secret set keys it: filters dropped, a schema URN prefix
 * dropped (`urn:…:User:password` → `password`), lower case.
 */
function attributePath(text: string): string {
  const withoutFilters = text.replace(/\[[^\]]*\]/g, "");
  return (withoutFilters.split(":").pop() ?? "").toLowerCase();
}

/** Whether `path` (`password`, `apikeys.value`) is secret, alone or under the member `parent`. */
function isSecret(path: string, parent: string | undefined, secrets: ReadonlySet<string>): boolean {
  if (secrets.has(path)) return true;
  const dot = path.lastIndexOf(".");
  if (dot > 0 && secrets.has(path.slice(dot + 1))) return true;
  return parent !== undefined && !path.includes(".") && secrets.has(`${parent}.${path}`);
}

/** The last attribute name of a path: what its members are sub-attributes of. */
function lastName(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1);
}

/**
 * A copy of a JSON value with every secret replaced by {@link REDACTED}: members named like a secret
 * attribute (any case, plain, dotted or URN-qualified; a secret sub-attribute only under its parent),
 * the `value` of a PATCH operation whose `path` is secret (RFC 7644 §3.5.2) and secrets inside a PATCH
 * value under its path, and so also inside bulk operations' data (RFC 7644 §3.7).
 *
 * @example
 * redactJson({ userName: "b", PASSWORD: "x" }, new Set(["password"])); // { userName: "b", PASSWORD: "[redacted]" }
 */
export function redactJson(
  value: unknown,
  secrets: ReadonlySet<string>,
  parent?: string,
  depth = 0,
): unknown {
  if (depth > 64) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secrets, parent, depth + 1));
  if (typeof value !== "object" || value === null) return value;
  const source = value as Record<string, unknown>;
  const opPath =
    "op" in source || "Op" in source
      ? typeof source.path === "string"
        ? attributePath(source.path)
        : ""
      : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(source)) {
    let redacted: unknown;
    if (opPath !== undefined && key.toLowerCase() === "value")
      redacted =
        opPath !== "" && isSecret(opPath, undefined, secrets)
          ? REDACTED
          : redactJson(inner, secrets, opPath === "" ? undefined : lastName(opPath), depth + 1);
    else {
      const path = attributePath(key);
      redacted = isSecret(path, parent, secrets)
        ? REDACTED
        : redactJson(inner, secrets, path === "" ? undefined : lastName(path), depth + 1);
    }
    // Own data property: a "__proto__" key must stay a key, not become the prototype (defineProperty
    // only for it: plain assignment is several times faster for every other key).
    if (key === "__proto__")
      Object.defineProperty(out, key, {
        value: redacted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = redacted;
  }
  return out;
}

/**
 * A body for the record: JSON redacted and re-serialized; text that is not JSON has any
 * `"secret": "…"` pair blanked (it may be almost-JSON with a password in it). Cut at `max` characters.
 *
 * @example
 * redactBody('{"password":"x"}', new Set(["password"]), 65536); // '{"password":"[redacted]"}'
 */
export function redactBody(text: string, secrets: ReadonlySet<string>, max: number): string {
  let out: string;
  try {
    out = JSON.stringify(redactJson(JSON.parse(text), secrets));
  } catch {
    out = text.replace(
      /"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*"?/g,
      (match, key: string, colon: string) =>
        isSecret(attributePath(key), undefined, secrets) ? `"${key}"${colon}"${REDACTED}"` : match,
    );
  }
  return cut(out, max);
}

/** At most `max` characters, with a marker saying how much was cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters not recorded]`;
}

const LEAVES = new WeakMap<ReadonlySet<string>, readonly string[]>();

/** The last names of the secret paths (`apikeys.value` → `value`), computed once per set. */
function leavesOf(secrets: ReadonlySet<string>): readonly string[] {
  let leaves = LEAVES.get(secrets);
  if (!leaves) {
    leaves = [...secrets].map((secret) => secret.slice(secret.lastIndexOf(".") + 1));
    LEAVES.set(secrets, leaves);
  }
  return leaves;
}

/**
 * The query string with the compared value of any filter expression on a secret attribute blanked
 * (`filter=password eq "x"` should never be stored even though the server refuses it).
 *
 * @example
 * redactQuery('filter=password%20eq%20"x"', new Set(["password"]));
 */
export function redactQuery(query: string, secrets: ReadonlySet<string>): string {
  if (query === "") return query;
  // Most queries name no secret attribute at all: nothing to decode.
  const lower = query.toLowerCase();
  if (!leavesOf(secrets).some((leaf) => lower.includes(leaf))) return query;
  let decoded: string;
  try {
    decoded = decodeURIComponent(query.replace(/\+/g, " "));
  } catch {
    decoded = query;
  }
  let secret = false;
  const redacted = decoded.replace(
    /([\w:.$-]+)(\s+(?:eq|ne|co|sw|ew|gt|ge|lt|le)\s+)("(?:[^"\\]|\\.)*"?|\S+)/gi,
    (match, attribute: string, op: string) => {
      if (!isSecret(attributePath(attribute), undefined, secrets)) return match;
      secret = true;
      return `${attribute}${op}"${REDACTED}"`;
    },
  );
  return secret ? redacted : query;
}

/**
 * The request headers worth keeping for diagnosis, with credentials reduced to their scheme
 * (`Authorization: Bearer [redacted]`): the token is never stored.
 *
 * @example
 * recordHeaders(new Headers({ authorization: "Bearer abc" })); // { authorization: "Bearer [redacted]" }
 */
export function recordHeaders(headers: HeaderBag): Record<string, string> {
  const out: Record<string, string> = {};
  const each = (value: string, name: string) => {
    if (!SECRET_HEADERS.has(name)) {
      out[name] = cut(value, 1024);
      return;
    }
    const scheme = /^\s*([A-Za-z][\w-]*)\s+\S/.exec(value)?.[1];
    out[name] = name === "authorization" && scheme ? `${scheme} ${REDACTED}` : REDACTED;
  };
  forEachBagHeader(headers, each);
  return out;
}
