import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.ts';
import type { Rule } from '../types.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** URI of a display path for SARIF `artifactLocation.uri`: `/` separators, each segment percent-encoded. */
function toUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * `--format sarif`: a SARIF 2.1.0 log (OASIS; the shape GitHub code scanning reads) with one run. `rules` are
 * the rules that ran (the driver's `rules`, with their description, docs and default level); each diagnostic is
 * a result with a `physicalLocation` relative to the repository root (`uriBaseId` `%SRCROOT%`) and a region
 * (line 1 for whole-file findings), so code scanning shows it on the line. Returns pretty-printed JSON + newline.
 */
export function formatSarif(list: readonly Diagnostic[], rules: readonly { rule: Rule; severity: Severity }[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.rule.meta.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'build-commands',
            version,
            informationUri: 'https://www.npmjs.com/package/build-commands',
            rules: rules.map(({ rule, severity }) => ({
              id: rule.meta.id,
              name: rule.meta.id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: rule.meta.description },
              fullDescription: { text: rule.meta.docs.replace(/\s*\n\s*/g, ' ') },
              help: { text: rule.meta.docs, markdown: rule.meta.docs },
              defaultConfiguration: { level: LEVEL[severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: list.map((d) => ({
          ruleId: d.code,
          ...(index.has(d.code) ? { ruleIndex: index.get(d.code)! } : {}),
          level: LEVEL[d.severity],
          message: { text: d.hint ? `${d.message}\n${d.hint}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(d.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: Math.max(1, d.line),
                  startColumn: Math.max(1, d.col),
                  ...(d.endLine ? { endLine: d.endLine, endColumn: d.endCol ?? d.col } : {}),
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
