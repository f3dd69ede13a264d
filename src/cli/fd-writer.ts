import { writeSync } from 'node:fs';
import { tty } from '../runtime/lazy-node.ts';
import { sleepSync } from '../util/sleep.ts';
import type { Writable } from './io.ts';

/**
 * A {@link Writable} over a file descriptor (1 = stdout, 2 = stderr) that writes synchronously with
 * `fs.writeSync`. The runtime helper prints through it instead of `process.stdout`, whose first use loads
 * Node's stream modules (about 3 ms of every call). Output is complete when `write` returns, so nothing is
 * lost when the process ends. `isTTY` and `columns` load `node:tty` only when asked (views, colour).
 */
export class FdWriter implements Writable {
  private tty: boolean | undefined;
  /** Set once the reader went away (EPIPE): later output is dropped, as `cmd | head` expects. */
  private closed = false;

  constructor(readonly fd: number) {}

  /**
   * Writes all of `chunk` (UTF-8); waits and retries when a non-blocking pipe is full (EAGAIN); drops it and
   * all later output once the reader has closed the pipe (EPIPE). Other errors are thrown.
   */
  write(chunk: string): boolean {
    if (this.closed) return false;
    const data = Buffer.from(chunk, 'utf8');
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          this.closed = true;
          return false;
        }
        if (code !== 'EAGAIN') throw e;
        sleepSync(1);
      }
    }
    return true;
  }

  /** True when the descriptor is a terminal. */
  get isTTY(): boolean {
    this.tty ??= tty().isatty(this.fd);
    return this.tty;
  }

  /** The terminal's width in columns, when it is one. */
  get columns(): number | undefined {
    if (!this.isTTY) return undefined;
    return (this.fd === 2 ? process.stderr : process.stdout).columns;
  }
}
