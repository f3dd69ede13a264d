import { z } from 'zod';
import { AGENT_NAME_PATTERN, MODEL_ALIASES, MODEL_ID_PATTERN, TOOL_ALIASES, TOOL_NAMES } from './claude-facts.ts';
import { didYouMean } from './suggest.ts';

/**
 * The definition schemas (zod 4): the frontmatter of `commands/**.md` and `agents/*.md` in a definitions
 * folder. Keys and value sets follow Claude Code's docs (code.claude.com/docs: slash-commands, sub-agents)
 * as summarised in ../shared/CLAUDE-CODE.md and encoded in ./claude-facts.ts. Unknown keys are errors here
 * (Claude Code ignores them silently, so a typo like `allowed_tools` would do nothing). The JSON Schema for
 * editors is generated from these objects (./json-schema.ts), never written by hand.
 */

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const code = (s: string) => `\`${s}\``;

/** Every tool name a rule may start with: current names and aliases (`Task`), in a stable order. */
const TOOL_CHOICES: readonly string[] = [...TOOL_NAMES, ...Object.keys(TOOL_ALIASES)];

/**
 * A permission rule as Claude Code reads it in `allowed-tools` / `tools`: a tool name, optionally followed by
 * a specifier in parentheses (`Read`, `Bash(git status:*)`, `Agent(reviewer)`), or an MCP tool
 * (`mcp__server__tool`). Source: docs permissions / tools-reference.
 */
export const TOOL_RULE_PATTERN = new RegExp(`^(?:(?:${TOOL_CHOICES.map(escapeRe).join('|')})(?:\\(.+\\))?|mcp__[\\w-]+(?:__[\\w-]+)?)$`);

/** A model alias or a full Claude model id (docs: sub-agents, model configuration). */
export const MODEL_PATTERN = new RegExp(`^(?:${MODEL_ALIASES.map(escapeRe).join('|')})$|${MODEL_ID_PATTERN.source}`);

/** Agent colours offered by Claude Code's `/agents` UI (docs: sub-agents, `color`). */
export const AGENT_COLORS = ['red', 'blue', 'green', 'yellow', 'purple', 'orange', 'pink', 'cyan'] as const;

/** Agent permission modes (docs: sub-agents `permissionMode`, permissions "permission modes"). */
export const PERMISSION_MODES = ['default', 'acceptEdits', 'plan', 'bypassPermissions', 'dontAsk', 'auto'] as const;

/** The message for a tool rule that names no known tool, with a did-you-mean for near misses. */
function toolRuleMessage(input: unknown, key: string): string {
  if (typeof input !== 'string') return `Expected a tool name string in ${code(key)}`;
  const name = /^[^(]*/.exec(input)![0];
  const guess = didYouMean(name, TOOL_CHOICES);
  const hint = guess ? `, did you mean ${code(guess)}?` : `, expected one of ${TOOL_NAMES.slice(0, 8).map(code).join(', ')}, ...`;
  return `Unexpected tool ${code(input)} in ${code(key)}${hint}`;
}

/** A YAML list of permission rules for `key` (`allowed-tools`, `tools`, ...). A comma string is rejected: write a list. */
function toolList(key: string) {
  return z
    .array(z.string().regex(TOOL_RULE_PATTERN, { error: (iss) => toolRuleMessage(iss.input, key) }), {
      error: (iss) =>
        typeof iss.input === 'string'
          ? `Expected ${code(key)} as a YAML list of tool names, found a string (the build writes the comma string)`
          : `Expected ${code(key)} as a YAML list of tool names`,
    })
    .meta({ description: `Tool permission rules, e.g. Read, Bash(git status:*), Agent. Written to Claude Code as a comma string.` });
}

const nonEmpty = (what: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `Missing required key ${code(what)}` : `Expected ${code(what)} to be a string`) }).trim().min(1, { error: `Expected ${code(what)} to be a non-empty string` });
const text = (what: string) => z.string({ error: `Expected ${code(what)} to be a string (quote it)` });
const bool = (what: string) => z.boolean({ error: `Expected ${code(what)} to be \`true\` or \`false\`` });
const model = z
  .string()
  .regex(MODEL_PATTERN, { error: (iss) => `Unexpected model ${code(String(iss.input))}, expected one of ${MODEL_ALIASES.map(code).join(', ')} or a full id like \`claude-sonnet-4-5\`` })
  .meta({ description: 'sonnet | opus | haiku | inherit | a full Claude model id' });

/**
 * Frontmatter of a command definition (`commands/<name>.md`, `commands/<ns>/<name>.md`). `description` is
 * required (it is what the model reads when choosing a command, CLAUDE-CODE.md "Commands"). The build adds
 * the helper's Bash rule and `Agent` to `allowed-tools` when the body needs them.
 */
export const CommandDefinitionSchema = z
  .strictObject({
    description: nonEmpty('description').meta({ description: 'What the command does; the model reads it to decide when to use it.' }),
    'argument-hint': text('argument-hint').optional().meta({ description: 'Shown after the command name, e.g. "PLAN.yaml [--agents N]".' }),
    'allowed-tools': toolList('allowed-tools').optional(),
    model: model.optional(),
    'disable-model-invocation': bool('disable-model-invocation').optional(),
    'user-invocable': bool('user-invocable').optional(),
    'disallowed-tools': toolList('disallowed-tools').optional(),
    when_to_use: text('when_to_use').optional(),
    arguments: z.union([z.string(), z.array(z.string())]).optional(),
    effort: z.string().optional(),
    context: z.literal('fork', { error: 'Expected `context` to be `fork`' }).optional(),
    agent: z.string().regex(AGENT_NAME_PATTERN).optional().meta({ description: 'Agent that runs the command when `context: fork`.' }),
    hooks: z.record(z.string(), z.unknown()).optional(),
    shell: z.string().optional(),
  })
  .meta({ title: 'build-commands command definition', description: 'Frontmatter of commands/**/*.md in a build-commands definitions folder.' });

/** A validated command definition's frontmatter. */
export type CommandDefinition = z.infer<typeof CommandDefinitionSchema>;

/**
 * Frontmatter of an agent definition (`agents/<name>.md`). `name` must match Claude Code's pattern
 * (lowercase letters, digits, hyphens — CLAUDE-CODE.md "Subagents") and equal the file name (checked by the
 * loader, which knows the file); `description` is required (without it Claude Code skips the file).
 */
export const AgentDefinitionSchema = z
  .strictObject({
    name: z
      .string({ error: (iss) => (iss.input === undefined ? 'Missing required key `name`' : 'Expected `name` to be a string') })
      .regex(AGENT_NAME_PATTERN, { error: (iss) => `Unexpected agent name ${code(String(iss.input))}, expected lowercase letters, digits and hyphens` }),
    description: nonEmpty('description'),
    tools: toolList('tools').optional(),
    disallowedTools: toolList('disallowedTools').optional(),
    model: model.optional(),
    color: z.enum(AGENT_COLORS, { error: (iss) => `Unexpected color ${code(String(iss.input))}, expected one of ${AGENT_COLORS.map(code).join(', ')}` }).optional(),
    permissionMode: z.enum(PERMISSION_MODES, { error: (iss) => `Unexpected permissionMode ${code(String(iss.input))}, expected one of ${PERMISSION_MODES.map(code).join(', ')}` }).optional(),
    maxTurns: z.int({ error: 'Expected `maxTurns` to be a positive integer' }).positive({ error: 'Expected `maxTurns` to be a positive integer' }).optional(),
    skills: z.array(z.string()).optional(),
    isolation: z.enum(['worktree'], { error: 'Expected `isolation` to be `worktree`' }).optional(),
    background: bool('background').optional(),
    mcpServers: z.union([z.array(z.union([z.string(), z.record(z.string(), z.unknown())])), z.record(z.string(), z.unknown())]).optional(),
    hooks: z.record(z.string(), z.unknown()).optional(),
    memory: z.enum(['user', 'project', 'local'], { error: 'Expected `memory` to be one of `user`, `project`, `local`' }).optional(),
    effort: z.string().optional(),
  })
  .meta({ title: 'build-commands agent definition', description: 'Frontmatter of agents/*.md in a build-commands definitions folder.' });

/** A validated agent definition's frontmatter. */
export type AgentDefinition = z.infer<typeof AgentDefinitionSchema>;

/** Frontmatter keys whose values are tool lists, written to Claude Code as comma strings. */
export const TOOL_LIST_KEYS = ['allowed-tools', 'disallowed-tools', 'tools', 'disallowedTools'] as const;
