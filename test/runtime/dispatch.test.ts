import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, git, planText, runBundle, runBundleAsync, sessionFile, tempDir } from './helpers.ts';

/**
 * The dispatcher and the gates through the bundled helper, as real processes in a real git repository: a
 * coordinator that does exactly what `next` prints, and agents that commit and report through the helper.
 */

let dir: string;

beforeEach(() => {
  dir = tempDir('orch-next-');
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, '.gitignore'), '.orchestration/\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
});
afterEach(() => cleanup(dir));

function o(args: string[], env: Record<string, string> = {}): string {
  const r = runBundle(dir, args, env);
  if (r.code !== 0) throw new Error(`orchestrate ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

function oFails(args: string[], env: Record<string, string> = {}): string {
  const r = runBundle(dir, args, env);
  expect(r.code, `orchestrate ${args.join(' ')} should be refused`).toBe(1);
  return r.stderr;
}

interface Action {
  do: string;
  ticket?: string;
  worker?: string;
  subagent_type?: string;
  prompt?: string;
  status?: string;
  reason?: string;
  running?: { worker: string; ticket: string }[];
}
interface Next {
  session: string;
  status: string;
  actions: Action[];
}

const next = (id: string, returned: string[] = []): Next => JSON.parse(o(['next', '--id', id, ...returned.flatMap((w) => ['--returned', w]), '--json'])) as Next;

/** Commits a change to `file` for ticket `t` and returns the SHA. */
function commitFor(t: string, file: string): string {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), `${t} ${Math.random()}\n`);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `${t}: work`);
  return git(dir, 'rev-parse', 'HEAD');
}

const PLAN = [
  { id: 'A', files: ['src/a.ts'] },
  { id: 'B', deps: ['A'], files: ['src/b.ts'] },
  { id: 'C', deps: ['A'], files: ['src/c.ts'] },
  { id: 'D', deps: ['B', 'C'], files: ['src/d.ts'] },
  { id: 'E', files: ['src/e.ts'] },
];

interface Agent {
  /** What the agent does with its ticket: complete (default), fail, or return without a result. */
  outcome?(ticket: string, attempt: number): 'complete' | 'fail' | 'vanish';
  /** A reviewer's verdict. */
  verdict?(ticket: string, review: number): 'approve' | 'reject';
}

/**
 * Runs session `id` the way a literal coordinator would: `next`, carry out each action in order (agents act
 * through the helper at once), and `next --returned WORKER` after each agent. Checks at every spawn that the
 * ticket's dependencies are completed. Returns the final `next` answer.
 */
function drive(id: string, agent: Agent = {}): { last: Next; spawns: string[]; reviews: string[] } {
  const attempts = new Map<string, number>();
  const reviews = new Map<string, number>();
  const spawns: string[] = [];
  const reviewed: string[] = [];
  let answer = next(id);
  for (let step = 0; step < 200; step++) {
    const work = answer.actions.filter((a) => a.do === 'spawn' || a.do === 'review');
    const end = answer.actions.find((a) => a.do === 'report' || a.do === 'escalate' || a.do === 'stopped');
    if (work.length === 0 && end) return { last: answer, spawns, reviews: reviewed };
    expect(work.length, `step ${step}: neither work nor an end: ${JSON.stringify(answer)}`).toBeGreaterThan(0);
    const state = JSON.parse(o(['status', '--id', id, '--json'])) as { tickets: { id: string; status: string; dependencies: string[] }[] };
    const byId = new Map(state.tickets.map((t) => [t.id, t]));
    const returned: string[] = [];
    for (const a of work) {
      const t = a.ticket!;
      const w = a.worker!;
      expect(a.prompt).toContain(`--id ${id} --agent ${w}`);
      if (a.do === 'spawn') {
        for (const d of byId.get(t)!.dependencies) expect(byId.get(d)!.status, `${t} spawned before ${d} completed`).toBe('completed');
        spawns.push(t);
        const n = (attempts.get(t) ?? 0) + 1;
        attempts.set(t, n);
        o(['heartbeat', '--id', id, '--agent', w, '--ticket', t, '--progress', '50']);
        const outcome = agent.outcome?.(t, n) ?? 'complete';
        if (outcome === 'complete') {
          const file = PLAN.find((p) => p.id === t)?.files[0] ?? `src/${t}.ts`;
          const sha = commitFor(t, file);
          o(['complete', '--id', id, '--agent', w, '--ticket', t, '--summary', `did ${t}`, '--commit', sha, '--files', file, '--test-cmd', 'true', '--test-exit', '0']);
        } else if (outcome === 'fail') o(['fail', '--id', id, '--agent', w, '--ticket', t, '--reason', `flaky ${t}`]);
      } else {
        reviewed.push(t);
        const n = (reviews.get(t) ?? 0) + 1;
        reviews.set(t, n);
        const v = agent.verdict?.(t, n) ?? 'approve';
        if (v === 'approve') o(['approve', '--id', id, t, '--agent', w]);
        else o(['reject', '--id', id, t, '--agent', w, '--reason', `add a test for ${t}`]);
      }
      returned.push(w);
    }
    answer = next(id, returned);
  }
  throw new Error('the run did not end in 200 steps');
}

function init(id: string, flags: string[] = [], tickets: { id: string; deps?: string[]; files?: string[] }[] = PLAN): void {
  writeFileSync(path.join(dir, `${id}.yaml`), planText(`Plan ${id}`, 3, tickets));
  o(['init', `${id}.yaml`, '--id', id, ...flags]);
  o(['activate', '--id', id]);
}

const report = (id: string) => JSON.parse(o(['report', '--id', id, '--format', 'json'])) as { session: { status: string }; tickets: { completed: number; total: number }; history: { retries: { ticket: string; auto: boolean }[]; rework: { ticket: string; reason: string }[]; failures: { ticket: string }[] } };

describe('next through the helper (real processes, real git)', () => {
  it('runs a plan to completed under comprehensive validation, with a failed ticket retried and a rejected review reworked', () => {
    init('s', ['--validation', 'comprehensive']);
    const run = drive('s', { outcome: (t, n) => (t === 'C' && n === 1 ? 'fail' : 'complete'), verdict: (t, n) => (t === 'B' && n === 1 ? 'reject' : 'approve') });
    expect(run.last.actions.at(-1)).toEqual({ do: 'report', status: 'completed' });
    expect(run.spawns.filter((t) => t === 'C')).toHaveLength(2);
    expect(run.spawns.filter((t) => t === 'B')).toHaveLength(2);
    expect(run.reviews.sort()).toEqual(['A', 'B', 'B', 'C', 'D', 'E']);
    const r = report('s');
    expect(r.session.status).toBe('completed');
    expect(r.tickets).toMatchObject({ completed: 5, total: 5 });
    expect(r.history.retries).toEqual([{ ticket: 'C', reason: 'flaky C', auto: true }]);
    expect(r.history.rework).toEqual([{ ticket: 'B', reviewer: expect.stringMatching(/^reviewer-\d+$/), reason: 'add a test for B' }]);
    const md = o(['report', '--id', 's', '--format', 'markdown']);
    expect(md).toContain('## Retries');
    expect(md).toContain('- C: after flaky C (retried by next)');
    expect(md).toContain('## Rework after review');
  });

  it('keeps dependants waiting while a ticket is in review, and the reworked attempt carries the notes', () => {
    init('g', ['--validation', 'comprehensive']);
    const first = next('g');
    const a = first.actions.find((x) => x.ticket === 'A')!;
    const sha = commitFor('A', 'src/a.ts');
    o(['complete', '--id', 'g', '--agent', a.worker!, '--ticket', 'A', '--summary', 'did A', '--commit', sha, '--files', 'src/a.ts']);
    const second = next('g', [a.worker!]);
    expect(second.actions.filter((x) => x.do === 'spawn').map((x) => x.ticket)).toEqual([]);
    const review = second.actions.find((x) => x.do === 'review')!;
    expect(review).toMatchObject({ ticket: 'A', subagent_type: 'code-reviewer' });
    o(['reject', '--id', 'g', 'A', '--agent', review.worker!, '--reason', 'cover the empty input']);
    const third = next('g', [review.worker!]);
    const again = third.actions.find((x) => x.do === 'spawn' && x.ticket === 'A')!;
    expect(again.prompt).toContain('Reviewer asked for changes: cover the empty input');
    expect(oFails(['approve', '--id', 'g', 'A'])).toContain('needs a ticket in `review`');
  });

  it('ends the session failed when a ticket is out of attempts and nothing else can run; retry --attempts re-opens it', () => {
    init('f', ['--max-attempts', '1']);
    const run = drive('f', { outcome: (t) => (t === 'C' ? 'fail' : 'complete') });
    expect(run.last.actions.at(-1)).toEqual({ do: 'report', status: 'failed' });
    const r = report('f');
    expect(r.session.status).toBe('failed');
    expect(r.history.failures).toEqual([{ ticket: 'C', reason: 'flaky C', attempts: 1 }]);
    expect(oFails(['retry', '--id', 'f', 'C'])).toContain('has used 1 of 1 attempts');
    o(['retry', '--id', 'f', 'C', '--attempts', '1']);
    const done = drive('f');
    expect(done.last.actions.at(-1)).toEqual({ do: 'report', status: 'completed' });
    expect(report('f').tickets).toMatchObject({ completed: 5, total: 5 });
  });

  it('releases the ticket of a worker that returned without a result; out of attempts it fails', () => {
    init('v', ['--max-attempts', '2'], [{ id: 'A', files: ['src/a.ts'] }]);
    const run = drive('v', { outcome: () => 'vanish' });
    expect(run.spawns).toEqual(['A', 'A']);
    expect(run.last.actions.at(-1)).toEqual({ do: 'report', status: 'failed' });
    expect(report('v').history.failures).toEqual([{ ticket: 'A', reason: 'agent returned without a result', attempts: 2 }]);
  });

  it('hands each ticket out once: called twice with nothing changed, the second call writes nothing and only waits', () => {
    init('i');
    const a = JSON.parse(o(['next', '--id', 'i', '--json'])) as Next;
    const file = readFileSync(sessionFile(dir, 'i'));
    const b = JSON.parse(o(['next', '--id', 'i', '--json'])) as Next;
    expect(readFileSync(sessionFile(dir, 'i')).equals(file)).toBe(true);
    expect(a.actions.map((x) => [x.do, x.ticket])).toEqual([['spawn', 'A'], ['spawn', 'E'], ['wait', undefined]]);
    expect(b.actions).toEqual([a.actions[2]]);
  });

  it('refuses every write after stop, and heartbeat on a ticket whose lease lapsed', () => {
    init('h', [], [{ id: 'A' }, { id: 'B' }]);
    const [a] = next('h').actions;
    const lapsed = { ORCHESTRATE_NOW: new Date(Date.now() + 60 * 60_000).toISOString() };
    o(['status', '--id', 'h'], lapsed);
    expect(JSON.parse(o(['next', '--id', 'h', '--json'], lapsed)).actions.filter((x: Action) => x.do === 'spawn')).toHaveLength(2); // expired, handed out again
    expect(oFails(['heartbeat', '--id', 'h', '--agent', 'nobody', '--ticket', a!.ticket!], lapsed)).toContain('not by `nobody`');
    init('k', [], [{ id: 'A' }]);
    const [ka] = next('k').actions;
    o(['heartbeat', '--id', 'k', '--agent', ka!.worker!]);
    const later = { ORCHESTRATE_NOW: new Date(Date.now() + 30 * 60_000).toISOString() };
    o(['resume', '--id', 'k'], later); // the lease lapsed: A is pending again
    expect(oFails(['heartbeat', '--id', 'k', '--agent', ka!.worker!], later)).toContain('holds no running ticket');
    expect(oFails(['heartbeat', '--id', 'k', '--agent', ka!.worker!, '--ticket', 'A'], later)).toContain('does not re-take it');
    o(['stop', '--id', 'k', '--reason', 'done for today']);
    const before = readFileSync(sessionFile(dir, 'k'));
    for (const args of [
      ['heartbeat', '--id', 'k', '--agent', ka!.worker!, '--ticket', 'A'],
      ['complete', '--id', 'k', '--agent', ka!.worker!, '--ticket', 'A', '--summary', 'late'],
      ['block', '--id', 'k', '--ticket', 'A', '--reason', 'x'],
      ['adjust', '--id', 'k', '--agents', '2'],
    ]) oFails(args, later);
    expect(JSON.parse(o(['next', '--id', 'k', '--json'], later)).actions).toEqual([{ do: 'stopped', status: 'stopped', reason: 'done for today' }]);
    expect(readFileSync(sessionFile(dir, 'k')).equals(before)).toBe(true);
  });

  it('keeps two active sessions apart: prompts carry their own --id, complete names the session it wrote', () => {
    init('one', [], [{ id: 'A' }]);
    init('two', [], [{ id: 'A' }]);
    const p1 = next('one').actions[0]!;
    const p2 = next('two').actions[0]!;
    expect(p1.prompt).toContain('Session: one');
    expect(p2.prompt).toContain('Session: two');
    // `two` is current; the worker of `one` passes --id and writes to `one` only, and is told so
    expect(o(['complete', '--id', 'one', '--agent', p1.worker!, '--ticket', 'A', '--summary', 'x'])).toContain('session one: 1/1 done, completed');
    expect((JSON.parse(o(['status', '--id', 'two', '--json'])) as { status: string; tickets: { status: string }[] })).toMatchObject({ status: 'coordinating', tickets: [{ status: 'claimed' }] });
    expect(o(['heartbeat', '--id', 'two', '--agent', p2.worker!])).toContain('A: in_progress');
  });

  it('under strict validation refuses a commit that changes another ticket\'s files, naming them', () => {
    init('st', ['--validation', 'strict']);
    const a = next('st').actions.find((x) => x.ticket === 'A')!;
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src/a.ts'), 'a\n');
    writeFileSync(path.join(dir, 'src/e.ts'), 'e\n');
    git(dir, 'add', 'src');
    git(dir, 'commit', '-q', '-m', 'A and E');
    const sha = git(dir, 'rev-parse', 'HEAD');
    const err = oFails(['complete', '--id', 'st', '--agent', a.worker!, '--ticket', 'A', '--summary', 'x', '--commit', sha, '--files', 'src/a.ts']);
    expect(err).toContain("changes files outside ticket `A`'s declared files: `src/e.ts`");
    expect(oFails(['complete', '--id', 'st', '--agent', a.worker!, '--ticket', 'A', '--summary', 'x'])).toContain('validation `strict` needs `--commit SHA`');
  });

  it('resolves subagent types: the ticket\'s own agent when the project has it, else the worker agent, visibly', () => {
    mkdirSync(path.join(dir, '.claude/agents'), { recursive: true });
    writeFileSync(path.join(dir, '.claude/agents/security-expert.md'), '---\nname: security-expert\ndescription: x\n---\nx\n');
    writeFileSync(path.join(dir, 'x.yaml'), 'title: X\nagents: 2\nstrategy: maximum\ntickets:\n  - {id: A, title: a, agent: security-expert}\n  - {id: B, title: b, agent: database-expert}\n');
    o(['init', 'x.yaml', '--id', 'x']);
    o(['activate', '--id', 'x']);
    const spawns = next('x').actions.filter((a) => a.do === 'spawn');
    expect(spawns.map((a) => [a.ticket, a.subagent_type])).toEqual([['A', 'security-expert'], ['B', 'implementation-agent']]);
    expect(spawns[1]).toMatchObject({ fallback: { wanted: 'database-expert' } });
    expect(o(['report', '--id', 'x'])).toContain('- B: no agent `database-expert`, ran as `implementation-agent`');
  });

  it('never hands one worker two tickets or passes the limit when coordinators race (8 processes)', async () => {
    writeFileSync(path.join(dir, 'r.yaml'), planText('Race', 3, Array.from({ length: 12 }, (_, i) => ({ id: `T${i}` }))));
    o(['init', 'r.yaml', '--id', 'r']);
    o(['activate', '--id', 'r']);
    const outs = await Promise.all(Array.from({ length: 8 }, () => runBundleAsync(dir, ['next', '--id', 'r', '--json'])));
    expect(outs.map((x) => x.code)).toEqual(Array(8).fill(0));
    const spawns = outs.flatMap((x) => (JSON.parse(x.stdout) as Next).actions.filter((a) => a.do === 'spawn'));
    const status = JSON.parse(o(['status', '--id', 'r', '--json'])) as { tickets: { id: string; status: string; agent: string | null }[] };
    const running = status.tickets.filter((t) => t.status === 'claimed');
    expect(running).toHaveLength(3);
    expect(new Set(running.map((t) => t.agent)).size).toBe(3);
    // every running ticket was handed out (some answers may repeat the same hand-out; none hands out more)
    expect(new Set(spawns.map((a) => a.ticket))).toEqual(new Set(running.map((t) => t.id)));
  });

  it('next --wait blocks while there is only waiting (a heartbeat does not wake it), and answers when a ticket completes', async () => {
    init('w', [], [{ id: 'A', files: ['src/a.ts'] }, { id: 'B', deps: ['A'] }]);
    const [a] = next('w').actions;
    const waiter = runBundleAsync(dir, ['next', '--id', 'w', '--wait', '60', '--json']);
    await new Promise((r) => setTimeout(r, 600));
    o(['heartbeat', '--id', 'w', '--agent', a!.worker!, '--progress', '40']);
    await new Promise((r) => setTimeout(r, 600));
    o(['complete', '--id', 'w', '--agent', a!.worker!, '--ticket', 'A', '--summary', 'done']);
    const out = await waiter;
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout) as Next;
    expect(r.actions.map((x) => [x.do, x.ticket])).toEqual([['spawn', 'B'], ['wait', undefined]]);
    expect(r.actions[0]).toMatchObject({ run_in_background: true, description: expect.stringMatching(/^worker-\d+:B /) });
  });

  it('--returned WORKER:TICKET releases only that worker\'s attempt at that ticket', () => {
    init('p', ['--max-attempts', '5'], [{ id: 'A' }, { id: 'B' }]);
    const spawns = next('p').actions.filter((x) => x.do === 'spawn');
    const [wa, wb] = spawns.map((x) => x.worker!);
    const stale = next('p', [`${wa}:B`]); // the worker of A is not on B: nothing released, nothing handed out
    expect(stale.actions.map((x) => x.do)).toEqual(['wait']);
    const after = next('p', [`${wb}:B`]);
    expect(after.actions.filter((x) => x.do === 'spawn').map((x) => [x.ticket, x.worker])).toEqual([['B', wb]]);
    expect((JSON.parse(o(['events', '--id', 'p', '--json'])) as { events: { verb: string; ticket: string }[] }).events.filter((e) => e.verb === 'returned').map((e) => e.ticket)).toEqual(['B']);
  });
});
