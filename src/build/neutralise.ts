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

/**
 * The final pass over a rendered body: breaks a `` !` `` or ```` ```! ```` that spans an interpolation
 * boundary, then removes the sentinels. A `` !` `` written literally in the template (no boundary inside)
 * is kept: it is the author's explicit choice.
 */
export function finishRendered(text: string): string {
  return text
    .replace(/!([\uE000\uE001]+)`/g, '!$1 `')
    .replace(/```([\uE000\uE001]+)!/g, '```$1 !')
    .replace(SENTINELS, '');
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
