import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLogDrift } from '../../src/runtime/reconcile.ts';
import type { SessionState, StateEvent } from '../../src/runtime/state.ts';
import { readEvents } from '../../src/runtime/store/event-log.ts';
import { cleanup, deleteLogLines, logFile, planText, run, runJson, sessionFile, setTicketStatusByHand, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

const seqs = () => readEvents(logFile(dir, 's')).events.map((e) => e.seq);

describe('resume repairs the event log from the state file', () => {
  beforeEach(async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('r', 3, [{ id: 'A' }, { id: 'B', deps: ['A'] }, { id: 'C' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 's']); // 1
    await runJson(dir, ['activate']); // 2
    await runJson(dir, ['claim', '--agent', 'a']); // 3: A
    await runJson(dir, ['claim', '--agent', 'c']); // 4: C
    await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok']); // 5
    await runJson(dir, ['claim', '--agent', 'b']); // 6: B
    await runJson(dir, ['pause']); // 7
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('after lost lines, a hand-edited status and uncommitted events, one resume repairs and a second finds nothing', async () => {
    setTicketStatusByHand(dir, 's', 'C', 'failed');
    deleteLogLines(dir, 's', [3, 7]); // a middle line and the last one
    const ghost = (seq: number): string => `${JSON.stringify({ seq, time: 't', agent: 'x', verb: 'claim', ticket: 'C', before: 'pending', after: 'claimed' })}\n`;
    appendFileSync(logFile(dir, 's'), ghost(8) + ghost(9)); // a writer died before replacing the state

    const first = await runJson(dir, ['resume']);
    expect(first).toMatchObject({
      status: 'coordinating',
      reconciled: [{ ticket: 'C', logged: 'claimed', state: 'failed' }],
      lost: [
        { from: 3, to: 3 },
        { from: 7, to: 7 },
      ],
      discarded_events: 2,
      reoffered: [],
      released: [],
    });
    expect(first.mismatches).toEqual(['log lacks seq 3', 'log lacks seq 7', 'ticket C: state says failed, log says claimed', '2 event(s) above the state revision']);
    expect(seqs()).toEqual([1, 2, 4, 5, 6, 8, 9, 10]);

    const state = readFileSync(sessionFile(dir, 's'));
    const second = await runJson(dir, ['resume']);
    expect(second).toMatchObject({ status: 'coordinating', revision: 10, reconciled: [], lost: [], discarded_events: 0, mismatches: [] });
    expect(readFileSync(sessionFile(dir, 's')).equals(state)).toBe(true); // nothing to do: nothing written
    expect((await run(dir, ['resume'])).stdout).toBe('s: coordinating\nevent log agrees with the state\n');

    const events = (await runJson(dir, ['events', '--tail', '3'])).events as StateEvent[];
    expect(events.map((e) => [e.seq, e.verb, e.ticket, e.before, e.after])).toEqual([
      [8, 'reconcile', 'C', 'claimed', 'failed'],
      [9, 'reconcile', null, 'paused', 'paused'],
      [10, 'resume', null, 'paused', 'coordinating'],
    ]);
    expect(events[1]!.data).toEqual({ lost: [{ from: 3, to: 3 }, { from: 7, to: 7 }], discarded_events: 2 });
    expect((await runJson(dir, ['status'])).tickets.map((t: any) => t.status)).toEqual(['completed', 'claimed', 'failed']);
  });

  it('prints what it repaired, one line each', async () => {
    setTicketStatusByHand(dir, 's', 'B', 'blocked');
    deleteLogLines(dir, 's', [6, 7]);
    const r = await run(dir, ['resume']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('s: coordinating\nreconciled B: log said pending, state says blocked\nrecorded lost log lines: seq 6-7\n');
  });

  it('--release re-offers every running ticket now, one `release` event each; without it live leases stay', async () => {
    await runJson(dir, ['resume']);
    const plain = await runJson(dir, ['resume']);
    expect(plain).toMatchObject({ reoffered: [], released: [] });
    expect((await runJson(dir, ['status'])).tickets.map((t: any) => t.status)).toEqual(['completed', 'claimed', 'claimed']);

    const r = await runJson(dir, ['resume', '--release']);
    expect(r).toMatchObject({ status: 'coordinating', released: ['B', 'C'], reoffered: [], reconciled: [] });
    const events = (await runJson(dir, ['events', '--tail', '2'])).events as StateEvent[];
    expect(events.map((e) => [e.verb, e.ticket, e.agent, e.before, e.after])).toEqual([
      ['release', 'B', 'b', 'claimed', 'pending'],
      ['release', 'C', 'c', 'claimed', 'pending'],
    ]);
    expect((await runJson(dir, ['status'])).tickets.map((t: any) => t.status)).toEqual(['completed', 'pending', 'pending']);
    expect((await runJson(dir, ['claim', '--agent', 'z'])).ticket).toMatchObject({ id: 'B', attempts: 2 });
    expect((await runJson(dir, ['resume'])).mismatches).toEqual([]);
  });

  it('refuses a planned or final session, leaving state and log as they were', async () => {
    await runJson(dir, ['stop']);
    deleteLogLines(dir, 's', [4]);
    const state = readFileSync(sessionFile(dir, 's'));
    const log = readFileSync(logFile(dir, 's'));
    const r = await run(dir, ['resume', '--id', 's']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Session `s` is `stopped`; `resume` needs `paused`, `blocked` or `coordinating`');
    expect(readFileSync(sessionFile(dir, 's')).equals(state)).toBe(true);
    expect(readFileSync(logFile(dir, 's')).equals(log)).toBe(true);
  });
});

describe('findLogDrift', () => {
  const ev = (seq: number, ticket: string | null, after: string | null, data?: Record<string, unknown>): StateEvent => ({ seq, time: 't', agent: null, verb: data ? 'reconcile' : 'claim', ticket, before: null, after, ...(data ? { data } : {}) });
  const state = (revision: number, statuses: Record<string, string>): SessionState =>
    ({ revision, status: 'coordinating', tickets: Object.entries(statuses).map(([id, status]) => ({ id, status })) }) as unknown as SessionState;

  it('counts lost seqs in ranges, minus those a reconcile event recorded; a ticket never logged is pending', () => {
    const events = [ev(1, null, 'planned'), ev(4, 'A', 'claimed'), ev(5, null, null, { lost: [{ from: 2, to: 2 }] }), ev(8, 'A', 'completed'), ev(11, 'A', 'failed')];
    const d = findLogDrift(state(10, { A: 'completed', B: 'claimed' }), events);
    expect(d.lost).toEqual([
      { from: 3, to: 3 },
      { from: 6, to: 7 },
      { from: 9, to: 10 },
    ]);
    expect(d.tickets).toEqual([{ ticket: 'B', logged: 'pending', state: 'claimed' }]);
    expect(d.uncommitted).toBe(1);
  });

  it('handles a revision far above the log without a per-seq table', () => {
    const d = findLogDrift(state(2_000_000_000, {}), [ev(1, null, 'planned')]);
    expect(d.lost).toEqual([{ from: 2, to: 2_000_000_000 }]);
  });
});
