import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, planText, run, tempDir } from '../runtime/helpers.ts';
import { makeStore, type TestStore } from './stores.ts';

/**
 * Every verb, view and report behaves the same on both stores: one script of helper calls (at fixed times, on
 * one host) runs against the file store and the PostgreSQL store, and every call's exit code, stdout and
 * stderr must be the same — except the lines that name where the state is.
 */

const T0 = Date.parse('2026-12-01T09:00:00Z');

/** The calls, in order: lifecycle, claims, the dispatcher, blockers, gates, reports, views. */
const SCRIPT: string[][] = [
  ['init', 'p.yaml', '--id', 's', '--json'],
  ['validate', 'p.yaml', '--json'],
  ['sessions', '--json'],
  ['pause'],
  ['activate', '--json'],
  ['claim', '--agent', 'w1', '--json'],
  ['claim', '--agent', 'w2', '--json'],
  ['claim', '--agent', 'w3', '--json'],
  ['heartbeat', '--agent', 'w3', '--ticket', 'A', '--progress', '40', '--note', 'half', '--json'],
  ['status', '--json'],
  ['status'],
  ['agents', '--json'],
  ['complete', '--agent', 'w3', '--ticket', 'A', '--summary', 'A done', '--json'],
  ['fail', '--agent', 'w1', '--ticket', 'C', '--reason', 'flaky network', '--json'],
  ['block', '--agent', 'w2', '--ticket', 'D', '--reason', 'waiting for keys', '--json'],
  ['blockers', '--json'],
  ['unblock', '--ticket', 'D', '--json'],
  ['next', '--json'],
  ['next', '--returned', 'worker-1:B:1', '--json'],
  ['pause', '--reason', 'lunch', '--json'],
  ['claim', '--agent', 'w4', '--json'],
  ['resume', '--json'],
  ['schedule', '--json'],
  ['events', '--tail', '0', '--json'],
  ['report', '--format', 'json'],
  ['report'],
  ['consolidate', '--format', 'json'],
  ['dashboard'],
  ['export'],
  ['complete', '--agent', 'nobody', '--ticket', 'B', '--summary', 'x'],
  ['stop', '--json'],
  ['claim', '--agent', 'w1'],
];

/** Runs {@link SCRIPT} against `store`; returns each call's outcome. */
async function runScript(store: TestStore): Promise<{ argv: string; code: number; stdout: string; stderr: string }[]> {
  const dir = tempDir('orch-contract-');
  try {
    writeFileSync(path.join(dir, 'p.yaml'), planText('contract', 3, [{ id: 'A', files: ['a.ts'], estimate: 30 }, { id: 'B', deps: ['A'], estimate: 20 }, { id: 'C', files: ['c.ts'] }, { id: 'D' }, { id: 'E', deps: ['C', 'D'] }]));
    const out = [];
    for (const [i, argv] of SCRIPT.entries()) {
      const env = { ...store.env, ORCHESTRATE_NOW: String(T0 + i * 60_000), ORCHESTRATE_HOST: 'h' };
      const r = await run(dir, argv, env);
      // what names where the state is, and the machine's live load (dashboard), differ by design
      const where = (t: string) => t.replaceAll(dir, '<dir>').replace(/("file": )"[^"]*"/, '$1"<where>"').replace(/^resources: .*$/m, 'resources: <machine>');
      out.push({ argv: argv.join(' '), code: r.code, stdout: where(r.stdout), stderr: where(r.stderr) });
    }
    return out;
  } finally {
    cleanup(dir);
  }
}

describe('one behaviour, two stores', () => {
  let stores: TestStore[];
  beforeEach(() => {
    stores = [makeStore('file'), makeStore('postgres')];
  });
  afterEach(async () => {
    for (const s of stores) await s.dispose();
  });
  it('every call answers the same on the file store and on PostgreSQL', async () => {
    const [files, db] = [await runScript(stores[0]!), await runScript(stores[1]!)];
    for (let i = 0; i < SCRIPT.length; i++) expect(db[i], SCRIPT[i]!.join(' ')).toEqual(files[i]);
    // the script exercised both outcomes: successes and refusals
    expect(files.filter((r) => r.code === 0).length).toBeGreaterThan(20);
    expect(files.filter((r) => r.code !== 0).map((r) => r.argv)).toEqual(['pause', 'complete --agent nobody --ticket B --summary x']);
  }, 120_000);
});
