import { describe, expect, it } from 'vitest';
import { CLEAR_SCREEN, runWatch, watchFrame } from '../../src/runtime/views/watch.ts';

describe('dashboard --watch', () => {
  it('redraws on a TTY only when the frame changed', () => {
    expect(watchFrame(null, 'a', true)).toBe(`${CLEAR_SCREEN}a`);
    expect(watchFrame('a', 'a', true)).toBeNull();
    expect(watchFrame('a', 'b', true)).toBe(`${CLEAR_SCREEN}b`);
  });

  it('off a TTY prints the first frame only, without escape codes', () => {
    expect(watchFrame(null, 'a', false)).toBe('a');
    expect(watchFrame('a', 'b', false)).toBeNull();
  });

  it('loops on a TTY until the session is final, sleeping between frames', async () => {
    const frames = [
      { text: 'one', final: false },
      { text: 'one', final: false },
      { text: 'two', final: true },
    ];
    const out: string[] = [];
    const sleeps: number[] = [];
    const n = await runWatch({ render: () => frames.shift()!, write: (s) => out.push(s), tty: true, intervalMs: 2000, sleep: async (ms) => void sleeps.push(ms) });
    expect(n).toBe(3);
    expect(out).toEqual([`${CLEAR_SCREEN}one`, `${CLEAR_SCREEN}two`]);
    expect(sleeps).toEqual([2000, 2000]);
  });

  it('piped: renders once and returns; shouldStop ends a TTY loop', async () => {
    const out: string[] = [];
    expect(await runWatch({ render: () => ({ text: 'x', final: false }), write: (s) => out.push(s), tty: false, intervalMs: 10, sleep: async () => {} })).toBe(1);
    expect(out).toEqual(['x']);
    let calls = 0;
    const n = await runWatch({ render: () => ({ text: String(calls++), final: false }), write: () => {}, tty: true, intervalMs: 10, sleep: async () => {}, shouldStop: () => calls >= 4 });
    expect(n).toBe(4);
  });
});
