const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks this thread for `ms` milliseconds (`Atomics.wait` on a private cell nobody notifies). For the
 * short-lived helper CLI, where waiting synchronously (lock back-off, a full pipe, a re-read) is simpler than
 * going async and costs nothing else.
 */
export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}
