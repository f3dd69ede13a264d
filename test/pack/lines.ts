/**
 * Turns a helper line as written in a built command or agent (`node .claude/scripts/orchestrate.mjs claim
 * --agent worker-<N> --json`) into a runnable shell line, by substituting Claude Code's argument variables
 * (`$0`, `$1`, `$ARGUMENTS`, ../shared/CLAUDE-CODE.md "Commands") and the pack's `<PLACEHOLDER>`s with values
 * from a real session. Which value a variable gets depends on the flag in front of it (`--ticket "$0"` is a
 * ticket id, `--agents "$1"` a number, `init "$0"` a plan path), so no command is special-cased.
 */

/** Values of a real session that a line may need. */
export interface LineValues {
  plan: string;
  session: string;
  agent: string;
  ticket: string;
  sha: string;
  files: string[];
  /** The notes topic (`notes/<topic>/`) present in the repository. */
  topic: string;
}

/** What kind of value a flag (or a verb's positional argument) takes. */
type Kind = 'plan' | 'session' | 'ticket' | 'agent' | 'count' | 'text' | 'strategy' | 'validation' | 'verdict' | 'format' | 'progress' | 'exit' | 'cmd' | 'sha' | 'files' | 'tail';

/** Flag → kind. A `$n` or `<X>` after any other flag is an error: the test must learn what it means. */
const FLAG_KIND: Record<string, Kind> = {
  '--plan': 'plan',
  '--id': 'session',
  '--ticket': 'ticket',
  '--agent': 'agent',
  '--returned': 'agent',
  '--agents': 'count',
  '--reason': 'text',
  '--resolution': 'text',
  '--note': 'text',
  '--notes': 'text',
  '--verdict': 'verdict',
  '--summary': 'text',
  '--strategy': 'strategy',
  '--validation': 'validation',
  '--format': 'format',
  '--progress': 'progress',
  '--test-exit': 'exit',
  '--test-cmd': 'cmd',
  '--commit': 'sha',
  '--files': 'files',
  '--tail': 'tail',
  init: 'plan',
  validate: 'plan',
};

/** Placeholder names that stand for free text (inside quoted text values). */
const TEXT_PLACEHOLDERS = new Set(['NOTE', 'SUMMARY', 'REASON', 'RESOLUTION', 'OTHER', 'IDS', 'IMPL']);

/** Placeholder names with a fixed meaning wherever they appear. */
const NAMED_KIND: Record<string, Kind> = {
  TICKET: 'ticket',
  AGENT: 'agent',
  WORKER: 'agent',
  RETURNED: 'agent',
  PLAN: 'plan',
  OUT: 'plan',
  SESSION: 'session',
  STRATEGY: 'strategy',
  VALIDATION: 'validation',
  VERDICT: 'verdict',
  FORMAT: 'format',
  PCT: 'progress',
  EXIT: 'exit',
  TEST_CMD: 'cmd',
  SHA: 'sha',
  FILES: 'files',
};

function valueOf(kind: Kind, v: LineValues): string {
  switch (kind) {
    case 'plan': return v.plan;
    case 'session': return v.session;
    case 'ticket': return v.ticket;
    case 'agent': return v.agent;
    case 'count': return '2';
    case 'text': return 'text from the pack test';
    case 'strategy': return 'balanced';
    case 'validation': return 'standard';
    case 'verdict': return 'pass';
    case 'format': return 'markdown';
    case 'progress': return '50';
    case 'exit': return '0';
    case 'cmd': return 'true';
    case 'sha': return v.sha;
    case 'files': return v.files.join(',');
    case 'tail': return '20';
  }
}

/** The flag or verb word right before position `at` in `line` (skipping an opening quote), or ''. */
function wordBefore(line: string, at: number): string {
  const before = line.slice(0, at).replace(/"$/, '').trimEnd();
  const m = /(\S+)$/.exec(before);
  return m ? m[1]! : '';
}

/** The flag a `<X>` inside a value belongs to: the last `--flag` before it (for `worker-<N>`, `"text <IDS>"`). */
function flagBefore(line: string, at: number): string {
  const flags = [...line.slice(0, at).matchAll(/(?:^|\s)(--[\w-]+)/g)];
  return flags.length ? flags[flags.length - 1]![1]! : '';
}

/** A line that could not be made runnable, with why. */
export class UnresolvedLine extends Error {}

/**
 * Substitutes `$0`/`$1`/`$ARGUMENTS` and `<PLACEHOLDER>`s in `line` with `values`. Throws
 * {@link UnresolvedLine} for a variable or placeholder whose meaning the flag in front of it does not give.
 */
export function substitute(line: string, values: LineValues): string {
  let out = line.replace(/\$(ARGUMENTS|\d)/g, (whole, _name: string, at: number) => {
    const word = wordBefore(line, at);
    const kind = FLAG_KIND[word];
    if (!kind) throw new UnresolvedLine(`\`${whole}\` after \`${word}\` in: ${line}`);
    return valueOf(kind, values);
  });
  const source = out;
  out = out.replace(/<([A-Z][A-Z_]*)>/g, (whole, name: string, at: number) => {
    if (name === 'N') return flagBefore(source, at) === '--agents' ? '2' : '1';
    if (TEXT_PLACEHOLDERS.has(name)) return 'pack test text';
    const kind = NAMED_KIND[name];
    if (!kind) throw new UnresolvedLine(`unknown placeholder \`${whole}\` in: ${line}`);
    return valueOf(kind, values);
  });
  // `notes/<topic>/…` (the /execute command): the example topic, copied into every prepared repository.
  out = out.replaceAll('<topic>', values.topic);
  if (/[<>]/.test(out)) throw new UnresolvedLine(`a \`<\` or \`>\` is left (a redirection when run): ${out}`);
  return out;
}

/** Splits a shell line into words (double and single quotes; no expansions). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** The verb and flags of a helper line: `node <path> VERB ...`. */
export interface ParsedCall {
  verb: string;
  flags: Map<string, string | true>;
}

/** Parses the words after `node <helper path>`. */
export function parseCall(line: string): ParsedCall {
  const words = shellWords(line).slice(2);
  const verb = words[0] ?? '';
  const flags = new Map<string, string | true>();
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('--')) continue;
    const next = words[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(w, next);
      i++;
    } else flags.set(w, true);
  }
  return { verb, flags };
}
