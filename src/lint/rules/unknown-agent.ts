import { z } from 'zod';
import { BUILTIN_AGENTS } from '../../definitions/claude-facts.ts';
import { agentReferences } from '../references.ts';
import { nearest } from '../../definitions/suggest.ts';
import { listCode } from '../suggest.ts';
import { defineRule } from '../types.ts';

/** `subagent_type` values and spawn instructions naming an agent that is not defined, built in, or namespaced. */
export default defineRule({
  meta: {
    id: 'unknown-agent',
    description: 'Spawned agents must be defined in the tree, built in, or (in a plugin) namespaced',
    severity: 'error',
    docs: `An Agent call whose \`subagent_type\` names no loaded agent fails at run time (\`Agent type 'coord' not
found\`; oracle: test/e2e/lint-oracle.test.ts, 2.1.329 and 2.1.197, spawns the \`subagent_type\` a finding names and sees it
refused). In a plugin the agents are namespaced: agent \`coord\` of plugin \`pk\` must be spawned as \`pk:coord\`; a
bare \`coord\` fails (CLAUDE-CODE.md, Subagents). This rule checks \`subagent_type\` values, prose spawn
instructions ("use the **code-reviewer** agent") and, in definitions, \`{{agent}}\` / \`{{#spawn}}\` names against the
agents of the same tree (\`.claude/agents/\`, the plugin's \`agents/\`, the definitions' \`agents/\`) and the built-in
(\`general-purpose\`, \`Explore\`, \`Plan\`, ...: \`BUILTIN_AGENTS\` in src/definitions/claude-facts.ts). Agents defined elsewhere (\`~/.claude/agents\`) go in the \`known\` option.`,
    options: z.object({ known: z.array(z.string()).default([]) }),
  },
  examples: {
    valid: [
      {
        files: {
          '.claude/agents/reviewer.md': '---\nname: reviewer\ndescription: "Reviews"\n---\nPrompt\n',
          '.claude/commands/go.md': '---\ndescription: "Go"\n---\nCall the Agent tool with subagent_type: "reviewer", then one with subagent_type: "general-purpose".\n',
        },
      },
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'p/agents/coord.md': '---\nname: coord\ndescription: "Coordinates"\n---\nPrompt\n',
          'p/commands/go.md': '---\ndescription: "Go"\n---\n- subagent_type: "pk:coord"\n',
        },
      },
    ],
    invalid: [
      {
        files: {
          '.claude/commands/go.md': '---\ndescription: "Go"\n---\nUse the **execution-coordinator** agent.\nThen subagent_type: "reviwer".\n',
          '.claude/agents/reviewer.md': '---\nname: reviewer\ndescription: "Reviews"\n---\nPrompt\n',
        },
        expected: [
          '.claude/commands/go.md:4:11: error Agent `execution-coordinator` is not defined in this tree nor built in, expected an agent file in `.claude/agents` or one of `reviewer`, `general-purpose`, `Explore`, ... [unknown-agent]',
          '.claude/commands/go.md:5:22: error Agent `reviwer` is not defined in this tree nor built in, expected `reviewer` [unknown-agent]',
        ],
      },
      {
        files: {
          'p/.claude-plugin/plugin.json': '{"name": "pk"}\n',
          'p/agents/coord.md': '---\nname: coord\ndescription: "Coordinates"\n---\nPrompt\n',
          'p/commands/go.md': '---\ndescription: "Go"\n---\n- subagent_type: "coord"\n',
        },
        expected: ['p/commands/go.md:4:19: error Agent `coord` is not namespaced, expected `pk:coord` (plugin agents are spawned as `<plugin>:<name>`) [unknown-agent]'],
      },
      {
        files: {
          'agents/reviewer.md': '---\nname: reviewer\ndescription: "Reviews"\n---\nPrompt\n',
          'commands/go.md': '---\ndescription: "Go"\n---\n{{#spawn "reviwer" count=1 description="Review it"}}Review{{/spawn}}\n',
        },
        note: 'in definitions, `{{agent}}` and `{{#spawn}}` name definitions in `agents/`',
        expected: ['commands/go.md:4:11: error Agent `reviwer` is not defined in this tree nor built in, expected `reviewer` [unknown-agent]'],
      },
    ],
  },
  checkProject(project, ctx) {
    const agentsByScope = new Map<string, { bare: Set<string>; qualified: Set<string>; plugin?: string }>();
    for (const f of project.files) {
      if (!agentsByScope.has(f.scope)) agentsByScope.set(f.scope, { bare: new Set(), qualified: new Set(), ...(f.plugin ? { plugin: f.plugin.name } : {}) });
      if (f.kind !== 'agent') continue;
      const s = agentsByScope.get(f.scope)!;
      s.bare.add(f.name);
      if (f.plugin) s.qualified.add(`${f.plugin.name}:${f.name}`);
    }
    const builtin = new Set<string>([...BUILTIN_AGENTS, ...ctx.options.known]);
    for (const f of project.files) {
      if (f.kind !== 'command' && f.kind !== 'skill' && f.kind !== 'agent') continue;
      const s = agentsByScope.get(f.scope)!;
      for (const ref of agentReferences(f)) {
        const name = ref.text;
        if (builtin.has(name)) continue;
        if (f.plugin && ref.kind !== 'helper') {
          if (s.qualified.has(name)) continue;
          if (s.bare.has(name)) {
            ctx.report(f, { line: ref.line, col: ref.col, message: `Agent \`${name}\` is not namespaced, expected \`${f.plugin.name}:${name}\` (plugin agents are spawned as \`<plugin>:<name>\`)` });
            continue;
          }
          if (name.includes(':') && !name.startsWith(`${f.plugin.name}:`)) continue; // another plugin's agent: not ours to judge
        } else if (s.bare.has(name)) continue;
        else if (name.includes(':')) continue; // a plugin's agent, outside this tree
        const known = f.plugin ? [...s.qualified] : [...s.bare];
        const close = nearest(name, known);
        const where = f.origin === 'definitions' ? '`agents/`' : f.plugin ? `\`${f.plugin.root}/agents\`` : `\`${f.scope}/agents\``;
        const message = close
          ? `Agent \`${name}\` is not defined in this tree nor built in, expected \`${close}\``
          : `Agent \`${name}\` is not defined in this tree nor built in, expected an agent file in ${where} or one of ${listCode([...known.sort(), ...BUILTIN_AGENTS], 3)}`;
        ctx.report(f, { line: ref.line, col: ref.col, message });
      }
    }
  },
});

