import path from 'node:path';
import { parseArgs } from 'node:util';
import pkg from '../../package.json' with { type: 'json' };
import { summarize } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { activeRules, loadConfig, withProfile } from '../lint/config.ts';
import { formatJson } from '../lint/formatters/json.ts';
import { formatSarif } from '../lint/formatters/sarif.ts';
import { formatStylish } from '../lint/formatters/stylish.ts';
import { RULES } from '../lint/registry.ts';
import { lintPaths } from '../lint/runner.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { useColor, type ExitCode, type MainOptions } from './io.ts';
import { pathProblem } from '../util/safe-path.ts';
import { flagProblem } from './flag-problem.ts';

const USAGE = `Usage: build-commands lint [PATH...] [--format stylish|json|sarif] [--max-warnings N]
                           [--config FILE] [--output FILE] [--profile directory]
`;

const HELP = `${USAGE}
Check Claude Code commands, agents, skills and plugins for the mistakes that make them load without
their metadata, get skipped, or get their Bash calls denied. PATH (default: the current folder) may be a
project (its .claude/ tree, plugins, and build-commands definitions in commands/ and agents/), a .claude
folder, a plugin folder, or single files.

Options:
  --format F         stylish (default; file:line:col: severity message [rule]), json, or sarif (SARIF 2.1.0
                     for GitHub code scanning)
  --json             same as --format json
  --max-warnings N   exit 1 when there are more than N warnings (default: warnings never fail)
  --config FILE      lint configuration (default: .build-commands-lint.json, else package.json "lint")
  --output FILE      write the report to FILE instead of stdout (the summary still goes to stderr)
  --profile NAME     lay a rule set over the defaults: \`directory\` = what the plugin directory (the catalog)
                     refuses a submission for (manifest fields, README, licence, icon) as errors

Configuration: {"rules": {"rule-id": "off" | "info" | "warn" | "error" | ["warn", {options}]}, "ignores": [globs]}
Inline: <!-- build-commands-lint-disable rule-id -->, <!-- build-commands-lint-disable-next-line rule-id -->,
<!-- build-commands-lint-enable rule-id -->; in frontmatter: # build-commands-lint-disable-next-line rule-id
Rules: docs/rules/README.md.

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors or too many warnings or bad
arguments, 2 the linter could not run (missing path, invalid configuration).
`;

const FORMATS = ['stylish', 'json', 'sarif'] as const;

/** The lint flags (parseArgs options). */
const LINT_OPTIONS = {
  format: { type: 'string' },
  json: { type: 'boolean' },
  'max-warnings': { type: 'string' },
  config: { type: 'string' },
  output: { type: 'string', short: 'o' },
  profile: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `build-commands lint`: lints PATHs (default the cwd) with the configured rules and prints the report in the
 * chosen format on stdout (or `--output`), the summary (`2 errors, 1 warning in 3 files`) on stderr.
 * Resolves to 0 (clean), 1 (errors, warnings past `--max-warnings`, bad flags), 2 (could not run). Throws
 * ToolError `InvalidArguments`, `LintPathNotFound`, `InvalidLintConfig` (printed by the dispatcher).
 */
export async function runLint(opts: MainOptions): Promise<ExitCode> {
  const bad = (message: string) => new ToolError('InvalidArguments', `${USAGE}${message}`);
  let parsed;
  try {
    parsed = parseArgs({ args: opts.argv, allowPositionals: true, options: LINT_OPTIONS });
  } catch (e) {
    throw bad(flagProblem(e as Error & { code?: string }, opts.argv, LINT_OPTIONS));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    opts.stdout.write(HELP);
    return 0;
  }
  const format = values.json ? 'json' : (values.format ?? 'stylish');
  if (!(FORMATS as readonly string[]).includes(format)) throw bad(`Invalid --format \`${format}\`, expected one of \`stylish\`, \`json\`, \`sarif\``);
  let maxWarnings = Infinity;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings'])) throw bad(`Invalid --max-warnings \`${values['max-warnings']}\`, expected a whole number >= 0`);
    maxWarnings = Number(values['max-warnings']);
  }
  const loaded = loadConfig(opts.cwd, values.config, RULES);
  const file = loaded.file;
  const config = withProfile(loaded.config, values.profile);
  const rules = activeRules(RULES, config, file ?? 'configuration');
  const result = await lintPaths(positionals.length ? positionals : ['.'], opts.cwd, rules, config.ignores);
  const list = result.diagnostics;

  const color = !values.output && useColor(opts.stdout, opts.env);
  const report =
    format === 'json' ? formatJson(list, result.files) : format === 'sarif' ? formatSarif(list, rules, pkg.version) : formatStylish(list, color);
  if (values.output) writeReport(path.resolve(opts.cwd, values.output), values.output, report);
  else opts.stdout.write(report);

  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  const tooMany = warnings > maxWarnings;
  opts.stderr.write(`${summarize(list, result.files)}${tooMany ? ` (more than --max-warnings ${maxWarnings})` : ''}\n`);
  return errors > 0 || tooMany ? 1 : 0;
}

/**
 * Writes the report to `--output` whole or not at all (temp file, rename). A path that cannot be a file —
 * its folder is missing, a part of it is a file, it is a folder — is a usage error naming the flag (exit 1),
 * not an internal error; permission and disk errors go to the catalog as everywhere else.
 */
function writeReport(abs: string, given: string, report: string): void {
  try {
    writeFileAtomic(abs, report);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = pathProblem(code, true);
    if (why === null) throw e;
    throw new ToolError('InvalidArguments', `${USAGE}Cannot write --output \`${given}\`: ${why}`, { hint: 'Pass a file in an existing folder. The lint ran; its report was not written.' });
  }
}
