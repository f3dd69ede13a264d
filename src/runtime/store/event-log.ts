import { closeSync, fstatSync, ftruncateSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { StateEvent } from '../state.ts';

/**
 * The append-only event log `.orchestration/logs/<id>.jsonl`: one JSON {@link StateEvent} per line, `seq`
 * equal to the state revision it produced. Appends happen inside the state lock, before the state file is
 * replaced. A writer killed between the two leaves events "from the future" (seq above the state's revision)
 * or a torn last line; the next writer cuts those off before appending, so `seq` stays strictly increasing
 * and equal to the revision. Readers skip a torn last line.
 */

/** The first tail read; doubled until the lines to check fit (events are a few hundred bytes). */
const TAIL_START_BYTES = 8 * 1024;

/**
 * Appends `events` to `file` (created if missing) after removing a torn last line and any event with
 * `seq > revisionBefore` left by a writer that died before replacing the state. fsyncs the file.
 * Reads only the end of the log: 8 KB, more only while the lines to check start before the window.
 */
export function appendEvents(file: string, events: readonly StateEvent[], revisionBefore: number): void {
  const fd = openSync(file, 'a+', 0o644);
  try {
    const size = fstatSync(fd).size;
    if (size > 0) {
      const keep = keptLength(fd, size, revisionBefore);
      if (keep < size) ftruncateSync(fd, keep);
    }
    const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    const data = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
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
 */
export function readEvents(file: string): { events: StateEvent[]; skipped: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
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
