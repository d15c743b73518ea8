// "Did you mean": the known word a mistyped one most likely stands for. One implementation for every
// scimkit command line (`scimkit generate`, `scimkit test`, `scimkit sync`) and for messages that name an
// unknown attribute, so they all guess alike.

const squash = (word: string): string => word.toLowerCase().replace(/[-_]/g, "");

/**
 * The candidate `given` most likely meant, or `undefined` when none is close:
 * 1. the same letters apart from case, `-` and `_` (`fromUrl` → `from-url`, `readOnly` → `read-only`);
 * 2. the only candidate that `given` is the start of, or that is the start of `given`, for words of
 *    three letters or more (`form` → `format`, `output` → `out`);
 * 3. the nearest within about a third of its length in edits, a swap of two neighbours counting as one
 *    (`shemas` → `schemas`, `jnuit` → `junit`). Ties go to the earlier candidate.
 *
 * @example
 * didYouMean("dryrun", ["dry-run", "force"]); // "dry-run"
 * didYouMean("verbose", ["dry-run", "force"]); // undefined
 */
export function didYouMean(given: string, candidates: readonly string[]): string | undefined {
  const word = squash(given);
  if (word === "") return undefined;
  const squashed = candidates.map(squash);
  const same = squashed.indexOf(word);
  if (same >= 0) return candidates[same];
  if (word.length >= 3) {
    let only: string | undefined;
    let count = 0;
    for (let i = 0; i < squashed.length; i++) {
      const candidate = squashed[i] as string;
      if (candidate.startsWith(word) || word.startsWith(candidate)) {
        count += 1;
        only = candidates[i];
      }
    }
    if (count === 1) return only;
  }
  let best: string | undefined;
  let bestEdits = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (let i = 0; i < squashed.length; i++) {
    const edits = editDistance(word, squashed[i] as string);
    if (edits < bestEdits) [best, bestEdits] = [candidates[i], edits];
  }
  return best;
}

/**
 * Edits from `a` to `b`: insertions, deletions, substitutions and swaps of two neighbouring characters
 * (the optimal string alignment distance). Case-sensitive; fold case first when it should not count.
 *
 * @example
 * editDistance("tiemout", "timeout"); // 1
 */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the one two back is needed for swaps.
  let twoBack: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let edits = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        edits = Math.min(edits, (twoBack[j - 2] as number) + 1);
      current.push(edits);
    }
    [twoBack, previous] = [previous, current];
  }
  return previous[b.length] as number;
}
