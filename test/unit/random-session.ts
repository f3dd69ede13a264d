import type { SessionState, TicketState } from '../../src/runtime/state.ts';
import { at, session, ticket } from '../views/fixture.ts';

/** Options of {@link randomSession}. `gates`: also tickets in `review`, attempts used, attempt limits. */
export interface RandomSessionOptions {
  gates?: boolean;
}

/**
 * Seeded random sessions: a DAG of up to 12 tickets in every status, shared files, some lapsed leases (at
 * 11:10; "now" in the tests is 11:20), agents `a<i>` on running tickets. Deterministic per seed.
 */
export function randomSession(seed: number, options: RandomSessionOptions = {}): SessionState {
  let s = seed;
  const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 1 + Math.floor(r() * 12);
  const statuses: TicketState['status'][] = ['pending', 'pending', 'claimed', 'in_progress', 'completed', 'failed', 'blocked', ...(options.gates ? (['review', 'pending'] as const) : [])];
  const tickets = Array.from({ length: n }, (_, i) => {
    const status = statuses[Math.floor(r() * statuses.length)]!;
    const running = status === 'claimed' || status === 'in_progress';
    return ticket(`T${i}`, {
      status,
      priority: (['critical', 'high', 'medium', 'low'] as const)[Math.floor(r() * 4)]!,
      estimate_minutes: 10 + Math.floor(r() * 50),
      dependencies: Array.from({ length: i }, (_, j) => `T${j}`).filter(() => r() < 0.2),
      files: r() < 0.5 ? [`src/f${Math.floor(r() * 4)}.ts`] : [],
      ...(running ? { agent: `a${i}`, claimed_at: at('11:00'), lease_expires_at: r() < 0.2 ? at('11:10') : at('11:45') } : {}),
      ...(options.gates ? { attempts: running || status !== 'pending' ? 1 + Math.floor(r() * 3) : 0, max_attempts: 1 + Math.floor(r() * 3), reviewer: status === 'review' && r() < 0.5 ? `reviewer-${1 + i}` : null } : {}),
    });
  });
  const sessionStatus = r() < 0.85 ? 'coordinating' : (['planned', 'paused', 'blocked'] as const)[Math.floor(r() * 3)]!;
  return session(tickets, { status: sessionStatus, agents: 1 + Math.floor(r() * 5), strategy: r() < 0.2 ? 'sequential' : 'maximum' });
}
