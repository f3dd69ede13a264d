/**
 * One test environment per build target: a sandbox (fresh HOME, a git project holding the plan file), the
 * pack built into it with the real compiler, installed the way a user installs it, and a stand-in server.
 *
 * - `claude`: `build-commands --out PROJECT/.claude`; commands `/name`, agents `name`, helper
 *   `node .claude/scripts/orchestrate.mjs`.
 * - `plugin`: `build-commands --target plugin --out ROOT/plugin`, then `claude plugin marketplace add` and
 *   `claude plugin install` with the fresh HOME; commands `/PLUGIN:name`, agents `PLUGIN:name`, helper
 *   `node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs` with the root substituted by Claude Code.
 * - `skills` / `plugin-skills`: the same with skills (`--target skills`, `--target plugin --layout skills`):
 *   `/ns-name`, `/PLUGIN:ns-name`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, makeSandbox } from '../stand-in/run-claude.ts';
import { buildPack, builtAgents, builtCommands, gitInit, isPluginTarget, isSkillsTarget, type BuiltAgent, type BuiltCommand, type Target } from './pack.ts';
import { pluginNames } from './plugin.ts';
import { helperPrefix } from './helper-lines.ts';
import { ProjectState } from './state.ts';

/** The plan every session is made from (written by the runtime part); `E2E_PLAN` names another. */
export const EXAMPLE_PLAN = process.env.E2E_PLAN ? path.resolve(process.env.E2E_PLAN) : path.join(REPO_ROOT, 'examples/execution-plan.yaml');

/** A prepared target (see the file comment). `buildError` is set instead when the build failed. */
export interface TargetEnv {
  target: Target;
  box: ReturnType<typeof makeSandbox>;
  /** Folder holding `commands/`, `agents/`, `scripts/` (PROJECT/.claude or the plugin folder). */
  root: string;
  plugin: string | undefined;
  marketplace: string | undefined;
  commands: BuiltCommand[];
  agents: BuiltAgent[];
  /** Helper prefix as prompts show it to the model (after `${CLAUDE_PLUGIN_ROOT}` substitution). */
  prefix: string;
  state: ProjectState;
  buildError: string | undefined;
}

/**
 * Builds the pack for `target` into a fresh sandbox (synchronously, so tests can be generated per command).
 * Never throws: a failed build is reported in `buildError`.
 */
export function prepareTarget(target: Target): TargetEnv {
  const box = makeSandbox(`bc-e2e-${target}-`);
  gitInit(box.project);
  const planFile = 'plan.yaml';
  if (fs.existsSync(EXAMPLE_PLAN)) fs.copyFileSync(EXAMPLE_PLAN, path.join(box.project, planFile));
  const root = isPluginTarget(target) ? path.join(box.root, 'plugin') : path.join(box.project, '.claude');
  let buildError: string | undefined;
  try {
    buildPack(target, root);
  } catch (err) {
    buildError = (err as Error).message;
  }
  let plugin: string | undefined;
  let marketplace: string | undefined;
  if (!buildError && isPluginTarget(target)) {
    try {
      ({ plugin, marketplace } = pluginNames(root));
    } catch (err) {
      buildError = `plugin manifests: ${(err as Error).message}`;
    }
  }
  const prefix = helperPrefix(isPluginTarget(target) ? root : '.claude');
  const helperFile = path.join(root, 'scripts/orchestrate.mjs');
  if (!buildError && !fs.existsSync(EXAMPLE_PLAN)) buildError = `missing ${path.relative(REPO_ROOT, EXAMPLE_PLAN)} (the 13-ticket example plan)`;
  return {
    target,
    box,
    root,
    plugin,
    marketplace,
    commands: buildError ? [] : builtCommands(root, plugin, isSkillsTarget(target)),
    agents: buildError ? [] : builtAgents(root, plugin),
    prefix,
    state: new ProjectState(box.project, helperFile, planFile),
    buildError,
  };
}

/** Spawn names mentioned in a prompt: every known agent spawn name that appears as a whole name. */
export function mentionedAgents(text: string, agents: BuiltAgent[]): string[] {
  return agents
    .map((a) => a.spawnName)
    .filter((name) => new RegExp(`(?<![\\w:-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text));
}

/**
 * Agent types a prompt tells the model to spawn, as rendered by spawn blocks and agent references:
 * `subagent_type: "NAME"` and ``subagent_type `NAME` `` (whatever agents exist — a renamed or missing agent
 * shows up here and is then not offered).
 */
export function spawnTypes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/subagent_type[`"]?\s*[:=]?\s*[`"]([^`"\s]+)[`"]/g)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}
