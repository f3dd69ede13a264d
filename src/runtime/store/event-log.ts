import { closeSync, fstatSync, ftruncateSync, fsyncSync, readSync, writeSync } from 'node:fs';
import { APPEND_NOFOLLOW, openNoFollow, readNoFollow, type Display } from '../../util/safe-path.ts';
import type { StateEvent } from '../state.ts';

/**
 * The append-only event log `.orchestration/logs/<id>.jsonl`: one JSON {@link StateEvent} per line, `seq`
 * equal to the state revision it produced. Appends happen inside the state lock, before the state file is
 * replaced. A writer killed between the two leaves events "from the future" (seq above the state's revision)
 * or a torn last line; the next writer cuts those off before appending, so `seq` stays strictly increasing
 * and equal to the revision. Readers skip a torn last line; {@link committedOnly} keeps what a reader shows to
 * the events at or below the state's revision. The log is opened with `O_NOFOLLOW` and must be a regular file
 * with one link (src/util/safe-path.ts): a planted `logs/<id>.jsonl -> ~/.ssh/authorized_keys` is refused,
 * never truncated or appended to.
 */

/** Largest event log read whole, in bytes (256 MiB: about a million events); larger is `FileTooLarge`. */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;

/** The first tail read; doubled until the lines to check fit (events are a few hundred bytes). */
const TAIL_START_BYTES = 8 * 1024;

/**
 * Appends `events` to `file` (created if missing) after removing a torn last line and any event with
 * `seq > revisionBefore` left by a writer that died before replacing the state. fsyncs the file.
 * Reads only the end of the log: 8 KB, more only while the lines to check start before the window.
 * Returns the log's length before the new events (for {@link truncateLog} when the state write then fails).
 * A failed write (disk full) cuts the partial lines off again before throwing.
 * @throws ToolError `UnsafePath` when `file` is a symbolic link, not a regular file, or hard-linked; fs errors.
 */
export function appendEvents(file: string, events: readonly StateEvent[], revisionBefore: number, display?: Display): number {
  const fd = openNoFollow(file, APPEND_NOFOLLOW, 0o644, { display });
  try {
    const size = fstatSync(fd).size;
    let keep = size;
    if (size > 0) {
      keep = keptLength(fd, size, revisionBefore);
      if (keep < size) ftruncateSync(fd, keep);
    }
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    const data = Buffer.from(text, 'utf8');
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } catch (e) {
      try {
        ftruncateSync(fd, keep); // no uncommitted line stays visible
      } catch {
        /* the next writer cuts a torn tail anyway */
      }
      throw e;
    }
    return keep;
  } finally {
    closeSync(fd);
  }
}

/**
 * Cuts `file` back to `length` bytes (the value {@link appendEvents} returned), so events whose state write
 * failed do not stay visible. Best effort: a failure here is left for the next writer, which cuts events
 * above the state's revision off anyway.
 */
export function truncateLog(file: string, length: number): void {
  let fd = -1;
  try {
    fd = openNoFollow(file, APPEND_NOFOLLOW, 0o644);
    ftruncateSync(fd, length);
  } catch {
    /* see above */
  } finally {
    if (fd !== -1) closeSync(fd);
  }
}

/**
 * How many bytes of the log (open as `fd`, `size` bytes) to keep: all but a torn last line and the complete last
 * lines whose seq is above `revisionBefore` (or that do not parse). Reads a growing window from the end.
 */
function keptLength(fd: number, size: number, revisionBefore: number): number {
  for (let window = TAIL_START_BYTES; ; window *= 2) {
    const start = Math.max(0, size - window);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    let end = buf.length;
    let cutOff = false; // a line to check starts before the window
    if (buf[end - 1] !== 10) {
      // torn last line: cut back to the last newline
      const nl = buf.lastIndexOf(10, end - 1);
      if (nl === -1 && start > 0) continue;
      end = nl + 1;
    }
    while (end > 0) {
      const prevNl = end >= 2 ? buf.lastIndexOf(10, end - 2) : -1;
      if (prevNl === -1 && start > 0) {
        cutOff = true;
        break;
      }
      let seq: number;
      try {
        seq = (JSON.parse(buf.subarray(prevNl + 1, end - 1).toString('utf8')) as StateEvent).seq;
      } catch {
        seq = Number.POSITIVE_INFINITY;
      }
      if (seq <= revisionBefore) break;
      end = prevNl + 1;
    }
    if (!cutOff || start === 0) return start + end;
  }
}

/**
 * Reads every event of `file` in order ([] when missing). A torn or malformed LAST line is skipped; a
 * malformed line elsewhere is skipped too and counted in `skipped`.
 * @throws ToolError `UnsafePath` when `file` is a symbolic link; `FileTooLarge` above {@link MAX_LOG_BYTES}.
 */
export function readEvents(file: string, display?: Display): { events: StateEvent[]; skipped: number } {
  let text: string;
  try {
    text = readNoFollow(file, { display, maxBytes: MAX_LOG_BYTES }).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], skipped: 0 };
    throw e;
  }
  const events: StateEvent[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      events.push(JSON.parse(line) as StateEvent);
    } catch {
      if (i !== lines.length - 1) skipped++;
    }
  }
  return { events, skipped };
}

/**
 * The events a reader may show: those at or below the state's `revision` (the ones that committed). Events
 * above it were appended by a writer whose state write failed or that was killed before it; the next writer
 * cuts them off.
 */
export function committedOnly(events: readonly StateEvent[], revision: number): StateEvent[] {
  return events.filter((e) => typeof e.seq === 'number' && e.seq <= revision);
}
