import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readEvents } from '../../src/runtime/store/event-log.ts';
import { cleanup, planText, ROOT, run, runJson, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

const session = (id: string) => path.join(dir, '.orchestration/sessions', `${id}.yaml`);

describe('example plan to 100%', () => {
  it('runs the 13-ticket example through claim/complete with status right at every step', async () => {
    const plan = path.join(ROOT, 'examples/execution-plan.yaml');
    const init = await runJson(dir, ['init', plan, '--id', 'ex']);
    expect(init).toMatchObject({ id: 'ex', status: 'planned', tickets: 13 });
    expect((await runJson(dir, ['status'])).status).toBe('planned');
    const none = await runJson(dir, ['claim', '--agent', 'a1']);
    expect(none).toEqual({ ticket: null, reason: 'session is planned (run `activate` first)', code: 'planned' });
    await runJson(dir, ['activate']);

    const deps = new Map<string, string[]>();
    const files = new Map<string, string[]>();
    for (const t of parse(readFileSync(plan, 'utf8')).tickets) {
      deps.set(t.id, t.dependencies);
      files.set(t.id, t.files);
    }
    const model = new Map<string, { status: string; agent: string | null }>([...deps.keys()].map((id) => [id, { status: 'pending', agent: null }]));
    const check = async () => {
      const s = await runJson(dir, ['status']);
      const done = [...model.values()].filter((m) => m.status === 'completed').length;
      expect(s.progress.percentage).toBe(Math.floor((100 * done) / 13));
      expect(s.progress.completed).toBe(done);
      expect(s.tickets.map((t: any) => ({ id: t.id, status: t.status, agent: t.agent }))).toEqual([...model].map(([id, m]) => ({ id, ...m })));
      expect(s.status).toBe(done === 13 ? 'completed' : 'coordinating');
    };
    await check();
    let round = 0;
    while ([...model.values()].some((m) => m.status !== 'completed')) {
      round++;
      expect(round).toBeLessThan(20);
      const claimed: string[] = [];
      for (const agent of ['a1', 'a2', 'a3']) {
        const r = await runJson(dir, ['claim', '--agent', agent]);
        if (!r.ticket) {
          expect(typeof r.reason).toBe('string');
          continue;
        }
        const id = r.ticket.id as string;
        // every dependency completed, no running ticket shares a file
        for (const d of deps.get(id)!) expect(model.get(d)!.status).toBe('completed');
        for (const [other, m] of model) if (m.status === 'claimed') expect(files.get(other)!.filter((f) => files.get(id)!.includes(f))).toEqual([]);
        model.set(id, { status: 'claimed', agent });
        claimed.push(id);
        await check();
      }
      expect(claimed.length).toBeGreaterThan(0);
      for (const id of claimed) {
        const agent = model.get(id)!.agent!;
        const r = await runJson(dir, ['complete', '--ticket', id, '--agent', agent, '--summary', `did ${id}`]);
        expect(r.ticket.status).toBe('completed');
        model.set(id, { status: 'completed', agent });
        await check();
      }
    }
    const final = await runJson(dir, ['status']);
    expect(final).toMatchObject({ status: 'completed', progress: { percentage: 100, completed: 13, total: 13 } });
    const { events } = readEvents(path.join(dir, '.orchestration/logs/ex.jsonl'));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.seq).toBe(final.revision);
    expect(events.at(-1)!.verb).toBe('session-complete');
    const after = await runJson(dir, ['claim', '--agent', 'a1']);
    expect(after.ticket).toBeNull();
  });
});

describe('session lifecycle', () => {
  it('refuses transitions that are not allowed and leaves the file byte-for-byte unchanged', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('t', 2, [{ id: 'A' }, { id: 'B', deps: ['A'] }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 's1']);
    const before = readFileSync(session('s1'));
    const r = await run(dir, ['pause']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Session `s1` is `planned`; `pause` would make it `paused`, which is not allowed');
    expect(r.stderr).toContain('State file unchanged');
    expect(readFileSync(session('s1')).equals(before)).toBe(true);
    expect((await run(dir, ['resume'])).code).toBe(1);
    await runJson(dir, ['activate']);
    expect((await run(dir, ['activate'])).code).toBe(1);
    expect((await runJson(dir, ['pause', '--reason', 'lunch'])).status).toBe('paused');
    expect((await runJson(dir, ['claim', '--agent', 'x'])).reason).toMatch(/session is paused/);
    expect((await runJson(dir, ['resume'])).status).toBe('coordinating');
    expect((await runJson(dir, ['stop', '--reason', 'enough'])).status).toBe('stopped');
    const stopped = readFileSync(session('s1'));
    expect((await run(dir, ['resume', '--id', 's1'])).code).toBe(1);
    expect(readFileSync(session('s1')).equals(stopped)).toBe(true);
  });

  it('needs --id when several sessions are active, and not when one is', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('t', 2, [{ id: 'A' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 's1']);
    await runJson(dir, ['init', 'p.yaml', '--id', 's2']);
    // current points at s2
    expect((await runJson(dir, ['status'])).id).toBe('s2');
    await runJson(dir, ['stop', '--id', 's2']);
    // s2 is stopped: the one active session is s1
    expect((await runJson(dir, ['status'])).id).toBe('s1');
    await runJson(dir, ['init', 'p.yaml', '--id', 's3']);
    await runJson(dir, ['stop', '--id', 's3']);
    await runJson(dir, ['init', 'p.yaml', '--id', 's4']);
    writeFileSync(path.join(dir, '.orchestration/current'), 'gone\n');
    const r = await run(dir, ['status', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2 active sessions (s1, s4); pass --id');
    const list = await runJson(dir, ['sessions']);
    expect(list.sessions.map((s: any) => [s.id, s.status])).toEqual([
      ['s1', 'planned'],
      ['s2', 'stopped'],
      ['s3', 'stopped'],
      ['s4', 'planned'],
    ]);
    expect((await run(dir, ['init', 'p.yaml', '--id', 's1'])).stderr).toContain('Session `s1` already exists');
  });

  it('validates and refuses a bad plan with positions, writing nothing', async () => {
    writeFileSync(path.join(dir, 'bad.yaml'), 'title: t\ntickets:\n  - id: A\n    title: a\n    dependencies: [Q]\n');
    const v = await run(dir, ['validate', 'bad.yaml']);
    expect(v.code).toBe(1);
    expect(v.stdout).toBe('bad.yaml:5:20: error Unknown dependency `Q`, expected the id of a ticket in this plan [plan-unknown-dependency]\n');
    const i = await run(dir, ['init', 'bad.yaml']);
    expect(i.code).toBe(1);
    expect(i.stderr).toContain('bad.yaml:5:20: error Unknown dependency `Q`');
    expect(i.stderr).toContain('no session was created');
    expect((await run(dir, ['sessions'])).stdout).toBe('no sessions\n');
  });

  it('names bad flags and allowed values after the usage line', async () => {
    const r = await run(dir, ['claim', '--agnt', 'x']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('Usage: orchestrate claim --agent NAME [--lease 15m] [--wait SECONDS] [--id ID] [--json]');
    expect(r.stderr).toContain("Unknown option '--agnt'");
    expect(r.stderr).toContain('allowed flags: --id, --agent, --lease, --wait, --json, --help');
    const s = await run(dir, ['schedule', '--strategy', 'fast']);
    expect(s.stderr).toContain('Invalid --strategy `fast`, expected one of `maximum`, `balanced`, `sequential`');
    const u = await run(dir, ['frobnicate']);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('Unknown verb `frobnicate`');
    for (const inherited of ['toString', 'constructor', '__proto__']) {
      const o = await run(dir, [inherited]); // names of Object.prototype are no verbs (once an internal error, exit 2)
      expect([o.code, o.stderr]).toEqual([1, expect.stringContaining(`Unknown verb \`${inherited}\``)]);
    }
    const h = await run(dir, ['complete', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--test-cmd CMD --test-exit N');
    expect((await run(dir, ['--help'])).stdout).toContain('rollback');
  });
});

describe('tickets', () => {
  beforeEach(async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('t', 4, [{ id: 'A', files: ['x.ts'] }, { id: 'B', files: ['x.ts'] }, { id: 'C', deps: ['A'] }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 's']);
    await runJson(dir, ['activate']);
  });

  it('never runs two tickets sharing a file, and waits on dependencies', async () => {
    expect((await runJson(dir, ['claim', '--agent', 'a'])).ticket.id).toBe('A');
    const r = await runJson(dir, ['claim', '--agent', 'b']);
    expect(r.ticket).toBeNull();
    expect(r.reason).toMatch(/file conflict with running A \(x\.ts\) for B/);
    const res = await runJson(dir, ['resources']);
    expect(res.conflicts).toEqual([{ file: 'x.ts', running: ['A'], waiting: ['B'] }]);
    await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 's']);
    const ids = [(await runJson(dir, ['claim', '--agent', 'b'])).ticket.id, (await runJson(dir, ['claim', '--agent', 'c'])).ticket.id].sort();
    expect(ids).toEqual(['B', 'C']);
  });

  it('refuses a set but unreadable setting in the environment, naming it, and changes nothing', async () => {
    const state = () => readFileSync(path.join(dir, '.orchestration/sessions/s.yaml'), 'utf8');
    const before = state();
    const cases: [Record<string, string>, string][] = [
      [{ ORCHESTRATE_LOCK_TIMEOUT_MS: '30s' }, 'ORCHESTRATE_LOCK_TIMEOUT_MS=`30s` is not a number of ms from 1 to 86400000'],
      [{ ORCHESTRATE_LOCK_STALE_MS: '-5' }, 'ORCHESTRATE_LOCK_STALE_MS=`-5` is not a number of ms'],
      [{ ORCHESTRATE_LEASE: 'forever' }, 'ORCHESTRATE_LEASE=`forever` is not a duration up to 7 days'],
    ];
    for (const [env, message] of cases) {
      const r = await run(dir, ['claim', '--agent', 'a', '--json'], env); // each was silently the default
      expect([r.code, r.stderr], JSON.stringify(env)).toEqual([1, expect.stringContaining(message)]);
      expect(r.stderr).toContain('Fix or unset the named environment variable');
    }
    const mem = await run(dir, ['resources'], { ORCHESTRATE_AGENT_MEMORY_MB: '1G' });
    expect([mem.code, mem.stderr]).toEqual([1, expect.stringContaining('ORCHESTRATE_AGENT_MEMORY_MB=`1G` is not a number of MiB')]);
    expect(state()).toBe(before);
    // empty is unset: the default applies
    expect((await runJson(dir, ['claim', '--agent', 'a'], { ORCHESTRATE_LOCK_TIMEOUT_MS: '', ORCHESTRATE_LEASE: '' })).ticket.id).toBe('A');
  });

  it('expires a lease, re-offers the ticket and logs it; heartbeat extends the lease', async () => {
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    const at = (min: number) => ({ ORCHESTRATE_NOW: String(t0 + min * 60_000) });
    expect((await runJson(dir, ['claim', '--agent', 'a', '--lease', '10m'], at(0))).ticket.id).toBe('A');
    const hb = await runJson(dir, ['heartbeat', '--agent', 'a', '--progress', '40', '--note', 'half'], at(8));
    expect(hb.ticket).toMatchObject({ status: 'in_progress', lease_expires_at: '2030-01-01T00:23:00.000Z' });
    // at 20m the lease (to 23m) holds: b gets C? no, C waits on A; B shares x.ts
    expect((await runJson(dir, ['claim', '--agent', 'b'], at(20))).ticket).toBeNull();
    const r = await runJson(dir, ['claim', '--agent', 'b'], at(30));
    expect(r.ticket.id).toBe('A');
    expect(r.ticket.attempts).toBe(2);
    const { events } = readEvents(path.join(dir, '.orchestration/logs/s.jsonl'));
    expect(events.slice(-2).map((e) => [e.verb, e.ticket, e.agent, e.before, e.after])).toEqual([
      ['expire', 'A', 'a', 'in_progress', 'pending'],
      ['claim', 'A', 'b', 'pending', 'claimed'],
    ]);
    const late = await run(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'late', '--json'], at(31));
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('held by `b`');
  });

  it('fail --retry re-offers; fail marks failed; block and unblock', async () => {
    await runJson(dir, ['claim', '--agent', 'a']);
    expect((await runJson(dir, ['fail', '--ticket', 'A', '--agent', 'a', '--reason', 'flaky', '--retry'])).ticket.status).toBe('pending');
    expect((await runJson(dir, ['claim', '--agent', 'a'])).ticket).toMatchObject({ id: 'A', attempts: 2 });
    expect((await runJson(dir, ['fail', '--ticket', 'A', '--agent', 'a', '--reason', 'broken'])).ticket.status).toBe('failed');
    const c = await runJson(dir, ['claim', '--agent', 'b']);
    expect(c.ticket.id).toBe('B');
    const blk = await runJson(dir, ['block', '--ticket', 'B', '--agent', 'b', '--reason', 'needs API key']);
    expect(blk.blocker).toMatchObject({ id: 'B1', ticket: 'B', reason: 'needs API key' });
    const st = await runJson(dir, ['status']);
    expect(st.blockers.map((b: any) => b.id)).toEqual(['B1']);
    const none = await runJson(dir, ['claim', '--agent', 'c']);
    expect(none.ticket).toBeNull();
    expect((await runJson(dir, ['unblock', '--ticket', 'B', '--resolution', 'key added'])).ticket.status).toBe('pending');
    expect((await run(dir, ['unblock', '--ticket', 'B'])).code).toBe(1);
    expect((await runJson(dir, ['status'])).blockers).toEqual([]);
    const agents = await runJson(dir, ['agents']);
    expect(agents.agents.map((a: any) => [a.agent, a.status, a.failed])).toEqual([
      ['a', 'idle', 1],
      ['b', 'idle', 0],
    ]);
  });

  it('refuses completion with failing tests, or by an agent that does not hold the ticket', async () => {
    await runJson(dir, ['claim', '--agent', 'a']);
    const bad = await run(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 's', '--test-cmd', 'npm test', '--test-exit', '1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Test command exited 1');
    expect((await run(dir, ['complete', '--ticket', 'A', '--agent', 'z', '--summary', 's'])).code).toBe(1);
    expect((await run(dir, ['complete', '--ticket', 'C', '--agent', 'a', '--summary', 's'])).code).toBe(1);
    const ok = await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 's', '--files', 'x.ts,y.ts', '--test-cmd', 'true', '--test-exit', '0']);
    expect(ok.ticket.status).toBe('completed');
    const doc = parse(readFileSync(session('s'), 'utf8'));
    expect(doc.tickets[0].evidence).toEqual({ commits: [], files: ['x.ts', 'y.ts'], test_cmd: 'true', test_exit: 0, verified: false });
  });

  it('adjust changes the parallelism limit used by claim', async () => {
    await runJson(dir, ['adjust', '--agents', '1']);
    await runJson(dir, ['claim', '--agent', 'a']);
    const r = await runJson(dir, ['claim', '--agent', 'b']);
    expect(r.ticket).toBeNull();
    expect(r.reason).toMatch(/parallelism limit reached: 1 running, limit 1/);
    expect((await run(dir, ['adjust', '--agents', '0'])).code).toBe(1);
  });

  it('resume re-offers orphaned tickets, and repairs the log after a hand edit', async () => {
    const t0 = Date.parse('2030-01-01T00:00:00Z');
    await runJson(dir, ['claim', '--agent', 'a', '--lease', '1m'], { ORCHESTRATE_NOW: String(t0) });
    await runJson(dir, ['pause'], { ORCHESTRATE_NOW: String(t0 + 1000) });
    const r = await runJson(dir, ['resume'], { ORCHESTRATE_NOW: String(t0 + 120_000) });
    expect(r).toMatchObject({ status: 'coordinating', reoffered: ['A'], mismatches: [] });
    // a hand edit the log does not know about is reported, and a reconcile event brings the log in line
    const text = readFileSync(session('s'), 'utf8').replace(/status: pending\n/, 'status: failed\n');
    writeFileSync(session('s'), text);
    const r2 = await runJson(dir, ['resume']);
    expect(r2.mismatches).toEqual(['ticket A: state says failed, log says pending']);
    expect(r2.reconciled).toEqual([{ ticket: 'A', logged: 'pending', state: 'failed' }]);
    expect((await runJson(dir, ['resume'])).mismatches).toEqual([]);
  });
});

describe('state file', () => {
  beforeEach(async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('t', 4, [{ id: 'A' }, { id: 'B' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 's']);
  });

  it('keeps hand-written comments, key order and extra keys through updates', async () => {
    let text = readFileSync(session('s'), 'utf8');
    text = text.replace('title: t\n', '# my note about this session\ntitle: t # inline comment\n');
    // move `agents` above `id` (different key order) and add a key the helper does not know
    text = text.replace('agents: 4\n', '').replace('id: s\n', 'agents: 4\nid: s\nowner: alice # who runs it\n');
    writeFileSync(session('s'), text);
    await runJson(dir, ['activate']);
    await runJson(dir, ['claim', '--agent', 'a']);
    await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'done: with "quotes"']);
    const after = readFileSync(session('s'), 'utf8');
    expect(after).toContain('# my note about this session\ntitle: t # inline comment\n');
    expect(after).toContain('agents: 4\nid: s\nowner: alice # who runs it\n');
    const doc = parse(after);
    expect(doc.status).toBe('coordinating');
    expect(doc.revision).toBe(4);
    expect(doc.tickets[0]).toMatchObject({ status: 'completed', summary: 'done: with "quotes"' });
    expect(Object.keys(doc).slice(0, 4)).toEqual(['version', 'agents', 'id', 'owner']);
  });

  it('reports a corrupt state file with line:col and leaves it byte-for-byte unchanged', async () => {
    const broken = readFileSync(session('s'), 'utf8').replace('revision: 1\n', 'revision: [1\n');
    writeFileSync(session('s'), broken);
    const r = await run(dir, ['activate', '--id', 's']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\.orchestration\/sessions\/s\.yaml:\d+:\d+: error .* \[state-yaml\]$/m);
    expect(r.stderr).toContain('The state file was left exactly as it was');
    expect(readFileSync(session('s'), 'utf8')).toBe(broken);
    const wrong = readFileSync(session('s'), 'utf8').replace('revision: [1\n', 'revision: 1\n').replace(/status: pending/, 'status: lost');
    writeFileSync(session('s'), wrong);
    const r2 = await run(dir, ['claim', '--agent', 'a', '--id', 's']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/s\.yaml:\d+:13: error Ticket `status` must be one of/);
    expect(readFileSync(session('s'), 'utf8')).toBe(wrong);
  });
});

describe('verbs wired to the scheduler and views', () => {
  it('schedule, events, report, consolidate, dashboard, blockers --escalate run on a session', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('v', 2, [{ id: 'A', files: ['x'] }, { id: 'B', deps: ['A'] }, { id: 'C', deps: ['A'] }, { id: 'D', deps: ['B'] }]));
    const sched = await runJson(dir, ['schedule', '--plan', 'p.yaml', '--agents', '2']);
    expect(sched.groups.map((g: any) => g.tickets)).toEqual([['A'], ['B', 'C'], ['D']]);
    await runJson(dir, ['init', 'p.yaml', '--id', 'v']);
    await runJson(dir, ['activate']);
    await runJson(dir, ['claim', '--agent', 'a']);
    await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'did A']);
    expect((await runJson(dir, ['schedule'])).tickets).toBe(3);
    expect((await runJson(dir, ['events', '--tail', '2'])).events.map((e: any) => e.verb)).toEqual(['claim', 'complete']);
    const cons = await runJson(dir, ['consolidate']);
    expect(cons.groups[0].tickets[0]).toMatchObject({ id: 'A', summary: 'did A' });
    expect((await run(dir, ['consolidate', '--format', 'markdown'])).stdout).toContain('did A');
    expect((await run(dir, ['report'])).code).toBe(0);
    expect((await run(dir, ['report', '--format', 'xml'])).stderr).toContain('expected one of `markdown`, `json`');
    expect((await run(dir, ['dashboard'])).stdout).toContain('v');
    // piped (not a TTY), --watch draws one frame and returns even though the session is still running
    const once = await run(dir, ['dashboard']);
    const watched = await run(dir, ['dashboard', '--watch', '--interval', '1s']);
    expect(watched.code).toBe(0);
    const steady = (text: string) => text.replace(/^resources: .*\n/m, ''); // the machine's figures move between runs
    expect(steady(watched.stdout)).toBe(steady(once.stdout));
    expect(watched.stdout).toMatch(/^resources: cpu /m);
    for (const bad of ['0', 'soon', '2d', '0.01s']) {
      const r = await run(dir, ['dashboard', '--watch', '--interval', bad]); // once a typo silently meant 5s, and 0.01s redrew 100 times a second
      expect([r.code, r.stderr]).toEqual([1, expect.stringContaining(`Invalid --interval \`${bad}\`, expected a duration from \`1s\` to \`1h\``)]);
    }
    // a failed ticket with a dependant is a warning: escalation records it, the session keeps coordinating
    await runJson(dir, ['claim', '--agent', 'b']);
    const failed = (await runJson(dir, ['status'])).tickets.find((t: any) => t.status === 'claimed');
    expect(failed.id).toBe('B'); // longest remaining path first
    await runJson(dir, ['fail', '--ticket', 'B', '--agent', 'b', '--reason', 'broken']);
    const esc = await runJson(dir, ['blockers', '--escalate']);
    expect(esc).toMatchObject({ escalate: true, halt: false, escalated: ['B1'], added: ['B1'], session_status: 'coordinating' });
    const st = await runJson(dir, ['status']);
    expect(st.status).toBe('coordinating');
    expect(st.blockers).toMatchObject([{ id: 'B1', kind: 'failed-dependency', ticket: 'D' }]);
    const revision = st.revision;
    const again = await runJson(dir, ['blockers', '--escalate']);
    expect(again).toMatchObject({ escalated: ['B1'], added: [] }); // not recorded twice
    expect((await runJson(dir, ['status'])).revision).toBe(revision); // nothing new: nothing written
    // the other branch continues
    expect((await runJson(dir, ['claim', '--agent', 'c'])).ticket.id).toBe('C');
    const { events } = readEvents(path.join(dir, '.orchestration/logs/v.jsonl'));
    expect(events.filter((e) => e.verb === 'escalate').map((e) => [e.before, e.after, e.data])).toEqual([
      ['coordinating', 'coordinating', { blockers: ['B1'], added: ['B1'], halt: false, reason: '1 blocker(s): 1 failed-dependency' }],
    ]);
  });

  it('blockers --escalate blocks the session on a deadlock (halt), recording each finding once', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('d', 2, [{ id: 'A' }, { id: 'B', deps: ['A'] }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 'd']);
    await runJson(dir, ['activate']);
    await runJson(dir, ['claim', '--agent', 'a']);
    await runJson(dir, ['fail', '--ticket', 'A', '--agent', 'a', '--reason', 'broken']);
    const before = readFileSync(session('d'));
    const look = await runJson(dir, ['blockers']); // without --escalate: only a look
    expect(look).toMatchObject({ escalate: true, halt: true, escalated: [], session_status: 'coordinating' });
    expect(readFileSync(session('d')).equals(before)).toBe(true);
    const esc = await runJson(dir, ['blockers', '--escalate']);
    expect(esc.findings.map((f: any) => [f.severity, f.kind])).toEqual([
      ['error', 'deadlock'],
      ['warning', 'failed-dependency'],
    ]);
    expect(esc).toMatchObject({ halt: true, escalated: ['B1', 'B2'], added: ['B1', 'B2'], session_status: 'blocked' });
    const st = await runJson(dir, ['status']);
    expect(st).toMatchObject({ status: 'blocked', status_reason: '2 blocker(s): 1 deadlock, 1 failed-dependency' });
    expect(st.blockers.map((b: any) => [b.id, b.kind, b.ticket])).toEqual([
      ['B1', 'deadlock', null],
      ['B2', 'failed-dependency', 'B'],
    ]);
    expect((await runJson(dir, ['claim', '--agent', 'b'])).code).toBe('blocked');
    expect((await run(dir, ['blockers', '--escalate'])).stdout).toContain('escalated: B1, B2 (new: none); session blocked\n');
    expect((await runJson(dir, ['status'])).blockers).toHaveLength(2);
  });
});
