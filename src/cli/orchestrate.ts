import { parseArgs } from 'node:util';
import { ToolError } from '../diagnostics/errors.ts';
import type { ExitCode, MainOptions } from './io.ts';
import { reportError } from './report-error.ts';
import { resolveTextFiles } from './text-files.ts';
import { closeStore, openStore } from '../runtime/store/store.ts';
import { PLAN_VERBS } from './orchestrate/plan-verbs.ts';
import { SESSION_VERBS } from './orchestrate/session-verbs.ts';
import { TICKET_VERBS } from './orchestrate/ticket-verbs.ts';
import { flagProblem } from './flag-problem.ts';
import { checkFlagValues, onceEach, usageError, str, type Values, type Verb } from './orchestrate/verb.ts';
import { VIEW_VERBS } from './orchestrate/view-verbs.ts';
import { ownValue } from '../util/own.ts';

/**
 * The `orchestrate` runtime helper CLI (docs/contracts.md section 5): `orchestrate VERB [ARGS] [--json]`.
 * Thin: parses flags with `node:util` parseArgs, resolves the session, calls a function of
 * `src/runtime/verbs.ts` (or the scheduler / views), prints a short plain result or JSON. The verbs are in
 * `orchestrate/` by area (plan, ticket, view, session); what they share is `orchestrate/verb.ts`.
 * Exit 0 ok, 1 invalid input / not allowed now (state unchanged), 2 could not run.
 * Heavy parts (zod plan validation, views, scheduler output) are loaded lazily so `claim` starts fast.
 */

const GLOBAL_USAGE = `Usage: orchestrate VERB [ARGS] [--id ID] [--json]
       orchestrate --version

The build-commands runtime helper: one shared orchestration state (plan, tickets, owners, event log) that
parallel agents change through short commands. State lives in .orchestration/ at the root of the main git
worktree (or the current folder outside git), or in PostgreSQL for agents on several machines: --store URL,
ORCHESTRATE_DATABASE_URL, or store: in .orchestration/config.yaml. --id may be left out when exactly one
session is active.

Verbs:
`;

const EXIT_NOTE = '\nExit codes: 0 ok, 1 invalid input or not allowed now (state unchanged), 2 could not run.\n';

/** Every verb, by name. */
const VERBS: Record<string, Verb> = { ...PLAN_VERBS, ...TICKET_VERBS, ...VIEW_VERBS, ...SESSION_VERBS };

function verbHelp(name: string, v: Verb): string {
  return `${v.usage}\n\n${v.summary}.\n${v.details ? `\n${v.details}\n` : ''}${EXIT_NOTE}`;
}

function globalHelp(): string {
  const names = Object.keys(VERBS).sort();
  const rows = names.map((n) => `  ${n.padEnd(12)} ${VERBS[n]!.summary}`);
  return `${GLOBAL_USAGE}${rows.join('\n')}\n\nRun \`orchestrate VERB --help\` for a verb's flags.\n${EXIT_NOTE}`;
}

/**
 * The `orchestrate` CLI entry point: `main({argv, cwd, stdout, stderr, env}) → exit code`. Never calls
 * process.exit. Errors: ToolError → its diagnostics, message and hint on stderr, its exit code.
 */
export async function main(opts: MainOptions): Promise<ExitCode> {
  const env = opts.env ?? {};
  const [name, ...rest] = opts.argv;
  try {
    if (name === '--version' && rest.length === 0) {
      opts.stdout.write(`orchestrate ${(await import('../version.ts')).VERSION} (build-commands)\n`);
      return 0;
    }
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      opts.stdout.write(globalHelp());
      return name === undefined ? 1 : 0;
    }
    const verb = ownValue(VERBS, name);
    if (!verb) throw new ToolError('InvalidArguments', `Usage: orchestrate VERB [ARGS] [--json]\nUnknown verb \`${name}\`, expected one of ${Object.keys(VERBS).sort().map((v) => `\`${v}\``).join(', ')}`);
    let parsed: { values: Values; positionals: string[] };
    const options = { ...verb.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, store: { type: 'string' } } as const;
    try {
      const { tokens, ...result } = parseArgs({ args: rest, options, allowPositionals: true, strict: true, tokens: true });
      parsed = result as { values: Values; positionals: string[] };
      onceEach(verb, options, tokens);
    } catch (e) {
      if (e instanceof ToolError) throw e;
      throw usageError(verb, flagProblem(e as Error & { code?: string }, rest, options));
    }
    if (parsed.values.help === true) {
      opts.stdout.write(verbHelp(name, verb));
      return 0;
    }
    if (parsed.positionals.length > (verb.positionals ?? 0)) throw usageError(verb, `Unexpected argument \`${parsed.positionals[verb.positionals ?? 0]}\``);
    checkFlagValues(verb, parsed.values);
    resolveTextFiles(parsed.values, opts.cwd, verb.usage);
    // a caller kept waiting for the lock says so on a terminal (isTTY is asked only then: it loads node:tty)
    const store = openStore(opts.cwd, env, (line) => opts.stderr.isTTY === true && opts.stderr.write(`${line}\n`), str(parsed.values, 'store'));
    try {
      return await verb.run({ opts, env, values: parsed.values, positionals: parsed.positionals, json: parsed.values.json === true, store, out: opts.stdout });
    } finally {
      await closeStore(store);
    }
  } catch (e) {
    return reportError(e, opts.stderr, env);
  }
}
