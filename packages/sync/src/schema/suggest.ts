/** The closest known path to a misspelt one, for "unknown column" messages. */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The candidate nearest to `wanted` (case-insensitive edit distance; a candidate that ends with what
 * was typed, like `urn:…:department` for `department`, counts as nearest).
 *
 * @example closest("givenName", ["name.givenName", "userName"]) // "name.givenName"
 */
export function closest(wanted: string, candidates: readonly string[]): string | undefined {
  const w = wanted.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // The last segment (after ":" or ".") too: "departmnt" is near "urn:…:User:department".
    const tail = c.slice(Math.max(c.lastIndexOf(":"), c.lastIndexOf(".")) + 1);
    const score =
      c.endsWith(`:${w}`) || c.endsWith(`.${w}`) ? 0.5 : Math.min(distance(w, c), distance(w, tail) + 0.75);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
