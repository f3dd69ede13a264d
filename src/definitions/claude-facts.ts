/**
 * Facts about Claude Code that the compiler and the linter encode. Sources: ../shared/CLAUDE-CODE.md
 * ("seen" = observed on the real CLI 2.1.197 / 2.1.329) and Claude Code's docs (code.claude.com/docs:
 * slash-commands, sub-agents, plugins-reference, permissions, tools-reference). When Claude Code changes,
 * change it here; the end-to-end tests against the real CLI check the lists that the CLI exposes.
 */

/** Frontmatter keys Claude Code reads in a slash command file (`.claude/commands/**.md`). Unknown keys are ignored silently. */
export const COMMAND_KEYS = [
  'description',
  'argument-hint',
  'allowed-tools',
  'model',
  'disable-model-invocation',
  'user-invocable',
  'disallowed-tools',
  'when_to_use',
  'arguments',
  'effort',
  'context',
  'agent',
  'hooks',
  'shell',
] as const;

/** Frontmatter keys Claude Code reads in a subagent file (`.claude/agents/<name>.md`). `name` and `description` are required. */
export const AGENT_KEYS = [
  'name',
  'description',
  'tools',
  'disallowedTools',
  'model',
  'color',
  'permissionMode',
  'maxTurns',
  'skills',
  'isolation',
  'background',
  'mcpServers',
  'hooks',
  'memory',
  'effort',
] as const;

/**
 * Frontmatter keys Claude Code reads in a skill (`.claude/skills/<name>/SKILL.md`): the command keys plus
 * `name`, `license`, `metadata`, `paths` (docs: code.claude.com/docs skills; Agent Skills spec for `license`, `metadata`).
 */
export const SKILL_KEYS = [...COMMAND_KEYS, 'name', 'license', 'metadata', 'paths'] as const;

/**
 * Longest skill / command description the Agent Skills spec allows (1024 characters; docs: code.claude.com/docs
 * skills). Claude Code itself listed a 1309-character skill description in full (seen on 2.1.329 and 2.1.197,
 * test/e2e/probe-skills.test.ts); other agent CLIs that read `SKILL.md` follow the spec.
 */
export const MAX_DESCRIPTION_CHARS = 1024;

/**
 * Built-in tool names accepted in `allowed-tools` / `tools` (docs: tools-reference). `Task` is the old name
 * of `Agent` (renamed in v2.1.63) and still accepted as an alias.
 */
export const TOOL_NAMES = [
  'Agent',
  'AskUserQuestion',
  'Bash',
  'BashOutput',
  'Edit',
  'ExitPlanMode',
  'Glob',
  'Grep',
  'KillShell',
  'LS',
  'MultiEdit',
  'NotebookEdit',
  'NotebookRead',
  'Read',
  'Skill',
  'SlashCommand',
  'TaskOutput',
  'TaskStop',
  'TodoWrite',
  'WebFetch',
  'WebSearch',
  'Write',
  // Seen on 2.1.329 (offered to the model in `-p` mode, directly or as deferred tools behind ToolSearch; test/e2e/probe.test.ts).
  'CronCreate',
  'CronDelete',
  'CronList',
  'EnterWorktree',
  'ExitWorktree',
  'ListAgents',
  'Monitor',
  'ReportFindings',
  'ScheduleWakeup',
  'SendMessage',
  'ToolSearch',
  'Workflow',
  // Seen on 2.1.197 (offered to the model in `-p` mode; test/e2e/probe.test.ts with CLAUDE_CODE_E2E_VERSION=2.1.197).
  'TaskCreate',
  'TaskGet',
  'TaskList',
  'TaskUpdate',
] as const;

/** Old tool names Claude Code still accepts, mapped to the current name. */
export const TOOL_ALIASES: Readonly<Record<string, string>> = { Task: 'Agent' };

/**
 * Model aliases accepted in `model:` (docs: sub-agents, model configuration). Full ids match {@link MODEL_ID_PATTERN}.
 * `fable`: seen on 2.1.329 (in the Agent tool's `model` enum, and an agent with `model: fable` ran as `claude-fable-5-2`).
 */
export const MODEL_ALIASES = ['sonnet', 'opus', 'haiku', 'inherit', 'opusplan', 'default', 'fable'] as const;

/** A full model id such as `claude-sonnet-4-5` or `claude-opus-4-1-20250805`. */
export const MODEL_ID_PATTERN = /^claude-[a-z0-9]+(?:[-.][a-z0-9]+)*$/;

/** Subagent names Claude Code loads: lowercase letters, digits and hyphens (no `:`); others are skipped silently. */
export const AGENT_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Subagent types built into Claude Code, spawnable without a definition (seen in the Agent tool's type list).
 * Seen on 2.1.329: `claude`, `Explore`, `general-purpose`, `Plan`, `statusline-setup` (no `output-style-setup`;
 * kept for older versions).
 */
export const BUILTIN_AGENTS = ['general-purpose', 'Explore', 'Plan', 'statusline-setup', 'output-style-setup', 'claude'] as const;

/**
 * Built-in slash commands. A custom command with one of these names shadows it (or is shadowed), so the pack
 * must never use them (CLAUDE-CODE.md: `/status`, `/review`, `/resume`, ...). Seen with the oracle
 * (test/e2e/lint-oracle.test.ts): a project's `/status` and `/review` are listed with their own description and run
 * their own body when typed in `claude -p` on 2.1.329; 2.1.197 runs the custom body too, but lists the built-in
 * `review` (its own description) to the model in place of the custom one. A built-in hidden in interactive menus is
 * not observable offline. Also seen on 2.1.197 (scratch probe, not in the suite): with a skill
 * `skills/review-helper/SKILL.md` whose frontmatter says `name: review`, a typed `/review` runs that skill, not the
 * project's `commands/review.md` (2.1.329 runs the command).
 */
export const BUILTIN_COMMANDS = [
  'add-dir', 'agents', 'bashes', 'btw', 'bug', 'clear', 'compact', 'config', 'context', 'cost', 'doctor',
  'exit', 'export', 'feedback', 'help', 'hooks', 'ide', 'init', 'install-github-app', 'login', 'logout',
  'mcp', 'memory', 'model', 'output-style', 'permissions', 'plan', 'plugin', 'pr-comments',
  'privacy-settings', 'release-notes', 'resume', 'review', 'rewind', 'sandbox', 'security-review',
  'skills', 'stats', 'status', 'statusline', 'tasks', 'terminal-setup', 'theme', 'todos', 'upgrade',
  'usage', 'vim',
] as const;

/** Agent tool input fields (seen on 2.1.197): `description`, `prompt`, `subagent_type`, `model`, `run_in_background`, `isolation`; `effort` (seen on 2.1.329). */
export const AGENT_TOOL_FIELDS = ['description', 'prompt', 'subagent_type', 'model', 'run_in_background', 'isolation', 'effort'] as const;

/** True when `name` is a current tool name or an accepted alias. */
export function isKnownTool(name: string): boolean {
  return (TOOL_NAMES as readonly string[]).includes(name) || Object.hasOwn(TOOL_ALIASES, name) || /^mcp__[\w-]+(__[\w-]+)?$/.test(name);
}

/** True when `model` is an alias or a full Claude model id. */
export function isKnownModel(model: string): boolean {
  return (MODEL_ALIASES as readonly string[]).includes(model) || MODEL_ID_PATTERN.test(model);
}

/**
 * Agent Skills name rules (agentskills.io specification, `name`): 1-64 characters, lowercase letters, digits
 * and hyphens, no leading, trailing or doubled hyphen, equal to the skill's folder name. Claude Code itself is
 * laxer (seen on 2.1.329: `.claude/skills/Bad_Name/SKILL.md` loads as `/Bad_Name`), but other agent CLIs that
 * read the same folders follow the spec.
 */
export const SKILL_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Longest skill name the Agent Skills specification allows (characters). */
export const MAX_SKILL_NAME_CHARS = 64;

/**
 * The only file name Claude Code loads a skill from: `SKILL.md`, exactly (seen on 2.1.329 and 2.1.197: a folder
 * holding `skill.md` is not loaded).
 *
 * Other skill facts (seen on 2.1.329 and 2.1.197, test/e2e/probe-skills.test.ts): a skill is loaded only from
 * `skills/<folder>/SKILL.md` one level down (`skills/grp/sub/SKILL.md` is neither `/sub` nor `/grp:sub`); it is
 * invoked and listed by its folder name (a different frontmatter `name` is only an alias); its body reaches the
 * model after `Base directory for this skill: <folder>` with `$ARGUMENTS`, `$N` and `${CLAUDE_SKILL_DIR}`
 * substituted; `disable-model-invocation: true` removes it from the model's listing while `/name` still runs
 * it; without `description` the first body line is listed; a plugin skill is `/<plugin>:<folder>` (a bare
 * `/<folder>` reaches it too) with `${CLAUDE_PLUGIN_ROOT}` substituted in its body and `allowed-tools`;
 * `Bash(node ${CLAUDE_SKILL_DIR}/../../x.mjs:*)` pre-approves exactly that unnormalised path.
 */
export const SKILL_FILE = 'SKILL.md';

/**
 * Tool names Claude Code no longer has, mapped to the tool to use instead. In an agent's `tools` the client
 * drops them without a word (seen on 2.1.329 and 2.1.197, test/e2e/lint-oracle.test.ts: `tools: Read, LS,
 * MultiEdit, NotebookRead, BashOutput, SlashCommand, Grep` gives the subagent only `Read`, `Grep`). They stay in
 * {@link TOOL_NAMES} for the compiler's schema; the linter reports them (`retired-tool`).
 * `LS` → `Glob` (or `Bash(ls:*)`), `MultiEdit` → `Edit`, `NotebookRead` → `Read` (reads notebooks),
 * `BashOutput` → `Read` (a background command's output is a file), `SlashCommand` → `Skill` (commands are
 * invoked through the Skill tool). None of them is in the 2.1.329 client's tool list.
 */
export const RETIRED_TOOLS: Readonly<Record<string, string>> = {
  LS: 'Glob',
  MultiEdit: 'Edit',
  NotebookRead: 'Read',
  BashOutput: 'Read',
  SlashCommand: 'Skill',
  TaskOutput: 'Read',
};

/**
 * Old names the 2.1.329 client still maps to a current tool (its alias table, next to its tool list):
 * `Task` → `Agent`, `KillShell` / `KillBash` → `TaskStop`, `ListPeers` → `ListAgents`. {@link TOOL_ALIASES}
 * keeps `Task` only for the compiler; the linter's `tool-alias` reads this table.
 */
export const CLIENT_TOOL_ALIASES: Readonly<Record<string, string>> = { Task: 'Agent', KillShell: 'TaskStop', KillBash: 'TaskStop', ListPeers: 'ListAgents' };

/**
 * Frontmatter keys the 2.1.329 client knows beyond {@link COMMAND_KEYS} / {@link AGENT_KEYS} /
 * {@link SKILL_KEYS} (its table of frontmatter keys): a command's `name` and `version`, a skill's `version`,
 * `hide-from-slash-command-tool`, an agent's `initialPrompt` (spawned with it), `autoCompactWindow`,
 * `omitClaudeMd` and others. The linter accepts them (`unknown-key`).
 */
export const CLIENT_EXTRA_KEYS = {
  command: ['name', 'version', 'hide-from-slash-command-tool', 'author', 'license', 'keywords', 'metadata'],
  skill: ['version', 'hide-from-slash-command-tool', 'author', 'keywords', 'compatibility', 'homepage', 'repository'],
  agent: ['initialPrompt', 'autoCompactWindow', 'omitClaudeMd', 'observer', 'observerMessage', 'observeSubagents', 'observeToolResults', 'version', 'author', 'metadata'],
} as const;

/**
 * Subagent names the client skips (2.1.329, its loader's checks, proven by test/e2e/lint-oracle.test.ts): a
 * `name` that is not a string, starts with `-`, is longer than {@link MAX_AGENT_NAME_CHARS}, or contains `:`
 * (reserved for plugin namespaces). 2.1.197 checks only the leading `-`. Capitals, `_` and spaces load (a
 * `subagent_type` matches them loosely: `release-manager` spawns `Release_Manager`). {@link AGENT_NAME_PATTERN}
 * stays the compiler's stricter rule for its own definitions.
 */
export const MAX_AGENT_NAME_CHARS = 256;

/**
 * Every tool name the 2.1.329 client knows (its tool table, next to {@link CLIENT_TOOL_ALIASES}), offered or not
 * in a given session: `ListMcpResourcesTool`, `ReadMcpResourceTool`, `LSP`, `PowerShell`, ... are valid in
 * `tools` / `allowed-tools` although `-p` mode does not offer them. The linter accepts them (`unknown-tool`).
 */
export const CLIENT_TOOL_NAMES = [
  'Agent', 'Artifact', 'AskUserQuestion', 'Bash', 'ClaudeDesign', 'CronCreate', 'CronDelete', 'CronList', 'Edit',
  'EndConversation', 'EnterPlanMode', 'EnterWorktree', 'ExitPlanMode', 'ExitWorktree', 'Glob', 'Grep', 'ListAgents',
  'ListMcpResourcesTool', 'LSP', 'Monitor', 'NotebookEdit', 'OfferChromeSetup', 'PowerShell', 'Projects',
  'PushNotification', 'Read', 'ReadMcpResourceDirTool', 'ReadMcpResourceTool', 'ReadNotifications', 'RemoteTrigger',
  'ReportFindings', 'ScheduleWakeup', 'SendFeedback', 'SendMessage', 'SendUserFile', 'SendUserMessage', 'SetGoal',
  'Skill', 'SubagentHandback', 'TaskCreate', 'TaskGet', 'TaskList', 'TaskStop', 'TaskUpdate', 'TodoWrite', 'ToolSearch',
  'WaitForMcpServers', 'WebFetch', 'WebSearch', 'Workflow', 'Write',
] as const;

// ---------------------------------------------------------------------------------------------------------
// Agent runs: background or foreground, completion notifications, and how long a command's approval lasts.
// Seen on the real CLI (test/e2e/probe-agents.test.ts, docs/e2e.md "Agent runs"), 2.1.197 and 2.1.329.
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether an Agent call WITHOUT `run_in_background` runs in the background, by Claude Code version (seen).
 * 2.1.329: yes — the call returns at once with {@link AGENT_LAUNCHED_TEXT}. 2.1.197: no — the message's Agent
 * calls run concurrently but all their results come back together, when the slowest agent has finished (a
 * barrier). With `run_in_background: true` both versions run the agent in the background; with `false` both
 * wait. A prompt that wants per-completion dispatch must therefore set `run_in_background: true` explicitly.
 */
export const AGENT_BACKGROUND_BY_DEFAULT: Readonly<Record<string, boolean>> = { '2.1.197': false, '2.1.329': true };

/**
 * Whether a `$N` / `$ARGUMENTS[N]` past the last argument reaches the model as written, by Claude Code version
 * (seen; test/e2e/probe.test.ts). 2.1.329: yes (`/argt onlyone` gives `ARG1=[$1]`; a Bash call holding it is
 * then denied, "A variable in this command can't be checked before it runs"). 2.1.197: no, it becomes an empty
 * string (`ARG1=[]`, so `--agent "$0"` reads `--agent ""`). A prompt must say what to do when an optional
 * argument is missing either way.
 */
export const MISSING_ARGUMENT_AS_WRITTEN: Readonly<Record<string, boolean>> = { '2.1.197': false, '2.1.329': true };

/**
 * Whether `claude plugin validate` has `--profile directory` (the plugin catalog's submission checks), by
 * version (seen): 2.1.329 yes; 2.1.197 no (`error: unknown option '--profile'`), only `--strict`.
 */
export const PLUGIN_VALIDATE_PROFILE: Readonly<Record<string, boolean>> = { '2.1.197': false, '2.1.329': true };

/** Start of the tool_result of a background Agent call (seen on 2.1.197 and 2.1.329). */
export const AGENT_LAUNCHED_TEXT = 'Async agent launched successfully';

/**
 * Tag of a background agent's completion notification (seen on 2.1.197 and 2.1.329): one
 * `<task-notification>` per finished agent, holding `<task-id>`, `<tool-use-id>` (the Agent tool_use that
 * spawned it), `<status>completed</status>`, `<summary>Agent "DESCRIPTION" finished</summary>` (the Agent
 * call's `description`), `<result>` (the agent's final text) and `<usage>`. When the parent had ended its turn
 * it arrives as a new user turn, one per agent (2.1.329 wraps it in a `<system-reminder>[SYSTEM NOTIFICATION -
 * NOT USER INPUT] …`); when the parent's turn is still going on, every notification that arrived during a tool
 * call is put in ONE `system`-role message right after that call's tool_result. `claude -p` does not exit
 * while a background agent runs: it delivers each notification and exits after the last one's turn.
 */
export const TASK_NOTIFICATION_TAG = 'task-notification';

/**
 * How far a command's `allowed-tools` reaches (seen on 2.1.197 and 2.1.329): the command's own turn — every
 * tool call the model makes until it ends its turn, and the agents spawned during it — and no further. After
 * the model ends its turn, a notification turn runs without the command's approval: a helper call there is
 * denied in `-p` (`This command requires approval`; interactive mode asks), and so are the helper calls of an
 * agent spawned from that turn; re-invoking the command through the Skill tool is denied as well
 * (`Skill(NAME)` needs an allow rule). An allow rule in the user's `~/.claude/settings.json` or given with
 * `--allowedTools` does reach notification turns (both versions); one in `.claude/settings.local.json` does
 * on 2.1.329 only, and one in the project's shared `.claude/settings.json` was honoured by neither (fresh
 * HOME, untrusted folder). A coordinator that must keep its approval therefore keeps its turn going (a
 * blocking helper call) instead of ending it to wait.
 */
export const COMMAND_APPROVAL_SCOPE = 'turn' as const;

/**
 * Seconds from which Claude Code refuses a Bash call whose first command is `sleep N`, by version (seen;
 * test/e2e/probe-agents.test.ts); `null`: no such refusal. 2.1.329: `Blocked: standalone sleep 30. To wait
 * for a condition, use Monitor with an until-loop …` (`sleep 30 && x`: `sleep 30 followed by: x`), in the main
 * session and in subagents, unless the call runs in the background; only the bare number form is matched
 * (`sleep 30s` runs). 2.1.197 runs them all.
 */
export const BASH_SLEEP_BLOCK_SECONDS: Readonly<Record<string, number | null>> = { '2.1.197': null, '2.1.329': 25 };

/**
 * Shell commands Claude Code runs in a `` !`cmd` `` (or ```` ```! ````) line WITHOUT any pre-approval, because it
 * judges them read-only (seen on 2.1.329 and 2.1.197 alike, bench/real-world.ts and
 * test/e2e/lint-oracle.test.ts): `echo`, `date`, `pwd`, `ls`, `cat`, `head`, `wc`, `sort`, `grep -r`, `find -name`,
 * `which`, `uname`, `whoami`, `test -f x && echo`, `node --version`, `tree`, `git status|log|diff|branch -a|
 * branch --merged X|branch --show-current|remote -v|rev-parse|for-each-ref|tag -l`, joined with `|`, `&&`, `||`
 * and `2>/dev/null`. Needing approval on both (`Shell command permission check failed for pattern "!`…`"` on
 * 2.1.329, an empty result on 2.1.197; no request is sent): `npm`, `npx`, `gh`, `jq`, `env`, `printenv`, `uniq`,
 * `awk`, `touch`, `mkdir` (a write inside the project), `git bisect log`, `git config --list`, any `$(…)` (also inside
 * quotes). Seen unapproved on 2.1.329 too: `cut`, `df`, `du`, `file`, `hostname`, `id`, `ps`, `stat`, `tr … < file`,
 * `sed -n 1p`, `tail -n 1`, `git blame|describe|ls-files|reflog -3|rev-list --count|shortlog -sn|stash list|
 * worktree list|tag --sort=…|log --since=…`. A permitted command that fails (exit ≠ 0) aborts the
 * command too (2.1.329: `Shell command failed for pattern …`). Programs listed here are the ones seen; their
 * flags are checked by {@link import('./permissions.ts').runsWithoutApproval}.
 */
export const READ_ONLY_PROGRAMS = ['echo', 'date', 'pwd', 'ls', 'cat', 'head', 'tail', 'wc', 'sort', 'grep', 'find', 'which', 'uname', 'whoami', 'test', 'tree', 'cut', 'df', 'du', 'file', 'hostname', 'id', 'ps', 'stat', 'tr', 'sed'] as const;

/** `git` subcommands Claude Code runs unapproved in `` !`cmd` `` (seen on 2.1.329 and 2.1.197; see {@link READ_ONLY_PROGRAMS}). */
export const READ_ONLY_GIT = ['status', 'log', 'diff', 'show', 'branch', 'remote', 'rev-parse', 'for-each-ref', 'tag', 'blame', 'describe', 'ls-files', 'reflog', 'rev-list', 'shortlog', 'stash', 'worktree'] as const;

/**
 * How Claude Code reads frontmatter values of another type than documented (seen with the oracle,
 * test/e2e/lint-oracle.test.ts): the value is converted, not dropped.
 * - `argument-hint: [file]` (a YAML list) is shown as `file`, `[a, b]` as `a,b` (the SDK's `initialize`
 *   `commands[].argumentHint`; 2.1.329 and 2.1.197).
 * - `description: 42` is listed as `42` (2.1.329 and 2.1.197).
 * - `disable-model-invocation: "yes"` or `1` hides the command from the model on 2.1.329; 2.1.197 ignores such
 *   values and lists it. `"no"`, `"false"`, `maybe` list it on both.
 * Dropped instead (value-type's errors): `description` as a list, mapping or empty (a command is listed with its
 * first body line, an agent is not loaded); an agent's `tools: 42` (the agent gets no tools; 2.1.329 lists it with `All tools`) and
 * `model: [haiku]` (the default model).
 */
export const COERCED_VALUES = {
  argumentHint: 'String(value)',
  description: 'number → text',
  disableModelInvocation: { '2.1.329': ['yes', '1', 'true'], '2.1.197': [] as string[] },
} as const;

/**
 * Agent `tools:` entries are matched case-sensitively (seen on 2.1.329 and 2.1.197): `Read, bash, grep` gives the
 * subagent `Read` only; `tools: Frobnicate` (no known name at all) resolves to no tools: 2.1.329 refuses the spawn (`Agent 'X' would be spawned
 * with zero tools — refusing. Its tools list resolved to nothing: unrecognized [Frobnicate]`), 2.1.197 runs it with none
 * (`agent-tools-empty`); `Bash(git:*)` in an
 * agent's `tools` gives `Bash`. Unknown names are dropped silently (`unknown-tool`, a warning).
 */
export const AGENT_TOOLS_CASE_SENSITIVE = true;

/**
 * Where Claude Code finds `` !`cmd` `` lines in a command body (seen on 2.1.329 and 2.1.197, a scratch probe and
 * test/e2e/lint-oracle.test.ts `inject-readonly`): at a line start or after a space — **inside fenced code blocks
 * too** (a ```` ```bash ```` block holding `` !`date +%Y` `` reaches the model with the date in its place) — but
 * not right after another character (`State:!`…``) nor after a backquote (`` `!`cmd`` `` in inline code stays
 * literal). Every such line must pass the permission check before the prompt is sent; the first that fails
 * aborts the whole command (src/lint/body.ts `injectedCommands` finds the same places).
 */
export const SHELL_INJECTION_IN_FENCES = true;

/**
 * An `allowed-tools` rule with an empty specifier, `Bash()`, is read as the bare tool: it pre-approves **every**
 * Bash call (seen on 2.1.329 and 2.1.197, test/e2e/lint-oracle.test.ts `perm-empty`: `node .claude/scripts/say.mjs
 * empty` ran undenied in `-p`). A rule without its closing `)` (`Bash(node x.mjs:*`) or with `:*` before the end
 * (`Bash(node:* x.mjs)`) pre-approves nothing: the call is denied in `-p` (both versions; `perm-unclosed`, and a
 * scratch probe for the second). `permission-rule` reports all three.
 */
export const EMPTY_SPECIFIER_MEANS_ALL = true;

/**
 * What the oracle saw of plugins installed from a local marketplace in a folder whose path holds a space (2.1.329
 * and 2.1.197, test/e2e/lint-oracle.test.ts): a hook command with an unquoted `${CLAUDE_PLUGIN_ROOT}`
 * (`node ${CLAUDE_PLUGIN_ROOT}/hooks/mark.mjs`) does not run (the path splits into words; `SessionStart` and
 * `UserPromptSubmit` alike, the session goes on without a word), the quoted one runs; a command in `command/`
 * (not `commands/`) is not listed; `"agents": ["./agents"]` in plugin.json makes `claude plugin install` fail
 * (2.1.329: `agents.0: Invalid string: must end with ".md"`; 2.1.197: `agents: Invalid input`).
 */
export const PLUGIN_HOOK_ROOT_SPLITS_ON_SPACE = true;
