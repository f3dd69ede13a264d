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
    // C took 45 minutes for a 30-minute estimate. Shrunk by one mean estimate (45): pace = (45 + 45) / (30 + 45)
    // = 1.2. A is half done: 60 × 1.2 × 0.5 = 36 left; B 72; D 36.
    const e = estimateEta({
      tickets,
      completed: new Set(['C']),
      running: new Map([['A', { elapsed: 30, progress: 50 }]]),
      observed: [{ estimate: 30, actual: 45 }],
      agents: 2,
    });
    expect(e.pace).toBeCloseTo(1.2);
    expect(e.basis).toBe('observed pace');
    expect(e.remainingWork).toBeCloseTo(36 + 72 + 36);
    expect(e.remainingCriticalPath).toBeCloseTo(108); // A rest 36 + B 72
    expect(e.minutes).toBeCloseTo(108);
    expect(e.percentByWork).toBeCloseTo((30 / 180) * 100);
  });

  it('one fast early ticket does not collapse the ETA', () => {
    // 1 minute for a 60-minute estimate: the raw ratio 0.017 would promise the rest in minutes.
    const e = estimateEta({ tickets, completed: new Set(['A']), running: new Map(), observed: [{ estimate: 60, actual: 1 }], agents: 1 });
    expect(e.pace).toBeCloseTo((1 + 45) / (60 + 45));
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
