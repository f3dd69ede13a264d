/**
 * What differs between the build targets (docs/contracts.md §4; ../shared/CLAUDE-CODE.md "Commands",
 * "Skills", "Plugins"): where the runtime helper lives, the Bash permission rule that covers it, how agents are
 * named when spawned (plugin agents are namespaced `<plugin>:<agent>`, seen on 2.1.197), and whether command
 * definitions become command files or skill folders.
 */

/**
 * A build target: a `.claude/` folder with commands (`claude`) or with skills (`skills`), or a Claude Code
 * plugin (`plugin`, with commands or skills: {@link Layout}).
 */
export type TargetName = 'claude' | 'skills' | 'plugin';

/** The accepted `--target` values. */
export const TARGETS: readonly TargetName[] = ['claude', 'skills', 'plugin'];

/**
 * How command definitions are written: `commands/**.md` files (`/ns:name`) or `skills/<name>/SKILL.md` folders
 * (`/ns-name`, ./skill-names.ts). Claude Code merged commands into skills and its docs recommend skills; both
 * forms keep working (CLAUDE-CODE.md "Skills").
 */
export type Layout = 'commands' | 'skills';

/** The accepted `--layout` values (with `--target plugin`). */
export const LAYOUTS: readonly Layout[] = ['commands', 'skills'];

/** The layout of a target when none is given: `skills` for the skills target, else `commands`. */
export function defaultLayout(target: TargetName): Layout {
  return target === 'skills' ? 'skills' : 'commands';
}

/** The label recorded in the output manifest: the target, plus `-skills` for a plugin of skills. */
export function outputLabel(target: TargetName, layout: Layout): string {
  return target === 'plugin' && layout === 'skills' ? 'plugin-skills' : target;
}

/** The plugin's name; plugin commands are `/build-commands:<cmd>` and agents `build-commands:<agent>`. */
export const PLUGIN_NAME = 'build-commands';

/** The helper script's path inside the output folder. */
export const HELPER_OUT_PATH = 'scripts/orchestrate.mjs';

/**
 * The shell command that runs the helper, as written in bodies: `node .claude/scripts/orchestrate.mjs` or,
 * in a plugin, `node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs` (Claude Code replaces the variable in
 * command and skill bodies and in `allowed-tools`, seen on 2.1.329). Skills in `.claude/skills/` use the
 * project-root path too, one copy for every skill: `${CLAUDE_SKILL_DIR}/../../scripts/…` is also pre-approved
 * (seen on 2.1.329) but would be a different string from the one the agents a skill spawns run, so the
 * skill's rule would not cover theirs (docs/e2e.md "Skills").
 */
export function helperCommand(target: TargetName): string {
  return target === 'plugin' ? 'node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs' : 'node .claude/scripts/orchestrate.mjs';
}

/**
 * What a plugin's reference file (a `{{#reference}}` part beside `SKILL.md`) writes for `${CLAUDE_PLUGIN_ROOT}`.
 * Claude Code substitutes the variable in `SKILL.md` and `allowed-tools` only; the model reads a reference file
 * with the Read tool, as written. A helper call with a literal `${CLAUDE_PLUGIN_ROOT}` would be denied (a
 * variable in a Bash command "can't be checked before it runs", seen on 2.1.329) and matches no substituted
 * rule, so the file says `<PLUGIN_ROOT>` and the link in `SKILL.md` says what it is (./render.ts).
 */
export const PLUGIN_ROOT_PLACEHOLDER = '<PLUGIN_ROOT>';

/**
 * The content of a reference file as written to disk for `target`: in the plugin, every `${CLAUDE_PLUGIN_ROOT}`
 * becomes {@link PLUGIN_ROOT_PLACEHOLDER}; other targets unchanged.
 */
export function referenceFileText(target: TargetName, text: string): string {
  return target === 'plugin' ? text.split('${CLAUDE_PLUGIN_ROOT}').join(PLUGIN_ROOT_PLACEHOLDER) : text;
}

/** The `allowed-tools` rule that pre-approves every helper call: `Bash(<helperCommand>:*)`. */
export function helperRule(target: TargetName): string {
  return `Bash(${helperCommand(target)}:*)`;
}

/** The `subagent_type` for agent `name`: the bare name, or `build-commands:<name>` for the plugin target. */
export function agentRef(target: TargetName, name: string): string {
  return target === 'plugin' ? `${PLUGIN_NAME}:${name}` : name;
}

/** The default `--out` folder of a target: `.claude` (claude, skills) or `dist-plugin`. */
export function defaultOut(target: TargetName): string {
  return target === 'plugin' ? 'dist-plugin' : '.claude';
}
