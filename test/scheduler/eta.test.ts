import { describe, expect, it } from 'vitest';
import { estimateEta } from '../../src/runtime/scheduler/eta.ts';
import { t } from './helpers.ts';

describe('estimateEta', () => {
  const tickets = [t('A', 60), t('B', 60, ['A']), t('C', 30), t('D', 30)];

  it('uses estimates before anything completes', () => {
    const e = estimateEta({ tickets, completed: new Set(), running: new Map(), observed: [], agents: 2 });
    // Remaining work 180 / 2 agents = 90 minutes; chain A-B = 120: the chain bounds the ETA.
    expect(e).toEqual({ minutes: 120, pace: 1, remainingWork: 180, remainingCriticalPath: 120, percentByWork: 0, basis: 'estimates' });
  });

  it('scales the remaining work by the observed pace and counts running progress', () => {
    // C took 45 minutes for a 30-minute estimate: pace 1.5. A is half done: 60 × 1.5 × 0.5 = 45 left.
    const e = estimateEta({
      tickets,
      completed: new Set(['C']),
      running: new Map([['A', { elapsed: 30, progress: 50 }]]),
      observed: [{ estimate: 30, actual: 45 }],
      agents: 2,
    });
    expect(e.pace).toBe(1.5);
    expect(e.basis).toBe('observed pace');
    expect(e.remainingWork).toBe(45 + 90 + 45); // A rest, B, D
    expect(e.remainingCriticalPath).toBe(135); // A rest 45 + B 90
    expect(e.minutes).toBe(135);
    expect(e.percentByWork).toBeCloseTo((30 / 180) * 100);
  });

  it('without progress uses elapsed time, never below zero; failed tickets leave the remaining work', () => {
    const e = estimateEta({
      tickets,
      completed: new Set(),
      running: new Map([['A', { elapsed: 90 }]]),
      unavailable: new Set(['D']),
      observed: [],
      agents: 1,
    });
    expect(e.remainingWork).toBe(0 + 60 + 30);
    expect(e.minutes).toBe(90);
  });
});
