import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/runtime/scheduler/schedule.ts';
import { lowerBoundOf } from '../../src/runtime/scheduler/lower-bound.ts';
import { t } from './helpers.ts';

describe('lower bound', () => {
  it('file parts: two 30-minute tickets on one file, each followed by 40 minutes of work', () => {
    // X(f) → W, Y(f) → Z. Critical path 70, but X and Y cannot overlap: whichever runs second ends at 60
    // and its 40-minute successor ends at 100. Optimum = 100 = the file bound; the classic bound says 70.
    const r = schedule([t('X', 30, [], { files: ['f'] }), t('Y', 30, [], { files: ['f'] }), t('W', 40, ['X']), t('Z', 40, ['Y'])], { agents: 4, strategy: 'maximum' });
    expect(r.lowerBoundParts).toEqual({ criticalPath: 70, workPerAgent: 35, longestTicket: 40, fileLoad: 100, filePairs: 100 });
    expect(lowerBoundOf(r.lowerBoundParts, true)).toBe(70);
    expect(r.lowerBound).toBe(100);
    expect(r.makespan).toBe(100);
  });

  it('the pair bound takes the better order: a ticket with no successor goes second', () => {
    // X(f) → W(40); Y(f) alone. X first: Y ends at 60, W at 70 → max 70; the pair bound is min(100, 60) = 60.
    const r = schedule([t('X', 30, [], { files: ['f'] }), t('Y', 30, [], { files: ['f'] }), t('W', 40, ['X'])], { agents: 4, strategy: 'maximum' });
    expect(r.lowerBoundParts.filePairs).toBe(60);
    expect(r.lowerBound).toBe(70);
    expect(r.makespan).toBe(70);
  });
});
