import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_AGENTS } from '../../definitions/claude-facts.ts';

/**
 * Which subagent types exist where the coordinator runs, so `next` hands out a `subagent_type` that Claude
 * Code accepts (an unknown one fails the Agent call: "Agent type 'x' not found", CLAUDE-CODE.md "Subagents").
 *
 * Looked up, in this order: the repository's own agents (`<root>/.claude/agents/NAME.md`), the pack's agents
 * beside the helper (`<pack>/agents/NAME.md`, where `<pack>` is the folder above the helper's `scripts/`; in a
 * plugin — `<pack>/.claude-plugin/plugin.json` — rendered `PLUGIN:NAME`, since plugin agents are namespaced),
 * the user's agents (`$HOME/.claude/agents/NAME.md`), and Claude Code's built-in types.
 */

/** Where an agent type was found. */
export type AgentSource = 'project' | 'pack' | 'user' | 'builtin';

/** The `subagent_type` to use for a wanted type, and why another was used when it was not found. */
export interface ResolvedAgent {
  subagent_type: string;
  source: AgentSource | null;
  /** Set when the wanted type exists nowhere and the session's worker agent stands in for it. */
  fallback: { wanted: string; reason: string } | null;
}

/** The agent types available to a coordinator. */
export interface AgentCatalog {
  /** Plugin name when the helper runs from a plugin, else null. */
  readonly plugin: string | null;
  /**
   * The `subagent_type` for `wanted` (a ticket's `agent_type`; null: `worker`), falling back to `worker` (the
   * session's worker agent) when `wanted` exists nowhere. A missing `worker` is returned as the pack would
   * name it (the Agent call then reports it).
   */
  resolve(wanted: string | null, worker: string): ResolvedAgent;
}

function agentNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)));
  } catch {
    return new Set();
  }
}

/**
 * The folder of the pack the helper belongs to: `ORCHESTRATE_PACK_ROOT` when set, else the parent of the
 * running script's folder (`.claude/scripts/orchestrate.mjs` → `.claude`; plugin `scripts/` → plugin root).
 */
export function packRoot(env: Record<string, string | undefined>, script: string | undefined = process.argv[1]): string | null {
  if (env.ORCHESTRATE_PACK_ROOT) return path.resolve(env.ORCHESTRATE_PACK_ROOT);
  if (!script) return null;
  try {
    return path.dirname(path.dirname(realpathSync(script)));
  } catch {
    return null;
  }
}

function pluginName(pack: string): string | null {
  const manifest = path.join(pack, '.claude-plugin', 'plugin.json');
  if (!existsSync(manifest)) return null;
  try {
    const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : null;
  } catch {
    return null;
  }
}

/**
 * Reads the agent folders once. `root`: the repository root (the state root); `pack`: see {@link packRoot};
 * `home`: the user's home folder or undefined.
 */
export function agentCatalog(root: string, pack: string | null, home: string | undefined): AgentCatalog {
  const project = agentNames(path.join(root, '.claude', 'agents'));
  const plugin = pack ? pluginName(pack) : null;
  const packAgents = pack ? agentNames(path.join(pack, 'agents')) : new Set<string>();
  const user = home ? agentNames(path.join(home, '.claude', 'agents')) : new Set<string>();
  const builtin = new Set<string>(BUILTIN_AGENTS);
  const packName = (n: string) => (plugin ? `${plugin}:${n}` : n);
  const lookup = (name: string): ResolvedAgent | null => {
    if (project.has(name)) return { subagent_type: name, source: 'project', fallback: null };
    if (packAgents.has(name)) return { subagent_type: packName(name), source: 'pack', fallback: null };
    if (user.has(name)) return { subagent_type: name, source: 'user', fallback: null };
    if (builtin.has(name)) return { subagent_type: name, source: 'builtin', fallback: null };
    if (plugin && name.startsWith(`${plugin}:`) && packAgents.has(name.slice(plugin.length + 1))) return { subagent_type: name, source: 'pack', fallback: null };
    return null;
  };
  return {
    plugin,
    resolve(wanted, worker) {
      if (wanted !== null && wanted !== worker) {
        const found = lookup(wanted);
        if (found) return found;
        const used = lookup(worker) ?? { subagent_type: packName(worker), source: null, fallback: null };
        return { ...used, fallback: { wanted, reason: `no agent \`${wanted}\` in .claude/agents, the pack or ~/.claude/agents` } };
      }
      return lookup(worker) ?? { subagent_type: packName(worker), source: null, fallback: null };
    },
  };
}
