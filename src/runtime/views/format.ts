/**
 * Small text helpers shared by the views: durations, percentages, padding, bars. Pure, no clock.
 */

/** Minutes as `2h 15m`, `45m`, `0m`; fractions are rounded to the minute. Negative values print as `0m`. */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  const r = m % 60;
  return r === 0 ? `${h}h` : `${h}h ${r}m`;
}

/** Milliseconds between two ISO times as minutes (may be negative); null when either is missing or invalid. */
export function minutesBetween(from: string | null | undefined, to: string | number | null | undefined): number | null {
  if (from == null || to == null) return null;
  const a = Date.parse(from);
  const b = typeof to === 'number' ? to : Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return (b - a) / 60_000;
}

/** A percentage with at most one decimal: `84.6%`, `100%`. */
export function formatPercent(value: number): string {
  return `${round1(value)}%`;
}

/** Rounds to one decimal place. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Rounds to two decimal places. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** `text` cut to `width` characters (an ellipsis marks the cut) and padded with spaces to exactly `width`. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return text + ' '.repeat(width - text.length);
}

/** A progress bar of `width` cells: `████████░░░░` for `percent` 0–100. */
export function bar(percent: number, width: number): string {
  const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

const MiB = 1024 * 1024;

/** Bytes as `900 MiB` below 1 GiB, else `1.5 GiB` (one decimal); negative values print as `0 MiB`. */
export function formatBytes(bytes: number): string {
  const b = Math.max(0, bytes);
  return b >= 1024 * MiB ? `${round1(b / (1024 * MiB))} GiB` : `${Math.round(b / MiB)} MiB`;
}

/** An ISO time as `2026-11-21 10:30:00` (UTC), or `-` when null/invalid. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '-';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Widest cell {@link columns} shows, in characters (longer ones end with `…`); the last column may be wider. */
export const MAX_CELL = 48;
/** Widest last cell {@link columns} shows (a reason or a title). */
export const MAX_LAST_CELL = 160;

/** `text` cut to at most `width` characters, an ellipsis marking the cut (no padding). */
export function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/**
 * Lays out rows as space-separated columns (no box), each column as wide as its widest cell; a cell longer
 * than {@link MAX_CELL} ({@link MAX_LAST_CELL} in the last column) is cut with an ellipsis, so a 10 KB agent
 * name cannot pad a column to 10 KB.
 */
export function columns(input: readonly (readonly string[])[], gap = 2): string[] {
  const rows = input.map((r) => r.map((c, i) => cut(c, i === r.length - 1 ? MAX_LAST_CELL : MAX_CELL)));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - c.length + gap))).join('').trimEnd());
}

/**
 * A box-drawing table (`┌─┬─┐ │ ├─┼─┤ └─┴─┘`) with a header row. Column widths come from the content;
 * when the table is wider than `maxWidth` characters the widest columns shrink (cells end with `…`).
 */
export function boxTable(header: readonly string[], rows: readonly (readonly string[])[], maxWidth: number): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const total = (): number => widths.reduce((a, b) => a + b + 3, 1);
  while (total() > maxWidth) {
    let wi = 0;
    widths.forEach((w, i) => (w > widths[wi]! ? (wi = i) : 0));
    if (widths[wi]! <= 3) break;
    widths[wi]!--;
  }
  const line = (l: string, m: string, r: string): string => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: readonly string[]): string => '│' + widths.map((w, i) => ` ${fit(cells[i] ?? '', w)} `).join('│') + '│';
  return [line('┌', '┬', '┐'), row(header), line('├', '┼', '┤'), ...rows.map(row), line('└', '┴', '┘')];
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/y;

/** Terminal columns a code point takes: 2 for emoji and wide symbols, 0 for variation selectors, else 1. */
function cellWidth(cp: number): number {
  if (cp === 0xfe0f || cp === 0x200d) return 0;
  if (cp >= 0x1f300 || (cp >= 0x2600 && cp <= 0x27bf && cp !== 0x2713)) return 2;
  return 1;
}

/**
 * Cuts `line` to at most `width` terminal columns, ignoring ANSI colour codes (kept, and a reset appended
 * when something was cut) and counting emoji as two columns. Lines that fit are returned unchanged.
 */
export function truncateVisible(line: string, width: number): string {
  let cols = 0;
  let out = '';
  for (let i = 0; i < line.length; ) {
    ANSI.lastIndex = i;
    const m = ANSI.exec(line);
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    const cp = line.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const w = cellWidth(cp);
    if (cols + w > width - 1 && i + ch.length < line.length) {
      // Does the rest fit exactly? Then keep it; otherwise cut here with an ellipsis.
      const rest = line.slice(i).replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
      let restCols = 0;
      for (const c of rest) restCols += cellWidth(c.codePointAt(0)!);
      if (cols + restCols <= width) return line;
      return `${out}…\u001b[0m`;
    }
    out += ch;
    cols += w;
    i += ch.length;
  }
  return line;
}
