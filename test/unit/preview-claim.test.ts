import { describe, expect, it } from 'vitest';
import { claimNext, previewClaim } from '../../src/runtime/tickets.ts';
import type { StateEvent } from '../../src/runtime/state.ts';
import type { TxContext } from '../../src/runtime/store/store.ts';
import { ms } from '../views/fixture.ts';
import { randomSession } from './random-session.ts';

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
      const tx: TxContext = { now: new Date(now).toISOString(), nowMs: now, emit: (e) => void events.push(e), logged: () => null, host: 'test' };
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
