/**
 * Printed text is data: values that people and agents supply (agent names, ticket titles, notes, reasons,
 * summaries) reach a terminal through the views, and a control character or escape sequence in one would be
 * obeyed — `--agent $'x\e[2J…\nT-999 completed'` clears the screen and forges a line. Every view passes its
 * input through {@link printableData} first, so such characters are shown escaped (`\e[2J`, `\n`), in plain
 * output and on a TTY alike. The views' own colours are added afterwards and stay intact.
 */

/**
 * C0 controls, DEL, C1 controls, and the Unicode format characters that reorder or hide text (bidi
 * embeddings/overrides/isolates, zero-width joiners and marks, line/paragraph separators, BOM).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** The same without `\n` and `\t` (multi-line markdown fields such as summaries keep their lines). */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e', '\u0007': '\\a', '\b': '\\b' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control or hidden-format character written as a visible escape (`\e`, `\n`, `\x07`,
 * `\u202e`). `keepLines`: leave `\n` and `\t` as they are (for multi-line markdown fields).
 */
export function printable(text: string, keepLines = false): string {
  const re = keepLines ? CONTROL_BUT_LINES : CONTROL;
  re.lastIndex = 0;
  return re.test(text) ? text.replace(re, escapeChar) : text;
}

/** Options of {@link printableData}. */
export interface PrintableOptions {
  /** Keys whose string values keep `\n` and `\t` (multi-line markdown such as `summary`); all others are one line. */
  multiline?: ReadonlySet<string>;
  /** Cut every string longer than this many characters, with an ellipsis (a 10 KB agent name in a list). */
  maxLength?: number;
}

/**
 * A deep copy of `value` with every string (and object key) passed through {@link printable} (one line, unless
 * its key is in `multiline`) and cut to `maxLength`; other values as they are. Linear in the size of the value.
 */
export function printableData<T>(value: T, options: PrintableOptions = {}, key = ''): T {
  if (typeof value === 'string') {
    const text = printable(value, options.multiline?.has(key) === true);
    return (options.maxLength !== undefined && text.length > options.maxLength ? `${text.slice(0, options.maxLength - 1)}…` : text) as T;
  }
  if (Array.isArray(value)) return value.map((v) => printableData(v, options, key)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[printable(k)] = printableData(v, options, k);
    return out as T;
  }
  return value;
}

/** The multi-line fields of the markdown views (report, consolidate): an agent's result summary. */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['summary']);
