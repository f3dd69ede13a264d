import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import type { SessionState, TicketState } from '../../src/runtime/state.ts';
import { claimPriorityKeys, storedPriorities } from '../../src/runtime/store/priorities.ts';
import { readSession, writeSession, type LoadedSession } from '../../src/runtime/store/session-file.ts';
import { readStateCache } from '../../src/runtime/store/state-cache.ts';
import { changedTickets, snapshotTickets } from '../../src/runtime/store/ticket-snapshot.ts';
import { emitYaml } from '../../src/runtime/store/yaml-emit.ts';

let dir: string;
let file: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'splice-'));
  mkdirSync(path.join(dir, 'cache'));
  file = path.join(dir, 's.yaml');
  cache = path.join(dir, 'cache', 's.state');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function ticket(i: number): TicketState {
  return {
    id: `T${i}`, title: `Ticket ${i}`, priority: 'medium', estimate_minutes: 10 + i, dependencies: i % 3 ? [`T${i - 1}`] : [], files: [`f${i}.ts`],
    agent_type: null, acceptance: [], status: 'pending', agent: null, claimed_at: null, lease_expires_at: null, heartbeat_at: null, started_at: null,
    completed_at: null, progress: 0, note: null, attempts: 0, checkpoint: null, blocked_reason: null, failure_reason: null, summary: null, evidence: null,
  };
}

function session(n: number): SessionState {
  return {
    version: 1, id: 's', title: 'splice', status: 'coordinating', status_reason: null, revision: 1, agents: 4, strategy: 'maximum', parallelism: 4,
    plan_file: null, created_at: '2026-01-01T00:00:00.000Z', started_at: null, updated_at: '2026-01-01T00:00:00.000Z', completed_at: null,
    tickets: Array.from({ length: n }, (_, i) => ticket(i)), blockers: [], escalation: null,
  };
}

async function load(): Promise<LoadedSession> {
  return readSession(file, cache, 's.yaml');
}

describe('ticket snapshot', () => {
  it('sees every kind of change to a ticket, and none where there was none', () => {
    const tickets = session(8).tickets;
    const snap = snapshotTickets(tickets);
    expect(changedTickets(snap, tickets)).toEqual(Array(8).fill(false));
    tickets[1]!.status = 'claimed'; // a field set
    tickets[2]!.files.push('g.ts'); // a list changed in place
    (tickets[3] as unknown as Record<string, unknown>).review_notes = ['x']; // a field added (any field set works)
    delete (tickets[4] as unknown as Record<string, unknown>).note; // a field deleted
    tickets[5]!.evidence = { commits: [], files: [], test_cmd: null, test_exit: null, verified: false };
    tickets[6]!.progress = 0; // set to the value it had: not a change
    expect(changedTickets(snap, tickets)).toEqual([false, true, true, true, true, true, false, false]);
    const again = snapshotTickets(tickets);
    tickets[5]!.evidence!.commits.push('abc'); // nested edit in place
    expect(changedTickets(again, tickets)).toEqual([false, false, false, false, false, true, false, false]);
  });

  it('reports a replaced, moved, added or removed ticket as a changed list (null)', () => {
    const tickets = session(3).tickets;
    const snap = snapshotTickets(tickets);
    expect(changedTickets(snap, [tickets[0]!, tickets[2]!, tickets[1]!])).toBeNull();
    expect(changedTickets(snap, [...tickets, ticket(9)])).toBeNull();
    expect(changedTickets(snap, tickets.slice(1))).toBeNull();
    expect(changedTickets(snap, [{ ...tickets[0]! }, tickets[1]!, tickets[2]!])).toBeNull();
  });
});

describe('writing what changed', () => {
  it('rewrites only the changed tickets: the result equals a full emit, and unchanged bytes are copied as they were', async () => {
    await writeSession(file, cache, 's.yaml', null, session(50));
    const prev = await load();
    expect(prev.spans?.yamlItems).toHaveLength(51);
    // Mark ticket 7's block in the bytes the writer starts from (same length): a writer that copies unchanged
    // tickets carries the mark over; one that emits everything again would not.
    const marked = Buffer.from(prev.bytes.toString('utf8').replace('title: Ticket 7\n', 'title: Ticket X\n'));
    expect(marked.length).toBe(prev.bytes.length);
    const from: LoadedSession = { ...prev, bytes: marked };
    const snap = snapshotTickets(prev.state.tickets);
    const next = prev.state;
    next.revision = 2;
    next.tickets[3]!.status = 'claimed';
    next.tickets[3]!.agent = 'a "quoted" agent: ✓';
    next.tickets[40]!.evidence = { commits: ['c1'], files: ['x.ts'], test_cmd: 'npm test', test_exit: 0, verified: true };
    (next as unknown as Record<string, unknown>).settings = { review: true }; // a new session field
    next.blockers.push({ id: 'B1', kind: 'ticket', ticket: 'T3', agent: null, reason: 'r', created_at: 'x', resolved_at: null, resolution: null });
    const changed = changedTickets(snap, next.tickets);
    expect(changed!.filter(Boolean)).toHaveLength(2);
    await writeSession(file, cache, 's.yaml', from, next, changed);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('title: Ticket X\n'); // copied, not emitted again
    expect(text.replace('title: Ticket X\n', 'title: Ticket 7\n')).toBe(emitYaml(next as unknown as Record<string, unknown>));
    // the cache answers for the new bytes with the new state (the unchanged tickets' JSON copied too)
    const hit = readStateCache(cache, readFileSync(file));
    expect(hit?.plain).toBe(true);
    expect(hit?.state).toEqual(JSON.parse(JSON.stringify(next)));
    expect(YAML.parse(text).tickets[3].agent).toBe('a "quoted" agent: ✓');
  });

  it('keeps the claim priorities across writes that leave estimates and dependencies alone, and computes them again otherwise', async () => {
    await writeSession(file, cache, 's.yaml', null, session(6));
    let prev = await load();
    const keys = claimPriorityKeys(prev.state);
    expect(keys.T0).toBe(10 + 11 + 12);
    let snap = snapshotTickets(prev.state.tickets);
    prev.state.tickets[1]!.status = 'claimed';
    await writeSession(file, cache, 's.yaml', prev, prev.state, changedTickets(snap, prev.state.tickets));
    prev = await load();
    expect(JSON.parse(storedPriorities(prev.state).priorities!.toString())).toEqual(keys);
    snap = snapshotTickets(prev.state.tickets);
    prev.state.tickets[2]!.estimate_minutes = 100;
    await writeSession(file, cache, 's.yaml', prev, prev.state, changedTickets(snap, prev.state.tickets));
    prev = await load();
    // the write stored the priorities computed for the new estimates (and their claim order)
    expect(JSON.parse(storedPriorities(prev.state).priorities!.toString()).T0).toBe(10 + 11 + 100);
    expect(claimPriorityKeys(prev.state).T0).toBe(10 + 11 + 100);
  });
});
