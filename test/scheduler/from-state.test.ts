import { describe, expect, it } from 'vitest';
import { claimStatusOf, schedulableTickets } from '../../src/runtime/scheduler/from-state.ts';
import { chooseNext } from '../../src/runtime/scheduler/choose-next.ts';
import { at, ms, session, ticket } from '../views/fixture.ts';

describe('session state → scheduler input', () => {
  it('an expired lease frees the ticket and its files; failed and blocked are unavailable', () => {
    const state = session([
      ticket('A', { status: 'claimed', files: ['x.ts'], lease_expires_at: at('10:15') }),
      ticket('B', { status: 'in_progress', files: ['y.ts'], lease_expires_at: at('11:00') }),
      ticket('C', { status: 'failed' }),
      ticket('D', { status: 'blocked' }),
      ticket('E', { status: 'completed' }),
      ticket('F', { files: ['y.ts'], estimate_minutes: 500 }),
    ]);
    const s = claimStatusOf(state, ms('10:30'));
    expect([...s.running]).toEqual(['B']);
    expect([...s.unavailable!]).toEqual(['C', 'D']);
    expect([...s.completed]).toEqual(['E']);
    expect(s.paused).toBe(false);
    // F (500 minutes) would go first but shares y.ts with running B; A (expired) is offered again.
    expect(chooseNext(schedulableTickets(state), s).ticket?.id).toBe('A');
  });

  it('paused / blocked sessions pause claims; final ones stop them', () => {
    expect(claimStatusOf(session([], { status: 'blocked' }), 0).paused).toBe(true);
    expect(claimStatusOf(session([], { status: 'stopped' }), 0).stopped).toBe(true);
  });
});
