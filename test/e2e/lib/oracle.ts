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
import fs from 'node:fs';
import path from 'node:path';
import { startStandIn, systemText, type MessagesBody } from '../stand-in/server.ts';
import { makeSandbox, runClaude, type ClaudeRun } from '../stand-in/run-claude.ts';
import { allText, isSubagentRequest, turnRequests } from './inspect.ts';
import { agent, batchScript } from './script.ts';

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
    const m = /^([\s\S]*?)(?: ?\(Tools: ([^)]*)\))?$/.exec(line)!;
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
    for (const body of turns.filter(isSubagentRequest)) {
      const firstUser = body.messages.find((m) => m.role === 'user');
      const text = typeof firstUser?.content === 'string' ? firstUser.content : (firstUser?.content ?? []).map((b) => b.text ?? '').join('\n');
      const type = /oracle spawn (\S+)/.exec(text)?.[1];
      if (type && !spawned.has(type)) spawned.set(type, { tools: (body.tools ?? []).map((t) => t.name), model: body.model, system: systemText(body) });
    }
    const all = JSON.stringify(turns.map((b) => b.messages));
    for (const t of spawn) if (all.includes(`Agent type '${t}' not found`)) refused.push(t);
    return { skills: listedSkills(first), agents: listedAgents(first), spawned, refused, run };
  } finally {
    await server.close();
    box.cleanup();
  }
}
