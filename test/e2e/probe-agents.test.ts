/**
 * Probe: how the Agent tool runs agents on the Claude Code version under test — background or foreground,
 * concurrency, the shape of completion notifications, whether `claude -p` waits for background agents, and how
 * far a command's `allowed-tools` approval reaches (src/definitions/claude-facts.ts, "Agent runs"; docs/e2e.md).
 * Fixtures: test/e2e/fixtures/probe (`/fanout`, agent `napper`, whose helper call `nap SECONDS NAME` sleeps
 * and logs its start and end to naps.log).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assistantTurns, contentText, startStandIn, type Block, type MessagesBody, type StandIn } from './stand-in/server.ts';
import { claudeVersion, makeSandbox, runClaude, type ClaudeRun } from './stand-in/run-claude.ts';
import { bashOutcomes, describeOutcomes, isSubagentRequest } from './lib/inspect.ts';
import { newNotifications, notificationsIn } from './lib/notifications.ts';
import { agent, bash, say } from './lib/script.ts';
import { AGENT_BACKGROUND_BY_DEFAULT, AGENT_LAUNCHED_TEXT, BASH_SLEEP_BLOCK_SECONDS } from '../../src/definitions/claude-facts.ts';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const HELPER = 'node .claude/scripts/helper.mjs';

/** A nap of one agent (or of the main session) as naps.log recorded it, in ms since the run started. */
interface Nap {
  name: string;
  start: number;
  end: number;
}

interface ProbeRun {
  run: ClaudeRun;
  server: StandIn;
  started: number;
  naps: Map<string, Nap>;
  /** Main-session turn requests with their arrival (ms since the run started). */
  main: Array<{ at: number; body: MessagesBody }>;
}

/**
 * Runs `/fanout` with a main-session script; each `napper` agent naps for the seconds its prompt names
 * (`NAME=A SECONDS=2`) and then ends with `napped NAME`.
 * @param script the main session's reply to each request (a function of the request and its turn number).
 * @param setup extra files for the project or the HOME (e.g. settings).
 */
async function probeRun(script: (body: MessagesBody, n: number) => Block[] | string, setup?: (project: string, home: string) => void): Promise<ProbeRun> {
  const box = makeSandbox('bc-e2e-agents-');
  cleanups.push(box.cleanup);
  fs.cpSync(path.join(FIXTURES, 'probe/.claude'), path.join(box.project, '.claude'), { recursive: true });
  setup?.(box.project, box.home);
  const server = await startStandIn((body) => {
    if ((body.tools?.length ?? 0) === 0) return say('e2e');
    const n = assistantTurns(body);
    if (isSubagentRequest(body)) {
      const prompt = body.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content)).join('\n');
      const [, name, seconds] = /NAME=(\w+) SECONDS=([\d.]+)/.exec(prompt) ?? ['', 'unknown', '0'];
      return n === 0 ? { blocks: [bash(`${HELPER} nap ${seconds} ${name}`)] } : say(`napped ${name}`);
    }
    const reply = script(body, n);
    return typeof reply === 'string' ? say(reply) : { blocks: reply };
  });
  cleanups.push(() => server.close());
  const started = Date.now();
  const run = await runClaude('/fanout', { cwd: box.project, home: box.home, baseUrl: server.url, timeoutMs: 110_000 });
  const naps = new Map<string, Nap>();
  const log = path.join(box.project, 'naps.log');
  for (const line of fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []) {
    const [what, name, ms] = line.split(' ') as [string, string, string];
    const nap = naps.get(name) ?? { name, start: NaN, end: NaN };
    if (what === 'nap-start') nap.start = Number(ms) - started;
    else nap.end = Number(ms) - started;
    naps.set(name, nap);
  }
  const main = server.requests.filter((r) => r.body && (r.body.tools?.length ?? 0) > 0 && !isSubagentRequest(r.body)).map((r) => ({ at: r.at - started, body: r.body! }));
  return { run, server, started, naps, main };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The tool_results of the first message's Agent calls, in call order (text). */
function spawnResults(body: MessagesBody): string[] {
  const calls = body.messages[2]?.content;
  const ids = typeof calls === 'string' || !calls ? [] : calls.filter((b) => b.type === 'tool_use' && b.name === 'Agent').map((b) => b.id!);
  return ids.map((id) => {
    for (const m of body.messages) {
      if (typeof m.content === 'string') continue;
      const r = m.content.find((b) => b.type === 'tool_result' && b.tool_use_id === id);
      if (r) return contentText([r]);
    }
    return '';
  });
}

// Three seconds apart, the shortest 3 s: each completion must reach an idle client for it to get a turn of its own
// (two that end while the client is still in a turn arrive together, as the last test shows), and all three agents
// must have started before the first ends. 1, 2, 3 s was too close on a loaded 2-core CI machine (B's and C's
// notifications once shared a message).
const NAPS = [
  ['A', 3],
  ['B', 6],
  ['C', 9],
] as const;

describe(`probe: Agent runs on Claude Code ${claudeVersion()}`, { timeout: 120_000 }, () => {
  it('run_in_background: true — each call returns at once, the agents run concurrently, each completion is its own notification turn, and `-p` waits for the last', async () => {
    const p = await probeRun((_b, n) => (n === 0 ? NAPS.map(([name, s]) => agent('napper', `NAME=${name} SECONDS=${s}`, `worker-${name}: nap`, true)) : 'waiting'));
    expect(p.run.exitCode, p.run.stderr).toBe(0);
    const ends = NAPS.map(([name]) => p.naps.get(name)!);
    expect(ends.every((x) => Number.isFinite(x.end)), JSON.stringify([...p.naps.values()])).toBe(true);
    // Concurrent: every agent started before the first one finished.
    expect(Math.max(...ends.map((x) => x.start))).toBeLessThan(Math.min(...ends.map((x) => x.end)));
    // At once: the model's second request (the spawn results) came before any agent finished.
    const second = p.main[1]!;
    expect(second.at).toBeLessThan(Math.min(...ends.map((x) => x.end)));
    for (const r of spawnResults(second.body)) expect(r).toContain(AGENT_LAUNCHED_TEXT);
    // One notification per agent, each in its own new turn after that agent's end, naming the Agent call.
    const final = p.main[p.main.length - 1]!.body;
    const ids = (final.messages[2]!.content as Array<{ type: string; id?: string }>).filter((b) => b.type === 'tool_use').map((b) => b.id);
    const notes = notificationsIn(final);
    expect(notes.map((x) => [x.description, x.toolUseId, x.status, x.result])).toEqual(NAPS.map(([name], i) => [`worker-${name}: nap`, ids[i], 'completed', `napped ${name}`]));
    expect(new Set(notes.map((x) => x.message)).size, 'one message per notification').toBe(3);
    expect(notes.every((x) => x.role === 'user')).toBe(true);
    for (const [name] of NAPS) {
      const turn = p.main.find((m) => newNotifications(m.body).some((x) => x.result === `napped ${name}`))!;
      expect(turn, `a turn for ${name}'s notification`).toBeDefined();
      expect(turn.at).toBeGreaterThanOrEqual(p.naps.get(name)!.end);
    }
    // `-p` stayed until the last agent's notification had its turn.
    expect(p.main.length).toBe(2 + NAPS.length);
  });

  it('no run_in_background — background or foreground as AGENT_BACKGROUND_BY_DEFAULT records for this version', async () => {
    const p = await probeRun((_b, n) => (n === 0 ? NAPS.map(([name, s]) => agent('napper', `NAME=${name} SECONDS=${s}`, `worker-${name}: nap`)) : 'waiting'));
    expect(p.run.exitCode, p.run.stderr).toBe(0);
    const ends = NAPS.map(([name]) => p.naps.get(name)!);
    expect(Math.max(...ends.map((x) => x.start)), 'concurrent either way').toBeLessThan(Math.min(...ends.map((x) => x.end)));
    const results = spawnResults(p.main[1]!.body);
    const background = results.every((r) => r.includes(AGENT_LAUNCHED_TEXT));
    if (!background) {
      // Foreground: every result of the message arrives together, after the slowest agent, holding its report.
      expect(p.main[1]!.at).toBeGreaterThanOrEqual(Math.max(...ends.map((x) => x.end)));
      expect(results.map((r) => /napped (\w+)/.exec(r)?.[1])).toEqual(NAPS.map(([name]) => name));
      expect(notificationsIn(p.main[p.main.length - 1]!.body)).toEqual([]);
    }
    const version = claudeVersion();
    expect(background, `Claude Code ${version}: agents run in the ${background ? 'background' : 'foreground'} by default; record it in AGENT_BACKGROUND_BY_DEFAULT`).toBe(AGENT_BACKGROUND_BY_DEFAULT[version]);
  });

  it("a command's allowed-tools end with its turn: a notification turn's helper call and the helper calls of an agent spawned there are denied (an allow rule in the user's ~/.claude/settings.json reaches them)", async () => {
    const script = (body: MessagesBody, n: number): Block[] | string => {
      if (n === 0) return [bash(`${HELPER} hello0`), agent('napper', 'NAME=A SECONDS=1', 'worker-1: A', true)];
      const fresh = newNotifications(body);
      if (fresh.some((x) => x.result === 'napped A')) return [bash(`${HELPER} hello1`), agent('napper', 'NAME=B SECONDS=1', 'worker-1: B', true)];
      return 'waiting';
    };
    const plain = await probeRun(script);
    // The user's own settings (2.1.329 also honours .claude/settings.local.json; 2.1.197 did not, in a fresh HOME).
    const allowed = await probeRun(script, (_project, home) => {
      fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
      fs.writeFileSync(path.join(home, '.claude/settings.json'), JSON.stringify({ permissions: { allow: [`Bash(${HELPER}:*)`] } }));
    });
    const table = (r: ProbeRun) => bashOutcomes(r.server.requests).map((o) => [o.command.replace(HELPER, 'helper'), o.fromSubagent ? 'agent' : 'main', o.kind]);
    expect(plain.run.exitCode).toBe(0);
    expect(table(plain), describeOutcomes(bashOutcomes(plain.server.requests))).toEqual([
      ['helper hello0', 'main', 'ok'],
      ['helper nap 1 A', 'agent', 'ok'],
      ['helper hello1', 'main', 'denied'],
      ['helper nap 1 B', 'agent', 'denied'],
    ]);
    expect(table(allowed).map((r) => r[2]), describeOutcomes(bashOutcomes(allowed.server.requests))).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('a turn that goes on keeps its approval, and completions arrive inside it: one system message after the running call, holding every notification that came meanwhile', async () => {
    const p = await probeRun((body, n) => {
      if (n === 0) return [agent('napper', 'NAME=A SECONDS=1', 'worker-1: A', true), agent('napper', 'NAME=B SECONDS=2', 'worker-2: B', true)];
      // A blocking helper call while both agents run (what a coordinator's "wait" can be); long enough for both
      // to end inside it even when a loaded machine starts them late.
      if (n === 1) return [bash(`${HELPER} nap 7 MAIN`)];
      if (n === 2) return [bash(`${HELPER} hello1`), agent('napper', 'NAME=C SECONDS=1', 'worker-1: C', true)];
      if (n === 3) return [bash(`${HELPER} nap 5 MAIN2`)];
      return 'done';
    });
    expect(p.run.exitCode, p.run.stderr).toBe(0);
    const outcomes = bashOutcomes(p.server.requests);
    expect(outcomes.map((o) => o.kind), describeOutcomes(outcomes)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    // The request after the first blocking call carries A's and B's notifications, in one system message.
    const afterNap = p.main.find((m) => assistantTurns(m.body) === 2)!.body;
    const fresh = newNotifications(afterNap);
    expect(fresh.map((x) => [x.description, x.role])).toEqual([
      ['worker-1: A', 'system'],
      ['worker-2: B', 'system'],
    ]);
    expect(new Set(fresh.map((x) => x.message)).size).toBe(1);
    // ...and no turn of its own: the model's turn went on without ending between spawn and the last call.
    const lastBody = p.main[p.main.length - 1]!.body;
    expect(lastBody.messages.filter((m) => m.role === 'assistant' && contentText(m.content).trim() !== '' && typeof m.content !== 'string' && m.content.every((b) => b.type === 'text'))).toEqual([]);
    expect(newNotifications(lastBody).map((x) => x.description)).toEqual(['worker-1: C']);

  });

  it('Bash refuses a call that starts with `sleep N` from the seconds BASH_SLEEP_BLOCK_SECONDS records for this version; `sleep Ns` runs', async () => {
    const version = claudeVersion();
    expect(version in BASH_SLEEP_BLOCK_SECONDS, `Claude Code ${version}: probe it and record it in BASH_SLEEP_BLOCK_SECONDS`).toBe(true);
    const limit = BASH_SLEEP_BLOCK_SECONDS[version] ?? null;
    const n = limit ?? 25;
    const p = await probeRun((_b, turn) => (turn === 0 ? [bash(`sleep ${n}`), bash(`sleep ${n} && echo after`), bash(`sleep ${Math.max(1, n - 24)}`), bash('sleep 0.2s')] : 'done'), (_project, home) => {
      fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
      fs.writeFileSync(path.join(home, '.claude/settings.json'), JSON.stringify({ permissions: { allow: ['Bash(sleep:*)', 'Bash(echo:*)'] } }));
    });
    expect(p.run.exitCode, p.run.stderr).toBe(0);
    const outcomes = bashOutcomes(p.server.requests);
    const blocked = limit === null ? 'ok' : 'blocked';
    expect(outcomes.map((o) => [o.command, o.kind === 'ok' ? 'ok' : /Blocked: (standalone sleep|sleep \d+ followed by)/.test(o.output) ? 'blocked' : o.output.slice(0, 200)]), describeOutcomes(outcomes)).toEqual([
      [`sleep ${n}`, blocked],
      [`sleep ${n} && echo after`, blocked],
      [`sleep ${Math.max(1, n - 24)}`, 'ok'],
      ['sleep 0.2s', 'ok'],
    ]);
  });
});
