/**
 * Durations on the helper's command line (`--lease 15m`), without zod (claim-time code must start fast).
 */

/**
 * Parses `30s`, `15m`, `2h`, `1.5h` or a bare number of minutes into milliseconds; null when invalid or not
 * positive.
 */
export function parseDurationMs(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'm').toLowerCase();
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'h' ? n * 3_600_000 : n * 60_000;
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : null;
}
