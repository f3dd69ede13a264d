import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { parseSessionText } from '../../src/runtime/store/session-file.ts';
import { readEvents } from '../../src/runtime/store/event-log.ts';
import { BUNDLE, cleanup, planText, runBundle, runBundleAsync, tempDir, writeWorkerScript } from './helpers.ts';
import { allEvents, exportedState, makeStore, STORE_KINDS, type TestStore } from '../store/stores.ts';

/**
 * Reliability with real processes: every test spawns `node dist/orchestrate.mjs` (the bundle users run).
 * Bounded for a shared 2-core machine: the whole file takes well under a minute there.
 */

let dir: string;
const workers: ReturnType<typeof spawn>[] = [];
beforeEach(() => {
  dir = tempDir('orch-conc-');
});
afterEach(() => {
  for (const w of workers.splice(0)) if (w.exitCode === null) w.kill('SIGKILL');
  cleanup(dir);
});

const sessionFile = (id = 's') => path.join(dir, `.orchestration/sessions/${id}.yaml`);
const logFile = (id = 's') => path.join(dir, `.orchestration/logs/${id}.jsonl`);
const readState = (id = 's') => parseSessionText(`${id}.yaml`, readFileSync(sessionFile(id), 'utf8'), YAML).state;

/** A pid that certainly belongs to no running process (a child that has exited). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

/** Starts the helper with a pause hook; resolves once it prints `PAUSE <point>`; returns the child. */
function startPaused(argv: string[], point: string, extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BUNDLE, ...argv], { cwd: dir, env: { ...process.env, ORCHESTRATE_TEST_PAUSE: `${point}:60000`, ...extraEnv } });
  const paused = new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes(`PAUSE ${point}`)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before pausing: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, paused, exited };
}

function init(tickets: Parameters<typeof planText>[2], agents = 32, id = 's', env: Record<string, string> = {}): void {
  writeFileSync(path.join(dir, 'plan.yaml'), planText('conc', agents, tickets));
  expect(runBundle(dir, ['init', 'plan.yaml', '--id', id], env).code).toBe(0);
  expect(runBundle(dir, ['activate', '--id', id], env).code).toBe(0);
}

/** Checks the log: seq 1..n strictly increasing, last seq = state revision. */
function checkLog(id = 's'): ReturnType<typeof readEvents>['events'] {
  const { events, skipped } = readEvents(logFile(id));
  expect(skipped).toBe(0);
  events.forEach((e, i) => expect(e.seq).toBe(i + 1));
  expect(events.at(-1)!.seq).toBe(readState(id).revision);
  return events;
}

// The same test code for both stores (test/store/stores.ts): state and events are read back through the helper.
describe.each(STORE_KINDS)('32 agents over a 500-ticket plan (%s store)', (kind) => {
  let store: TestStore;
  beforeEach(() => {
    store = makeStore(kind);
  });
  afterEach(async () => {
    await store.dispose();
  });
  it('completes every ticket exactly once, in dependency order, never two running on one file', async () => {
    // deterministic pseudo-random DAG: each ticket depends on up to 2 of the 60 before it, touches 1-2 of 300 files
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const tickets = Array.from({ length: 500 }, (_, i) => {
      const deps = new Set<string>();
      if (i > 0) for (let k = rnd(3); k > 0; k--) deps.add(`T${Math.max(0, i - 1 - rnd(60))}`);
      const files = new Set([`f${rnd(300)}`]);
      if (rnd(2)) files.add(`f${rnd(300)}`);
      return { id: `T${i}`, deps: [...deps], files: [...files] };
    });
    init(tickets, 32, 's', store.env);
    const worker = writeWorkerScript(dir);
    const results = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const c = spawn('sh', [worker, `agent-${i}`], { cwd: dir, env: { ...process.env, ...store.env, ORCHESTRATE_HOST: `host-${i % 4}`, ORCHESTRATE_LOCK_TIMEOUT_MS: '120000' } });
          workers.push(c);
          let err = '';
          c.stderr.on('data', (d) => (err += d));
          c.on('close', (code) => resolve({ code, err }));
        }),
      ),
    );
    for (const r of results) expect(r).toEqual({ code: 0, err: '' });
    const idle = existsSync(path.join(dir, 'idle.log')) ? readFileSync(path.join(dir, 'idle.log'), 'utf8').length : 0;
    console.log(`${kind} store, 32 workers, 500 tickets: 1000 changes, ${idle} "no ticket" answers`);

    const state = exportedState(dir, store.env);
    expect(state.status).toBe('completed');
    expect(state.tickets.every((t) => t.status === 'completed' && t.attempts === 1)).toBe(true);
    const events = allEvents(dir, store.env);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1)); // gap-free
    expect(events.at(-1)!.seq).toBe(state.revision);
    const byId = new Map(tickets.map((t) => [t.id, t]));
    const completedAt = new Map<string, number>();
    const running = new Map<string, string>(); // file -> ticket
    let claims = 0;
    for (const e of events) {
      if (e.verb === 'claim') {
        claims++;
        const t = byId.get(e.ticket!)!;
        for (const d of t.deps) expect(completedAt.has(d), `${t.id} claimed before ${d} completed`).toBe(true);
        for (const f of t.files) {
          expect(running.get(f), `${t.id} and ${running.get(f)} share ${f}`).toBeUndefined();
          running.set(f, t.id);
        }
      }
      if (e.verb === 'complete') {
        expect(completedAt.has(e.ticket!)).toBe(false);
        completedAt.set(e.ticket!, e.seq);
        for (const f of byId.get(e.ticket!)!.files) running.delete(f);
      }
    }
    expect(claims).toBe(500);
    expect(completedAt.size).toBe(500);
    // no lock, reclaim gate, stale or temp file left behind
    if (kind === 'file') {
      checkLog();
      expect(readdirSync(path.dirname(sessionFile()))).toEqual(['s.yaml']);
    }
    // ~1,000 helper processes (~0.1 s CPU each): about a minute on an idle 2-core machine; the timeout leaves
    // room for a machine shared with other test suites.
  }, 600_000);
});

describe('lock recovery', () => {
  it('recovers when the lock holder is SIGKILLed (dead owner: at once; else after the stale timeout)', async () => {
    init([{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    const p = startPaused(['claim', '--agent', 'victim'], 'locked');
    await p.paused;
    p.child.kill('SIGKILL');
    await p.exited;
    expect(existsSync(sessionFile().replace(/\.yaml$/, '.lock'))).toBe(true);
    const r = runBundle(dir, ['claim', '--agent', 'next', '--json'], { ORCHESTRATE_LOCK_TIMEOUT_MS: '5000' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ticket.id).toBe('A');
    checkLog();

    // a lock from another host (pid cannot be checked) is reclaimed once older than the stale timeout
    const lock = sessionFile().replace(/\.yaml$/, '.lock');
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', token: 'x', time: Date.now() }));
    const t0 = Date.now();
    const r2 = runBundle(dir, ['claim', '--agent', 'n2', '--json'], { ORCHESTRATE_LOCK_STALE_MS: '700', ORCHESTRATE_LOCK_TIMEOUT_MS: '10000' });
    expect(r2.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    // a live holder that never lets go: bounded wait, LockTimeout, exit 2
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), token: 'y', time: Date.now() + 3_600_000 }));
    const r3 = runBundle(dir, ['claim', '--agent', 'n3'], { ORCHESTRATE_LOCK_TIMEOUT_MS: '300' });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('Could not take the state lock');
    expect(r3.stderr).toContain(`held by pid ${process.pid}`);
  });

  it('never preempts a live holder before the live-holder limit; past it, takes over and the holder writes nothing', async () => {
    init([{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    // the holder sleeps 1.5 s inside the lock; a stale timeout of 100 ms must not let the next caller in
    const slow = startPaused(['claim', '--agent', 'slow', '--json'], 'locked', { ORCHESTRATE_TEST_PAUSE: 'locked:1500' });
    workers.push(slow.child);
    let slowOut = '';
    slow.child.stdout!.on('data', (d) => (slowOut += d));
    await slow.paused;
    const fast = await runBundleAsync(dir, ['claim', '--agent', 'fast', '--json'], { ORCHESTRATE_LOCK_STALE_MS: '100', ORCHESTRATE_LOCK_TIMEOUT_MS: '20000' });
    await slow.exited;
    expect(slow.child.exitCode).toBe(0);
    expect(JSON.parse(slowOut).ticket.id).toBe('A');
    expect(fast.code).toBe(0);
    expect(JSON.parse(fast.stdout).ticket.id).toBe('B');
    checkLog();

    // a holder past the live-holder limit is taken over; when it wakes it finds the lock gone and writes nothing
    const hung = startPaused(['claim', '--agent', 'hung'], 'locked', { ORCHESTRATE_TEST_PAUSE: 'locked:2500' });
    workers.push(hung.child);
    let hungErr = '';
    hung.child.stderr!.on('data', (d) => (hungErr += d));
    await hung.paused;
    const next = runBundle(dir, ['claim', '--agent', 'next', '--json'], { ORCHESTRATE_LOCK_LIVE_STALE_MS: '400', ORCHESTRATE_LOCK_TIMEOUT_MS: '20000' });
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout).ticket.id).toBe('C');
    await hung.exited;
    expect(hung.child.exitCode).toBe(2);
    expect(hungErr).toContain('Lost the state lock');
    expect(readState().tickets.map((t) => t.agent)).toEqual(['slow', 'fast', 'next']);
    checkLog();
  }, 60_000);

  it('removes temp and aside files that killed processes left, never those of a live process', () => {
    init([{ id: 'A' }]);
    const sessions = path.dirname(sessionFile());
    const cache = path.join(dir, '.orchestration/cache');
    const dead = deadPid();
    const leftovers = [`.s.yaml.${dead}.0a1b.tmp`, `s.lock.${dead}.c0ffee.tmp`, `s.lock.${dead}.beef.stale`, `s.lock.reclaim.${dead}.aa.tmp`];
    const live = `.s.yaml.${process.pid}.0bad.tmp`;
    for (const n of [...leftovers, live]) writeFileSync(path.join(sessions, n), 'x');
    writeFileSync(path.join(cache, `.s.state.${dead}.77.tmp`), 'x');
    writeFileSync(path.join(sessions, `other.lock.${dead}.aa.tmp`), 'x'); // another session's: its own lock sweeps it
    expect(runBundle(dir, ['claim', '--agent', 'a']).code).toBe(0);
    expect(readdirSync(sessions).sort()).toEqual([live, `other.lock.${dead}.aa.tmp`, 's.yaml'].sort());
    expect(readdirSync(cache)).toEqual(['s.state']);
  });

  it('two processes reclaiming one stale lock at once: exactly one holds it at a time (25 times)', async () => {
    const lanes = ['r0', 'r1', 'r2', 'r3', 'r4'];
    for (const id of lanes) init(Array.from({ length: 12 }, (_, i) => ({ id: `T${i}` })), 12, id);
    await Promise.all(
      lanes.map(async (id) => {
        const lock = sessionFile(id).replace(/\.yaml$/, '.lock');
        for (let round = 0; round < 5; round++) {
          const before = readState(id).revision;
          writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), token: `stale-${round}`, time: Date.now() }));
          // both hold the lock 60 ms once they have it: if both ever held it at once, one claim would be lost
          const env = { ORCHESTRATE_TEST_PAUSE: 'locked:60', ORCHESTRATE_LOCK_TIMEOUT_MS: '30000' };
          const [a, b] = await Promise.all([
            runBundleAsync(dir, ['claim', '--id', id, '--agent', `a${round}`, '--json'], env),
            runBundleAsync(dir, ['claim', '--id', id, '--agent', `b${round}`, '--json'], env),
          ]);
          expect(a.code, a.stderr).toBe(0);
          expect(b.code, b.stderr).toBe(0);
          expect(JSON.parse(a.stdout).ticket.id).not.toBe(JSON.parse(b.stdout).ticket.id);
          expect(readState(id).revision).toBe(before + 2);
        }
        checkLog(id);
      }),
    );
    expect(readdirSync(path.dirname(sessionFile())).sort()).toEqual(lanes.map((l) => `${l}.yaml`));
  }, 150_000);
});

describe('crash safety', () => {
  it('SIGKILL in the middle of a write 100 times: the state file always parses, at the old revision', async () => {
    const lanes = ['k0', 'k1', 'k2', 'k3'];
    for (const id of lanes) init(Array.from({ length: 40 }, (_, i) => ({ id: `T${i}` })), 40, id);
    const points = ['mid-write', 'before-rename', 'locked'];
    await Promise.all(
      lanes.map(async (id, lane) => {
        let rev = readState(id).revision;
        for (let i = 0; i < 25; i++) {
          const p = startPaused(['claim', '--id', id, '--agent', `k${i}`], points[(i + lane) % 3]!);
          await p.paused;
          p.child.kill('SIGKILL');
          await p.exited;
          const { state } = parseSessionText(`${id}.yaml`, readFileSync(sessionFile(id), 'utf8'), YAML); // throws if torn
          expect(state.revision).toBe(rev); // killed before the rename: the old revision, intact
          if (i % 5 === 4) {
            // the next caller recovers at once (dead owner) and the log stays consistent
            const r = await runBundleAsync(dir, ['claim', '--id', id, '--agent', `ok${i}`]);
            expect(r.code, r.stderr).toBe(0);
            rev += 1;
            checkLog(id);
          }
        }
        // leftovers of killed writers are swept by the next transaction
        expect((await runBundleAsync(dir, ['heartbeat', '--id', id, '--agent', 'ok24'])).code).toBe(0);
      }),
    );
    expect(readdirSync(path.dirname(sessionFile())).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 150_000);

  it('readers skip a torn last log line, and the next writer cuts it off', () => {
    init([{ id: 'A' }, { id: 'B' }]);
    writeFileSync(logFile(), `${readFileSync(logFile(), 'utf8')}{"seq":3,"time":"x","ag`);
    const before = readEvents(logFile());
    expect(before.events).toHaveLength(2);
    expect(before.skipped).toBe(0);
    expect(runBundle(dir, ['claim', '--agent', 'a']).code).toBe(0);
    const events = checkLog();
    expect(events.map((e) => e.verb)).toEqual(['init', 'activate', 'claim']);
  });
});

describe('hostile input (bundle)', () => {
  it('refuses unsafe session ids and ticket ids, writing nothing outside', () => {
    writeFileSync(path.join(dir, 'plan.yaml'), planText('h', 1, [{ id: 'A' }]));
    const r = runBundle(dir, ['init', 'plan.yaml', '--id', '../../evil']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid session id `../../evil`');
    expect(runBundle(dir, ['status', '--id', '$(touch pwned)']).code).toBe(1);
    writeFileSync(path.join(dir, 'bad.yaml'), 'title: h\ntickets:\n  - id: "$(touch pwned)"\n    title: x\n  - id: "../up"\n    title: y\n');
    const v = runBundle(dir, ['init', 'bad.yaml']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/bad\.yaml:3:9: error .*Ticket id must contain only/);
    expect(v.stderr).toMatch(/bad\.yaml:5:9: error .*Ticket id must not contain `\.\.`/);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, '.orchestration/sessions'))).toBe(false);
  });

  it('refuses a 10 MB plan and an alias bomb quickly, with clear errors', () => {
    writeFileSync(path.join(dir, 'big.yaml'), `title: t\ndescription: "${'x'.repeat(10 * 1024 * 1024)}"\ntickets: []\n`);
    const big = runBundle(dir, ['validate', 'big.yaml']);
    expect(big.code).toBe(1);
    expect(big.stderr + big.stdout).toContain('is 10.0 MiB, expected at most 4 MiB');
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(',')}]`), 'title: t', 'tickets: [*j]', ''].join('\n');
    writeFileSync(path.join(dir, 'bomb.yaml'), bomb);
    const b = runBundle(dir, ['init', 'bomb.yaml']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/alias/i);
  });

  it('initialises and claims on a 10,000-ticket plan', () => {
    init(Array.from({ length: 10_000 }, (_, i) => ({ id: `T${i}`, deps: i % 100 ? [`T${i - 1}`] : [], files: [`f${i % 10}`] })), 8);
    const r = runBundle(dir, ['claim', '--agent', 'a', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ticket.id).toBe('T0');
    const s = JSON.parse(runBundle(dir, ['status', '--json']).stdout);
    expect(s.progress.total).toBe(10_000);
  }, 60_000);
});
