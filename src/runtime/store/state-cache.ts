import { readNoFollow } from '../../util/safe-path.ts';
import type { SessionState } from '../state.ts';

/**
 * The session cache `.orchestration/cache/<id>.state`: a copy of the YAML bytes the helper last wrote, and the
 * state they hold as JSON, so a verb can skip parsing YAML — cut where the tickets are, so a write can copy the
 * bytes of every ticket it did not change (YAML and JSON alike) instead of emitting and serialising the whole
 * session again. Layout:
 *
 * 1. one JSON header line `{"v":2,"yaml":Y,"plain":P,"head":H,"tickets":T,"yi":[…]|null,"ji":[…],"pk":K}\n`;
 * 2. the Y YAML bytes;
 * 3. H bytes: the state as JSON with `"tickets":null` (keys in the state's order);
 * 4. T bytes: the tickets as one JSON array; `ji` holds the N + 1 offsets (in these T bytes) where each
 *    ticket's JSON starts, the last one where the final ticket ends;
 * 5. K bytes (K may be 0): the claim priorities by ticket id as JSON (see `priorities.ts`).
 *
 * `yi` (only when `plain`: the YAML is the fast emitter's output) holds the N + 1 offsets in the YAML bytes
 * where each ticket's block starts, the last where the final block ends; null when the YAML is not cut that
 * way (a hand-edited file, no tickets).
 *
 * A cache is used only when its YAML copy equals the state file byte for byte (a native compare: no hashing),
 * so a hand edit, a half-updated pair or an old format simply misses. The cache is a hint, never the truth.
 */

/** Version written in the header; a cache of another version is ignored. */
const VERSION = 2;

/** Where the tickets are in a state's YAML and JSON bytes, so a write can reuse an unchanged ticket's bytes. */
export interface StateSpans {
  /** N + 1 offsets into the YAML bytes (each ticket's block start; then the end of the last), or null. */
  yamlItems: number[] | null;
  /** The tickets as one JSON array text. */
  json: Buffer;
  /** N + 1 offsets into `json`: each ticket's JSON start, then the end of the last (see {@link jsonItem}). */
  jsonItems: number[];
}

/** What a cache holds for a YAML text: the parsed state, whether the text is the fast emitter's output, spans. */
export interface CacheHit {
  state: SessionState;
  plain: boolean;
  spans: StateSpans;
  /** The claim priorities stored with the state as JSON bytes (see `priorities.ts`), or null when none were. */
  priorities: Buffer | null;
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
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
    if (h.v !== VERSION || h.yaml !== yaml.length || typeof h.head !== 'number' || typeof h.tickets !== 'number' || typeof h.pk !== 'number' || !Array.isArray(h.ji)) return null;
    let at = nl + 1;
    if (!buf.subarray(at, at + yaml.length).equals(yaml)) return null;
    at += yaml.length;
    const state = JSON.parse(buf.subarray(at, at + h.head).toString('utf8')) as SessionState;
    at += h.head;
    const json = buf.subarray(at, at + h.tickets);
    at += h.tickets;
    const tickets = JSON.parse(json.toString('utf8')) as SessionState['tickets'];
    const jsonItems = h.ji as number[];
    const yamlItems = Array.isArray(h.yi) ? (h.yi as number[]) : null;
    if (!state || typeof state !== 'object' || !Array.isArray(tickets) || jsonItems.length !== tickets.length + 1) return null;
    if (yamlItems !== null && yamlItems.length !== tickets.length + 1) return null;
    state.tickets = tickets;
    const pkBytes = buf.subarray(at, at + h.pk);
    const priorities = h.pk > 0 && pkBytes.length === h.pk ? pkBytes : null;
    return { state, plain: h.plain === true, spans: { yamlItems, json, jsonItems }, priorities };
  } catch {
    return null;
  }
}

/** The JSON bytes of ticket `i` in `spans` (items are separated by commas, which are not included). */
export function jsonItem(spans: StateSpans, i: number): Buffer {
  const last = i === spans.jsonItems.length - 2;
  return spans.json.subarray(spans.jsonItems[i]!, spans.jsonItems[i + 1]! - (last ? 0 : 1));
}

/** The JSON bytes of each ticket of `state` (in order), as stored in a cache. */
export function ticketJson(t: SessionState['tickets'][number]): Buffer {
  return Buffer.from(JSON.stringify(t), 'utf8');
}

/**
 * The bytes of a cache for `yaml` holding `state` (`plain`: `yaml` is the fast emitter's output of `state`).
 * `tickets` are the JSON bytes of each ticket (see {@link ticketJson}; an unchanged ticket's bytes may be reused
 * from the previous cache); computed when left out. `yamlItems`: see {@link StateSpans}. `priorities`: the claim
 * priorities to store (JSON bytes as read, or the keys), or null. Also returns the spans of the cache written, for the next write in this process.
 */
export function stateCacheBytes(
  yaml: Buffer,
  plain: boolean,
  state: SessionState,
  opts: { tickets?: Buffer[]; yamlItems?: number[] | null; priorities?: Buffer | Record<string, number> | null } = {},
): { bytes: Buffer; spans: StateSpans } {
  const items = opts.tickets ?? state.tickets.map(ticketJson);
  const head = Buffer.from(JSON.stringify({ ...state, tickets: null }), 'utf8');
  const parts: Buffer[] = [Buffer.from('[')];
  const jsonItems: number[] = [];
  let off = 1;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) {
      parts.push(COMMA);
      off += 1;
    }
    jsonItems.push(off);
    parts.push(items[i]!);
    off += items[i]!.length;
  }
  jsonItems.push(off);
  parts.push(Buffer.from(']'));
  const json = Buffer.concat(parts, off + 1);
  const pk = Buffer.isBuffer(opts.priorities) ? opts.priorities : opts.priorities ? Buffer.from(JSON.stringify(opts.priorities), 'utf8') : Buffer.alloc(0);
  const yamlItems = opts.yamlItems ?? null;
  const header = Buffer.from(`${JSON.stringify({ v: VERSION, yaml: yaml.length, plain, head: head.length, tickets: json.length, yi: yamlItems, ji: jsonItems, pk: pk.length })}\n`, 'utf8');
  return { bytes: Buffer.concat([header, yaml, head, json, pk]), spans: { yamlItems, json, jsonItems } };
}

const COMMA = Buffer.from(',');
