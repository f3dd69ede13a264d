import path from 'node:path';
import fg from 'fast-glob';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { isToolError, ToolError } from '../diagnostics/errors.ts';
import { formatBytes, readWithin } from '../util/safe-path.ts';
import { decodeUtf8Text } from '../util/utf8-text.ts';
import { AGENT_KEYS, BUILTIN_COMMANDS, COMMAND_KEYS } from './claude-facts.ts';
import { frontmatterPosition, parseMarkdown, type ParsedMarkdown } from './frontmatter.ts';
import { AgentDefinitionSchema, CommandDefinitionSchema, type AgentDefinition, type CommandDefinition } from './schemas.ts';
import { didYouMean } from './suggest.ts';

/**
 * One loaded definition file.
 * - `rel`: path relative to the definitions folder, `/` separators (`commands/orchestrate/execute.md`).
 * - `file`: the path shown in diagnostics (relative to the cwd when inside it).
 * - `name`: the command's invocation name without `/` (`orchestrate:execute`) or the agent name.
 * - `md`: the parsed file, for positions.
 */
export interface LoadedDefinition<T> {
  rel: string;
  file: string;
  name: string;
  data: T;
  md: ParsedMarkdown;
}

/** A loaded command definition. */
export type LoadedCommand = LoadedDefinition<CommandDefinition> & { kind: 'command' };
/** A loaded agent definition. */
export type LoadedAgent = LoadedDefinition<AgentDefinition> & { kind: 'agent' };

/**
 * Every definition in a folder, sorted by `rel`. `invalid` holds the parsed files whose frontmatter failed
 * validation (already reported), so a caller can still check their bodies.
 */
export interface DefinitionSet {
  src: string;
  commands: LoadedCommand[];
  agents: LoadedAgent[];
  invalid: ParsedMarkdown[];
}

/** A name segment of a command path (`commands/<ns>/<name>.md`): lowercase letters, digits, `-`, `_`. */
const COMMAND_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;

/** Turns a path for display: relative to `cwd` when inside it (`.` for `cwd` itself), else absolute; `/` separators. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return '.';
  const shown = !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shown.split(path.sep).join('/');
}

/**
 * Maps every zod issue of a frontmatter validation to a diagnostic at the exact line:col of the offending key
 * or value (unknown keys: at the key, with a did-you-mean among `knownKeys`; missing keys: at the opening
 * `---`). Code `frontmatter-schema`.
 */
export function zodIssuesToDiagnostics(md: ParsedMarkdown, issues: readonly z.core.$ZodIssue[], knownKeys: readonly string[], kind: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const push = (p: { line: number; col: number }, message: string, hint?: string) =>
    out.push({ file: md.file, line: p.line, col: p.col, severity: 'error', code: 'frontmatter-schema', message, ...(hint ? { hint } : {}) });
  for (const issue of issues) {
    const ipath = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = didYouMean(key, knownKeys);
        push(
          frontmatterPosition(md, [...ipath, key], 'key'),
          `Unknown key \`${key}\` in ${kind} frontmatter${guess ? `, did you mean \`${guess}\`?` : ''}`,
          guess ? undefined : `Claude Code ignores unknown keys silently; known keys: ${knownKeys.join(', ')}`,
        );
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    const where = missing ? frontmatterPosition(md, []) : frontmatterPosition(md, ipath);
    const message = issue.message.startsWith('Invalid input') || issue.message.startsWith('Too ') || issue.message.startsWith('Invalid ')
      ? `Invalid value for \`${ipath.join('.')}\`: ${issue.message}`
      : issue.message;
    push(where, message);
  }
  return out;
}

/** Validates one parsed file against `schema`; returns the data (or undefined) and the diagnostics. */
function validate<T>(md: ParsedMarkdown, schema: z.ZodType<T>, keys: readonly string[], kind: string): { data?: T; problems: Diagnostic[] } {
  const problems = [...md.problems];
  if (!md.hasFrontmatter) {
    problems.push({ file: md.file, line: 1, col: 1, severity: 'error', code: 'frontmatter-missing', message: `The ${kind} has no frontmatter, expected \`---\` at byte 0 with at least \`description\`` });
    return { problems };
  }
  if (problems.length > 0) return { problems };
  const result = schema.safeParse(md.data, { reportInput: true });
  if (!result.success) return { problems: [...problems, ...zodIssuesToDiagnostics(md, result.error.issues, keys, kind)] };
  return { data: result.data, problems };
}

/** The position of the start of a file (line 1, col 1). */
const TOP = { line: 1, col: 1 };

/** Largest definition file read, in bytes (1 MiB: a body far beyond any context budget). */
export const MAX_DEFINITION_BYTES = 1024 * 1024;

/**
 * The definition files under `src` (`commands/**\/*.md`, `agents/*.md`, sorted) without following a link to
 * a folder (a loop such as `commands/up -> ..` would repeat every definition): each such link, and each link
 * to a file outside `src`, becomes an error diagnostic. A link to a file inside `src` is read through.
 * Returns the paths (relative, `/`) and the problems.
 */
function definitionFiles(src: string, cwd: string): { rels: string[]; problems: Diagnostic[] } {
  const entries = fg.sync(['commands/**', 'agents/*'], { cwd: src, onlyFiles: false, followSymbolicLinks: false, objectMode: true, dot: false });
  const rels: string[] = [];
  const problems: Diagnostic[] = [];
  for (const e of entries) {
    const isMd = e.path.endsWith('.md') && (e.path.startsWith('commands/') || /^agents\/[^/]+$/.test(e.path));
    if (e.dirent.isFile()) {
      if (isMd) rels.push(e.path);
    } else if (e.dirent.isSymbolicLink() && !isMd) {
      problems.push({ file: displayPath(path.join(src, e.path), cwd), ...TOP, severity: 'error', code: 'definition-link', message: 'A symbolic link that is not a definition file: links to folders are not followed (a loop would repeat every definition)', hint: 'Replace the link with a real folder, or remove it.' });
    } else if (e.dirent.isSymbolicLink()) rels.push(e.path);
    else if (isMd && !e.dirent.isDirectory())
      problems.push({ file: displayPath(path.join(src, e.path), cwd), ...TOP, severity: 'error', code: 'definition-read', message: 'A definition that is not a regular file (a named pipe, socket or device), not read', hint: 'Replace it with a markdown file, or remove it.' });
  }
  return { rels: rels.sort(), problems };
}

/**
 * Reads one definition file (a link only when it stays inside `src`; at most {@link MAX_DEFINITION_BYTES}; strict
 * UTF-8 without NUL bytes); a problem instead of text when it cannot be.
 */
function readDefinition(src: string, abs: string, cwd: string): { text: string } | { problem: Diagnostic } {
  const file = displayPath(abs, cwd);
  try {
    const decoded = decodeUtf8Text(readWithin(src, abs, { display: (p) => displayPath(p, cwd), maxBytes: MAX_DEFINITION_BYTES }));
    if ('text' in decoded) return decoded;
    return { problem: { file, ...TOP, severity: 'error', code: 'definition-read', message: decoded.problem, hint: 'Save the file as UTF-8 text.' } };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = isToolError(e)
      ? e.code === 'FileTooLarge'
        ? `Definition file is larger than ${formatBytes(MAX_DEFINITION_BYTES)}, expected a command or agent of a few KiB`
        : e.message
      : code === 'ELOOP' || code === 'ENOENT' || code === 'EISDIR'
        ? `A symbolic link that cannot be read as a file (${code === 'ELOOP' ? 'a loop' : code === 'ENOENT' ? 'its target is missing' : 'it points at a folder'})`
        : null;
    if (message === null) throw e;
    return { problem: { file, ...TOP, severity: 'error', code: 'definition-read', message } };
  }
}

/**
 * Loads and validates every definition under `src`: `commands/**\/*.md` and `agents/*.md` (fast-glob, sorted).
 * Collects ALL problems across all files — YAML syntax, schema (zod), agent `name` ≠ file name, command
 * names that are not valid or shadow a built-in command — and then throws one
 * `ToolError('InvalidDefinitions')` carrying every diagnostic, sorted. Diagnostic paths are shown relative to
 * `cwd`. Reads files synchronously (many small files: faster than async on this workload).
 */
export function loadDefinitions(src: string, cwd: string = process.cwd()): DefinitionSet {
  const { set, diagnostics } = collectDefinitions(src, cwd);
  if (diagnostics.length > 0) throw invalidDefinitions(diagnostics, src, cwd);
  return set;
}

/**
 * The ToolError('InvalidDefinitions') for a list of diagnostics (sorted), with a message naming how many
 * problems in how many files.
 */
export function invalidDefinitions(diagnostics: readonly Diagnostic[], src: string, cwd: string): ToolError {
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const n = diagnostics.length;
  return new ToolError('InvalidDefinitions', `${n} problem${n === 1 ? '' : 's'} in ${files} definition file${files === 1 ? '' : 's'} under ${displayPath(src, cwd) || '.'}`, {
    diagnostics: sortDiagnostics(diagnostics),
  });
}

/**
 * Like {@link loadDefinitions} but never throws for bad definitions: returns the valid definitions and every
 * diagnostic, so a caller (the build) can add its own problems before failing once.
 */
export function collectDefinitions(src: string, cwd: string = process.cwd()): { set: DefinitionSet; diagnostics: Diagnostic[] } {
  const { rels, problems: linkProblems } = definitionFiles(src, cwd);
  const diagnostics: Diagnostic[] = [...linkProblems];
  const commands: LoadedCommand[] = [];
  const agents: LoadedAgent[] = [];
  const invalid: ParsedMarkdown[] = [];
  for (const rel of rels) {
    const abs = path.join(src, rel);
    const file = displayPath(abs, cwd);
    const read = readDefinition(src, abs, cwd);
    if ('problem' in read) {
      diagnostics.push(read.problem);
      continue;
    }
    const md = parseMarkdown(file, read.text);
    if (rel.startsWith('commands/')) {
      const segments = rel.slice('commands/'.length, -'.md'.length).split('/');
      const name = segments.join(':');
      for (const seg of segments) {
        if (!COMMAND_SEGMENT.test(seg))
          diagnostics.push({ file, ...TOP, severity: 'error', code: 'command-name', message: `Unexpected command name part \`${seg}\`, expected lowercase letters, digits, \`-\` and \`_\`` });
      }
      if (segments.length === 1 && (BUILTIN_COMMANDS as readonly string[]).includes(name))
        diagnostics.push({ file, ...TOP, severity: 'error', code: 'command-shadows-builtin', message: `Command \`/${name}\` has the name of a built-in Claude Code command`, hint: 'Rename the file or move it into a namespace folder.' });
      const { data, problems } = validate(md, CommandDefinitionSchema, COMMAND_KEYS, 'command');
      diagnostics.push(...problems);
      if (data) commands.push({ kind: 'command', rel, file, name, data, md });
      else invalid.push(md);
    } else {
      const name = path.posix.basename(rel, '.md');
      const { data, problems } = validate(md, AgentDefinitionSchema, AGENT_KEYS, 'agent');
      diagnostics.push(...problems);
      const declared = md.data.name;
      if (typeof declared === 'string' && declared !== name) {
        const p = frontmatterPosition(md, ['name']);
        diagnostics.push({ file, ...p, severity: 'error', code: 'agent-name-mismatch', message: `Agent \`name\` is \`${declared}\` but the file is \`${name}.md\`, expected \`name: ${name}\``, hint: 'Claude Code spawns agents by `name`; keep it equal to the file name.' });
      } else if (data) agents.push({ kind: 'agent', rel, file, name, data, md });
      if (!data) invalid.push(md);
    }
  }
  return { set: { src, commands, agents, invalid }, diagnostics: sortDiagnostics(diagnostics) };
}
