import type { ParsedMarkdown } from '../definitions/frontmatter.ts';
import { bodyFences } from './body.ts';
import { oncePerParse } from './per-parse.ts';

/**
 * One `$N` in a command body and what it most likely is:
 * - `argument`: meant as a command argument (prose, or shell code outside a function and single quotes);
 * - `sample`: part of code that means something else — a shell function's positional (`local id=$1` inside
 *   `f() { ... }`), a single-quoted one-liner (`awk '{print $1}'`), a non-shell code block (Perl, JS, a regex);
 * - `price`: money or a number (`$125/hr`, `$1,000`, `$5.99`, `$20k`, or an index of 10 and up).
 * Claude Code replaces every one of them the same way (seen on 2.1.329: the body's `$N` becomes argument N+1,
 * in code too, and stays as written when that argument is missing; 2.1.197 replaces a missing one with an
 * empty string, so `$125/hr` reads `/hr` even without arguments — test/e2e/lint-oracle.test.ts).
 */
export interface ArgumentRef {
  index: number;
  /** Body offset of the `$`. */
  offset: number;
  kind: 'argument' | 'sample' | 'price';
}

const INDEXED = /(?<![\\\w$])\$([1-9]\d*|0)(?![\d\w])/g;
const SHELL = new Set(['', 'bash', 'sh', 'shell', 'zsh', 'console', 'shell-session']);

function priceLike(body: string, offset: number, digits: string): boolean {
  const after = body.slice(offset + 1 + digits.length, offset + 3 + digits.length);
  return Number(digits) >= 10 || /^[,.]\d|^\/|^[kKmM]\b|^[kKmM]$/.test(after);
}

/**
 * For each column of `rawLine` (0 to its length): 1 when that column is inside single quotes on that line. The
 * quotes of a Handlebars helper's argument (`{{orchestrate 'agents --agent "$0"'}}` in a definition) are the
 * template's, not the shell's: they are ignored (the rendered line has none; the replacements keep every column
 * where it was). One pass per line, however many `$N` it holds.
 */
function quoteStates(rawLine: string): Uint8Array {
  const line = rawLine.replace(/\{\{[#>]?\s*[\w-]+\s+'/g, (m) => `${m.slice(0, -1)} `).replace(/'\s*\}\}/g, (m) => ` ${m.slice(1)}`);
  const out = new Uint8Array(line.length + 1);
  let q = 0;
  for (let i = 0; i < line.length; i++) {
    out[i] = q;
    if (line[i] === "'" && line[i - 1] !== '\\') q ^= 1;
  }
  out[line.length] = q;
  return out;
}

/** For each line of a shell block: true when it is inside a function body (`name() {` ... `}`). */
function shellFunctionLines(lines: readonly { text: string }[]): boolean[] {
  const out: boolean[] = [];
  let depth = 0;
  let inFunction = false;
  for (const l of lines) {
    if (!inFunction && (/^\s*(?:function\s+)?[A-Za-z_][\w-]*\s*\(\)\s*\{?/.test(l.text) || /^\s*function\s+[A-Za-z_][\w-]*/.test(l.text))) {
      inFunction = true;
      depth = 0;
    }
    if (inFunction) depth += (l.text.match(/\{/g)?.length ?? 0) - (l.text.match(/\}/g)?.length ?? 0);
    out.push(inFunction);
    if (inFunction && depth <= 0 && /\}/.test(l.text)) inFunction = false;
  }
  return out;
}

/** Index of the last line starting at or before `offset` (binary search), or -1. */
function lastLineAtMost(lines: readonly { offset: number }[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.offset <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * Every `$N` of a parsed file's body (N ≥ 0) with its kind; see {@link ArgumentRef}. `$ARGUMENTS[N]` is not
 * included. Found once per file (two rules ask); callers must not mutate the result.
 */
export const argumentRefs: (md: ParsedMarkdown) => ArgumentRef[] = oncePerParse(findArgumentRefs);

function findArgumentRefs(md: ParsedMarkdown): ArgumentRef[] {
  const body = md.body;
  if (!body.includes('$')) return [];
  const blocks = bodyFences(md);
  const functionLines = new Map<(typeof blocks)[number], boolean[]>();
  // The line of the last `$N` and its quote states: the references come in order, so each line is read once
  // (a line of thousands of `$N` was read once per reference: quadratic).
  let lineStart = 0;
  let lineEnd = -1;
  let quoted: Uint8Array = new Uint8Array(0);
  const inSingleQuotes = (offset: number): boolean => {
    if (offset < lineStart || offset > lineEnd) {
      lineStart = body.lastIndexOf('\n', offset - 1) + 1;
      const end = body.indexOf('\n', offset);
      lineEnd = end < 0 ? body.length : end;
      quoted = quoteStates(body.slice(lineStart, lineEnd));
    }
    return quoted[offset - lineStart] === 1;
  };
  // Per body offset: the kind of code around it (sample or shell argument context).
  const sampleAt = (offset: number): boolean => {
    const bi = lastLineAtMost(blocks, offset);
    const block = bi >= 0 && offset < blocks[bi]!.end ? blocks[bi] : undefined;
    if (!block) {
      // Inline code: a single-quoted part of a one-liner is a sample.
      return inSingleQuotes(offset);
    }
    if (!SHELL.has(block.lang)) return true;
    if (inSingleQuotes(offset)) return true;
    // Inside a shell function: which lines are, computed once per block (linear in the block).
    let lines = functionLines.get(block);
    if (!lines) functionLines.set(block, (lines = shellFunctionLines(block.lines)));
    const i = lastLineAtMost(block.lines, offset);
    return i >= 0 && lines[i]!;
  };
  const out: ArgumentRef[] = [];
  for (const m of body.matchAll(INDEXED)) {
    const digits = m[1]!;
    const kind = priceLike(body, m.index, digits) ? 'price' : sampleAt(m.index) ? 'sample' : 'argument';
    out.push({ index: Number(digits), offset: m.index, kind });
  }
  return out;
}
