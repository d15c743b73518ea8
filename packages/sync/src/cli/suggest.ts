// "Did you mean": the known option or value a mistyped one most likely stands for. @scimkit/sync cannot
// import @scimkit/codegen's or @scimkit/conformance's versions (the scimkit dispatcher loads this package),
// so this is its own small one.

const fold = (word: string) => word.toLowerCase().replace(/[-_]/g, "");

/**
 * The candidate `given` most likely meant: equal ignoring case, `-` and `_` (`dryRun` → `dry-run`), the one
 * candidate it is a prefix of or starts with (`conc` → `concurrency`), or the closest within a third of its
 * length in edits (`deactivate-mising` → `deactivate-missing`).
 *
 * @example
 * suggest("dryrun", ["dry-run", "force"]); // "dry-run"
 */
export function suggest(given: string, candidates: readonly string[]): string | undefined {
  const word = fold(given);
  if (word === "") return undefined;
  const same = candidates.find((candidate) => fold(candidate) === word);
  if (same !== undefined) return same;
  if (word.length >= 3) {
    const prefixed = candidates.filter((c) => fold(c).startsWith(word) || word.startsWith(fold(c)));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = levenshtein(word, fold(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Edits (insert, delete, substitute) from `a` to `b`, one row at a time. */
function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
