import pc from 'picocolors';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.ts';

/**
 * The default output: one diagnostic per line, `file:line:col: severity message [rule-id]`, its hint (if any)
 * on the next indented line; severities coloured when `color` is true. Empty string for no diagnostics.
 */
export function formatStylish(list: readonly Diagnostic[], color = false): string {
  if (!color) return list.map((d) => `${formatDiagnostic(d)}\n`).join('');
  const paint = { error: pc.red, warning: pc.yellow, info: pc.blue } as const;
  return list
    .map((d) => {
      const line = formatDiagnostic(d).replace(` ${d.severity} `, ` ${paint[d.severity](d.severity)} `).replace(/\[([\w-]+)\]/, (m) => pc.dim(m));
      return `${line.replace(/\n {2}hint:/, `\n  ${pc.dim('hint:')}`)}\n`;
    })
    .join('');
}
