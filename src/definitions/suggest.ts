/**
 * "Did you mean" suggestions for near misses (`allowed_tools` → `allowed-tools`, `Reed` → `Read`).
 */

/** Levenshtein edit distance between `a` and `b` (insertions, deletions, substitutions; cost 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Lower-cases and drops `-`, `_` and spaces, so `allowed_tools`, `allowedTools` and `allowed-tools` compare equal. */
function normalize(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate whose normalised form is closest to `word`'s, when `close(distance, length)` accepts that
 * distance for a normalised word of that length; a candidate equal after normalisation always wins. Ties go to
 * the first candidate in the given order, so results are stable.
 */
function closest(word: string, candidates: readonly string[], close: (distance: number, length: number) => boolean): string | undefined {
  const w = normalize(word);
  const exact = candidates.find((c) => normalize(c) === w);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, normalize(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && close(bestDistance, w.length) ? best : undefined;
}

/**
 * The compiler's suggestion: equal after normalisation (case, `-`, `_`), or within an edit distance of 1 for
 * short words and 2 for words of 6+ characters. Undefined when none is close.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates, (d, length) => d <= (length >= 6 ? 2 : 1));
}

/**
 * The linter's suggestion: equal after normalisation (`allowed_tools` → `allowed-tools`), else the closest
 * within an edit distance of 2 and less than half the word. Undefined when nothing is close.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates, (d, length) => d <= 2 && d < length / 2);
}
