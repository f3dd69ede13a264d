import type * as ChildProcess from 'node:child_process';
import type * as Tty from 'node:tty';

/**
 * Node built-ins loaded on first use, through `process.getBuiltinModule` (Node >= 20.16; no `createRequire`,
 * no `import.meta`). `node:child_process` and `node:tty` pull in `net`, streams and more: a few ms of start-up
 * that `claim` (which starts no process and prints through `fs.writeSync`) should not pay.
 */

/** `node:child_process`, loaded on first call. */
export function childProcess(): typeof ChildProcess {
  return process.getBuiltinModule('node:child_process');
}

/** `node:tty`, loaded on first call. */
export function tty(): typeof Tty {
  return process.getBuiltinModule('node:tty');
}
