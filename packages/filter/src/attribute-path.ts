/**
 * Attribute paths (`[URI ":"] ATTRNAME ["." ATTRNAME]`, RFC 7644 §3.10) on their own, shared by the
 * filter parser and by the builders. The builders need only this, so a client bundle that builds
 * filters and PATCH paths does not carry the whole filter parser.
 */
import type { AttributePath } from "./ast.js";
import { FilterSyntaxError } from "./errors.js";

/**
 * Default longest filter or path, in UTF-16 code units: 16 KiB, room for a few hundred `id eq "…"`
 * disjuncts in a POST `/.search`, while a GET URL rarely allows more than 8 KiB anyway.
 *
 * @example
 * parseFilter("x".repeat(DEFAULT_MAX_FILTER_LENGTH + 1)); // throws 400 invalidFilter "the filter is 16385 characters long; the limit is 16384"
 */
export const DEFAULT_MAX_FILTER_LENGTH = 16_384;

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:.*[^:]$/;

const PATH_CHARS = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-._$/~%+")
  PATH_CHARS[c.charCodeAt(0)] = 1;
/** Char classes for {@link scanAttributePath}: a path char (1), a nameChar of ATTRNAME (2), a letter (4). */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c | 32) >= 97 && (c | 32) <= 122;
  const name = letter || (c >= 48 && c <= 57) || c === 45 || c === 95;
  CLASS[c] = PATH_CHARS[c] === 1 ? 1 | (name ? 2 : 0) | (letter ? 4 : 0) : 0;
}

export function isPathChar(c: number): boolean {
  return c < 128 && PATH_CHARS[c] === 1;
}

/**
 * The filter grammar's ATTRNAME (RFC 7644 §3.4.2.2: `ALPHA *(nameChar)`, nameChar = `"-" / "_" / DIGIT / ALPHA`)
 * or `$ref`, in any case. Narrower than RFC 7643 §2.1, whose nameChar also allows `$`.
 */
export function isAttributeName(name: string): boolean {
  const n = name.length;
  if (n === 0) return false;
  const first = name.charCodeAt(0) | 32;
  if (first < 97 || first > 122) return n === 4 && name.toLowerCase() === "$ref";
  for (let i = 1; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 36 || !isNameChar(c)) return false;
  }
  return true;
}

/** What {@link isAttributeName} accepts, as error messages state it. */
export const NAME_RULE =
  'names start with a letter and contain only letters, digits, "-" and "_" (ATTRNAME, RFC 7644 §3.4.2.2), or are "$ref"';

export function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 36
  );
}

/** Describes what is at `at` for an error message: a quoted token, or `end` ("the end of the filter"). */
export function describeAt(text: string, at: number, end: string): string {
  if (at >= text.length) return end;
  let stop = at;
  while (stop < text.length && isPathChar(text.charCodeAt(stop)) && stop - at < 32) stop++;
  if (stop === at) stop = at + 1;
  return JSON.stringify(text.slice(at, stop));
}

/** Where a scan reads from and how it fails: the parser, or a one-path reader. `pos` is where a scan ended. */
export interface PathReader {
  readonly text: string;
  pos: number;
  fail(message: string, at: number): never;
  found(at: number): string;
}

/** Fails unless `text` is a string within the length limit. */
export function checkLength(
  text: unknown,
  options: { readonly maxLength?: number } | undefined,
  kind: "filter" | "path",
): asserts text is string {
  const scimType = kind === "filter" ? "invalidFilter" : "invalidPath";
  if (typeof text !== "string") throw new FilterSyntaxError(`the ${kind} must be a string`, 1, scimType);
  const max = options?.maxLength ?? DEFAULT_MAX_FILTER_LENGTH;
  if (text.length > max) {
    throw new FilterSyntaxError(
      `the ${kind} is ${text.length} characters long; the limit is ${max}`,
      max + 1,
      scimType,
    );
  }
}

/**
 * Reads the attribute path that starts at `start`, returns it and leaves `reader.pos` after it. One scan
 * over char codes finds the last ":" (URNs contain ":" and ".") and the first "." after it, and notes
 * whether the name and sub-attribute are plain ATTRNAMEs, so the common path needs no second pass.
 */
export function scanAttributePath(reader: PathReader, start: number): AttributePath {
  const { text } = reader;
  const n = text.length;
  // The usual path first: a plain ATTRNAME (a letter, then letters, digits, "-", "_") that the end of
  // the text or a char outside paths ends. Anything else (".", ":", "$ref"…) takes the full scan below.
  if (start < n) {
    let c = text.charCodeAt(start);
    if (c < 128 && ((CLASS[c] as number) & 4) !== 0) {
      let q = start + 1;
      while (q < n) {
        c = text.charCodeAt(q);
        if (c >= 128 || ((CLASS[c] as number) & 2) === 0) break;
        q++;
      }
      if (q === n || c >= 128 || CLASS[c] === 0) {
        reader.pos = q;
        return { attribute: text.slice(start, q) };
      }
    }
  }
  let p = start;
  let lastColon = -1;
  let dot = -1;
  // Since the last ":": every char of the name (before `dot`) and of the sub-attribute (after it) is
  // a letter, digit, "-" or "_", and each part starts with a letter.
  let plain = true;
  let first = true;
  while (p < n) {
    const c = text.charCodeAt(p);
    const k = c < 128 ? (CLASS[c] as number) : 0;
    if (k === 0) break;
    if ((k & 2) !== 0) {
      if (first) {
        first = false;
        if ((k & 4) === 0) plain = false;
      }
    } else if (c === 58) {
      lastColon = p;
      dot = -1;
      plain = true;
      first = true;
    } else if (c === 46 && dot < 0) {
      dot = p;
      if (first) plain = false; // an empty name
      first = true;
    } else plain = false;
    p++;
  }
  if (p === start)
    reader.fail(`expected an attribute path at column ${start + 1}, found ${reader.found(start)}`, start);
  // `first` still set: the name or the sub-attribute is empty.
  if (plain && !first) {
    reader.pos = p;
    if (lastColon < 0) {
      return dot < 0
        ? { attribute: text.slice(start, p) }
        : { attribute: text.slice(start, dot), subAttribute: text.slice(dot + 1, p) };
    }
    const uri = text.slice(start, lastColon);
    if (URI.test(uri)) {
      return dot < 0
        ? { uri, attribute: text.slice(lastColon + 1, p) }
        : { uri, attribute: text.slice(lastColon + 1, dot), subAttribute: text.slice(dot + 1, p) };
    }
  }
  return scanSlowly(reader, start, p, lastColon, dot);
}

/** The rest of {@link scanAttributePath}: `$ref`, and the checks that name what is wrong. */
function scanSlowly(
  reader: PathReader,
  start: number,
  p: number,
  lastColon: number,
  dot: number,
): AttributePath {
  const { text } = reader;
  let uri: string | undefined;
  if (lastColon >= 0) {
    uri = text.slice(start, lastColon);
    if (!URI.test(uri)) {
      reader.fail(
        `invalid attribute path ${JSON.stringify(text.slice(start, p))} at column ${start + 1}: expected a schema URI, ":" and an attribute name (e.g. urn:ietf:params:scim:schemas:core:2.0:User:userName)`,
        start,
      );
    }
  }
  const nameStart = lastColon < 0 ? start : lastColon + 1;
  const attribute = text.slice(nameStart, dot < 0 ? p : dot);
  if (!isAttributeName(attribute)) {
    const what =
      attribute === "" ? "expected an attribute name" : `invalid attribute name ${JSON.stringify(attribute)}`;
    reader.fail(`${what} at column ${nameStart + 1}: ${NAME_RULE}`, nameStart);
  }
  reader.pos = p;
  if (dot < 0) return uri === undefined ? { attribute } : { uri, attribute };
  const subAttribute = text.slice(dot + 1, p);
  if (!isAttributeName(subAttribute)) {
    const extra = subAttribute.indexOf(".");
    if (extra >= 0 && isAttributeName(subAttribute.slice(0, extra))) {
      reader.fail(
        `unexpected "." at column ${dot + extra + 2}: a path has at most one sub-attribute`,
        dot + extra + 1,
      );
    }
    reader.fail(
      `invalid sub-attribute name ${JSON.stringify(subAttribute)} at column ${dot + 2}: ${NAME_RULE}`,
      dot + 1,
    );
  }
  return uri === undefined ? { attribute, subAttribute } : { uri, attribute, subAttribute };
}

/** Reads all of `text` as one attribute path, failing with the error kind of the caller (the filter builder reports `invalidFilter`). */
export function attributePath(text: string, kind: "filter" | "path"): AttributePath {
  checkLength(text, undefined, kind);
  const scimType = kind === "filter" ? "invalidFilter" : "invalidPath";
  const end = `the end of the ${kind}`;
  const reader: PathReader = {
    text,
    pos: 0,
    fail: (message, at) => {
      throw new FilterSyntaxError(message, at + 1, scimType);
    },
    found: (at) => describeAt(text, at, end),
  };
  const path = scanAttributePath(reader, 0);
  const stop = reader.pos;
  if (stop < text.length) {
    reader.fail(
      `expected the end of the attribute path at column ${stop + 1}, found ${reader.found(stop)}`,
      stop,
    );
  }
  return path;
}
