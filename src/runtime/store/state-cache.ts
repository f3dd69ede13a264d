import { readNoFollow } from '../../util/safe-path.ts';
import type { SessionState } from '../state.ts';
import { indexRow, positions, statusBytes } from './claim-index.ts';
import { joinList, LIST_CLOSE, LIST_COMMA, LIST_OPEN, listItem, type JsonList } from './json-list.ts';

/**
 * The session cache `.orchestration/cache/<id>.state`: a copy of the YAML bytes the helper last wrote, and the
 * state they hold as JSON, so a verb can skip parsing YAML — cut where the tickets are, so a write can copy the
 * bytes of every ticket it did not change (YAML and JSON alike) instead of emitting and serialising the whole
 * session again — and the claim index (`claim-index.ts`), so `claim` and `complete` need not materialise every
 * ticket. Layout:
 *
 * 1. one JSON header line `{"v":3,"yaml":Y,"plain":P,"head":H,"tickets":T,"yi":[…]|null,"ji":[…],"pk":K,"po":O,"st":N,"ix":X,"xi":[…]}\n`;
 * 2. the Y YAML bytes;
 * 3. H bytes: the state as JSON with `"tickets":null` (keys in the state's order);
 * 4. T bytes: the tickets as one JSON array; `ji` holds the N + 1 offsets (in these T bytes) where each
 *    ticket's JSON starts, the last one where the final ticket ends;
 * 5. K bytes (K may be 0): the claim priorities by ticket id as JSON (see `priorities.ts`);
 * 6. O bytes (O may be 0): the claim order, ticket indices best first, as JSON (see `priorities.ts`);
 * 7. N bytes: the claim index's statuses, one byte per ticket (see `claim-index.ts`);
 * 8. X bytes: the claim index's rows, one JSON row per ticket in one JSON array; `xi` holds its N + 1 item
 *    offsets as `ji` does.
 *
 * `yi` (only when `plain`: the YAML is the fast emitter's output) holds the N + 1 offsets in the YAML bytes
 * where each ticket's block starts, the last where the final block ends; null when the YAML is not cut that
 * way (a hand-edited file, no tickets).
 *
 * A cache is used only when its YAML copy equals the state file byte for byte (a native compare: no hashing),
 * so a hand edit, a half-updated pair or an old format simply misses. The cache is a hint, never the truth.
 */

/** Version written in the header; a cache of another version is ignored. */
const VERSION = 3;

/** Where the tickets are in a state's YAML and JSON bytes, so a write can reuse an unchanged ticket's bytes. */
export interface StateSpans {
  /** N + 1 offsets into the YAML bytes (each ticket's block start; then the end of the last), or null. */
  yamlItems: number[] | null;
  /** The tickets as one JSON array text. */
  json: Buffer;
  /** N + 1 offsets into `json`: each ticket's JSON start, then the end of the last (see {@link jsonItem}). */
  jsonItems: number[];
  /** The claim index rows (`claim-index.ts`), one per ticket. */
  index: JsonList;
  /** The claim index statuses, one byte per ticket. */
  statuses: Buffer;
}

/** What a cache holds besides the state: whether the YAML is the emitter's output, spans, priorities, order. */
export interface CacheParts {
  plain: boolean;
  spans: StateSpans;
  /** The session fields as JSON (`"tickets":null`). */
  head: Buffer;
  /** The claim priorities stored with the state as JSON bytes (see `priorities.ts`), or null when none were. */
  priorities: Buffer | null;
  /** The claim order stored with them (JSON array of ticket indices, best first), or null. */
  order: Buffer | null;
}

/** What a cache holds for a YAML text, with the state parsed. */
export interface CacheHit extends CacheParts {
  state: SessionState;
}

/**
 * The cache's parts when `file` exists and was written for exactly `yaml`, nothing parsed beyond the header
 * (so a caller pays only for what it reads); otherwise null (never throws).
 */
export function readCacheParts(file: string, yaml: Uint8Array): CacheParts | null {
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
    const sizes = [h.head, h.tickets, h.pk, h.po, h.st, h.ix];
    if (h.v !== VERSION || h.yaml !== yaml.length || !sizes.every((n) => typeof n === 'number' && n >= 0) || !Array.isArray(h.ji) || !Array.isArray(h.xi)) return null;
    const [head, tickets, pk, po, st, ix] = sizes as number[];
    if (buf.length !== nl + 1 + yaml.length + head! + tickets! + pk! + po! + st! + ix!) return null;
    let at = nl + 1;
    if (!buf.subarray(at, at + yaml.length).equals(yaml)) return null;
    const take = (n: number): Buffer => buf.subarray((at += n) - n, at);
    take(yaml.length);
    const headBytes = take(head!);
    const json = take(tickets!);
    const pkBytes = take(pk!);
    const poBytes = take(po!);
    const statuses = take(st!);
    const ixBytes = take(ix!);
    const jsonItems = h.ji as number[];
    const indexItems = h.xi as number[];
    const yamlItems = Array.isArray(h.yi) ? (h.yi as number[]) : null;
    if (indexItems.length !== jsonItems.length || statuses.length !== jsonItems.length - 1 || (yamlItems !== null && yamlItems.length !== jsonItems.length)) return null;
    return {
      plain: h.plain === true,
      spans: { yamlItems, json, jsonItems, index: { json: ixBytes, items: indexItems }, statuses },
      head: headBytes,
      priorities: pk! > 0 ? pkBytes : null,
      order: po! > 0 ? poBytes : null,
    };
  } catch {
    return null;
  }
}

/** The cache's state when `file` exists and was written for exactly `yaml`; otherwise null (never throws). */
export function readStateCache(file: string, yaml: Uint8Array): CacheHit | null {
  const parts = readCacheParts(file, yaml);
  if (!parts) return null;
  try {
    const state = JSON.parse(parts.head.toString('utf8')) as SessionState;
    const tickets = JSON.parse(parts.spans.json.toString('utf8')) as SessionState['tickets'];
    if (!state || typeof state !== 'object' || !Array.isArray(tickets) || parts.spans.jsonItems.length !== tickets.length + 1) return null;
    state.tickets = tickets;
    return { ...parts, state };
  } catch {
    return null;
  }
}

/** The JSON bytes of ticket `i` in `spans` (items are separated by commas, which are not included). */
export function jsonItem(spans: StateSpans, i: number): Buffer {
  return listItem({ json: spans.json, items: spans.jsonItems }, i);
}

/** The JSON bytes of each ticket of `state` (in order), as stored in a cache. */
export function ticketJson(t: SessionState['tickets'][number]): Buffer {
  return Buffer.from(JSON.stringify(t), 'utf8');
}

/** Bytes kept as the pieces they were assembled from (written with `writev`, joined only when read back). */
export type Bytes = Buffer | readonly Buffer[];

/** The length of `b` in bytes. */
export function byteLength(b: Bytes): number {
  if (Buffer.isBuffer(b)) return b.length;
  let n = 0;
  for (const x of b) n += x.length;
  return n;
}

/** `b` as one buffer (a copy when it is in pieces). */
export function joined(b: Bytes): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.concat(b as Buffer[]);
}

/**
 * `list` with the items in `replace` (index → new JSON bytes) replaced and the others' bytes copied (as pieces,
 * see {@link spliceSegments}): O(N) offsets, O(changed) values. `replace` must not name an index out of range.
 */
export function spliceList(list: JsonList, replace: ReadonlyMap<number, Buffer>): { parts: Buffer[]; items: number[] } {
  const n = list.items.length - 1;
  const withComma = new Map<number, Buffer>();
  for (const [i, b] of replace) withComma.set(i, i === n - 1 ? b : Buffer.concat([b, LIST_COMMA]));
  const r = spliceSegments(list.json, list.items, LIST_OPEN, LIST_CLOSE, withComma);
  return { parts: r.parts, items: r.offsets };
}

/**
 * `bytes`, cut by `offsets` (N + 1: item i is `bytes[offsets[i], offsets[i + 1])`; before the first is the
 * prefix, after the last the suffix), with a new `prefix`, `suffix` and the items of `replace` replaced; the
 * other items' bytes are views of `bytes` (nothing copied). Returns the new bytes as pieces and their N + 1
 * item offsets.
 */
export function spliceSegments(bytes: Buffer, offsets: readonly number[], prefix: Buffer, suffix: Buffer, replace: ReadonlyMap<number, Buffer>): { parts: Buffer[]; offsets: number[] } {
  const n = offsets.length - 1;
  const keys = [...replace.keys()].sort((a, b) => a - b);
  const parts: Buffer[] = [prefix];
  const out = new Array<number>(n + 1);
  let delta = prefix.length - offsets[0]!;
  let from = 0; // next item whose offset is not set yet
  let cursor = offsets[0]!;
  for (const k of keys) {
    for (; from <= k; from++) out[from] = offsets[from]! + delta;
    parts.push(bytes.subarray(cursor, offsets[k]!));
    const b = replace.get(k)!;
    parts.push(b);
    delta += b.length - (offsets[k + 1]! - offsets[k]!);
    cursor = offsets[k + 1]!;
  }
  for (; from <= n; from++) out[from] = offsets[from]! + delta;
  parts.push(bytes.subarray(cursor, offsets[n]!), suffix);
  return { parts, offsets: out };
}

/** What {@link cacheBytes} stores. */
export interface CacheContent {
  yaml: Bytes;
  plain: boolean;
  /** The session fields as JSON with `"tickets":null`. */
  head: Buffer;
  /** The tickets' JSON array and its N + 1 item offsets (see {@link JsonList}). */
  tickets: { json: Bytes; items: readonly number[] };
  /** The claim index rows likewise. */
  index: { json: Bytes; items: readonly number[] };
  /** The claim index statuses (one byte per ticket). */
  statuses: Buffer;
  yamlItems: number[] | null;
  priorities: Buffer | null;
  order: Buffer | null;
}

/** The bytes of a cache holding `c` (see the file comment for the layout), as pieces in order. */
export function cacheBytes(c: CacheContent): Buffer[] {
  const pk = c.priorities ?? EMPTY;
  const po = c.order ?? EMPTY;
  const header = `${JSON.stringify({ v: VERSION, yaml: byteLength(c.yaml), plain: c.plain, head: c.head.length, tickets: byteLength(c.tickets.json), yi: c.yamlItems, ji: c.tickets.items, pk: pk.length, po: po.length, st: c.statuses.length, ix: byteLength(c.index.json), xi: c.index.items })}\n`;
  const pieces = (b: Bytes): readonly Buffer[] => (Buffer.isBuffer(b) ? [b] : b);
  return [Buffer.from(header, 'utf8'), ...pieces(c.yaml), c.head, ...pieces(c.tickets.json), pk, po, c.statuses, ...pieces(c.index.json)];
}

/** The session fields of `state` as a cache stores them (JSON, `"tickets":null`, keys in order). */
export function headJson(state: object): Buffer {
  return Buffer.from(JSON.stringify({ ...state, tickets: null }), 'utf8');
}

/**
 * The bytes of a cache for `yaml` holding `state` (`plain`: `yaml` is the fast emitter's output of `state`).
 * `tickets` are the JSON bytes of each ticket (see {@link ticketJson}; an unchanged ticket's bytes may be reused
 * from the previous cache), `rows` its claim index rows likewise (`indexRow`); computed when left out (the
 * statuses always are: one byte per ticket).
 * `yamlItems`: see {@link StateSpans}. `priorities`: the claim priorities to store (JSON bytes as read, or the
 * keys), or null; `order`: the claim order (JSON bytes or the indices), or null. Also returns the spans of the
 * cache written, for the next write in this process.
 */
export function stateCacheBytes(
  yaml: Buffer,
  plain: boolean,
  state: SessionState,
  opts: { tickets?: Buffer[]; rows?: Buffer[]; yamlItems?: number[] | null; priorities?: Buffer | Record<string, number> | null; order?: Buffer | readonly number[] | null } = {},
): { bytes: Buffer; spans: StateSpans } {
  const tickets = joinList(opts.tickets ?? state.tickets.map(ticketJson));
  const at = opts.rows ? null : positions(state.tickets);
  const index = joinList(opts.rows ?? state.tickets.map((t) => indexRow(t, at!)));
  const statuses = statusBytes(state.tickets);
  const asBytes = (v: Buffer | object | null | undefined): Buffer | null => (Buffer.isBuffer(v) ? v : v ? Buffer.from(JSON.stringify(v), 'utf8') : null);
  const priorities = asBytes(opts.priorities);
  const yamlItems = opts.yamlItems ?? null;
  const bytes = Buffer.concat(cacheBytes({ yaml, plain, head: headJson(state), tickets, index, statuses, yamlItems, priorities, order: priorities ? asBytes(opts.order) : null }));
  return { bytes, spans: { yamlItems, json: tickets.json, jsonItems: tickets.items, index, statuses } };
}

const EMPTY = Buffer.alloc(0);
