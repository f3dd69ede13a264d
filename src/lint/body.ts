import type { Code, InlineCode } from 'mdast';
import { isScalar, isSeq, Scalar } from 'yaml';
import type { Position } from '../diagnostics/diagnostic.ts';
import { bodyPosition, frontmatterPosition } from '../definitions/frontmatter.ts';
import { splitRuleList } from './permissions.ts';
import type { LintFile } from './types.ts';

/** A piece of text found in a file, with its 1-based position. */
export interface Located extends Position {
  text: string;
}

/** The frontmatter key holding a file's permission rules: `tools` for agents, `allowed-tools` otherwise. */
export function toolsKey(file: LintFile): 'tools' | 'allowed-tools' {
  return file.kind === 'agent' ? 'tools' : 'allowed-tools';
}

/**
 * The rules listed under `key` (a comma string or a YAML list of strings), each with its position.
 * Returns null when the key is absent or its value is neither a string nor a list of strings.
 */
export function listedRules(file: LintFile, key: string): Located[] | null {
  const md = file.md;
  if (!md?.doc || !(key in md.data)) return null;
  const node = md.doc.getIn([key], true);
  const at = (n: unknown, inner: number): Position => {
    if (isScalar(n) && n.range) {
      const quoted = n.type === Scalar.QUOTE_DOUBLE || n.type === Scalar.QUOTE_SINGLE ? 1 : 0;
      return md.lineCounter.linePos(md.yamlStart + n.range[0] + quoted + inner);
    }
    return frontmatterPosition(md, [key]);
  };
  if (isScalar(node) && typeof node.value === 'string') return splitRuleList(node.value).map((r) => ({ text: r.text, ...at(node, r.offset) }));
  if (isSeq(node)) {
    const out: Located[] = [];
    for (const item of node.items) {
      if (!isScalar(item) || typeof item.value !== 'string') return null;
      for (const r of splitRuleList(item.value)) out.push({ text: r.text, ...at(item, r.offset) });
    }
    return out;
  }
  return null;
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session']);
const COMMAND_WORDS = new Set(
  'node npx npm pnpm yarn bun deno git gh bash sh python python3 make cargo go docker kubectl yq jq curl ls cat grep rg find mkdir rm cp mv touch echo tail head sed awk sort wc test chmod tar'.split(' '),
);

/** True when an inline code span reads as a shell command (a known program followed by arguments, or a script path). */
export function looksLikeCommand(code: string): boolean {
  const first = code.trim().split(/\s+/)[0] ?? '';
  return /\s/.test(code.trim()) && (COMMAND_WORDS.has(first) || /^(\.{1,2}\/|\.claude\/|\$\{CLAUDE_PLUGIN_ROOT\}\/)/.test(first));
}

/**
 * The shell command lines a body tells the model to run: every command line of a fenced block tagged
 * `bash`/`sh`/`shell`/`zsh` (for `console`, only lines starting with `$ `), joining `\` continuations and
 * skipping comments, blank lines and here-document contents; plus inline code spans that read as commands
 * ({@link looksLikeCommand}). Positions point at the first character of each command.
 */
export function shellCommands(file: LintFile): Located[] {
  const md = file.md;
  if (!md) return [];
  const out: Located[] = [];
  const body = md.body;
  const walk = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'code') {
      const c = node as Code;
      if (!c.lang || !SHELL_LANGS.has(c.lang.toLowerCase()) || c.position?.start.offset === undefined) return;
      const start = body.indexOf('\n', c.position.start.offset) + 1;
      const indent = c.position.start.column - 1;
      let lineStart = start;
      let heredoc: string | null = null;
      let pending: { text: string; offset: number } | null = null;
      for (const rawLine of c.value.split('\n')) {
        const offset = lineStart + Math.min(indent, rawLine.length - rawLine.trimStart().length + indent);
        lineStart += rawLine.length + indent + 1;
        let line = rawLine.trim();
        if (heredoc !== null) {
          if (line === heredoc) heredoc = null;
          continue;
        }
        if (c.lang.toLowerCase() === 'console') {
          if (!line.startsWith('$ ')) continue;
          line = line.slice(2);
        }
        if (pending) {
          pending.text += ` ${line.replace(/\\$/, '')}`;
          if (!line.endsWith('\\')) {
            out.push({ text: pending.text.trim(), ...bodyPosition(md, pending.offset) });
            pending = null;
          }
          continue;
        }
        if (line === '' || line.startsWith('#')) continue;
        const hd = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
        if (hd) heredoc = hd[1]!;
        if (line.endsWith('\\')) {
          pending = { text: line.slice(0, -1), offset };
          continue;
        }
        out.push({ text: line, ...bodyPosition(md, offset) });
      }
      if (pending) out.push({ text: pending.text.trim(), ...bodyPosition(md, pending.offset) });
      return;
    }
    if (node.type === 'inlineCode') {
      const c = node as InlineCode;
      if (looksLikeCommand(c.value) && c.position?.start.offset !== undefined) {
        const at = body.indexOf(c.value, c.position.start.offset);
        out.push({ text: c.value.trim(), ...bodyPosition(md, at === -1 ? c.position.start.offset : at) });
      }
      return;
    }
    for (const child of node.children ?? []) walk(child as { type: string; children?: unknown[] });
  };
  walk(file.mdast());
  return out;
}

/**
 * Shell commands Claude Code runs itself before sending the prompt (CLAUDE-CODE.md, Commands): `` !`cmd` `` at
 * a line start or after a space, and the lines of fenced blocks opened with ```` ```! ````. Found in the raw
 * body text, as Claude Code does. `fenced` tells which form it was.
 */
export function injectedCommands(file: LintFile): (Located & { fenced: boolean })[] {
  const md = file.md;
  if (!md) return [];
  const out: (Located & { fenced: boolean })[] = [];
  const body = md.body;
  if (!body.includes('!')) return out;
  for (const m of body.matchAll(/(^|[ \t])!`([^`\n]+)`/gm)) out.push({ text: m[2]!.trim(), fenced: false, ...bodyPosition(md, m.index + m[1]!.length) });
  for (const m of body.matchAll(/^```!\s*\n([\s\S]*?)^```/gm)) {
    let off = m.index + m[0].indexOf('\n') + 1;
    for (const line of m[1]!.split('\n')) {
      if (line.trim() && !line.trim().startsWith('#')) out.push({ text: line.trim(), fenced: true, ...bodyPosition(md, off + line.length - line.trimStart().length) });
      off += line.length + 1;
    }
  }
  return out;
}

/**
 * A permission rule that would pre-approve `command`, for messages: `Bash(<program> <subcommand>:*)`, or for
 * `node`/`python`/`bash`/`sh`/`npx`/`tsx` the program and its script (`Bash(node .claude/scripts/orchestrate.mjs:*)`).
 */
export function suggestRule(command: string): string {
  const words = command.trim().split(/\s+/);
  const first = words[0] ?? '';
  const second = words[1];
  const takeTwo = second !== undefined && !second.startsWith('-') && !/^["'$]/.test(second) && (/^(node|python3?|bash|sh|npx|tsx|deno|bun)$/.test(first) || /^[a-z][\w-]*$/.test(second));
  return `Bash(${takeTwo ? `${first} ${second}` : first}:*)`;
}
