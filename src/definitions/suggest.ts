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
 * The candidate closest to `word`, or undefined when none is close: equal after normalisation (case, `-`, `_`),
 * or within an edit distance of 1 for short words and 2 for words of 6+ characters. Ties go to the first
 * candidate in the given order, so results are stable.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = normalize(word);
  const exact = candidates.find((c) => normalize(c) === w);
  if (exact !== undefined) return exact;
  const limit = w.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(w, normalize(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
