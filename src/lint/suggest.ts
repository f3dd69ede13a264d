/** Edit distance (Levenshtein) between two short strings. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/**
 * The candidate `word` most likely meant: same letters ignoring case, `-` and `_` (`allowed_tools` →
 * `allowed-tools`), else the closest within an edit distance of 2 (and less than half the word). Undefined
 * when nothing is close.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = squash(word);
  const same = candidates.find((c) => squash(c) === w);
  if (same) return same;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(w, squash(c));
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= 2 && bestD < w.length / 2 ? best : undefined;
}

/** `a`, `b`, `c` as a message fragment: each in backticks, comma separated, cut after `max` with `...`. */
export function listCode(items: readonly string[], max = Infinity): string {
  const shown = items.slice(0, max).map((i) => `\`${i}\``);
  return items.length > max ? `${shown.join(', ')}, ...` : shown.join(', ');
}
