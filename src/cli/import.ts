import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { importDefinitions } from '../import/import.ts';
import type { ExitCode, MainOptions } from './io.ts';
import { flagProblem } from './flag-problem.ts';

const USAGE = `Usage: build-commands import PATH [--to DIR] [--force] [--dry-run] [--json]
`;

const HELP = `${USAGE}
Turn hand-written Claude Code commands and agents into build-commands definitions, so an existing pack
can move onto the compiler. PATH is a project (its .claude/ folder), a .claude folder, or a plugin.
Commands go to DIR/commands/<ns>/<name>.md, agents to DIR/agents/<name>.md (DIR defaults to the current
folder). Comma strings become YAML lists, \`{{\` in bodies is escaped so the build prints it literally, and
every problem fixed on the way is reported (warning: what Claude Code reads changes; info: it does not).

Options:
  --to DIR     where to write commands/ and agents/ (default: .)
  --force      overwrite existing definition files
  --dry-run    report what would be written, write nothing
  --json       print {"written": [...], "diagnostics": [...]}

Exit codes: 0 imported, 1 nothing to import / files exist / errors in sources / bad arguments, 2 could not run.
`;

/** The import flags (parseArgs options). */
const IMPORT_OPTIONS = { to: { type: 'string' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

/**
 * \`build-commands import PATH [--to DIR]\`: converts hand-written commands and agents into definitions and prints
 * each fix (\`file:line:col: severity message [import-*]\`) on stderr, the written files on stdout. Resolves to 0
 * when everything was imported, 1 when a source had an error-level problem (imported without its metadata).
 * Throws ToolError (InvalidArguments, LintPathNotFound, OutputConflict), printed by the dispatcher.
 */
export async function runImport(opts: MainOptions): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({ args: opts.argv, allowPositionals: true, options: IMPORT_OPTIONS });
  } catch (e) {
    throw new ToolError('InvalidArguments', `${USAGE}${flagProblem(e as Error & { code?: string }, opts.argv, IMPORT_OPTIONS)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    opts.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new ToolError('InvalidArguments', `${USAGE}Expected exactly one PATH, got ${positionals.length}`);
  const to = values.to ?? '.';
  const report = await importDefinitions({ path: positionals[0]!, to, cwd: opts.cwd, force: values.force ?? false, dryRun: values['dry-run'] ?? false });
  const written = report.converted.map((c) => path.posix.join(to.split(path.sep).join('/'), c.rel));
  if (values.json) opts.stdout.write(`${JSON.stringify({ written, dryRun: values['dry-run'] ?? false, diagnostics: report.diagnostics })}\n`);
  else {
    for (const d of report.diagnostics) opts.stderr.write(`${formatDiagnostic(d)}\n`);
    for (let i = 0; i < written.length; i++) opts.stdout.write(`${report.converted[i]!.source.path} -> ${written[i]}\n`);
  }
  const fixes = report.diagnostics.filter((d) => d.severity !== 'info').length;
  opts.stderr.write(`${values['dry-run'] ? 'would import' : 'imported'} ${report.converted.length} file(s), ${fixes} fix(es) to review\n`);
  return report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
