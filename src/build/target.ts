/**
 * What differs between the two build targets (docs/contracts.md §4; ../shared/CLAUDE-CODE.md "Commands",
 * "Plugins"): where the runtime helper lives, the Bash permission rule that covers it, and how agents are
 * named when spawned (plugin agents are namespaced `<plugin>:<agent>`, seen on 2.1.197).
 */

/** A build target: a `.claude/` folder or a Claude Code plugin. */
export type TargetName = 'claude' | 'plugin';

/** The accepted `--target` values. */
export const TARGETS: readonly TargetName[] = ['claude', 'plugin'];

/** The plugin's name; plugin commands are `/build-commands:<cmd>` and agents `build-commands:<agent>`. */
export const PLUGIN_NAME = 'build-commands';

/** The helper script's path inside the output folder. */
export const HELPER_OUT_PATH = 'scripts/orchestrate.mjs';

/**
 * The shell command that runs the helper, as written in bodies: `node .claude/scripts/orchestrate.mjs` or,
 * in a plugin, `node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs` (Claude Code replaces the variable in
 * command bodies, seen on 2.1.329).
 */
export function helperCommand(target: TargetName): string {
  return target === 'plugin' ? 'node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs' : 'node .claude/scripts/orchestrate.mjs';
}

/** The `allowed-tools` rule that pre-approves every helper call: `Bash(<helperCommand>:*)`. */
export function helperRule(target: TargetName): string {
  return `Bash(${helperCommand(target)}:*)`;
}

/** The `subagent_type` for agent `name`: the bare name, or `build-commands:<name>` for the plugin target. */
export function agentRef(target: TargetName, name: string): string {
  return target === 'plugin' ? `${PLUGIN_NAME}:${name}` : name;
}

/** The default `--out` folder of a target. */
export function defaultOut(target: TargetName): string {
  return target === 'plugin' ? 'dist-plugin' : '.claude';
}
