import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseIndexed, claimIndexed, completeIndexed } from '../../src/runtime/indexed-claim.ts';
import { computeBottomLevels } from '../../src/runtime/scheduler/choose-next.ts';
import type { SessionState, StateEvent, TicketState } from '../../src/runtime/state.ts';
import { runChange } from '../../src/runtime/store/change.ts';
import { ClaimIndex, DamagedCache } from '../../src/runtime/store/claim-index.ts';
import { indexedDraft, readIndexed, ticketAt, writeSparse, type IndexedSession } from '../../src/runtime/store/indexed-session.ts';
import { claimOrder } from '../../src/runtime/store/priorities.ts';
import { readSession, writeSession } from '../../src/runtime/store/session-file.ts';
import type { TxContext } from '../../src/runtime/store/store.ts';
import { emitYaml } from '../../src/runtime/store/yaml-emit.ts';
import { claimNext, completeTicket, isRunning, type CompleteInput } from '../../src/runtime/tickets.ts';
import { at, ms, session, ticket } from '../views/fixture.ts';
import { randomSession } from './random-session.ts';

let dir: string;
let file: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'claim-index-'));
  mkdirSync(path.join(dir, 'cache'));
  file = path.join(dir, 's.yaml');
  cache = path.join(dir, 'cache', 's.state');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = ms('11:20');

/** A random session, some of whose pending tickets require a ticket of another session. */
function sample(seed: number): SessionState {
  const s = randomSession(seed, { gates: seed % 2 === 0 });
  if (seed % 7 === 0) for (const t of s.tickets) if (t.status === 'pending' && t.id.endsWith('1')) t.requires = ['other:X1'];
  return s;
}

function order(s: SessionState): number[] {
  const keys = computeBottomLevels(s.tickets.map((t) => ({ id: t.id, estimate: t.estimate_minutes, priority: t.priority, dependencies: t.dependencies, files: t.files })));
  return claimOrder(s.tickets, keys);
}

function fakeTx(events: Omit<StateEvent, 'seq' | 'time'>[]): TxContext {
  return { now: new Date(NOW).toISOString(), nowMs: NOW, host: 'test', emit: (e) => void events.push(e), logged: () => null };
}

function indexed(): IndexedSession {
  const s = readIndexed(file, cache, 's.yaml');
  expect(s, 'the cache serves an indexed read').not.toBeNull();
  return s!;
}

describe('claim index', () => {
  it('agrees with a full parse of the state (150 random sessions, written then read through the index)', async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const state = sample(seed);
      rmSync(cache, { force: true });
      await writeSession(file, cache, 's.yaml', null, state);
      const s = indexed();
      const full = (await readSession(file, path.join(dir, 'none'), 's.yaml')).state; // no cache: the YAML parsed
      expect(s.head, `seed ${seed}`).toEqual({ ...full, tickets: null });
      expect(s.index.length).toBe(full.tickets.length);
      expect([...s.order]).toEqual(order(full));
      full.tickets.forEach((t, i) => {
        const deps = t.dependencies.map((d) => full.tickets.findIndex((x) => x.id === d));
        expect([s.index.id(i), s.index.status(i), s.index.agent(i), s.index.lease(i), s.index.dependencies(i), s.index.files(i), s.index.requires(i)]).toEqual([t.id, t.status, t.agent, t.lease_expires_at, deps, t.files, t.requires?.length ?? 0]);
        expect(s.index.indexOf(t.id)).toBe(i);
        expect(ticketAt(s, i)).toEqual(t);
      });
      expect(s.index.indexOf('nope')).toBe(-1);
    }
  });

  it('chooses as claimNext does, and defers to it only for lapsed leases, other sessions or nothing ready (3,000 random sessions)', () => {
    const count = { pick: 0, answer: 0, deferred: 0 };
    for (let seed = 1; seed <= 3000; seed++) {
      const state = sample(seed);
      const agent = seed % 5 === 0 ? `a${seed % 12}` : 'me'; // sometimes an agent that holds a ticket
      const c = chooseIndexed(state, ClaimIndex.of(state.tickets), order(state), NOW, agent);
      const events: Omit<StateEvent, 'seq' | 'time'>[] = [];
      const draft = JSON.parse(JSON.stringify(state)) as SessionState;
      const result = claimNext(draft, fakeTx(events), agent, 60_000, null);
      if (c === null) {
        count.deferred++;
        const lapsed = state.tickets.some((t) => isRunning(t) && t.lease_expires_at !== null && Date.parse(t.lease_expires_at) <= NOW);
        const requires = state.tickets.some((t) => t.requires);
        expect(lapsed || requires || result.ticket === null, `seed ${seed}`).toBe(true);
      } else if ('answer' in c) {
        count.answer++;
        expect(events, `seed ${seed}`).toEqual([]);
        expect(c.answer, `seed ${seed}`).toEqual({ ticket: null, code: result.code, reason: result.reason });
      } else {
        count.pick++;
        expect(state.tickets[c.pick]!.id, `seed ${seed}`).toBe(result.ticket?.id);
      }
    }
    // the sample covers every answer
    expect(count.pick).toBeGreaterThan(300);
    expect(count.answer).toBeGreaterThan(300);
    expect(count.deferred).toBeGreaterThan(300);
  });

  it('writes claims and completions byte for byte as the full path does, cache included', async () => {
    const tickets: TicketState[] = Array.from({ length: 40 }, (_, i) =>
      ticket(`T${i}`, { estimate_minutes: 10 + (i % 7) * 5, dependencies: i % 4 === 0 ? [] : [`T${i - 1}`], files: [`src/f${i % 9}.ts`], title: `Ticket ${i}: "quoted" ✓` }),
    );
    let full = session(tickets, { status: 'coordinating', agents: 6, strategy: 'maximum' });
    await writeSession(file, cache, 's.yaml', null, full);
    let claims = 0;
    let completions = 0;
    for (let step = 0; step < 300 && full.status !== 'completed'; step++) {
      const agent = `w${step % 6}`;
      const s = indexed();
      const d = indexedDraft(s);
      const running = s.index.length > 0 ? [...Array(s.index.length).keys()].find((i) => isRunning({ status: s.index.status(i) } as TicketState) && s.index.agent(i) === agent) : undefined;
      const input: CompleteInput = { ticket: running === undefined ? '' : s.index.id(running), agent, summary: 'done', evidence: { commits: [], files: [], test_cmd: null, test_exit: null, verified: false } };
      // the same change, through the index and on the full state
      const viaIndex = runChange(d.head, NOW + step * 1000, 'test', (_h, tx) => (running === undefined ? claimIndexed(d, tx, agent, 60_000, null) : completeIndexed(d, tx, input)), () => null);
      const copy = JSON.parse(JSON.stringify(full)) as SessionState;
      const viaFull = runChange(copy, NOW + step * 1000, 'test', (draft, tx) => (running === undefined ? claimNext(draft, tx, agent, 60_000, null) : completeTicket(draft, tx, input)), () => null);
      expect(viaIndex.events, `step ${step}`).toEqual(viaFull.events);
      if (viaIndex.result === null) continue; // the index deferred (nothing ready): the full path would decide
      if (viaIndex.events.length === 0) continue;
      if (running === undefined) claims++;
      else completions++;
      writeSparse(file, cache, s, d.head, d.touched);
      full = copy;
      const yaml = readFileSync(file);
      expect(yaml.toString('utf8'), `step ${step}`).toBe(emitYaml(full as unknown as Record<string, unknown>));
      // the cache equals the one a reader that parses the YAML writes
      const written = readFileSync(cache);
      rmSync(cache);
      await readSession(file, cache, 's.yaml');
      expect(readFileSync(cache).equals(written), `step ${step}: cache`).toBe(true);
    }
    expect(claims).toBeGreaterThan(20);
    expect(completions).toBeGreaterThan(20);
    expect(full.status).toBe('completed'); // the last completion completed the session, through the index
  });

  it('misses on a hand edit, and serves again (with the edit) once a reader has parsed the edited file', async () => {
    const state = session(
      Array.from({ length: 6 }, (_, i) => ticket(`T${i}`, { estimate_minutes: 10 + i })),
      { status: 'coordinating', agents: 2, strategy: 'maximum' },
    );
    await writeSession(file, cache, 's.yaml', null, state);
    expect(indexed().index.status(5)).toBe('pending');
    const text = readFileSync(file, 'utf8');
    // T5 (the longest estimate: first in claim order) blocked by hand, the file otherwise as the helper writes it
    const at5 = text.indexOf('- id: T5');
    const edited = text.slice(0, at5) + text.slice(at5).replace('status: pending', 'status: blocked');
    writeFileSync(file, edited);
    expect(readIndexed(file, cache, 's.yaml')).toBeNull();
    // a same-length edit misses too (the cache answers only for the exact bytes)
    const sameLength = edited.replace('title: Ticket T1', 'title: Ticket T!');
    expect(sameLength.length).toBe(edited.length);
    writeFileSync(file, sameLength);
    expect(readIndexed(file, cache, 's.yaml')).toBeNull();
    writeFileSync(file, edited);
    await readSession(file, cache, 's.yaml'); // parses the YAML and writes a fresh cache for these bytes
    const s = indexed();
    expect(s.index.status(5)).toBe('blocked');
    const c = chooseIndexed(s.head, s.index, s.order, NOW, 'me');
    expect(c && 'pick' in c ? s.index.id(c.pick) : null).toBe('T4');
    // a comment added by hand: no longer the emitter's output, so never served through the index
    writeFileSync(file, `${edited}# a note of mine\n`);
    await readSession(file, cache, 's.yaml');
    expect(readIndexed(file, cache, 's.yaml')).toBeNull();
  });

  it('holds what the rows say, finds a ticket by id, and reports a damaged row (a fixed example)', () => {
    const a = ticket('A', { status: 'claimed', agent: 'w1', lease_expires_at: at('11:45'), dependencies: ['B', 'nope'], files: ['a.ts'], requires: ['x:Y', 'x:Z'] });
    const b = ticket('B', { status: 'completed', files: ['A'] }); // a file named like a ticket id
    const ix = ClaimIndex.of([a, b]);
    expect([ix.id(0), ix.status(0), ix.agent(0), ix.lease(0), ix.dependencies(0), ix.files(0), ix.requires(0)]).toEqual(['A', 'claimed', 'w1', at('11:45'), [1, -1], ['a.ts'], 2]);
    expect([ix.indexOf('A'), ix.indexOf('B'), ix.indexOf('C'), ix.indexOf('a.ts')]).toEqual([0, 1, -1, -1]);
    expect(ClaimIndex.from(Buffer.from('pp'), { json: Buffer.from('[]'), items: [1] })).toBeNull(); // sizes disagree
    const damaged = ClaimIndex.from(Buffer.from('p'), { json: Buffer.from('[["A",1]]'), items: [1, 8] })!;
    expect(damaged.status(0)).toBe('pending');
    expect(() => damaged.files(0)).toThrow(DamagedCache);
    expect(ClaimIndex.from(Buffer.from('?'), { json: Buffer.from('[1]'), items: [1, 2] })!.status(0)).toBeNull();
  });
});

describe('claim and complete through the file store', () => {
  /** A coordinating session `s` of 6 independent tickets in `dir`'s `.orchestration/`, with its log. */
  async function store() {
    const { openStore } = await import('../../src/runtime/store/store.ts');
    const { createSession } = await import('../../src/runtime/store/store.ts');
    const st = openStore(dir, { ORCHESTRATE_NOW: String(NOW) });
    const state = session(
      Array.from({ length: 6 }, (_, i) => ticket(`T${i}`, { estimate_minutes: 10 + i, files: [`f${i}.ts`] })),
      { id: 's', status: 'coordinating', agents: 3, strategy: 'maximum', revision: 1 },
    );
    await createSession(st, state, { agent: null, verb: 'init', ticket: null, before: null, after: 'coordinating' });
    return st;
  }
  const sessionFile = () => path.join(dir, '.orchestration', 'sessions', 's.yaml');
  const cacheFile = () => path.join(dir, '.orchestration', 'cache', 's.state');

  it('claims the ticket the full path would, and picks up a hand edit made between claims', async () => {
    const { claim } = await import('../../src/runtime/verbs.ts');
    const st = await store();
    expect((await claim(st, 's', 'w1', 60_000)).ticket?.id).toBe('T5');
    // T4 (next in claim order) failed by hand: the next claim must not take it
    const text = readFileSync(sessionFile(), 'utf8');
    const at4 = text.indexOf('- id: T4');
    writeFileSync(sessionFile(), text.slice(0, at4) + text.slice(at4).replace('status: pending', 'status: failed'));
    const { openStore } = await import('../../src/runtime/store/store.ts');
    const again = openStore(dir, { ORCHESTRATE_NOW: String(NOW) });
    expect((await claim(again, 's', 'w2', 60_000)).ticket?.id).toBe('T3');
    const yaml = readFileSync(sessionFile(), 'utf8');
    expect(yaml).toContain('status: failed'); // the hand edit survived the write
    expect(yaml.match(/revision: (\d+)/)?.[1]).toBe('3');
  });

  it('takes the full path, and still claims, when a ticket in the cache is damaged', async () => {
    const { claim } = await import('../../src/runtime/verbs.ts');
    const st = await store();
    const bytes = readFileSync(cacheFile());
    // break T5's JSON in the cache (same length: the header and the YAML copy still match)
    const at = bytes.indexOf('{"id":"T5"');
    bytes[at] = '#'.charCodeAt(0);
    writeFileSync(cacheFile(), bytes);
    expect((await claim(st, 's', 'w1', 60_000)).ticket?.id).toBe('T5');
    expect(readIndexed(sessionFile(), cacheFile(), 's.yaml')).not.toBeNull(); // a fresh cache was written
  });
});
