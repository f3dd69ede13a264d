import { newTicketState } from '../../src/runtime/new-session.ts';
import type { SessionState, StateEvent, TicketState } from '../../src/runtime/state.ts';

/** 2026-11-21 at `hh:mm` UTC as an ISO string. */
export const at = (hhmm: string): string => `2026-11-21T${hhmm}:00.000Z`;
/** 2026-11-21 at `hh:mm` UTC in epoch ms. */
export const ms = (hhmm: string): number => Date.parse(at(hhmm));

/** A ticket state with defaults (pending, 60 minutes, medium, nothing recorded), as `init` makes it. */
export function ticket(id: string, fields: Partial<TicketState> = {}): TicketState {
  return {
    ...newTicketState({ id, title: `Ticket ${id}`, priority: 'medium', estimate: 60, dependencies: [], files: [], acceptance: [] }),
    ...fields,
  };
}

/** A session state with defaults (coordinating, 3 agents, balanced, started 10:00). */
export function session(tickets: TicketState[], fields: Partial<SessionState> = {}): SessionState {
  return {
    version: 1,
    id: 'exec-1',
    title: 'Parser rewrite',
    status: 'coordinating',
    status_reason: null,
    revision: 1,
    agents: 3,
    strategy: 'balanced',
    plan_file: 'plan.yaml',
    created_at: at('09:55'),
    started_at: at('10:00'),
    updated_at: at('11:20'),
    completed_at: null,
    tickets,
    blockers: [],
    escalation: null,
    ...fields,
  };
}

let seq = 0;
/** An event; `seq` counts up from 1 across calls to {@link resetSeq}. */
export function ev(time: string, verb: string, ticket: string | null, agent: string | null, before: string | null, after: string | null, data?: Record<string, unknown>): StateEvent {
  seq++;
  return { seq, time: at(time), agent, verb, ticket, before, after, ...(data ? { data } : {}) };
}
/** Restarts event numbering. */
export function resetSeq(): void {
  seq = 0;
}

/**
 * A session in flight at 11:25 (three groups):
 * - MOD-001 (critical, 60m) completed by agent-001 10:00–11:00, verified evidence.
 * - MOD-002 (high, 30m) completed by agent-002 10:00–10:45.
 * - DOC-001 (low, 15m) failed by agent-002 10:45–11:05.
 * - MOD-003 (90m, after MOD-001, files parser.ts + ast.ts) in progress by agent-001 since 11:00, 40 %.
 * - MOD-004 (30m, after MOD-002, file ast.ts) ready but waits for ast.ts.
 * - MOD-005 (low, 20m, after MOD-003 and MOD-004) waiting; DOC-002 (after DOC-001) has a failed dependency.
 */
export function midFlight(): { state: SessionState; events: StateEvent[]; now: number } {
  resetSeq();
  const state = session([
    ticket('MOD-001', { title: 'Extract tokenizer', priority: 'critical', files: ['src/tokenizer.ts'], status: 'completed', agent: 'agent-001', started_at: at('10:00'), completed_at: at('11:00'), progress: 100, attempts: 1, summary: 'Tokenizer moved to src/tokenizer.ts with its tests.', evidence: { commits: ['a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'], files: ['src/tokenizer.ts', 'test/tokenizer.test.ts'], test_cmd: 'npm test -- tokenizer', test_exit: 0, verified: true } }),
    ticket('MOD-002', { title: 'AST types', priority: 'high', estimate_minutes: 30, files: ['src/ast.ts'], status: 'completed', agent: 'agent-002', started_at: at('10:00'), completed_at: at('10:45'), progress: 100, attempts: 1, summary: 'AST node types.', evidence: { commits: ['b2c3d4e5f60718293a4b5c6d7e8f901234567890'], files: ['src/ast.ts'], test_cmd: null, test_exit: null, verified: false } }),
    ticket('DOC-001', { title: 'Docs skeleton', priority: 'low', estimate_minutes: 15, status: 'failed', agent: 'agent-002', started_at: at('10:45'), completed_at: at('11:05'), attempts: 1, failure_reason: 'docs build broken' }),
    ticket('MOD-003', { title: 'Parser core', estimate_minutes: 90, dependencies: ['MOD-001'], files: ['src/parser.ts', 'src/ast.ts'], status: 'in_progress', agent: 'agent-001', claimed_at: at('11:00'), started_at: at('11:00'), heartbeat_at: at('11:20'), lease_expires_at: at('11:35'), progress: 40, attempts: 1 }),
    ticket('MOD-004', { title: 'AST printer', estimate_minutes: 30, dependencies: ['MOD-002'], files: ['src/ast.ts'] }),
    ticket('MOD-005', { title: 'Integration', priority: 'low', estimate_minutes: 20, dependencies: ['MOD-003', 'MOD-004'] }),
    ticket('DOC-002', { title: 'Docs pages', priority: 'low', estimate_minutes: 10, dependencies: ['DOC-001'] }),
  ]);
  const events = [
    ev('09:55', 'init', null, null, null, 'planned'),
    ev('10:00', 'activate', null, null, 'planned', 'coordinating'),
    ev('10:00', 'claim', 'MOD-001', 'agent-001', 'pending', 'claimed'),
    ev('10:00', 'claim', 'MOD-002', 'agent-002', 'pending', 'claimed'),
    ev('10:45', 'complete', 'MOD-002', 'agent-002', 'claimed', 'completed', { summary: 'AST node types.' }),
    ev('10:45', 'claim', 'DOC-001', 'agent-002', 'pending', 'claimed'),
    ev('11:00', 'complete', 'MOD-001', 'agent-001', 'claimed', 'completed', { summary: 'Tokenizer moved to src/tokenizer.ts with its tests.' }),
    ev('11:00', 'claim', 'MOD-003', 'agent-001', 'pending', 'claimed'),
    ev('11:05', 'fail', 'DOC-001', 'agent-002', 'claimed', 'failed', { reason: 'docs build broken' }),
    ev('11:20', 'heartbeat', 'MOD-003', 'agent-001', 'claimed', 'in_progress', { progress: 40 }),
  ];
  state.revision = events.length;
  return { state, events, now: ms('11:25') };
}
