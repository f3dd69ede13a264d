import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { BUNDLE, cleanup, planText, runBundle, runBundleAsync, tempDir, writeWorkerScript } from '../runtime/helpers.ts';
import { startTestServer } from './postgres-server.ts';
import { allEvents, dropSchema, exportedState, freshSchema, makeStore, testDatabaseUrl, type TestStore } from './stores.ts';

/**
 * The PostgreSQL store with real processes and a real server (test/global-setup.ts starts it): crashes in
 * the middle of a transaction, a server restart during a run, clocks that disagree, export/import, schema
 * versions, an unreachable server.
 */

let dir: string;
let store: TestStore;
const children: ReturnType<typeof spawn>[] = [];
beforeEach(() => {
  dir = tempDir('orch-pg-');
  store = makeStore('postgres');
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await store.dispose();
  cleanup(dir);
});

function init(tickets: Parameters<typeof planText>[2], env: Record<string, string>, agents = 8, id = 's'): void {
  writeFileSync(path.join(dir, `${id}.plan.yaml`), planText('pg', agents, tickets));
  const a = runBundle(dir, ['init', `${id}.plan.yaml`, '--id', id], env);
  expect(a.code, a.stderr).toBe(0);
  const b = runBundle(dir, ['activate', '--id', id], env);
  expect(b.code, b.stderr).toBe(0);
}

/** Starts the helper paused inside its transaction (`ORCHESTRATE_TEST_PAUSE=locked`); resolves once it says so. */
function startPaused(argv: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BUNDLE, ...argv], { cwd: dir, env: { ...process.env, ...env, ORCHESTRATE_TEST_PAUSE: 'locked:60000' } });
  children.push(child);
  const paused = new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('PAUSE locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before pausing: ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, paused, exited };
}

/** Checks seq 1…n gap-free and the last seq equal to the revision; returns the events. */
function checkLog(env: Record<string, string>, id = 's') {
  const state = exportedState(dir, env, id);
  const events = allEvents(dir, env, id);
  events.forEach((e, i) => expect(e.seq).toBe(i + 1));
  expect(events.length).toBe(state.revision);
  return { state, events };
}

function runWorkers(n: number, env: Record<string, string>): Promise<{ code: number | null; err: string }[]> {
  const worker = writeWorkerScript(dir);
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const c = spawn('sh', [worker, `agent-${i}`], { cwd: dir, env: { ...process.env, ...env, ORCHESTRATE_HOST: `host-${i % 4}` } });
        children.push(c);
        let err = '';
        c.stderr.on('data', (d) => (err += d));
        c.on('close', (code) => resolve({ code, err }));
      }),
    ),
  );
}

describe('crash safety (PostgreSQL)', () => {
  it('a client SIGKILLed in the middle of a transaction, 100 times: no partial change is visible, nothing is lost, the run completes', async () => {
    const lanes = ['k0', 'k1', 'k2', 'k3'];
    for (const id of lanes) init(Array.from({ length: 10 }, (_, i) => ({ id: `T${i}` })), store.env, 10, id);
    await Promise.all(
      lanes.map(async (id) => {
        let rev = exportedState(dir, store.env, id).revision;
        for (let i = 0; i < 25; i++) {
          const p = startPaused(['claim', '--id', id, '--agent', `k${i}`], store.env);
          await p.paused; // inside the transaction: the row is locked, the events are not inserted yet
          p.child.kill('SIGKILL');
          await p.exited;
          if (i % 5 === 4) {
            const { state } = checkLog(store.env, id);
            expect(state.revision).toBe(rev); // the killed claims left nothing
            // the row lock died with the client: the next caller goes straight on
            const r = await runBundleAsync(dir, ['claim', '--id', id, '--agent', `ok${i}`], store.env);
            expect(r.code, r.stderr).toBe(0);
            rev += 1;
          }
        }
        expect(checkLog(store.env, id).state.revision).toBe(rev);
      }),
    );
    // the run completes: every ticket of one lane done, once
    const lane = 'k0';
    for (;;) {
      const c = await runBundleAsync(dir, ['claim', '--id', lane, '--agent', 'finisher', '--json'], store.env);
      const t = (JSON.parse(c.stdout) as { ticket: { id: string } | null }).ticket;
      if (!t) break;
      expect((await runBundleAsync(dir, ['complete', '--id', lane, '--ticket', t.id, '--agent', 'finisher', '--summary', 'ok'], store.env)).code).toBe(0);
    }
    // tickets the killed-then-recovered claims took are still running: release them and finish
    const { state } = checkLog(store.env, lane);
    for (const t of state.tickets.filter((x) => x.status === 'claimed')) {
      expect((await runBundleAsync(dir, ['complete', '--id', lane, '--ticket', t.id, '--agent', t.agent!, '--summary', 'ok'], store.env)).code).toBe(0);
    }
    const done = checkLog(store.env, lane);
    expect(done.state.status).toBe('completed');
    expect(done.events.filter((e) => e.verb === 'complete').length).toBe(10);
  }, 300_000);
});

describe('a server restart during a run (PostgreSQL)', () => {
  it('16 agents: clients wait and retry, the run completes, nothing is lost or done twice', async () => {
    const server = await startTestServer();
    const schema = freshSchema();
    const env = { ORCHESTRATE_DATABASE_URL: server.url, ORCHESTRATE_DATABASE_SCHEMA: schema, ORCHESTRATE_DB_RETRY_MS: '90000' };
    try {
      const tickets = Array.from({ length: 96 }, (_, i) => ({ id: `T${i}`, deps: i >= 16 ? [`T${i - 16}`] : [] }));
      init(tickets, env, 16);
      const run = runWorkers(16, env);
      // restart once a third of the tickets are done
      for (;;) {
        await new Promise((r) => setTimeout(r, 300));
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        const n = (await c.query(`SELECT count(*)::int AS n FROM "${schema}".events WHERE event->>'verb' = 'complete'`)).rows[0].n as number;
        await c.end();
        if (n >= 32) break;
      }
      await server.stop();
      await new Promise((r) => setTimeout(r, 2_000));
      await server.start();
      const results = await run;
      for (const r of results) expect(r).toEqual({ code: 0, err: '' });
      const { state, events } = checkLog(env);
      expect(state.status).toBe('completed');
      expect(state.tickets.every((t) => t.status === 'completed' && t.attempts === 1)).toBe(true);
      expect(events.filter((e) => e.verb === 'claim').length).toBe(96);
      expect(events.filter((e) => e.verb === 'complete').length).toBe(96);
    } finally {
      await server.destroy();
    }
  }, 300_000);
});

describe('clocks (PostgreSQL)', () => {
  it("lease expiry is decided by the database's clock: a client 10 minutes fast or slow neither steals a live lease nor keeps a dead one", async () => {
    const FAST = { ORCHESTRATE_TEST_CLOCK_SKEW_MS: String(10 * 60_000) };
    const SLOW = { ORCHESTRATE_TEST_CLOCK_SKEW_MS: String(-10 * 60_000) };
    init([{ id: 'T' }], store.env, 2);
    const a = runBundle(dir, ['claim', '--agent', 'a', '--lease', '4s', '--json'], { ...store.env, ...SLOW });
    expect(JSON.parse(a.stdout).ticket.id).toBe('T');
    // 10 minutes fast: by its clock the lease ended long ago; by the database's it has not
    const b = runBundle(dir, ['claim', '--agent', 'b', '--json'], { ...store.env, ...FAST });
    expect(JSON.parse(b.stdout).ticket).toBeNull();
    const seen = JSON.parse(runBundle(dir, ['agents', '--json'], { ...store.env, ...FAST }).stdout).agents[0];
    expect(seen).toMatchObject({ agent: 'a', status: 'working', lease_expired: false });
    await new Promise((r) => setTimeout(r, 4_500));
    // 10 minutes slow: by its clock the lease is alive; by the database's it ended — the ticket is re-offered,
    // and the old holder (also slow) cannot keep it
    const c = runBundle(dir, ['claim', '--agent', 'c', '--json'], { ...store.env, ...SLOW });
    expect(JSON.parse(c.stdout).ticket.id).toBe('T');
    const hb = runBundle(dir, ['heartbeat', '--agent', 'a', '--ticket', 'T'], { ...store.env, ...SLOW });
    expect(hb.code).toBe(1);
    const events = allEvents(dir, store.env);
    expect(events.filter((e) => e.verb === 'expire').map((e) => e.ticket)).toEqual(['T']);
  }, 60_000);
});

describe('hosts (PostgreSQL)', () => {
  it('records the host of every change and shows each agent\'s host', () => {
    init([{ id: 'A' }, { id: 'B' }], store.env, 2);
    expect(runBundle(dir, ['claim', '--agent', 'x'], { ...store.env, ORCHESTRATE_HOST: 'ci-runner-7' }).code).toBe(0);
    expect(runBundle(dir, ['claim', '--agent', 'y'], { ...store.env, ORCHESTRATE_HOST: 'laptop' }).code).toBe(0);
    const rows = JSON.parse(runBundle(dir, ['agents', '--json'], store.env).stdout).agents as { agent: string; host: string }[];
    expect(rows.map((r) => [r.agent, r.host])).toEqual([
      ['x', 'ci-runner-7'],
      ['y', 'laptop'],
    ]);
    expect(runBundle(dir, ['agents'], store.env).stdout).toContain('x @ci-runner-7  working');
  });
});

describe('export and import-state', () => {
  /** The same history, at fixed times, on one store. */
  function history(cwd: string, env: Record<string, string>): void {
    writeFileSync(path.join(cwd, 'p.yaml'), planText('same', 2, [{ id: 'A', files: ['a.ts'] }, { id: 'B', deps: ['A'] }, { id: 'C' }]));
    const steps = [
      ['init', 'p.yaml', '--id', 's'],
      ['activate'],
      ['claim', '--agent', 'w1'],
      ['claim', '--agent', 'w2'],
      ['heartbeat', '--agent', 'w1', '--ticket', 'A', '--progress', '50'],
      ['complete', '--agent', 'w1', '--ticket', 'A', '--summary', 'done A'],
      ['fail', '--agent', 'w2', '--ticket', 'C', '--reason', 'flaky'],
      ['retry', 'C'],
      ['claim', '--agent', 'w1'],
    ];
    steps.forEach((argv, i) => {
      const r = runBundle(cwd, argv, { ...env, ORCHESTRATE_NOW: String(Date.parse('2026-12-01T10:00:00Z') + i * 60_000), ORCHESTRATE_HOST: 'h1' });
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    });
  }

  it('export of a PostgreSQL session equals, byte for byte, the file store\'s YAML for the same history', () => {
    const fileDir = tempDir('orch-pg-file-');
    try {
      history(fileDir, {});
      history(dir, store.env);
      const fromFiles = runBundle(fileDir, ['export', '--id', 's']).stdout;
      const fromDb = runBundle(dir, ['export', '--id', 's'], store.env).stdout;
      expect(fromDb).toBe(fromFiles);
      expect(fromFiles).toBe(readFileSync(path.join(fileDir, '.orchestration/sessions/s.yaml'), 'utf8')); // what the file store keeps
      expect(allEvents(dir, store.env)).toEqual(allEvents(fileDir, {}));
    } finally {
      cleanup(fileDir);
    }
  });

  it('import-state moves a file-store session into PostgreSQL and back, and the run goes on there', () => {
    history(dir, {});
    const before = runBundle(dir, ['export', '--id', 's']).stdout;
    const imp = runBundle(dir, ['import-state', '.orchestration/sessions/s.yaml', '--json'], store.env);
    expect(imp.code, imp.stderr).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ id: 's', store: 'postgres', events: 9 });
    expect(runBundle(dir, ['export', '--id', 's'], store.env).stdout).toBe(before);
    expect(allEvents(dir, store.env)).toEqual(allEvents(dir, {}));
    // refused a second time: nothing is overwritten
    const again = runBundle(dir, ['import-state', '.orchestration/sessions/s.yaml'], store.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    // the run goes on in the database
    expect(runBundle(dir, ['complete', '--agent', 'w1', '--ticket', 'B', '--summary', 'ok'], store.env).code).toBe(0);
    // and back: export with its log, import into an empty project on files
    const back = tempDir('orch-pg-back-');
    try {
      mkdirSync(path.join(back, 'x'));
      expect(runBundle(dir, ['export', '--id', 's', '--log', path.join(back, 'x/s.jsonl')], store.env).code).toBe(0);
      writeFileSync(path.join(back, 'x/s.yaml'), runBundle(dir, ['export', '--id', 's'], store.env).stdout);
      const r = runBundle(back, ['import-state', 'x/s.yaml', '--log', 'x/s.jsonl', '--store', 'file']);
      expect(r.code, r.stderr).toBe(0);
      expect(runBundle(back, ['export', '--id', 's']).stdout).toBe(runBundle(dir, ['export', '--id', 's'], store.env).stdout);
      expect(allEvents(back, {})).toEqual(allEvents(dir, store.env));
    } finally {
      cleanup(back);
    }
  });

  it('refuses a log that does not hold every event up to the revision, creating nothing', () => {
    history(dir, {});
    const log = readFileSync(path.join(dir, '.orchestration/logs/s.jsonl'), 'utf8').split('\n');
    writeFileSync(path.join(dir, 'cut.jsonl'), [...log.slice(0, 3), ...log.slice(4)].join('\n'));
    const r = runBundle(dir, ['import-state', '.orchestration/sessions/s.yaml', '--log', 'cut.jsonl'], store.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not hold events 1…9');
    expect(runBundle(dir, ['sessions', '--json'], store.env).stdout).toContain('"sessions": []');
  });
});

describe('schema versions and connection failures', () => {
  it('creates its schema on first use; an older helper refuses a newer schema, changing nothing', async () => {
    init([{ id: 'A' }], store.env, 1);
    const c = new pg.Client({ connectionString: testDatabaseUrl() });
    await c.connect();
    try {
      const schema = store.env.ORCHESTRATE_DATABASE_SCHEMA;
      expect((await c.query(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`)).rows[0].value).toBe('1');
      await c.query(`UPDATE "${schema}".meta SET value = '99' WHERE key = 'schema_version'`);
      const r = runBundle(dir, ['claim', '--agent', 'a'], store.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('is at version 99; this helper knows versions up to 1');
      expect(r.stderr).toContain('Nothing was changed');
      expect((await c.query(`SELECT revision FROM "${schema}".sessions WHERE id = 's'`)).rows[0].revision).toBe('2');
    } finally {
      await c.end();
    }
  });

  it('an unreachable server: retries with backoff for the bounded time, then fails naming the host, nothing changed', () => {
    const r = runBundle(dir, ['sessions'], { ORCHESTRATE_DATABASE_URL: 'postgres://u:secret@127.0.0.1:9/db', ORCHESTRATE_DB_RETRY_MS: '1500' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot reach the state database at 127.0.0.1:9');
    expect(r.stderr).toContain('nothing was changed');
    expect(r.stderr).not.toContain('secret');
    expect(r.stderr).toMatch(/failed after ([2-9]|\d\d+) attempts in \d+\.\d s/); // it waited and retried, within the bound
  });

  it('two schemas on one server are two separate stores', async () => {
    const other = freshSchema();
    try {
      init([{ id: 'A' }], store.env, 1);
      const r = runBundle(dir, ['sessions', '--json'], { ...store.env, ORCHESTRATE_DATABASE_SCHEMA: other });
      expect(JSON.parse(r.stdout).sessions).toEqual([]);
    } finally {
      await dropSchema(testDatabaseUrl(), other);
    }
  });
});
