import { closeSync, futimesSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { randomHex } from './unique.ts';

/**
 * The line of processes waiting for one lock, so the lock is taken in arrival order (without it, 32 agents
 * polling one lock wait unboundedly: whoever polls at the right moment wins, and some lose for 30 s).
 *
 * The line is a folder beside the lock, `<lock>.queue/`, holding one file per waiter, named
 * `<number>.<pid>.<random>` and holding `{"host": …}`. A newcomer takes the number one above the highest in
 * the folder; ties (two arriving at once) are ordered by name, the same for every observer. Only the first
 * waiter in line tries the lock; the others wait, longer the further back they are. A waiter leaves the line
 * when it has the lock or gives up; the folder is removed when it becomes empty.
 *
 * A waiter that was killed leaves its file behind: the first live waiter behind it removes it once it is dead — its pid is gone
 * (same host), or it has not been touched for `staleMs` (another host: waiters touch their file every second),
 * or for 5 × `staleMs` whatever the host (a stopped process). A waiter whose own file was removed (judged dead
 * while it was stopped) lines up again at the end. So the line survives SIGKILL of any waiter, and the lock
 * itself (with its own stale rules, `lock.ts`) survives SIGKILL of the holder.
 */

const HOST = hostname();

/** Names of the places this process holds now. */
const ownPlaces = new Set<string>();

/** A place in the line. */
export interface QueuePlace {
  readonly dir: string;
  readonly name: string;
  readonly seq: number;
  /** Open file of the place (touched to show the waiter is alive). */
  readonly fd: number;
  touchedAt: number;
}

/** The line folder of the lock at `lockPath`. */
export function queueDir(lockPath: string): string {
  return `${lockPath}.queue`;
}

/** True when nobody waits in line `dir` (no folder, or an empty one). */
export function queueIsEmpty(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}

interface Entry {
  name: string;
  seq: number;
  pid: number;
}

function entries(dir: string): Entry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Entry[] = [];
  for (const name of names) {
    const m = /^(\d+)\.(\d+)\.[0-9a-z]+$/.exec(name);
    if (m) out.push({ name, seq: Number(m[1]), pid: Number(m[2]) });
  }
  return out.sort((a, b) => a.seq - b.seq || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Takes a place at the end of line `dir` (created if missing). */
export function joinQueue(dir: string): QueuePlace {
  for (let attempt = 0; ; attempt++) {
    mkdirSync(dir, { recursive: true });
    const last = entries(dir).at(-1);
    const seq = (last?.seq ?? 0) + 1;
    const name = `${seq}.${process.pid}.${randomHex(8)}`;
    try {
      const fd = openSync(join(dir, name), 'wx', 0o644);
      writeSync(fd, JSON.stringify({ host: HOST }));
      ownPlaces.add(name);
      return { dir, name, seq, fd, touchedAt: Date.now() };
    } catch (e) {
      // the folder was removed by the last one leaving, between mkdir and open: line up again
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 20) throw e;
    }
  }
}

/** Leaves the line (idempotent enough: a place already removed is fine); removes the folder when empty. */
export function leaveQueue(place: QueuePlace): void {
  ownPlaces.delete(place.name);
  try {
    closeSync(place.fd);
  } catch {
    /* closed */
  }
  try {
    unlinkSync(join(place.dir, place.name));
  } catch {
    /* removed as dead while we were stopped */
  }
  try {
    rmdirSync(place.dir);
  } catch {
    /* others still wait, or it is gone */
  }
}

/** Marks the place as alive (at most once a second). */
export function touchPlace(place: QueuePlace): void {
  const now = Date.now();
  if (now - place.touchedAt < 1000) return;
  place.touchedAt = now;
  try {
    futimesSync(place.fd, now / 1000, now / 1000);
  } catch {
    /* the next look finds out */
  }
}

/** Hosts of entries already read, by file path (names are unique: each is read once). */
const hostOf = new Map<string, string>();
/** When each entry (by file path) was last found alive (ms): looked at again only after {@link RECHECK_MS}. */
const aliveAt = new Map<string, number>();
const RECHECK_MS = 500;

/** True when the waiter of entry `e` in `dir` is dead (see the file comment). */
function isDead(dir: string, e: Entry, staleMs: number, now: number): boolean {
  const file = join(dir, e.name);
  let host = hostOf.get(file);
  let mtime: number;
  try {
    if (host === undefined) {
      host = String((JSON.parse(readFileSync(file, 'utf8')) as { host?: unknown }).host ?? '');
      hostOf.set(file, host);
    }
    mtime = statSync(file).mtimeMs;
  } catch (err) {
    // gone (left meanwhile), or written half by a waiter killed at once: dead unless just created
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    try {
      return now - statSync(file).mtimeMs > 1000;
    } catch {
      return false;
    }
  }
  if (now - mtime > 5 * staleMs) return true;
  if (host !== HOST) return now - mtime > staleMs;
  if (e.pid === process.pid) return !ownPlaces.has(e.name); // not ours: an earlier process had our pid
  try {
    process.kill(e.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * How many waiters are ahead of `place` (0: it is first in line). Only the places directly ahead are looked at:
 * walking back from `place`, dead ones are removed until a live one is found (at most once per
 * {@link RECHECK_MS} per place); places further ahead are counted as they are — each dead place is removed by
 * the first live waiter behind it, so the line clears itself with a constant number of checks per look rather
 * than one per waiter ahead (32 waiters each checking everyone ahead cost more CPU than the changes they waited
 * for). -1 when the place itself is gone (removed as dead): the caller lines up again.
 */
export function placesAhead(place: QueuePlace, staleMs: number): number {
  const list = entries(place.dir);
  const mine = list.findIndex((e) => e.name === place.name);
  if (mine === -1) return -1;
  const now = Date.now();
  let ahead = mine;
  for (let i = mine - 1; i >= 0; i--) {
    const e = list[i]!;
    const file = join(place.dir, e.name);
    if (now - (aliveAt.get(file) ?? 0) < RECHECK_MS) break;
    if (!isDead(place.dir, e, staleMs, now)) {
      aliveAt.set(file, now);
      break;
    }
    try {
      unlinkSync(file);
    } catch {
      /* another waiter removed it */
    }
    hostOf.delete(file);
    aliveAt.delete(file);
    ahead--;
  }
  return ahead;
}
