import { readNoFollow } from '../../util/safe-path.ts';
import type { SessionState } from '../state.ts';

/**
 * The session cache `.orchestration/cache/<id>.state`: a copy of the YAML bytes the helper last wrote, and the
 * state they hold as JSON, so a verb can skip parsing YAML. Layout: one JSON header line
 * `{"v":1,"yaml":N,"plain":true|false}\n`, then the N YAML bytes, then the state as JSON (UTF-8).
 * A cache is used only when its YAML copy equals the state file byte for byte (a native compare: no hashing),
 * so a hand edit, a half-updated pair or an old format simply misses. The cache is a hint, never the truth.
 */

/** Version written in the header; a cache of another version is ignored. */
const VERSION = 1;

/** What a cache holds for a YAML text: the parsed state and whether the text is the fast emitter's output. */
export interface CacheHit {
  state: SessionState;
  plain: boolean;
}

/** The cache's state when `file` exists and was written for exactly `yaml`; otherwise null (never throws). */
export function readStateCache(file: string, yaml: Uint8Array): CacheHit | null {
  let buf: Buffer;
  try {
    buf = readNoFollow(file); // a link there is never followed: a miss
  } catch {
    return null;
  }
  const nl = buf.indexOf(10);
  if (nl === -1) return null;
  try {
    const head = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { v?: unknown; yaml?: unknown; plain?: unknown };
    if (head.v !== VERSION || typeof head.yaml !== 'number' || head.yaml !== yaml.length) return null;
    const start = nl + 1;
    if (!buf.subarray(start, start + yaml.length).equals(yaml)) return null;
    const state = JSON.parse(buf.subarray(start + yaml.length).toString('utf8')) as SessionState;
    return state && typeof state === 'object' ? { state, plain: head.plain === true } : null;
  } catch {
    return null;
  }
}

/** The bytes of a cache for `yaml` holding `state` (`plain`: `yaml` is the fast emitter's output of `state`). */
export function stateCacheBytes(yaml: Uint8Array, plain: boolean, state: SessionState): Buffer {
  const head = Buffer.from(`${JSON.stringify({ v: VERSION, yaml: yaml.length, plain })}\n`, 'utf8');
  return Buffer.concat([head, yaml, Buffer.from(JSON.stringify(state), 'utf8')]);
}
