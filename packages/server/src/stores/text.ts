import { ScimError } from "@scimkit/core";
import type { Filter } from "@scimkit/filter";

/**
 * A character no store can keep: NUL (PostgreSQL `text` and `jsonb` cannot hold U+0000) or a UTF-16
 * surrogate without its partner (no UTF-8 encoding exists for it, RFC 3629 §3; RFC 7643 §2.3.1 strings
 * are Unicode in UTF-8). `index` is the UTF-16 offset in the string.
 *
 * @example
 * findBadCharacter("a\u0000b"); // { kind: "nul", index: 1, code: 0 }
 */
export interface BadCharacter {
  readonly kind: "nul" | "lone surrogate";
  readonly index: number;
  readonly code: number;
}

// Short strings (most attribute values and names) are checked by a charCodeAt loop; longer ones by a
// character-class scan that finds the next NUL or surrogate code unit (~4× faster per character than
// the loop over a MiB of ASCII), pairing checked by hand only where it stops.
const SUSPECT = /[\0\ud800-\udfff]/;
const SHORT = 64;

/**
 * The first NUL or lone surrogate in `text`, or `undefined` when every character can be stored
 * (`String.prototype.isWellFormed` plus NUL, for Node 20, which lacks it).
 *
 * @example
 * findBadCharacter("\ud83d\ude00"); // undefined (a pair: 😀)
 * findBadCharacter("x\ud800"); // { kind: "lone surrogate", index: 1, code: 0xd800 }
 */
export function findBadCharacter(text: string): BadCharacter | undefined {
  let from = 0;
  if (text.length > SHORT) {
    from = text.search(SUSPECT);
    if (from < 0) return undefined;
  }
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0) return { kind: "nul", index, code };
    if (code < 0xd800 || code > 0xdfff) continue;
    if (code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
    }
    return { kind: "lone surrogate", index, code };
  }
  return undefined;
}

/**
 * Whether every character of `text` can be stored: no NUL and no lone surrogate.
 *
 * @example
 * isStorableText("bjensen"); // true
 * isStorableText("b\u0000"); // false
 */
export function isStorableText(text: string): boolean {
  return findBadCharacter(text) === undefined;
}

/**
 * What is wrong with `text` for a store, or `undefined`: a NUL (PostgreSQL `text` and `jsonb` cannot
 * hold U+0000) or a lone surrogate (it has no UTF-8 form, RFC 3629 §3; drivers would silently turn it
 * into U+FFFD). RFC 7643 §2.3.1: SCIM strings are Unicode characters.
 *
 * @example
 * unstorable("a\u0000b"); // "a NUL character (U+0000) at position 1"
 * unstorable("😀"); // undefined
 */
export function unstorable(text: string): string | undefined {
  const bad = findBadCharacter(text);
  if (bad === undefined) return undefined;
  return bad.kind === "nul"
    ? `a NUL character (U+0000) at position ${bad.index}`
    : `a lone surrogate (U+${bad.code.toString(16).toUpperCase()}) at position ${bad.index}`;
}

const MAX_DEPTH = 64;

function walk(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === "string") {
    const problem = unstorable(value);
    return problem && `"${path}" holds ${problem}`;
  }
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const name = path === "" ? key : `${path}.${key}`;
    const inKey = unstorable(key);
    if (inKey) return `an attribute name in "${path === "" ? "the resource" : path}" holds ${inKey}`;
    const found = walk(inner, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Rejects resource data holding a string no store can keep (see {@link unstorable}) with 400
 * `invalidValue` naming the attribute, so every store answers alike: MemoryStore could keep it,
 * PostgreSQL could not.
 *
 * @example
 * checkStorableData({ userName: "a\u0000" }); // throws 400 invalidValue: "userName" holds a NUL character …
 */
export function checkStorableData(data: Record<string, unknown>): void {
  const problem = walk(data, "", 0);
  if (problem)
    throw ScimError.invalidValue(`${problem}, which no SCIM store can keep (RFC 7643 §2.3.1); remove it`);
}

/**
 * Whether an identifier (id, tenant) can name a stored resource at all: one holding NUL or a lone
 * surrogate never can, so a store answers "not found" without asking its database.
 *
 * @example
 * storableId("2819c223"); // true
 */
export function storableId(id: string): boolean {
  return isStorableText(id);
}

/**
 * Rejects a tenant the store could not keep with 400 `invalidValue`.
 *
 * @example
 * checkTenant("acme");
 */
export function checkTenant(tenant: string): void {
  const problem = unstorable(tenant);
  if (problem) throw ScimError.invalidValue(`the tenant holds ${problem}, which no SCIM store can keep`);
}

/**
 * Rejects a filter whose values (or attribute names) hold NUL or a lone surrogate with 400
 * `invalidFilter` (RFC 7644 §3.4.2.2), naming the attribute the value is compared with.
 *
 * @example
 * checkStorableFilter(parseFilter('userName eq "a\\u0000"')); // throws 400 invalidFilter
 */
export function checkStorableFilter(filter: Filter): void {
  const fail = (what: string, problem: string) => {
    throw ScimError.invalidFilter(`${what} holds ${problem}, which no SCIM store can compare`);
  };
  const visit = (node: Filter, depth: number): void => {
    if (depth > 256) return;
    switch (node.op) {
      case "and":
      case "or":
        for (const f of node.filters) visit(f, depth + 1);
        return;
      case "not":
        visit(node.filter, depth + 1);
        return;
      case "valuePath":
        visit(node.filter, depth + 1);
        return;
      case "pr":
        return;
      default: {
        const name = `${node.path.uri === undefined ? "" : `${node.path.uri}:`}${node.path.attribute}${node.path.subAttribute === undefined ? "" : `.${node.path.subAttribute}`}`;
        const inName = unstorable(name);
        if (inName) fail("an attribute name of the filter", inName);
        if (typeof node.value === "string") {
          const problem = unstorable(node.value);
          if (problem) fail(`the value compared with "${name}"`, problem);
        }
      }
    }
  };
  visit(filter, 0);
}
