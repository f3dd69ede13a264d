import type { Diagnostic } from '../../diagnostics/diagnostic.ts';

/**
 * `--format json`: `{ files, errors, warnings, infos, diagnostics: Diagnostic[] }` on one line plus a newline;
 * `files` is the number of files checked. Diagnostics keep the {@link Diagnostic} shape (1-based positions).
 */
export function formatJson(list: readonly Diagnostic[], files: number): string {
  const count = (s: Diagnostic['severity']) => list.filter((d) => d.severity === s).length;
  return `${JSON.stringify({ files, errors: count('error'), warnings: count('warning'), infos: count('info'), diagnostics: list })}\n`;
}
