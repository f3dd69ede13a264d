import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEvents, readEvents } from '../../src/runtime/store/event-log.ts';
import type { StateEvent } from '../../src/runtime/state.ts';

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'event-log-'));
  log = path.join(dir, 's.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An event of about `pad` bytes. */
function ev(seq: number, pad = 0): StateEvent {
  return { seq, time: 't', agent: 'a', verb: 'heartbeat', ticket: 'T', before: null, after: null, data: { note: 'x'.repeat(pad) } };
}
const line = (e: StateEvent): string => `${JSON.stringify(e)}\n`;

describe('appendEvents', () => {
  it('appends after the committed revision, keeping every earlier line of a long log', () => {
    writeFileSync(log, Array.from({ length: 200 }, (_, i) => line(ev(i + 1, 100))).join(''));
    appendEvents(log, [ev(201), ev(202)], 200);
    expect(readEvents(log).events.map((e) => e.seq)).toEqual(Array.from({ length: 202 }, (_, i) => i + 1));
  });

  it('cuts a torn last line longer than the first read window, and nothing before it', () => {
    writeFileSync(log, `${line(ev(1))}${line(ev(2))}{"seq":3,"note":"${'y'.repeat(40_000)}`);
    appendEvents(log, [ev(3)], 2);
    expect(readFileSync(log, 'utf8')).toBe(`${line(ev(1))}${line(ev(2))}${line(ev(3))}`);
  });

  it('drops events from the future (left by a writer that died before the state write) across windows', () => {
    const committed = Array.from({ length: 5 }, (_, i) => line(ev(i + 1, 10))).join('');
    const future = Array.from({ length: 6 }, (_, i) => line(ev(i + 6, 5_000))).join(''); // 30 KB: several windows
    writeFileSync(log, `${committed}${future}garbage-torn`);
    appendEvents(log, [ev(6)], 5);
    expect(readFileSync(log, 'utf8')).toBe(`${committed}${line(ev(6))}`);
  });

  it('drops a complete line that does not parse at the end, as a future event', () => {
    writeFileSync(log, `${line(ev(1))}not json\n`);
    appendEvents(log, [ev(2)], 1);
    expect(readEvents(log)).toEqual({ events: [ev(1), ev(2)], skipped: 0 });
  });
});
