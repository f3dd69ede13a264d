/**
 * Helper command lines in a prompt as the model receives it, and what a model does with them: fill the
 * `<PLACEHOLDER>` values the pack leaves for the model (ticket id, agent name, summary, ...) with real values.
 *
 * A helper line is every occurrence of `node <ROOT>/scripts/orchestrate.mjs ...` up to the end of its line
 * or its closing backtick (docs/contracts.md §4: the helper renders the bare line, in a fenced block or in
 * backticks). Lines are kept in order of appearance, duplicates once.
 */

/** The helper prefix for a target: `node .claude/scripts/orchestrate.mjs` or `node /abs/plugin/scripts/orchestrate.mjs`. */
export function helperPrefix(scriptsRoot: string): string {
  return `node ${scriptsRoot}/scripts/orchestrate.mjs`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every helper line in `text` (see the file comment). The `/` before `scripts/` may be doubled: Claude Code
 * 2.1.197 substitutes `${CLAUDE_PLUGIN_ROOT}` with a trailing slash (seen), so a model reads `ROOT//scripts`.
 */
export function extractHelperLines(text: string, prefix: string): string[] {
  const re = new RegExp(`${escapeRe(prefix).replace('/scripts/', '/+scripts/')}(?=[\\s\`]|$)[^\`\\n]*`, 'g');
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const line = m[0].trim();
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/** `text` with `//scripts/` collapsed to `/scripts/` (to compare prompts across Claude Code versions). */
export function collapseRoot(text: string): string {
  return text.replace(/\/{2,}scripts\//g, '/scripts/');
}

/** The part of a helper line after the script path (`VERB ARGS...`). */
function afterScript(line: string): string {
  const at = line.indexOf('orchestrate.mjs');
  return at < 0 ? line : line.slice(at + 'orchestrate.mjs'.length);
}

/** Splits a command line into words the way a POSIX shell would for simple quoting (`"..."`, `'...'`). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      cur += line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The verb of a helper line (the first word after the script path). */
export function helperVerb(line: string, _prefix: string): string {
  return shellWords(afterScript(line))[0] ?? '';
}

/** The plan file a line reads: the first argument of `validate` / `init`, or the value of `--plan`. */
export function planArgument(line: string, _prefix: string): string | undefined {
  const words = shellWords(afterScript(line));
  if (words[0] === 'validate' || words[0] === 'init') return words[1];
  return flagValue(line, '--plan');
}

/** Value of `--flag` in a helper line (after quote removal), or undefined. */
export function flagValue(line: string, flag: string): string | undefined {
  const words = shellWords(line);
  const i = words.indexOf(flag);
  return i >= 0 ? words[i + 1] : undefined;
}

/** True when a word still holds a placeholder the model must fill (`<TICKET>`, `worker-<N>`). */
export function hasPlaceholder(word: string): boolean {
  return /<[A-Za-z_][A-Za-z0-9_ -]*>/.test(word);
}

/** The real values a model has in hand when it runs a helper line. */
export interface FillValues {
  plan: string;
  ticket: string;
  agent: string;
  sessionId: string;
  sha: string;
  files: string;
}

/** Value for a placeholder after `--flag` (or positional when flag is undefined). */
function valueFor(flag: string | undefined, placeholder: string, v: FillValues): string {
  const name = placeholder.toLowerCase();
  switch (flag) {
    case '--ticket':
      return v.ticket;
    case '--agent':
      return v.agent;
    case '--id':
      return v.sessionId;
    case '--plan':
      return v.plan;
    case '--commit':
      return v.sha;
    case '--files':
      return v.files;
    case '--progress':
      return '50';
    case '--test-cmd':
      return 'true';
    case '--test-exit':
      return '0';
    case '--strategy':
      return 'balanced';
    case '--agents':
      return '2';
    case '--lease':
      return '15m';
    case '--tail':
      return '5';
    case '--format':
      return 'markdown';
    case '--validation':
      return 'standard';
    case '--verdict':
      return 'pass';
    case '--level':
      return 'system';
    case '--group':
      return '1';
    case '--returned':
      // `next --returned WORKER:TICKET` (docs/contracts.md §6): the first word of the returned agent's description.
      return `${v.agent}:${v.ticket}`;
    default:
      if (/plan|ya?ml/.test(name)) return v.plan;
      if (/ticket/.test(name)) return v.ticket;
      if (/agent/.test(name)) return v.agent;
      if (/session/.test(name)) return v.sessionId;
      return 'e2e value';
  }
}

/**
 * Replaces every `<PLACEHOLDER>` in a helper line by the value a model would write, chosen by the flag it
 * follows (`--ticket <TICKET>` → the ticket id, `--agent worker-<N>` → the agent name, ...). A word that
 * holds a placeholder is replaced as a whole for identifying flags (`--ticket`, `--agent`, `--id`,
 * `--plan`), inside its text for free-text flags (`--summary "<SUMMARY>"` → `--summary "e2e value"`).
 */
export function fillPlaceholders(line: string, v: FillValues, prefix?: string): string {
  // A positional placeholder of `validate` / `init` is the plan file.
  const verb = prefix ? helperVerb(line, prefix) : '';
  const positional = verb === 'validate' || verb === 'init' ? 'plan' : undefined;
  // Walk the line keeping quotes as written; track the flag each word follows.
  return line.replace(/(--[a-z-]+\s+)?(["']?)([^\s"']*<[A-Za-z_][A-Za-z0-9_ -]*>[^\s"']*)\2/g, (_all, flagPart: string | undefined, quote: string, word: string) => {
    const flag = flagPart?.trim();
    const whole = flag === undefined || ['--ticket', '--agent', '--id', '--plan', '--commit', '--files', '--progress', '--test-exit', '--strategy', '--agents', '--lease', '--tail', '--format', '--test-cmd', '--validation', '--returned', '--verdict', '--level', '--group'].includes(flag);
    const filled = whole
      ? flag === undefined && positional
        ? v.plan
        : valueFor(flag, word, v)
      : word.replace(/<([A-Za-z_][A-Za-z0-9_ -]*)>/g, (_m, p: string) => valueFor(flag, p, v));
    return `${flagPart ?? ''}${quote}${filled}${quote}`;
  });
}
