// "Did you mean": the known word a mistyped option or value most likely stands for.
// (codegen's cli-args.ts answers the same question for `scimkit generate`; @scimkit/conformance cannot
// import @scimkit/codegen, which depends on it, so this is its own small version.)

const squash = (word: string) => word.toLowerCase().replace(/[-_]/g, "");

/**
 * The candidate `given` most likely meant: equal apart from case, `-` and `_` (`readOnly` → `read-only`),
 * the only candidate that `given` starts or is the start of (`form` → `format`), or the nearest one
 * within about a third of its length in edits (`profil` → `profile`, `jnuit` → `junit`).
 *
 * @example
 * suggest("readonly", ["read-only", "url"]); // "read-only"
 */
export function suggest(given: string, candidates: readonly string[]): string | undefined {
  const word = squash(given);
  if (word === "") return undefined;
  const exact = candidates.find((c) => squash(c) === word);
  if (exact !== undefined) return exact;
  if (word.length >= 3) {
    const prefixes = candidates.filter((c) => squash(c).startsWith(word) || word.startsWith(squash(c)));
    if (prefixes.length === 1) return prefixes[0];
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestEdits = allowed + 1;
  for (const candidate of candidates) {
    const edits = editDistance(word, squash(candidate));
    if (edits < bestEdits) [best, bestEdits] = [candidate, edits];
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  // Three rolling rows: the one two back is needed for swaps.
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let edits = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        edits = Math.min(edits, (previous2[j - 2] ?? 0) + 1);
      current.push(edits);
    }
    [previous2, previous] = [previous, current];
  }
  return previous[b.length] ?? 0;
}
