import { describe, expect, it } from 'vitest';
import { claimNext, previewClaim } from '../../src/runtime/tickets.ts';
import type { StateEvent, TicketState } from '../../src/runtime/state.ts';
import type { TxContext } from '../../src/runtime/store/store.ts';
import { at, ms, session, ticket } from '../views/fixture.ts';

/** Seeded random sessions: a DAG of up to 12 tickets in every status, shared files, some lapsed leases. */
function randomSession(seed: number) {
  let s = seed;
  const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 1 + Math.floor(r() * 12);
  const statuses: TicketState['status'][] = ['pending', 'pending', 'claimed', 'in_progress', 'completed', 'failed', 'blocked'];
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
    });
  });
  const sessionStatus = r() < 0.85 ? 'coordinating' : (['planned', 'paused', 'blocked'] as const)[Math.floor(r() * 3)]!;
  return session(tickets, { status: sessionStatus, agents: 1 + Math.floor(r() * 5), strategy: r() < 0.2 ? 'sequential' : 'maximum' });
}

describe('previewClaim', () => {
  it('answers exactly as claimNext when it would change nothing, and names the ticket claimNext takes otherwise (3,000 sessions)', () => {
    const now = ms('11:20');
    let writes = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const state = randomSession(seed);
      const before = JSON.stringify(state);
      const preview = previewClaim(state, now);
      expect(JSON.stringify(state), 'previewClaim changed the state').toBe(before);
      const events: Omit<StateEvent, 'seq' | 'time'>[] = [];
      const tx: TxContext = { now: new Date(now).toISOString(), nowMs: now, emit: (e) => void events.push(e) };
      const draft = JSON.parse(before) as typeof state;
      const result = claimNext(draft, tx, 'me', 60_000, null);
      expect(preview.changes, `seed ${seed}`).toBe(events.length > 0);
      if (!preview.changes) {
        expect({ ticket: null, code: preview.code, reason: preview.reason }).toEqual({ ticket: result.ticket, code: result.code, reason: result.reason });
      } else {
        writes++;
        if (preview.code !== 'expire') {
          expect(preview.ticket?.id).toBe(result.ticket?.id);
          // claimNext on the previewed object itself, given the preview, takes the same ticket
          const again = claimNext(state, { ...tx, emit: () => {} }, 'me', 60_000, null, preview);
          expect(again.ticket).toBe(preview.ticket);
          expect(again.ticket?.status).toBe('claimed');
        }
      }
    }
    expect(writes).toBeGreaterThan(300); // the sample covers both answers
    expect(writes).toBeLessThan(2700);
  });
});
