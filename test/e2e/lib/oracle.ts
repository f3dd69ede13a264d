/**
 * The oracle: loads a tree of Claude Code files in the real CLI and reads back what it loaded, from what it
 * sends to the model. One `claude -p` run per call (offline, against the stand-in, fresh HOME), so a test
 * groups many files into one tree and asks once.
 *
 * What is visible (seen on 2.1.329 and 2.1.197, see docs/e2e.md "Observed Claude Code facts"):
 * - commands and skills: the Skill tool's list, `NAME: DESCRIPTION` (2.1.329 lists a skill whose frontmatter
 *   `name` differs from its folder as `FOLDER (NAME)`); a command whose frontmatter is dropped is listed with
 *   its first body line as description. Argument hints are not sent to the model.
 * - agents: the Agent tool's type list, `NAME: DESCRIPTION (Tools: …)` with the tools as written; a skipped
 *   agent is missing from it. With many agents or skills the client shortens long descriptions in these
 *   lists (seen on 2.1.329 with 108 agents: cut mid-word, no `(Tools: …)`), so compare descriptions as prefixes.
 * - with `spawn`: each named agent is spawned once (in one message, the parent waiting); its own request shows
 *   the tools the subagent really gets and the model it runs (`model` of the request).
 */
import { spawn as spawnProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startStandIn, systemText, type MessagesBody } from '../stand-in/server.ts';
import { claudeBin, makeSandbox, runClaude, runClaudeRaw, sandboxEnv, type ClaudeRun } from '../stand-in/run-claude.ts';
import { allText, bashOutcomes, commandTurn, isSubagentRequest, turnRequests, type BashOutcome } from './inspect.ts';
import { agent, bash, batchScript } from './script.ts';

/** An agent as the Agent tool lists it. */
export interface ListedAgent {
  description: string;
  /** The `(Tools: …)` text of the listing, e.g. `Read, Grep` or `All tools`. */
  tools: string;
}

/** What one spawned subagent's first request carried. */
export interface SpawnedAgent {
  /** Tool names offered to the subagent. */
  tools: string[];
  /** The `model` of its request (e.g. `claude-haiku-4-5`). */
  model: string | undefined;
  /** Its system prompt (the agent body is in it). */
  system: string;
}

/** What the client loaded from a tree. */
export interface Loaded {
  /** Commands and skills listed for the Skill tool: name (a skill's folder name) → description. */
  skills: Map<string, string>;
  /** Agent types offered (built-ins included): name → listing. */
  agents: Map<string, ListedAgent>;
  /** Spawned agents (only with `spawn`): agent type → its subagent request, when it was spawned. */
  spawned: Map<string, SpawnedAgent>;
  /** Agent types whose spawn the client refused (`Agent type 'X' not found`). */
  refused: string[];
  /** Tool names offered to the main session (the deferred ones behind ToolSearch not included). */
  tools: string[];
  /** Texts of the spawn results that refused (seen on 2.1.329: `Agent 'X' would be spawned with zero tools — refusing. …`). */
  refusals: string[];
  run: ClaudeRun;
}

/** Options for {@link loadTree}. */
export interface LoadOptions {
  /** Agent types to spawn once each, to read their real tools and model. */
  spawn?: string[];
  /** Extra CLI arguments. */
  args?: string[];
}

/** Writes `files` (path below the project → text or bytes) into `dir`. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

/** Where the agent and skill lists end (seen on 2.1.329 and 2.1.197, in the system text that holds them). */
const LIST_ENDS = ['\n\nWhen you launch multiple agents', 'The following skills are available for use with the Skill tool:', "\n\nToday's date is"];

/**
 * The `- NAME: TEXT` entries after `header`, up to the next known section ({@link LIST_ENDS}). An entry runs
 * until the next line `- NAME: ` (seen on 2.1.329: a multi-line description keeps its newlines and blank lines,
 * and its ` (Tools: …)` may sit on the next line; names may hold spaces, `Benchmark Suite`; a bullet inside a
 * description without `: ` is not taken for an entry).
 */
function entriesAfter(text: string, header: string): Map<string, string> {
  const out = new Map<string, string>();
  const at = text.indexOf(header);
  if (at < 0) return out;
  const rest = text.slice(at + header.length);
  const ends = LIST_ENDS.map((e) => rest.indexOf(e)).filter((i) => i > 0);
  const section = ends.length ? rest.slice(0, Math.min(...ends)) : rest;
  for (const entry of `\n${section.trim()}`.split(/\n(?=- [^\n:]{1,300}(?::[^\s:][^\n:]*)*: )/)) {
    const m = /^\n?- ([^\n:]+(?::[^\s:][^\n:]*)*?): ([\s\S]*)$/.exec(entry);
    if (m) out.set(m[1]!, m[2]!.replace(/\s*\n\s*/g, ' ').trim());
  }
  return out;
}

function listedAgents(body: MessagesBody): Map<string, ListedAgent> {
  const out = new Map<string, ListedAgent>();
  for (const [name, line] of entriesAfter(allText(body), 'Available agent types for the Agent tool:')) {
    // Greedy tools part: a rule such as `Bash(git:*)` holds parentheses of its own.
    const m = /^([\s\S]*?)(?: ?\(Tools: ([\s\S]*)\))?$/.exec(line)!;
    out.set(name, { description: m[1]!.trim(), tools: m[2] ?? '' });
  }
  return out;
}

function listedSkills(body: MessagesBody): Map<string, string> {
  const out = new Map<string, string>();
  // 2.1.329: `folder (name)` when a skill's `name` differs from its folder.
  for (const [name, desc] of entriesAfter(allText(body), 'The following skills are available for use with the Skill tool:')) out.set(name.replace(/ \([^)]*\)$/, ''), desc);
  return out;
}

/**
 * Loads `files` as the project of a fresh sandbox (so `.claude/commands/x.md` etc.) in the real Claude Code
 * and reports what it loaded. Spawned agents are matched by their type in the Agent call; each subagent's
 * first request is the one recorded.
 * @throws Error when `claude` exits non-zero or sends no request (the output is in the message).
 */
export async function loadTree(files: Record<string, string | Buffer>, opts: LoadOptions = {}): Promise<Loaded> {
  const box = makeSandbox('bc-e2e-oracle-');
  const server = await startStandIn();
  try {
    writeTree(box.project, files);
    const spawn = opts.spawn ?? [];
    // One message with every spawn, the parent waiting for each (so the subagents' requests are recorded).
    server.setScript(batchScript(spawn.length ? [spawn.map((t) => agent(t, `oracle spawn ${t}`, 'oracle', false))] : []));
    const run = await runClaude('oracle: list what is loaded', { cwd: box.project, home: box.home, baseUrl: server.url, ...(opts.args ? { args: opts.args } : {}) });
    const turns = turnRequests(server.requests);
    const first = turns.find((b) => !isSubagentRequest(b));
    if (run.exitCode !== 0 || !first) throw new Error(`claude failed (exit ${run.exitCode}): ${run.stdout}\n${run.stderr}`);
    const spawned = new Map<string, SpawnedAgent>();
    const refused: string[] = [];
    // The first user message of a subagent conversation is the spawn prompt, which names the type.
    // Every subagent request, tool-less ones too (an agent whose `tools` name nothing gets no tools at all).
    const subRequests = server.requests.filter((r) => r.url.startsWith('/v1/messages') && !r.url.includes('count_tokens') && r.body && isSubagentRequest(r.body)).map((r) => r.body!);
    for (const body of subRequests) {
      const firstUser = body.messages.find((m) => m.role === 'user');
      const text = typeof firstUser?.content === 'string' ? firstUser.content : (firstUser?.content ?? []).map((b) => b.text ?? '').join('\n');
      const type = /oracle spawn (\S+)/.exec(text)?.[1];
      if (type && !spawned.has(type)) spawned.set(type, { tools: (body.tools ?? []).map((t) => t.name), model: body.model, system: systemText(body) });
    }
    const all = JSON.stringify(turns.map((b) => b.messages));
    for (const t of spawn) if (all.includes(`Agent type '${t}' not found`)) refused.push(t);
    const refusals = [...new Set(all.match(/Agent '[^']+' would be spawned with zero tools[^"\\]*/g) ?? [])];
    return { skills: listedSkills(first), agents: listedAgents(first), spawned, refused, refusals, tools: (first.tools ?? []).map((t) => t.name), run };
  } finally {
    await server.close();
    box.cleanup();
  }
}

/** What one typed command did (see {@link invokeCommands}). */
export interface Invocation {
  /** True when a request with the command reached the model. */
  sent: boolean;
  /** The expanded body the model received (arguments substituted, `` !`cmd` `` output pasted in). */
  body: string;
  /** The JSON result text: the abort message when the command did not run, e.g. `Shell command permission check failed for pattern "!`npm ls`": This command requires approval` (2.1.329; 2.1.197 gives an empty result). */
  result: string;
  /** The `model` of the command's request. */
  model: string | undefined;
  /** The Bash calls the scripted model made in the command's turn ({@link InvokeOptions.bash}) and their outcomes, in order. */
  bash: BashOutcome[];
  run: ClaudeRun;
}

/** Options for {@link invokeCommands}. */
export interface InvokeOptions {
  /** PATH for the client (default: the parent's). The bench passes a folder of a few read-only programs so third-party `` !`cmd` `` lines that the client lets through cannot change anything. */
  pathEnv?: string;
  /**
   * Bash commands the scripted model calls, all in one message, in the turn of the typed command `/name` (the key
   * is the prompt's first word); its outcome (ran, exit code, denied) is in {@link Invocation.bash}. Without it the
   * model calls no tool.
   */
  bash?: Record<string, string[]>;
}

/**
 * Types each of `prompts` (`/name args`, one `claude -p` run each, at most CLAUDE_CODE_E2E_CONCURRENCY at once) in
 * one sandbox holding `files`, and reports per prompt what the client did: whether the command reached the model
 * and with which body, or the abort message. Runs are told apart by the `<command-name>` of their request.
 * @throws Error when a run exits non-zero.
 */
export async function invokeCommands(files: Record<string, string | Buffer>, prompts: string[], opts: InvokeOptions = {}): Promise<Map<string, Invocation>> {
  const box = makeSandbox('bc-e2e-oracle-');
  const server = await startStandIn();
  try {
    writeTree(box.project, files);
    const calls = opts.bash ?? {};
    // The request's command turn says which typed command it belongs to (the runs share one stand-in).
    server.setScript((body, req) => {
      const name = commandTurn(body)?.name;
      const commands = name ? calls[name] : undefined;
      return batchScript(commands?.length ? [commands.map((c) => bash(c, 'oracle probe'))] : [])(body, req);
    });
    const out = new Map<string, Invocation>();
    await Promise.all(
      prompts.map(async (prompt) => {
        const run = await runClaude(prompt, { cwd: box.project, home: box.home, baseUrl: server.url, ...(opts.pathEnv ? { env: { PATH: opts.pathEnv } } : {}) });
        if (run.exitCode !== 0) throw new Error(`claude failed on ${prompt} (exit ${run.exitCode}): ${run.stdout}\n${run.stderr}`);
        const name = prompt.split(/\s/)[0]!;
        const req = turnRequests(server.requests).find((b) => !isSubagentRequest(b) && commandTurn(b)?.name === name);
        const turn = req ? commandTurn(req) : undefined;
        const own = server.requests.filter((r) => r.body && !isSubagentRequest(r.body) && commandTurn(r.body)?.name === name);
        out.set(prompt, { sent: !!turn, body: turn?.body ?? '', result: String(run.json?.result ?? ''), model: req?.model, bash: bashOutcomes(own), run });
      }),
    );
    return out;
  } finally {
    await server.close();
    box.cleanup();
  }
}

/** A command or skill as the SDK's `initialize` control request reports it. */
export interface InitCommand {
  name: string;
  description: string;
  /** The argument hint the client shows after the name (seen: `argument-hint: [file]` → `file`). */
  argumentHint: string;
}

/**
 * Starts the client in stream-JSON mode on `files` and sends the SDK's `initialize` control request, which answers
 * with the commands and skills the client loaded, including their `argumentHint` (which the model never sees).
 * No model request is made. Seen on 2.1.329 and 2.1.197: `response.response.commands[]` of `{name, description,
 * argumentHint}`; descriptions end with ` (project)`, which is removed here.
 * @throws Error when no control response arrives within 60 s.
 */
export async function initializeCommands(files: Record<string, string | Buffer>): Promise<Map<string, InitCommand>> {
  const box = makeSandbox('bc-e2e-oracle-');
  const server = await startStandIn();
  try {
    writeTree(box.project, files);
    const child = spawnProcess(claudeBin(), ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose'], {
      cwd: box.project,
      env: sandboxEnv({ cwd: box.project, home: box.home, baseUrl: server.url }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      if (stdout.includes('"control_response"')) child.stdin.end();
    });
    child.stdin.write(`${JSON.stringify({ type: 'control_request', request_id: 'oracle-init', request: { subtype: 'initialize' } })}\n`);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await done;
    clearTimeout(timer);
    const line = stdout.split('\n').find((l) => l.includes('"control_response"'));
    if (!line) throw new Error(`no initialize response: ${stdout.slice(0, 500)}`);
    const j = JSON.parse(line) as { response?: { response?: { commands?: InitCommand[] } } };
    const out = new Map<string, InitCommand>();
    for (const c of j.response?.response?.commands ?? []) out.set(c.name, { ...c, description: c.description.replace(/ \((?:project|user)\)$/, '') });
    return out;
  } finally {
    await server.close();
    box.cleanup();
  }
}

/** What {@link installPlugins} saw. */
export interface PluginLoad {
  /** `claude plugin install NAME@MARKET` per plugin (exit code and output: a refused manifest is named there). */
  installs: Map<string, ClaudeRun>;
  /** Commands and skills listed for the Skill tool in one `claude -p` run after the installs (`plugin:name` → description). */
  skills: Map<string, string>;
  /** The text of each `read` path below the project after that run, or null when the file does not exist. */
  project: Map<string, string | null>;
  /** The folder the marketplace was written to (it holds a space, see {@link installPlugins}). */
  marketDir: string;
}

/**
 * Writes `market` (a marketplace folder: `.claude-plugin/marketplace.json` and its plugins, path → text) into a
 * folder whose path holds a space (`…/my plugins/market`, the case an unquoted `${CLAUDE_PLUGIN_ROOT}` breaks), adds
 * it as a marketplace for a fresh HOME, installs each of `plugins` from it, then runs `claude -p` once in an empty
 * project against the stand-in (no tool calls), so hooks such as `SessionStart` and `UserPromptSubmit` fire. A local
 * marketplace is used in place (seen on 2.1.329 and 2.1.197), so `${CLAUDE_PLUGIN_ROOT}` is that folder.
 * @param market marketplace files; its `marketplace.json` `name` is read to address the plugins.
 * @param read project-relative paths to read after the run (what the hooks wrote).
 * @throws Error when adding the marketplace or the `-p` run fails (a failed install is reported, not thrown).
 */
export async function installPlugins(market: Record<string, string | Buffer>, plugins: string[], read: string[] = []): Promise<PluginLoad> {
  const box = makeSandbox('bc-e2e-oracle-');
  const server = await startStandIn();
  try {
    const marketDir = path.join(box.root, 'my plugins', 'market');
    writeTree(marketDir, market);
    const name = (JSON.parse(fs.readFileSync(path.join(marketDir, '.claude-plugin/marketplace.json'), 'utf8')) as { name: string }).name;
    const o = { cwd: box.project, home: box.home, timeoutMs: 60_000 };
    const add = await runClaudeRaw(['plugin', 'marketplace', 'add', marketDir], o);
    if (add.exitCode !== 0) throw new Error(`marketplace add failed (exit ${add.exitCode}): ${add.stdout}\n${add.stderr}`);
    const installs = new Map<string, ClaudeRun>();
    // One at a time: both write the user's settings file.
    for (const p of plugins) installs.set(p, await runClaudeRaw(['plugin', 'install', `${p}@${name}`], o));
    server.setScript(batchScript([]));
    const run = await runClaude('oracle: list the plugins', { cwd: box.project, home: box.home, baseUrl: server.url });
    const first = turnRequests(server.requests).find((b) => !isSubagentRequest(b));
    if (run.exitCode !== 0 || !first) throw new Error(`claude failed (exit ${run.exitCode}): ${run.stdout}\n${run.stderr}`);
    const project = new Map(read.map((rel) => [rel, fs.existsSync(path.join(box.project, rel)) ? fs.readFileSync(path.join(box.project, rel), 'utf8') : null]));
    return { installs, skills: listedSkills(first), project, marketDir };
  } finally {
    await server.close();
    box.cleanup();
  }
}
