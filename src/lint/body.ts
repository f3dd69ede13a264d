import { isScalar, isSeq, Scalar } from 'yaml';
import type { Position } from '../diagnostics/diagnostic.ts';
import { bodyPosition, frontmatterPosition, type ParsedMarkdown } from '../definitions/frontmatter.ts';
import { splitRuleList } from '../definitions/permissions.ts';
import { oncePerParse } from './per-parse.ts';
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
 * Returns null when the key is absent or its value is neither a string nor a list of strings. Read once per
 * file and key (up to seven rules ask); callers must not mutate the result.
 */
export function listedRules(file: LintFile, key: string): Located[] | null {
  const md = file.md;
  if (!md?.doc || !(key in md.data)) return null;
  const byKey = listsOf(md);
  if (!byKey.has(key)) byKey.set(key, readList(md, md.doc, key));
  return byKey.get(key)!;
}

const listsOf = oncePerParse(() => new Map<string, Located[] | null>());

function readList(md: ParsedMarkdown, doc: NonNullable<ParsedMarkdown['doc']>, key: string): Located[] | null {
  const node = doc.getIn([key], true);
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

/** A fenced code block found by {@link fencedBlocks}: its info string and its content lines with body offsets. */
export interface FencedBlock {
  lang: string;
  /** Body offset of the opening fence, and of the end of the closing fence (or of the body when unclosed). */
  offset: number;
  end: number;
  lines: { text: string; offset: number }[];
}

/**
 * The fenced code blocks of a body, found line by line (``` or ~~~, indented or in list items), as the model
 * reads the raw text: unlike a CommonMark parse, a fence right after an HTML-like line (`</agent-prompt>`) is
 * still a fence. An unclosed fence runs to the end of the body.
 */
export function fencedBlocks(body: string): FencedBlock[] {
  const out: FencedBlock[] = [];
  let cur: (FencedBlock & { fence: string; indent: number }) | null = null;
  let offset = 0;
  for (const line of body.split('\n')) {
    const lineOffset = offset;
    offset += line.length + 1;
    const m = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (cur) {
      if (m && m[2]!.startsWith(cur.fence) && line.trim() === m[2]) {
        out.push({ lang: cur.lang, offset: cur.offset, end: lineOffset + line.length, lines: cur.lines });
        cur = null;
        continue;
      }
      const strip = Math.min(cur.indent, line.length - line.trimStart().length);
      cur.lines.push({ text: line.slice(strip), offset: lineOffset + strip });
      continue;
    }
    if (m) cur = { lang: m[3]!.toLowerCase(), offset: lineOffset, end: body.length, lines: [], fence: m[2]!, indent: m[1]!.length };
  }
  if (cur) out.push({ lang: cur.lang, offset: cur.offset, end: body.length, lines: cur.lines });
  return out;
}

/**
 * The {@link fencedBlocks} of a parsed file's body, scanned once per file: four rules ask for them, and the
 * answer lives as long as the file's parse (no cache outlives a lint run). Callers must not mutate the result.
 */
export const bodyFences: (md: ParsedMarkdown) => FencedBlock[] = oncePerParse((md) => fencedBlocks(md.body));

/**
 * The shell command lines a body tells the model to run: every command line of a fenced block tagged
 * `bash`/`sh`/`shell`/`zsh` (for `console`, only lines starting with `$ `), joining `\\` continuations and
 * skipping comments, blank lines and here-document contents; plus inline code spans outside fences that read
 * as commands ({@link looksLikeCommand}). Positions point at the first character of each command.
 */
export function shellCommands(file: LintFile): Located[] {
  const md = file.md;
  if (!md) return [];
  const out: Located[] = [];
  const body = md.body;
  const blocks = bodyFences(md);
  for (const block of blocks) {
    if (!SHELL_LANGS.has(block.lang)) continue;
    let heredoc: string | null = null;
    let pending: { text: string; offset: number; quoted?: boolean } | null = null;
    for (const { text: rawLine, offset: lineOffset } of block.lines) {
      const lead = rawLine.length - rawLine.trimStart().length;
      let line = rawLine.trim();
      let offset = lineOffset + lead;
      if (heredoc !== null) {
        if (line === heredoc) heredoc = null;
        continue;
      }
      if (block.lang === 'console') {
        if (!line.startsWith('$ ')) continue;
        line = line.slice(2);
        offset += 2;
      }
      if (pending?.quoted) {
        pending.text += `${rawLine}\n`;
        if (!openQuote(pending.text)) {
          out.push({ text: pending.text.trim(), ...bodyPosition(md, pending.offset) });
          pending = null;
        }
        continue;
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
      if (openQuote(line)) {
        pending = { text: `${line}\n`, offset, quoted: true };
        continue;
      }
      const hd = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
      if (hd) heredoc = hd[1]!;
      if (line.endsWith('\\')) {
        pending = { text: line.slice(0, -1), offset };
        continue;
      }
      out.push({ text: line, ...bodyPosition(md, offset) });
    }
    if (pending) out.push({ text: pending.text.trim(), ...bodyPosition(md, pending.offset) });
  }
  if (body.includes('`')) {
    const inFence = (o: number) => blocks.some((b) => o >= b.offset && o < b.end);
    for (const m of body.matchAll(/(?<!`)`([^`\n]+)`(?!`)/g)) {
      if (!looksLikeCommand(m[1]!) || inFence(m.index)) continue;
      if (m.index > 0 && body[m.index - 1] === '!') continue; // `!` injection: shell-preapproval's business
      out.push({ text: m[1]!.trim(), ...bodyPosition(md, m.index + 1 + (m[1]!.length - m[1]!.trimStart().length)) });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
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

/** True when `text` ends inside a single- or double-quoted string (shell quoting, `\\"` escapes). */
export function openQuote(text: string): boolean {
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q === null) {
      if (c === '\\') i++;
      else if (c === '"' || c === "'") q = c;
      else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
        const nl = text.indexOf('\n', i);
        if (nl === -1) break;
        i = nl;
      }
    } else if (c === q) q = null;
    else if (c === '\\' && q === '"') i++;
  }
  return q !== null;
}

const SHELL_SYNTAX = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'local', 'export', 'declare', 'readonly', 'return', 'shift', 'break', 'continue', 'set', 'unset', 'trap', 'exit', '{', '}', '(', ')', ';;', 'true', 'false', 'echo', 'printf', 'sleep', 'cd', 'pwd', 'read', 'wait', 'source', '.', '[', '[[', 'test', ':']);

/**
 * True for a line that is shell syntax rather than a program call: control keywords (`if`, `fi`, `done`, ...),
 * builtins that touch nothing (`echo`, `sleep`, `cd`, `local`, ...), variable assignments, `case` patterns,
 * function definitions, and calls of functions the same body defines (`functions`).
 */
export function isShellSyntax(command: string, functions: ReadonlySet<string>): boolean {
  const t = command.trim();
  const first = t.split(/[\s;]+/)[0] ?? '';
  if (SHELL_SYNTAX.has(first) || functions.has(first)) return true;
  if (/^[A-Za-z_][\w]*(\[[^\]]*\])?\+?=/.test(t)) return true; // assignment
  if (/^[\w-]+\s*\(\)\s*\{?$/.test(t) || /^[^\s()]+\)$/.test(t) || /^\*\)/.test(t)) return true; // fn() {   pattern)
  return !/^[\w.\/$~"'-]/.test(t); // starts with an operator or bracket: a fragment
}

/**
 * `name() {` and `function name` at a line start. The indentation class holds no line break: with `\s*` there, each
 * line start of a run of blank lines matched across the whole run (quadratic: 40,000 blank lines took 2 s, a
 * run of `\r` more); a match still starts at the last line start before the name, so the names found are the same.
 */
const FUNCTION_PARENS = /^[^\S\n\r\u2028\u2029]*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{/gm;
const FUNCTION_KEYWORD = /^[^\S\n\r\u2028\u2029]*function\s+([A-Za-z_][\w-]*)/gm;

/** Names of shell functions a body defines (`name() {` or `function name`). */
export function definedFunctions(body: string): Set<string> {
  const out = new Set<string>();
  // Each pattern needs a literal (`()`, `function`): bodies without it are not scanned line by line.
  if (body.includes('()')) for (const m of body.matchAll(FUNCTION_PARENS)) out.add(m[1]!);
  if (body.includes('function')) for (const m of body.matchAll(FUNCTION_KEYWORD)) out.add(m[1]!);
  return out;
}

/**
 * True for a line that is JavaScript/TypeScript or Python rather than a shell command (code pasted into a block
 * tagged `sh`, or the lines of a `node -e` script): a declaration or statement keyword first (`const`, `let`,
 * `import`, `await`, `def`, ...), a method call such as `console.log(`, an arrow `=>`, or a statement ending in `;`
 * with parentheses or braces.
 */
export function looksLikeProgramCode(command: string): boolean {
  const t = command.trim();
  if (/^(const|let|var|import|export|await|async|class|new|throw|try|catch|finally|def|elif|print\(|from\s+\S+\s+import|module\.exports|require\()\b/.test(t)) return true;
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+\(/.test(t) || /=>/.test(t)) return true;
  return /[;{]\s*$/.test(t) && /[(){}]/.test(t) && !/^[\w./-]+\s+-/.test(t);
}
