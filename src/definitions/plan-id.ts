/**
 * The id rule shared by ticket ids and session ids, without zod (the helper checks ids on every call and must
 * start fast). 1–64 characters from `A-Z a-z 0-9 . _ -`, starting with a letter or digit, no `..`: safe as a
 * file-name part and as a shell word.
 */

/** Pattern of a safe id (see the file comment); also check {@link isSafeId} for `..` and length. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** True when `s` is a safe id: matches {@link SAFE_ID_PATTERN}, at most 64 characters, no `..`. */
export function isSafeId(s: string): boolean {
  return s.length >= 1 && s.length <= 64 && SAFE_ID_PATTERN.test(s) && !s.includes('..');
}
