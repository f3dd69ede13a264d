/**
 * Permission rules as Claude Code reads them in `allowed-tools` (commands, skills) and `tools` (agents), and
 * whether they pre-approve a Bash command line. Source: CLAUDE-CODE.md ("allowed-tools pre-approves"; without
 * a matching rule a Bash call is denied in non-interactive runs) and code.claude.com/docs permissions:
 * `Bash` alone allows every command; `Bash(prefix:*)` (legacy) and `Bash(prefix *)` allow a command line that
 * is `prefix` or starts with `prefix` and a space; `*` elsewhere matches any text; anything else must match
 * exactly. Compound lines (`a && b`, `a; b`, `a | b`) need every part allowed. `${CLAUDE_PLUGIN_ROOT}` is
 * compared literally: Claude Code substitutes it in the rule and in the body alike (seen on 2.1.329).
 *
 * Used by the linter (bash-coverage, shell-preapproval) and by the compiler's helper-call coverage check.
 */

import { READ_ONLY_GIT, READ_ONLY_PROGRAMS } from './claude-facts.ts';

/** One parsed rule: `Bash(git status:*)` → tool `Bash`, specifier `git status:*`; `Read` → specifier null. */
export interface PermissionRule {
  raw: string;
  tool: string;
  specifier: string | null;
}

/** A rule string with its offset in the source text it came from (for positions). */
export interface RuleText {
  text: string;
  offset: number;
}

/**
 * Splits a comma string of rules (`Read, Bash(git add:*), Grep`) at commas outside parentheses.
 * Offsets are relative to the start of `list`; surrounding spaces are trimmed.
 */
export function splitRuleList(list: string): RuleText[] {
  const out: RuleText[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const seg = list.slice(start, end);
    const lead = seg.length - seg.trimStart().length;
    if (seg.trim()) out.push({ text: seg.trim(), offset: start + lead });
  };
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(list.length);
  return out;
}

/**
 * Parses one rule. Returns `{ rule }` or `{ error }` with what is wrong (no trailing period):
 * unbalanced parentheses, text after `)`, an empty specifier, a tool name that is not an identifier,
 * or `:*` anywhere but at the end of a Bash specifier.
 */
export function parsePermissionRule(raw: string): { rule: PermissionRule; error?: undefined } | { error: string; rule?: undefined } {
  const open = raw.indexOf('(');
  if (open === -1) {
    if (raw.includes(')')) return { error: 'has `)` without `(`' };
    if (!/^[A-Za-z_][\w-]*$/.test(raw)) return { error: 'is not a tool name or `Tool(specifier)`' };
    return { rule: { raw, tool: raw, specifier: null } };
  }
  const tool = raw.slice(0, open).trim();
  if (!/^[A-Za-z_][\w-]*$/.test(tool)) return { error: 'does not start with a tool name' };
  if (!raw.endsWith(')')) return { error: raw.lastIndexOf(')') > open ? 'has text after the closing `)`' : 'has no closing `)`' };
  const specifier = raw.slice(open + 1, -1);
  let depth = 0;
  for (const c of specifier) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return { error: 'has unbalanced parentheses' };
  }
  if (depth !== 0) return { error: 'has unbalanced parentheses' };
  if (specifier.trim() === '')
    return { error: `has an empty specifier \`()\`, which Claude Code reads as \`${tool}\` alone: it pre-approves every \`${tool}\` call, expected \`${tool}(…)\` with a specifier such as \`Bash(git status:*)\`, or \`${tool}\` to mean every call` };
  if (tool === 'Bash' && specifier.slice(0, -2).includes(':*')) return { error: 'has `:*` before the end, expected it only at the end' };
  return { rule: { raw, tool, specifier } };
}

function normalize(cmd: string): string {
  return cmd.trim().replace(/\s+/g, ' ');
}

const globs = new Map<string, RegExp>();

function globToRegExp(spec: string): RegExp {
  let hit = globs.get(spec);
  if (!hit) {
    if (globs.size > 4096) globs.clear();
    globs.set(spec, (hit = compileGlob(spec)));
  }
  return hit;
}

function compileGlob(spec: string): RegExp {
  const trailing = spec.endsWith(' *');
  const core = trailing ? spec.slice(0, -2) : spec;
  const re = core
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${re}${trailing ? '(?: .*)?' : ''}$`, 's');
}

/** True when one Bash rule allows one simple command line (no compound operators). */
export function bashRuleCovers(rule: PermissionRule, command: string): boolean {
  if (rule.tool !== 'Bash') return false;
  if (rule.specifier === null) return true;
  const cmd = normalize(command);
  const spec = normalize(rule.specifier);
  if (spec.endsWith(':*')) {
    const prefix = spec.slice(0, -2).trimEnd();
    return cmd === prefix || cmd.startsWith(`${prefix} `) || prefix === '';
  }
  if (spec.includes('*')) return globToRegExp(spec).test(cmd);
  return cmd === spec;
}

/**
 * Splits a command line at `&&`, `||`, `;`, `|` and newlines outside quotes, `$( )` and `[ ]` (usage text such as
 * `--strategy [a|b]` stays whole), dropping empty parts. Redirections stay with their command.
 */
export function splitCompound(line: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      cur += c;
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') cur += line[++i] ?? '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if ((c === '$' && line[i + 1] === '(') || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (depth === 0 && (c === ';' || c === '\n' || c === '|' || (c === '&' && line[i + 1] === '&'))) {
      if (c === '|' && line[i + 1] === '|') i++;
      if (c === '&') i++;
      if (c === '|' && line[i - 1] === '>') {
        cur += c;
        continue;
      }
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts.map(normalize).filter((p) => p !== '');
}

/**
 * `Tool()` (an empty specifier) as the client reads it: the bare `Tool`, every call (`EMPTY_SPECIFIER_MEANS_ALL`
 * in claude-facts.ts); undefined for any other text.
 */
function emptySpecifierRule(raw: string): PermissionRule | undefined {
  const m = /^([A-Za-z_][\w-]*)\(\s*\)$/.exec(raw);
  return m ? { raw, tool: m[1]!, specifier: null } : undefined;
}

/**
 * True when the rules (strings as written in `allowed-tools`) allow every part of `command`.
 * Malformed rules allow nothing, except `Bash()`, which the client reads as `Bash` (seen on 2.1.329 and 2.1.197).
 */
export function commandCovered(rules: readonly string[], command: string): boolean {
  // Callers ask once per command part with the same rules array: parse it once.
  let parsed = parsedRules.get(rules);
  if (!parsed) parsedRules.set(rules, (parsed = rules.map((r) => parsePermissionRule(r.trim()).rule ?? emptySpecifierRule(r.trim())).filter((r): r is PermissionRule => r !== undefined && r.tool === 'Bash')));
  if (parsed.some((r) => r.specifier === null)) return true;
  const parts = splitCompound(command);
  return parts.length > 0 && parts.every((p) => parsed.some((r) => bashRuleCovers(r, p)));
}

const parsedRules = new WeakMap<readonly string[], PermissionRule[]>();

const GIT_WRITE_FLAGS = /^(-d|-D|-m|-M|-c|-C|-f|-u|--delete|--move|--copy|--force|--set-upstream.*|--unset-upstream|--edit-description|-a|-s|--annotate|--sign)$/;
const FIND_WRITE_FLAGS = /^-(exec|execdir|delete|ok|okdir|fprint0?|fprintf|fls)$/;

/**
 * True when `command` holds a brace outside single or double quotes: brace expansion, which Claude Code does not
 * check, so it refuses the command whatever rule matches (2.1.329: `git log @{u}..` → `Brace expansion …`;
 * test/e2e/lint-oracle.test.ts, both versions).
 */
export function hasUnquotedBraces(command: string): boolean {
  return /[{}]/.test(command.replace(/'[^']*'|"[^"]*"/g, ''));
}

/**
 * True when Claude Code runs `command` in a `` !`cmd` `` line without any pre-approval: every part (split at
 * `|`, `&&`, `||`, `;`) is a read-only program from `READ_ONLY_PROGRAMS` / a `git` subcommand from
 * `READ_ONLY_GIT` used to read (seen on 2.1.329 and 2.1.197, src/definitions/claude-facts.ts), with no `$(…)`,
 * backquotes or redirection other than to `/dev/null` or `2>&1`. Conservative: false when unsure (the caller
 * then reports the command as needing approval).
 */
export function runsWithoutApproval(command: string): boolean {
  if (/\$\(|`|<\(|>\(/.test(command)) return false;
  return splitCompound(command).every((part) => {
    if (hasUnquotedBraces(part)) return false;
    const words = part.replace(/\s*(?:\d?>\s*\/dev\/null|&>\s*\/dev\/null|2>&1|<\s*[\w./-]+)/g, '').trim().split(/\s+/);
    if (words.some((w) => /^\d?>|^</.test(w))) return false;
    const [program = '', sub, ...rest] = words;
    if (program === 'node' || program === 'python3' || program === 'python') return words.length === 2 && /^(--version|-v|-V)$/.test(sub ?? '');
    if (program === 'git') {
      if (!sub || !(READ_ONLY_GIT as readonly string[]).includes(sub)) return false;
      if (/\$/.test(part)) return false;
      if (sub === 'tag') return rest.every((w) => /^(-l|--list|-n\d*|--sort=\S+|--contains|--points-at|--merged|--no-merged)$/.test(w) || !w.startsWith('-')) && (rest.every((w) => w.startsWith('-')) || rest.some((w) => w === '-l' || w === '--list'));
      if (sub === 'stash' || sub === 'worktree') return rest[0] === 'list';
      if (sub === 'remote') return rest.length === 0 || (rest.length === 1 && /^(-v|--verbose)$/.test(rest[0]!));
      if (sub === 'branch') return rest.length === 0 || (rest.some((w) => w.startsWith('-')) && !rest.some((w) => GIT_WRITE_FLAGS.test(w) && w !== '-a'));
      return true;
    }
    if (!(READ_ONLY_PROGRAMS as readonly string[]).includes(program)) return false;
    if (program === 'find' && words.some((w) => FIND_WRITE_FLAGS.test(w))) return false;
    if (program === 'sed' && (!words.includes('-n') || words.some((w) => /^-i|^--in-place/.test(w)))) return false;
    if (program !== 'echo' && /\$/.test(part)) return false;
    return true;
  });
}
