/**
 * Keeps interpolated text from forming Claude Code's "run before sending" syntax: `` !`cmd` `` and a fence
 * opened with ```` ```! ```` are executed when a command is invoked (../shared/CLAUDE-CODE.md "Commands",
 * seen). Text written literally in a definition body is the author's; text that reaches the body through a
 * variable or a helper argument is wrapped in private-use sentinels while rendering, so the final pass can
 * also break a `` !` `` formed ACROSS a boundary (a literal `!` followed by interpolated `` `...` ``).
 */

/** Opens an interpolated span (Unicode private use, never meaningful in a definition). */
export const OPEN = '\uE000';
/** Closes an interpolated span. */
export const CLOSE = '\uE001';

const SENTINELS = /[\uE000\uE001]/g;

/**
 * Breaks every `` !` `` and every ```` ```! ```` in `text` by inserting a space (`` ! ` ``, ```` ``` ! ````),
 * which Claude Code does not execute and the model still reads the same way. Idempotent.
 */
export function neutralise(text: string): string {
  return text.replace(/!(?=`)/g, '! ').replace(/```(?=!)/g, '``` ');
}

/** Neutralises `text` and marks it as interpolated (sentinel-wrapped) for {@link finishRendered}. */
export function interpolated(text: string): string {
  return OPEN + neutralise(text.replace(SENTINELS, '')) + CLOSE;
}

/** Removes sentinel characters from source text, so a definition cannot fake an interpolation boundary. */
export function stripSentinels(text: string): string {
  return text.replace(SENTINELS, '');
}

/** Where the final pass broke a `` !` `` or ```` ```! ```` that data formed: offset in the final text, and which. */
export interface FormedShell {
  /** Offset in the final text (sentinels removed, before the space is inserted) of the match's first char. */
  offset: number;
  kind: '!`' | '```!';
  /** The text of the match that was written literally around the interpolation (to find it in the source). */
  literal: string;
}

/**
 * Finds, in rendered text still carrying the sentinels, every `` !` `` and ```` ```! ```` that the source did
 * not write by itself: one with an interpolation boundary inside it, or any of its characters inside an
 * interpolated span (e.g. a description ending in two backquotes, then a literal `` `! ``). A match written
 * whole in the template, away from any interpolation, is the author's and is not listed.
 * Returns the final text (sentinels removed) and the matches, by offset. Linear in the text's length.
 */
export function formedShell(marked: string): { text: string; found: FormedShell[] } {
  if (!marked.includes('!')) return { text: marked.replace(SENTINELS, ''), found: [] };
  let text = '';
  const literal: boolean[] = [];
  const boundaryBefore: boolean[] = []; // a sentinel sat just before this char
  let depth = 0;
  let pending = false;
  for (const ch of marked) {
    if (ch === OPEN) {
      depth++;
      pending = true;
    } else if (ch === CLOSE) {
      depth = Math.max(0, depth - 1);
      pending = true;
    } else {
      for (let i = 0; i < ch.length; i++) {
        literal.push(depth === 0);
        boundaryBefore.push(pending);
      }
      text += ch;
      pending = false;
    }
  }
  const found: FormedShell[] = [];
  for (const re of [/!`/g, /```!/g]) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      let authored = true;
      let lit = '';
      for (let i = start; i < end; i++) {
        if (!literal[i] || (i > start && boundaryBefore[i])) authored = false;
        if (literal[i]) lit += text[i];
      }
      if (!authored) found.push({ offset: start, kind: m[0] as FormedShell['kind'], literal: lit });
    }
  }
  found.sort((a, b) => a.offset - b.offset);
  return { text, found };
}

/**
 * The final pass over a rendered body: breaks every `` !` `` or ```` ```! ```` that data formed
 * ({@link formedShell}) by inserting a space (`` ! ` ``, ```` ``` ! ````), then removes the sentinels. A
 * `` !` `` written literally in the template (no boundary inside, no interpolated character) is kept: it is the
 * author's explicit choice. Also returns what it broke (the lint of definitions reports the same places).
 */
export function finishRenderedWithFindings(marked: string): { text: string; found: FormedShell[] } {
  const { text, found } = formedShell(marked);
  if (found.length === 0) return { text, found };
  let out = '';
  let at = 0;
  for (const f of found) {
    const cut = f.kind === '!`' ? f.offset + 1 : f.offset + 3; // before the backquote / before the `!`
    if (cut < at) continue; // overlapping matches: already broken
    out += `${text.slice(at, cut)} `;
    at = cut;
  }
  return { text: out + text.slice(at), found };
}

/** {@link finishRenderedWithFindings} without the findings: the final text. */
export function finishRendered(text: string): string {
  return finishRenderedWithFindings(text).text;
}

/**
 * Deeply wraps every string in a plain data value with {@link interpolated}, for use as a template context.
 * Objects and arrays are copied; other values are returned as they are.
 */
export function interpolatedContext<T>(value: T): T {
  if (typeof value === 'string') return interpolated(value) as T;
  if (Array.isArray(value)) return value.map((v) => interpolatedContext(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolatedContext(v)])) as T;
  }
  return value;
}
