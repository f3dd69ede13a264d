import { parseArgs } from 'node:util';
import { build, type BuildMode } from '../compiler/build.ts';
import { OUT_LOCK_TIMEOUT_MS } from '../compiler/out-folder.ts';
import { LAYOUTS, TARGETS, type Layout, type TargetName } from '../compiler/target.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { isToolError, ToolError } from '../diagnostics/errors.ts';
import { envMs } from '../util/lock.ts';
import type { ExitCode, MainOptions } from './io.ts';
import { reportError } from './report-error.ts';
import { flagProblem } from './flag-problem.ts';

const USAGE = `Usage: build-commands [--src DIR] [--out DIR] [--target claude|skills|plugin] [--layout commands|skills] [--check] [--dry-run] [--json]

Compile command and agent definitions (commands/**/*.md, agents/*.md with YAML frontmatter, bodies
rendered by Handlebars) into Claude Code files, plus the runtime helper scripts/orchestrate.mjs.

Options:
  --src DIR        definitions folder (commands/, agents/, optional templates/). Default: the current
                   folder if it has commands/ or agents/, otherwise the built-in pack
  --out DIR        output folder. Default: .claude (target claude), dist-plugin (target plugin)
  --target T       claude (.claude/commands/), skills (.claude/skills/<name>/SKILL.md) or plugin (a Claude
                   Code plugin + marketplace). Default: claude
  --layout L       with --target plugin: commands (commands/**.md, /build-commands:ns:name) or skills
                   (skills/<name>/SKILL.md, /build-commands:ns-name). Default: commands
                   Skill names: /ns:name becomes /ns-name (a folder joins with -), e.g. /execution-pause
  --check          write nothing; exit 1 and list the files that are missing, differ or are extra
  --dry-run        write nothing; list what would be created, updated or deleted
  --json           print a machine-readable report on stdout
  -h, --help       show this help

The build never overwrites or deletes a file it did not generate (see .build-commands-manifest.json in
the output folder): files in the way stop the build before anything is written. It never writes through a
symbolic link inside --out, refuses --out folders such as /, your home folder or the repository root, and
holds a lock on --out while writing (a second build waits, up to BUILD_COMMANDS_LOCK_TIMEOUT_MS, default
60000 ms). Links under commands/, agents/ and templates/ are read only when they stay inside --src.
Exit codes: 0 ok, 1 invalid definitions / stale output / files in the way, 2 the tool could not run.
`;

/** The build's flags (parseArgs options). */
const BUILD_OPTIONS = {
  src: { type: 'string' },
  out: { type: 'string' },
  target: { type: 'string' },
  layout: { type: 'string' },
  check: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the build flags; throws ToolError('InvalidArguments') naming the bad flag and the allowed values. */
function parseBuildArgs(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, allowPositionals: false, strict: true, options: BUILD_OPTIONS }));
  } catch (e) {
    throw new ToolError('InvalidArguments', `${USAGE.split('\n')[0]}\n${flagProblem(e as Error & { code?: string }, argv, BUILD_OPTIONS)}`);
  }
  if (values.target !== undefined && !(TARGETS as readonly string[]).includes(values.target))
    throw new ToolError('InvalidArguments', `${USAGE.split('\n')[0]}\nUnexpected --target \`${values.target}\`, expected one of ${TARGETS.map((t) => `\`${t}\``).join(', ')}`);
  if (values.layout !== undefined && !(LAYOUTS as readonly string[]).includes(values.layout))
    throw new ToolError('InvalidArguments', `${USAGE.split('\n')[0]}\nUnexpected --layout \`${values.layout}\`, expected one of ${LAYOUTS.map((t) => `\`${t}\``).join(', ')}`);
  if (values.layout !== undefined && values.target !== 'plugin')
    throw new ToolError('InvalidArguments', `${USAGE.split('\n')[0]}\nExpected --layout only with --target plugin (use --target skills for skills in .claude/)`);
  for (const flag of ['src', 'out'] as const)
    if (values[flag] === '') throw new ToolError('InvalidArguments', `${USAGE.split('\n')[0]}\nExpected a folder after --${flag}`);
  return values;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * `build-commands [--src DIR] [--out DIR] [--target claude|skills|plugin] [--layout commands|skills] [--check] [--dry-run] [--json]`
 * (DESIGN.md "Public surface"). Prints a summary on stderr (`built 14 commands, 9 agents into .claude
 * (3 changed)`); `--dry-run` lists planned actions and `--check` lists differences on stdout; `--json`
 * prints the BuildReport (or `{ok:false, error, message, diagnostics}`) on stdout. Exit 0 ok, 1 invalid
 * definitions / stale / conflicts / bad flags, 2 could not run.
 */
export async function runBuild(opts: MainOptions): Promise<ExitCode> {
  const json = opts.argv.includes('--json');
  try {
    const v = parseBuildArgs(opts.argv);
    if (v.help) {
      opts.stdout.write(USAGE);
      return 0;
    }
    const mode: BuildMode = v.check ? 'check' : v['dry-run'] ? 'dry-run' : 'write';
    const lockTimeoutMs = envMs(opts.env ?? {}, 'BUILD_COMMANDS_LOCK_TIMEOUT_MS', OUT_LOCK_TIMEOUT_MS);
    const report = await build({ cwd: opts.cwd, src: v.src, out: v.out, target: v.target as TargetName | undefined, layout: v.layout as Layout | undefined, mode, lockTimeoutMs });
    const counts = `${plural(report.commands, report.layout === 'skills' ? 'skill' : 'command')}, ${plural(report.agents, 'agent')}`;
    if (json) opts.stdout.write(`${JSON.stringify({ ok: mode !== 'check' || report.stale!.length === 0, ...report }, null, 2)}\n`);
    if (mode === 'check') {
      const stale = report.stale!;
      if (!json) for (const s of stale) opts.stdout.write(`${report.out}/${s.path}: ${s.reason}\n`);
      if (stale.length > 0) {
        opts.stderr.write(`${report.out} is stale: ${plural(stale.length, 'file')} missing, different or extra\nhint: Run the build without --check to regenerate the output.\n`);
        return 1;
      }
      opts.stderr.write(`${report.out} is up to date (${counts}, ${plural(report.files.length, 'file')})\n`);
      return 0;
    }
    if (mode === 'dry-run') {
      if (!json) for (const f of report.files) if (f.action !== 'unchanged') opts.stdout.write(`${f.action} ${report.out}/${f.path}\n`);
      opts.stderr.write(`would build ${counts} into ${report.out} (${report.changed} changed, nothing written)\n`);
      return 0;
    }
    opts.stderr.write(`built ${counts} into ${report.out} (${report.changed} changed)\n`);
    return 0;
  } catch (e) {
    if (json && isToolError(e)) {
      opts.stdout.write(`${JSON.stringify({ ok: false, error: e.code, message: e.message, hint: e.hint, diagnostics: e.diagnostics }, null, 2)}\n`);
      for (const d of e.diagnostics) opts.stderr.write(`${formatDiagnostic(d)}\n`);
      opts.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    return reportError(e, opts.stderr, opts.env);
  }
}
