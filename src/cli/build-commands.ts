import type { ExitCode, MainOptions } from './io.ts';
import { reportError } from './report-error.ts';

const USAGE = `Usage: build-commands [--src DIR] [--out DIR] [--target claude|skills|plugin] [--layout commands|skills] [--check] [--dry-run] [--json]
       build-commands lint [PATH...] [--format stylish|json|sarif] [--max-warnings N]
       build-commands import PATH [--to DIR]

       build-commands --version

Compile typed command and agent definitions (markdown + YAML frontmatter) into Claude Code
slash commands (.claude/commands), subagents (.claude/agents) and the orchestrate runtime helper,
or into a Claude Code plugin (--target plugin). Run \`build-commands <command> --help\` for details.

Exit codes: 0 ok, 1 findings / stale output / invalid input, 2 the tool could not run.
`;

/**
 * The `build-commands` CLI: dispatches to the compiler (default), `lint` or `import`.
 * Resolves to the exit code; never calls process.exit.
 */
export async function main(opts: MainOptions): Promise<ExitCode> {
  const [first, ...rest] = opts.argv;
  try {
    if (first === 'lint') return await (await import('./lint.ts')).runLint({ ...opts, argv: rest });
    if (first === 'import') return await (await import('./import.ts')).runImport({ ...opts, argv: rest });
    if (opts.argv.length === 1 && first === '--version') {
      opts.stdout.write(`build-commands ${(await import('../version.ts')).VERSION}\n`);
      return 0;
    }
    if (first === 'help' || (opts.argv.length === 1 && (first === '--help' || first === '-h'))) {
      opts.stdout.write(USAGE);
      return 0;
    }
    return await (await import('./build.ts')).runBuild(opts);
  } catch (e) {
    return reportError(e, opts.stderr, opts.env);
  }
}

export { USAGE };
