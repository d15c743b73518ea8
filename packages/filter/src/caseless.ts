/**
 * Case-insensitive string tests without allocating: the operand `s` is already lower case, and the
 * value is compared char by char while it is ASCII (where lower-casing maps one char to one char).
 * At the first non-ASCII char of the part that decides, each falls back to `x.toLowerCase()`, whose
 * Unicode rules can change a string's length ("İ" lower-cases to two chars), so results always equal
 * the `toLowerCase` forms (property-tested). RFC 7643 §2.2 caseExact false.
 */

/** The lower case of an ASCII char code (other codes unchanged). */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * `x.toLowerCase() === s`. Lower-casing never shortens a string (caseless.test.ts checks every code
 * point), so a longer value cannot match; a shorter one only by growing at a non-ASCII char ("İ"). The
 * ASCII chars before the first non-ASCII one lower-case in place, one char to one char, so a mismatch
 * there decides at once, and an all-ASCII value matches only at the same length: the native
 * lower-casing runs only for a value with a non-ASCII char before the first difference.
 */
export function equalsLower(x: string, s: string): boolean {
  const n = x.length;
  const m = s.length;
  if (n > m) return false;
  for (let i = 0; i < n; i++) {
    const c = x.charCodeAt(i);
    if (c >= 128) return x.toLowerCase() === s;
    if (lower(c) !== s.charCodeAt(i)) return false;
  }
  return n === m;
}

/** `x.toLowerCase().startsWith(s)`. */
export function startsWithLower(x: string, s: string): boolean {
  const m = s.length;
  const n = x.length;
  for (let i = 0; i < m; i++) {
    if (i >= n) return false;
    const c = x.charCodeAt(i);
    if (c >= 128) return x.toLowerCase().startsWith(s);
    if (lower(c) !== s.charCodeAt(i)) return false;
  }
  return true;
}

/** `x.toLowerCase().endsWith(s)`. */
export function endsWithLower(x: string, s: string): boolean {
  const m = s.length;
  const n = x.length;
  if (n < m) return x.toLowerCase().endsWith(s);
  for (let j = 1; j <= m; j++) {
    const c = x.charCodeAt(n - j);
    if (c >= 128) return x.toLowerCase().endsWith(s);
    if (lower(c) !== s.charCodeAt(m - j)) return false;
  }
  return true;
}
