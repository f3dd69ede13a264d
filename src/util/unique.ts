/**
 * A short random name part (lowercase hex, `chars` long, default 12) for temp files, lock tokens and session
 * ids. Not for secrets: it uses `Math.random` (V8 seeds it from the OS per process), which keeps `node:crypto`
 * (about 3 ms of start-up for the helper) out of the hot path. Names that must not collide across processes
 * also carry the pid.
 */
export function randomHex(chars = 12): string {
  let s = '';
  while (s.length < chars) s += Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, chars);
}
