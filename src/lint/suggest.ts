/** `a`, `b`, `c` as a message fragment: each in backticks, comma separated, cut after `max` with `...`. */
export function listCode(items: readonly string[], max = Infinity): string {
  const shown = items.slice(0, max).map((i) => `\`${i}\``);
  return items.length > max ? `${shown.join(', ')}, ...` : shown.join(', ');
}
