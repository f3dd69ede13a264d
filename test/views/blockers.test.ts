import { describe, expect, it } from 'vitest';
import { analyzeBlockers, formatBlockers } from '../../src/runtime/views/blockers.ts';
import { at, midFlight, ms, session, ticket } from './fixture.ts';

describe('blocker analysis', () => {
  it('mid-flight session: a failed dependency (escalate) and a ready ticket waiting for a file (info)', () => {
    const { state, now } = midFlight();
    const a = analyzeBlockers(state, { nowMs: now });
    expect(a.escalate).toBe(true);
    expect(a.halt).toBe(false); // other tickets can still be claimed
    expect(formatBlockers(a)).toMatchInlineSnapshot(`
      "1 blocker(s): 1 failed-dependency
        warning failed-dependency: DOC-002 waits on failed DOC-001; retry or replan it
        info file-wait: MOD-004 is ready but waits for src/ast.ts, held by running MOD-003
      "
    `);
  });

  it('stalled: no heartbeat past the threshold, and an expired lease', () => {
    const state = session([
      ticket('A', { status: 'in_progress', agent: 'agent-001', claimed_at: at('10:00'), heartbeat_at: at('10:05'), lease_expires_at: at('12:00') }),
      ticket('B', { status: 'claimed', agent: 'agent-002', claimed_at: at('10:00'), heartbeat_at: at('10:00'), lease_expires_at: at('10:15') }),
      ticket('C', { status: 'in_progress', agent: 'agent-003', claimed_at: at('10:00'), heartbeat_at: at('10:40'), lease_expires_at: at('12:00') }),
    ]);
    const a = analyzeBlockers(state, { nowMs: ms('10:50'), stallMinutes: 30 });
    expect(a.findings.map((f) => [f.kind, f.ticket, f.reason])).toEqual([
      ['stalled', 'A', 'A held by agent-001: no heartbeat for 45m (threshold 30m)'],
      ['stalled', 'B', 'B held by agent-002: lease expired 35m ago; it will be offered again'],
    ]);
    expect(a.summary).toBe('2 blocker(s): 2 stalled');
  });

  it('deadlock: nothing ready, nothing running, not done', () => {
    const state = session([
      ticket('A', { status: 'completed' }),
      ticket('B', { status: 'blocked', blocked_reason: 'needs an API key', dependencies: ['A'] }),
      ticket('C', { dependencies: ['B'] }),
    ]);
    const a = analyzeBlockers(state, { nowMs: ms('11:00') });
    expect(a.findings.map((f) => `${f.severity} ${f.kind}: ${f.reason}`)).toEqual([
      'error deadlock: nothing ready and nothing running, 2 ticket(s) not done (0 failed, 1 blocked, 1 pending): waiting on dependencies: B (failed or blocked) (for C)',
      'warning blocked: B blocked: needs an API key',
    ]);
    expect(a.escalate).toBe(true);
    expect(a.halt).toBe(true);
    // The same session with a ready ticket is not a deadlock.
    state.tickets.push(ticket('D'));
    expect(analyzeBlockers(state, { nowMs: ms('11:00') }).findings.map((f) => f.kind)).toEqual(['blocked']);
  });

  it('no deadlock while paused or done; two running tickets on one file is an error', () => {
    const paused = session([ticket('A', { status: 'failed' }), ticket('B', { dependencies: ['A'] })], { status: 'paused' });
    expect(analyzeBlockers(paused, { nowMs: ms('11:00') }).findings.map((f) => f.kind)).toEqual(['failed-dependency']);
    const done = session([ticket('A', { status: 'completed' })], { status: 'completed' });
    expect(analyzeBlockers(done, { nowMs: ms('11:00') })).toEqual({ findings: [], escalate: false, halt: false, summary: 'no blockers' });
    const clash = session([
      ticket('A', { status: 'in_progress', files: ['x.ts'], claimed_at: at('10:55'), heartbeat_at: at('10:55'), lease_expires_at: at('12:00') }),
      ticket('B', { status: 'in_progress', files: ['x.ts'], claimed_at: at('10:55'), heartbeat_at: at('10:55'), lease_expires_at: at('12:00') }),
    ]);
    const a = analyzeBlockers(clash, { nowMs: ms('11:00') });
    expect(a.findings).toEqual([{ kind: 'file-conflict', severity: 'error', ticket: 'B', agent: null, reason: 'B and A are both running and touch x.ts', related: ['A'] }]);
  });
});
