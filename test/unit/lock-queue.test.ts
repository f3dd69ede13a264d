import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinQueue, leaveQueue, placesAhead, queueDir, queueIsEmpty } from '../../src/util/lock-queue.ts';

let dir: string;
let line: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lock-queue-'));
  line = queueDir(path.join(dir, 's.lock'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly belongs to no running process (a child that has exited). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

/** Puts a waiter's place in the line by hand: number, pid, host, age in ms. */
function place(seq: number, pid: number, host: string, ageMs = 0): string {
  mkdirSync(line, { recursive: true });
  const name = `${seq}.${pid}.ab${seq}`;
  const file = path.join(line, name);
  writeFileSync(file, JSON.stringify({ host }));
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(file, t, t);
  return name;
}

describe('the line of lock waiters', () => {
  it('numbers places in arrival order and removes the folder when the last one leaves', () => {
    expect(queueIsEmpty(line)).toBe(true);
    const a = joinQueue(line);
    const b = joinQueue(line);
    expect(b.seq).toBe(a.seq + 1);
    expect(placesAhead(a, 10_000)).toBe(0);
    expect(placesAhead(b, 10_000)).toBe(1);
    expect(queueIsEmpty(line)).toBe(false);
    leaveQueue(a);
    expect(placesAhead(b, 10_000)).toBe(0);
    leaveQueue(b);
    expect(existsSync(line)).toBe(false);
  });

  it('removes the dead places directly ahead: pid gone, another host silent past staleMs, anyone silent past 5 × staleMs', () => {
    const parent = process.ppid; // alive, and not us
    const live = place(1, parent, hostname()); // alive: kept
    const fresh = place(2, parent, 'elsewhere', 100); // another host, touched lately: kept
    place(3, deadPid(), hostname()); // dead pid: removed
    place(4, parent, 'elsewhere', 2_000); // another host, silent 2 s > staleMs 1 s: removed
    place(5, parent, hostname(), 6_000); // alive pid, but silent past 5 × staleMs (a stopped process): removed
    const me = joinQueue(line);
    expect(me.seq).toBe(6);
    expect(placesAhead(me, 1_000)).toBe(2);
    expect(readdirSync(line).sort()).toEqual([live, fresh, me.name].sort());
    leaveQueue(me);
  });

  it('leaves a dead place behind a live waiter to that waiter, which removes it on its next look', () => {
    const waiter = spawn('sleep', ['60'], { stdio: 'ignore' }); // a live process of this host, ours to stop
    try {
      const dead = place(1, deadPid(), hostname());
      const live = place(2, waiter.pid!, hostname());
      const me = joinQueue(line);
      expect(placesAhead(me, 10_000)).toBe(2); // only the place directly ahead is looked at: it is alive
      expect(readdirSync(line)).toContain(dead);
      const theirs = { dir: line, name: live, seq: 2, fd: -1, touchedAt: Date.now() };
      expect(placesAhead(theirs, 10_000)).toBe(0);
      expect(readdirSync(line)).not.toContain(dead);
      expect(placesAhead(me, 10_000)).toBe(1);
      leaveQueue(me);
    } finally {
      waiter.kill();
    }
  });

  it('answers -1 when its own place was removed (judged dead while stopped), so the waiter lines up again', () => {
    const me = joinQueue(line);
    unlinkSync(path.join(line, me.name));
    expect(placesAhead(me, 10_000)).toBe(-1);
    leaveQueue(me);
  });
});
