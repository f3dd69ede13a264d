import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';

/**
 * Node built-ins loaded on first use. `node:child_process` pulls in `net`, streams and more: a few ms of
 * start-up that `claim` (which never starts a process) should not pay.
 */

const req = createRequire(import.meta.url);

/** `node:child_process`, loaded on first call. */
export function childProcess(): typeof ChildProcess {
  return req('node:child_process') as typeof ChildProcess;
}
