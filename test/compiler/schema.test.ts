import { describe, expect, it } from 'vitest';
import { collectDefinitions, loadDefinitions } from '../../src/definitions/load.ts';
import { AgentDefinitionSchema, CommandDefinitionSchema } from '../../src/definitions/schemas.ts';
import { isToolError } from '../../src/diagnostics/errors.ts';
import { didYouMean } from '../../src/definitions/suggest.ts';
import { fixture, tempDir, command, agent } from './helpers.ts';

/** [file, line, col, code] of every diagnostic, for compact pinned assertions. */
const where = (src: string) => collectDefinitions(src, src).diagnostics.map((d) => [d.file, d.line, d.col, d.code, d.message]);

describe('definition schemas', () => {
  it('accept a full command and agent', () => {
    expect(CommandDefinitionSchema.safeParse({ description: 'x', 'allowed-tools': ['Read', 'Bash(git status:*)', 'mcp__gh__search', 'Task'], model: 'claude-sonnet-4-5' }).success).toBe(true);
    expect(AgentDefinitionSchema.safeParse({ name: 'a-b1', description: 'x', tools: ['Read'], model: 'inherit', color: 'cyan', maxTurns: 3, isolation: 'worktree' }).success).toBe(true);
  });

  it('reject unknown tools, models and keys', () => {
    expect(CommandDefinitionSchema.safeParse({ description: 'x', 'allowed-tools': ['Frobnicate'] }).success).toBe(false);
    expect(CommandDefinitionSchema.safeParse({ description: 'x', 'allowed-tools': 'Read, Bash' }).success).toBe(false);
    expect(AgentDefinitionSchema.safeParse({ name: 'a', description: 'x', model: 'gpt-4' }).success).toBe(false);
    expect(AgentDefinitionSchema.safeParse({ name: 'a', description: 'x', allowedTools: [] }).success).toBe(false);
    expect(AgentDefinitionSchema.safeParse({ name: 'a:b', description: 'x' }).success).toBe(false);
  });

  it('suggests near misses', () => {
    expect(didYouMean('allowed_tools', ['description', 'allowed-tools'])).toBe('allowed-tools');
    expect(didYouMean('Reed', ['Read', 'Edit'])).toBe('Read');
    expect(didYouMean('zzzzzz', ['Read'])).toBeUndefined();
  });
});

describe('loader diagnostics', () => {
  it('puts every problem of every file at the exact line:col', () => {
    const src = fixture('build-invalid');
    expect(where(src)).toEqual([
      ['agents/Bad_Agent.md', 2, 7, 'frontmatter-schema', expect.stringMatching(/^Unexpected agent name `Bad_Agent`/)],
      ['agents/wrong-name.md', 2, 7, 'agent-name-mismatch', 'Agent `name` is `other-name` but the file is `wrong-name.md`, expected `name: wrong-name`'],
      ['agents/wrong-name.md', 4, 8, 'frontmatter-schema', expect.stringMatching(/^Unexpected color `mauve`/)],
      ['commands/bad.md', 3, 1, 'frontmatter-schema', 'Unknown key `allowed_tools` in command frontmatter, did you mean `allowed-tools`?'],
      ['commands/bad.md', 7, 5, 'frontmatter-schema', expect.stringMatching(/^Unexpected tool `Frobnicate` in `allowed-tools`/)],
      ['commands/bad.md', 8, 8, 'frontmatter-schema', expect.stringMatching(/^Unexpected model `gpt-4`/)],
      ['commands/nodesc.md', 1, 1, 'frontmatter-schema', 'Missing required key `description`'],
    ]);
  });

  it('throws one InvalidDefinitions error carrying all diagnostics, sorted', () => {
    let err: unknown;
    try {
      loadDefinitions(fixture('build-invalid'), fixture('build-invalid'));
    } catch (e) {
      err = e;
    }
    expect(isToolError(err) && err.code).toBe('InvalidDefinitions');
    if (!isToolError(err)) return;
    expect(err.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual([
      'agents/Bad_Agent.md:2:7',
      'agents/wrong-name.md:2:7',
      'agents/wrong-name.md:4:8',
      'commands/bad.md:3:1',
      'commands/bad.md:7:5',
      'commands/bad.md:8:8',
      'commands/nodesc.md:1:1',
    ]);
    expect(err.message).toBe('7 problems in 4 definition files under .');
  });

  it('positions nested values, YAML syntax errors, and a tool list given as a string', () => {
    const src = tempDir({
      'commands/a.md': command('x\n', 'allowed-tools: "Read, Bash"\n'),
      'commands/b.md': '---\ndescription: ok\nargument-hint: a: b\n---\nx\n',
      'agents/c.md': agent('c', 'x\n', 'maxTurns: 0\ntools:\n  - Read\n  - Reed\n'),
      'commands/help.md': command('x\n'),
      'commands/Bad Name.md': command('x\n'),
    });
    expect(where(src)).toEqual([
      ['agents/c.md', 4, 11, 'frontmatter-schema', 'Expected `maxTurns` to be a positive integer'],
      ['agents/c.md', 7, 5, 'frontmatter-schema', 'Unexpected tool `Reed` in `tools`, did you mean `Read`?'],
      ['commands/Bad Name.md', 1, 1, 'command-name', expect.stringMatching(/^Unexpected command name part `Bad Name`/)],
      ['commands/a.md', 3, 16, 'frontmatter-schema', expect.stringMatching(/^Expected `allowed-tools` as a YAML list/)],
      ['commands/b.md', 3, 16, 'frontmatter-parse', expect.stringMatching(/^Frontmatter is not valid YAML/)],
      ['commands/help.md', 1, 1, 'command-shadows-builtin', 'Command `/help` has the name of a built-in Claude Code command'],
    ]);
  });

  it('names commands by folder (ns:name) and agents by file', () => {
    const set = loadDefinitions(fixture('build-basic'), fixture('build-basic'));
    expect(set.commands.map((c) => c.name)).toEqual(['ns:status-view', 'plain', 'run-plan']);
    expect(set.agents.map((a) => a.name)).toEqual(['reviewer', 'worker']);
  });
});
