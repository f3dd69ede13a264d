import { AGENT_KEYS, CLIENT_EXTRA_KEYS, COMMAND_KEYS, SKILL_KEYS } from '../definitions/claude-facts.ts';
import type { LintFile } from './types.ts';

/** The value shape Claude Code expects for a frontmatter key (docs: slash-commands, sub-agents, skills). */
export type ValueKind = 'string' | 'boolean' | 'integer' | 'list' | 'object' | 'any';

/** Expected value shapes per key; `list` accepts a comma string or a YAML list of strings. */
export const KEY_TYPES: Readonly<Record<string, ValueKind>> = {
  description: 'string',
  'argument-hint': 'string',
  'allowed-tools': 'list',
  'disallowed-tools': 'list',
  model: 'string',
  'disable-model-invocation': 'boolean',
  'user-invocable': 'boolean',
  when_to_use: 'string',
  arguments: 'list',
  effort: 'string',
  context: 'string',
  agent: 'string',
  hooks: 'object',
  shell: 'string',
  name: 'string',
  tools: 'list',
  disallowedTools: 'list',
  color: 'string',
  permissionMode: 'string',
  maxTurns: 'integer',
  skills: 'list',
  isolation: 'string',
  background: 'boolean',
  mcpServers: 'any',
  memory: 'string',
  license: 'string',
  metadata: 'object',
  paths: 'list',
};

/** The keys Claude Code reads for a file of this kind (its documented keys plus those the 2.1.329 client knows), and the word used in messages. */
export function keysFor(file: LintFile): { keys: readonly string[]; label: string } {
  if (file.kind === 'agent') return { keys: [...AGENT_KEYS, ...CLIENT_EXTRA_KEYS.agent], label: 'agent' };
  if (file.kind === 'skill') return { keys: [...SKILL_KEYS, ...CLIENT_EXTRA_KEYS.skill], label: 'skill' };
  return { keys: [...COMMAND_KEYS, ...CLIENT_EXTRA_KEYS.command], label: 'command' };
}

/** True for the markdown kinds whose frontmatter Claude Code reads. */
export function isComponent(file: LintFile): boolean {
  return file.kind === 'command' || file.kind === 'agent' || file.kind === 'skill';
}

/** Problem codes meaning no metadata is read: `frontmatter-parse` (or the client's repair failed), unclosed, not a mapping. */
export const UNREAD_FRONTMATTER = new Set(['frontmatter-parse', 'frontmatter-unclosed', 'frontmatter-not-a-map']);

/**
 * True when metadata is read (as written, or after Claude Code's repair of non-strict YAML; a BOM or leading
 * blank line aside): rules that read keys run only then, on the values the client reads.
 */
export function frontmatterParsed(file: LintFile): boolean {
  if (file.client?.status === 'none' && file.md?.hasFrontmatter) return false; // blank lines before `---`: nothing read
  return !!file.md && !file.md.problems.some((p) => UNREAD_FRONTMATTER.has(p.code));
}
