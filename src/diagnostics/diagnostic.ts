/**
 * The one problem type of build-commands (after vfile's VFileMessage and markdownlint-cli2's result):
 * a zod failure in a definition, a lint finding, a bad plan file and a corrupt state file all become a
 * {@link Diagnostic}, printed one per line as `file:line:col: severity message [code]`.
 */

/** How bad a finding is. `error` fails the run (exit 1); `warning` fails only past `--max-warnings`. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One problem at one place.
 * - `file`: path as the user should see it (relative to the cwd when possible, `/` separators).
 * - `line`, `col`: 1-based; `0` when the problem is about the whole file (no position).
 * - `endLine`, `endCol`: optional 1-based end of the range (exclusive column), for SARIF and editors.
 * - `code`: the lint rule id (`unknown-tool`) or the error-catalog / schema code (`frontmatter-schema`).
 * - `message`: what was found and what was expected; code in backticks; no trailing period.
 * - `hint`: optional, what to do about it.
 */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  severity: Severity;
  code: string;
  message: string;
  hint?: string;
}

/** A 1-based line/column pair. */
export interface Position {
  line: number;
  col: number;
}

/**
 * Formats one diagnostic for a terminal or a log: `file:line:col: severity message [code]`.
 * When `line` is 0 the position is left out (`file: severity message [code]`). The hint, if any, follows
 * on its own indented line so editors still jump to the first line.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  const head = `${where}: ${d.severity} ${d.message} [${d.code}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/**
 * Sorts diagnostics by file, then line, then column, then code — a total order, so output is stable.
 * Returns a new array; the input is not changed.
 */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/**
 * The summary line printed on stderr after a list of diagnostics, e.g. `2 errors, 1 warning in 3 files`.
 * `files` is the number of files that were checked (not only the ones with problems).
 */
export function summarize(list: readonly Diagnostic[], files: number): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}
