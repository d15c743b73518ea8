/** The closest known path to a misspelt one, for "unknown column" messages. */
import { editDistance } from "@scimkit/core/did-you-mean";

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
      c.endsWith(`:${w}`) || c.endsWith(`.${w}`)
        ? 0.5
        : Math.min(editDistance(w, c), editDistance(w, tail) + 0.75);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
