import type { UniqueValue } from "./store.js";

// The characters with a <wide> or <narrow> compatibility decomposition (UnicodeData.txt): U+3000
// IDEOGRAPHIC SPACE and the Halfwidth and Fullwidth Forms block. NFKC of exactly these is RFC 8265
// §3.3.2's width mapping; NFKC of the whole string would also fold ligatures, superscripts and the like.
const WIDE_OR_NARROW = /[\u3000\uff01-\uffee]/g;

function foldOnce(text: string): string {
  const width = text.normalize("NFC").replace(WIDE_OR_NARROW, (c) => c.normalize("NFKC"));
  // Default case folding (Unicode §3.13) as JavaScript can do it: upper case first, so that "ß" → "SS"
  // → "ss" and "ﬁ" → "FI" → "fi", then lower case (which writes a word-final sigma as "ς" whichever
  // sigma was sent); NFC again for the combining marks case mapping leaves.
  return width.toUpperCase().toLowerCase().normalize("NFC");
}

/**
 * The form in which two case-insensitive unique values (RFC 7643 §7 `uniqueness` with `caseExact:
 * false`, e.g. `userName`) are compared, modelled on RFC 8265 §3.3's UsernameCaseMapped profile:
 * width mapping (full-width "ｂｊｅｎｓｅｎ" is "bjensen"), NFC (a decomposed "José" is the composed
 * one), then default case folding ("STRASSE" is "straße"). It is applied until it no longer changes
 * the text, so `foldUnique(foldUnique(x)) === foldUnique(x)` for every string.
 *
 * JavaScript has no case-fold function, so folding is upper-then-lower case: it matches Unicode's
 * CaseFolding.txt (C + F) except that it also merges a few letters folding keeps apart, notably Turkish
 * dotless "ı" with "i". Stores keep the value as sent; only the uniqueness key is folded.
 *
 * @example
 * foldUnique("STRASSE") === foldUnique("straße"); // true
 * foldUnique("Jose\u0301") === foldUnique("José"); // true
 * foldUnique("ＢＪＥＮＳＥＮ"); // "bjensen"
 */
export function foldUnique(text: string): string {
  let current = foldOnce(text);
  // Each pass only maps towards lower-case NFC; a second pass settles the few letters whose upper case
  // folds further (capital sharp s "ẞ" → "ß" → "ss"). The bound keeps any surprise finite.
  for (let pass = 0; pass < 4; pass++) {
    const next = foldOnce(current);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/**
 * The text a store keys a unique value by: the folded text for a case-insensitive string
 * ({@link foldUnique}), else its JSON (so `"5"` and `5` stay apart where a path holds either).
 *
 * @example
 * uniqueKeyText({ path: "userName", value: "BJensen", caseExact: false, scope: "server" }); // "bjensen"
 */
export function uniqueKeyText(unique: UniqueValue): string {
  return typeof unique.value === "string" && !unique.caseExact
    ? foldUnique(unique.value)
    : JSON.stringify(unique.value);
}

/**
 * The key text of the store's earlier versions, which lower-cased only: what a migration re-keys.
 *
 * @example
 * legacyUniqueKeyText({ path: "userName", value: "STRASSE", caseExact: false, scope: "server" }); // "strasse"
 */
export function legacyUniqueKeyText(unique: UniqueValue): string {
  return typeof unique.value === "string" && !unique.caseExact
    ? unique.value.toLowerCase()
    : JSON.stringify(unique.value);
}

/**
 * The row a unique value has in PostgresStore's unique table, as its primary key orders it after the
 * tenant: the scope (the resource type, or `*` for `uniqueness: "global"`), the lower-cased path and
 * the key text ({@link uniqueKeyText}).
 *
 * @example
 * uniqueRow("User", { path: "userName", value: "BJensen", caseExact: false, scope: "server" }); // ["User", "username", "bjensen"]
 */
export function uniqueRow(resourceType: string, unique: UniqueValue): UniqueKey {
  return [unique.scope === "global" ? "*" : resourceType, unique.path.toLowerCase(), uniqueKeyText(unique)];
}

/** A unique value as its row in the unique table keys it: scope ("*" for global), lower-cased path, folded value. */
export type UniqueKey = readonly [scope: string, path: string, value: string];

/** Whether `keys` are exactly the unique rows `held` (as JSON texts). */
export function sameKeys(keys: readonly UniqueKey[], held: ReadonlySet<string>): boolean {
  return keys.length === held.size && keys.every((k) => held.has(JSON.stringify(k)));
}
