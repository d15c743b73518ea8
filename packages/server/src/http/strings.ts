import { ScimError, type ScimType } from "@scimkit/core";
import { type BadCharacter, findBadCharacter } from "../stores/text.js";

// The character rule itself (findBadCharacter) lives with the stores that cannot keep such text
// (stores/text.ts); this module says where in a request it is broken.

/** Where a bad character sits in a JSON value: `path` like `emails[0].value`; `inKey` when a member name holds it. */
export interface BadString extends BadCharacter {
  readonly path: string;
  readonly inKey: boolean;
}

interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

/**
 * The first string or member name in a parsed JSON value that holds a NUL or a lone surrogate. Walks
 * iteratively (a 1 MiB body can nest 500,000 levels), visiting every value once.
 *
 * @example
 * findBadString({ emails: [{ value: "a\u0000" }] })?.path; // "emails[0].value"
 */
export function findBadString(value: unknown): BadString | undefined {
  if (typeof value === "string") {
    const bad = findBadCharacter(value);
    return bad && { ...bad, path: "", inKey: false };
  }
  if (typeof value !== "object" || value === null) return undefined;
  const stack: Frame[] = [{ value, parent: undefined, key: undefined }];
  for (;;) {
    const frame = stack.pop();
    if (frame === undefined) return undefined;
    const holder = frame.value;
    if (Array.isArray(holder)) {
      for (let i = 0; i < holder.length; i++) {
        const item: unknown = holder[i];
        if (typeof item === "string") {
          const bad = findBadCharacter(item);
          if (bad) return { ...bad, path: pathOf(frame, i), inKey: false };
        } else if (typeof item === "object" && item !== null)
          stack.push({ value: item, parent: frame, key: i });
      }
      continue;
    }
    for (const key of Object.keys(holder as object)) {
      const badKey = findBadCharacter(key);
      if (badKey) return { ...badKey, path: pathOf(frame, key), inKey: true };
      const item: unknown = (holder as Record<string, unknown>)[key];
      if (typeof item === "string") {
        const bad = findBadCharacter(item);
        if (bad) return { ...bad, path: pathOf(frame, key), inKey: false };
      } else if (typeof item === "object" && item !== null) stack.push({ value: item, parent: frame, key });
    }
  }
}

/** `emails[0].value`; a URN member at the top joins its attributes with ":" as RFC 7644 §3.10 writes them. */
function pathOf(frame: Frame, last: string | number): string {
  const keys: (string | number)[] = [last];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
  keys.reverse();
  let out = "";
  for (const [i, key] of keys.entries()) {
    if (typeof key === "number") out += `[${key}]`;
    else if (i === 0) out += printable(key);
    else out += `${i === 1 && /^urn:/i.test(String(keys[0])) ? ":" : "."}${printable(key)}`;
  }
  return out;
}

/** A client-supplied name for an error detail: cut to 100 characters, NUL and lone surrogates escaped. */
export function printable(text: string): string {
  const cut = text.length > 100 ? `${text.slice(0, 100)}…` : text;
  let out = "";
  let from = 0;
  for (let bad = findBadCharacter(cut); bad !== undefined; bad = findBadCharacter(cut.slice(from))) {
    const at = from + bad.index;
    out += `${cut.slice(from, at)}\\u${bad.code.toString(16).padStart(4, "0")}`;
    from = at + 1;
  }
  return out + cut.slice(from);
}

function describeBad(bad: BadCharacter): string {
  return bad.kind === "nul"
    ? `a NUL character (\\u0000) at position ${bad.index}`
    : `a lone surrogate (\\u${bad.code.toString(16)}) at position ${bad.index}`;
}

/**
 * An error detail for a bad character found in `where` (a quoted name, "the filter value of …").
 *
 * @example
 * badCharacterDetail('"sortBy"', findBadCharacter("a\u0000")!); // "\"sortBy\" contains a NUL character …"
 */
export function badCharacterDetail(where: string, bad: BadCharacter): string {
  return `${where} contains ${describeBad(bad)}; strings must be Unicode text without NUL characters or unpaired surrogates (RFC 7643 §2.3.1, RFC 3629 §3)`;
}

/**
 * The 400 for a bad string in a request body: `invalidValue` by default, naming the JSON path.
 *
 * @example
 * const bad = findBadString(body);
 * if (bad) throw badStringError(bad);
 */
export function badStringError(bad: BadString, scimType: ScimType = "invalidValue"): ScimError {
  const where =
    bad.path === "" ? "the request body" : bad.inKey ? `the member name "${bad.path}"` : `"${bad.path}"`;
  return new ScimError({ status: 400, scimType, detail: badCharacterDetail(where, bad) });
}

/**
 * Rejects a query parameter (or search request member) holding a NUL or a lone surrogate, with the
 * `scimType` that fits the parameter (`invalidFilter`, `invalidCursor`, `invalidValue`).
 *
 * @example
 * checkParameter("sortBy", params.sortBy, "invalidValue");
 */
export function checkParameter(
  name: string,
  value: string | readonly string[] | undefined,
  scimType: ScimType,
): void {
  if (value === undefined) return;
  const values = typeof value === "string" ? [value] : value;
  for (const [i, text] of values.entries()) {
    const bad = findBadCharacter(text);
    if (bad)
      throw new ScimError({
        status: 400,
        scimType,
        detail: badCharacterDetail(`"${typeof value === "string" ? name : `${name}[${i}]`}"`, bad),
      });
  }
}
