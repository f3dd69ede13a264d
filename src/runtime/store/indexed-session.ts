import type { SessionState, TicketState } from '../state.ts';
import { ClaimIndex, DamagedCache, indexRow, positions, statusCode } from './claim-index.ts';
import { samePlanFields } from './priorities.ts';
import { readStateBytes, writeAtomic } from './session-file.ts';
import { cacheBytes, headJson, joined, jsonItem, readCacheParts, spliceList, spliceSegments, ticketJson, type CacheParts } from './state-cache.ts';
import { emitListItem, emitYamlParts, STATE_HEADER } from './yaml-emit.ts';

/**
 * A session read through its claim index: the session fields and one small row per ticket
 * (`claim-index.ts`), with any ticket materialised on demand from its JSON in the cache — what `claim` and
 * `complete` need, at a cost that does not grow with the number of tickets beyond copying bytes. Available only
 * when the cache answers for the state file's exact bytes, the file is the fast emitter's output (`plain`) and
 * the claim order is stored; otherwise the reader returns null and the caller takes the full path
 * (`session-file.ts`), which parses and writes a fresh cache.
 *
 * A write ({@link writeSparse}) re-emits the session fields and the tickets the change materialised, and copies
 * every other ticket's bytes — the YAML, the JSON and the index row — from what was read: the same bytes a full
 * emit gives, written whole to a temp file, fsynced and renamed like every state write.
 */

/** A session as read through its index. Shared between looks in one call: do not change `head`. */
export interface IndexedSession {
  /** The state file's bytes as read. */
  readonly bytes: Buffer;
  /** Its cache, as read or written. */
  readonly parts: CacheParts;
  /** The session fields (`tickets` is null here). */
  readonly head: SessionState;
  /** The claim rows, one per ticket in plan order. */
  readonly index: ClaimIndex;
  /** Ticket positions in claim order, best first (`priorities.ts`). */
  readonly order: readonly number[];
}

export { DamagedCache };

/** Ticket `i` of `s` as a fresh object (the caller may change it). @throws DamagedCache when its JSON does not parse. */
export function ticketAt(s: IndexedSession, i: number): TicketState {
  try {
    return JSON.parse(jsonItem(s.parts.spans, i).toString('utf8')) as TicketState;
  } catch {
    throw new DamagedCache(`ticket ${i} of the session cache does not parse`);
  }
}

/** An indexed session from a file's `bytes` and its cache `parts`, or null when they cannot serve one. */
function fromParts(bytes: Buffer, parts: CacheParts): IndexedSession | null {
  if (!parts.plain || parts.spans.yamlItems === null || parts.order === null) return null;
  const n = parts.spans.jsonItems.length - 1;
  const index = ClaimIndex.from(parts.spans.statuses, parts.spans.index);
  if (index === null) return null;
  try {
    const head = JSON.parse(parts.head.toString('utf8')) as SessionState;
    const order = JSON.parse(parts.order.toString('utf8')) as number[];
    if (!head || typeof head !== 'object' || head.tickets !== null || !Array.isArray(order) || order.length !== n) return null;
    return { bytes, parts, head, index, order };
  } catch {
    return null;
  }
}

/**
 * Reads session `file` through its cache `cacheFile` (`displayPath` for messages). When `known` has exactly the
 * bytes the file has now, it is returned as it is. Returns null when the cache cannot serve an indexed read
 * (missing, stale, hand-edited file, no stored claim order, damaged): the caller reads the full state instead.
 * The file is read as `readStateBytes` reads it.
 * @throws ToolError `SessionNotFound` when the file does not exist; `UnsafePath` for a link; `FileTooLarge`.
 */
export function readIndexed(file: string, cacheFile: string, displayPath: string, known?: IndexedSession): IndexedSession | null {
  const bytes = readStateBytes(file, displayPath);
  if (known && known.bytes.equals(bytes)) return known;
  const parts = readCacheParts(cacheFile, bytes);
  return parts ? fromParts(bytes, parts) : null;
}

/** A ticket list placeholder, so the emitter cuts the document at `tickets:` without emitting any ticket. */
const PLACEHOLDER = [{ id: '' }];

/**
 * Writes the session `prev` (read inside the lock) with its session fields replaced by `head` and the tickets
 * of `changed` (position → new value) replaced; every other ticket's YAML, JSON and index row is copied. Then
 * the cache (not fsynced: a hint), with the claim priorities and order carried over unless a changed ticket's
 * id, estimate, priority or dependencies differ from what was read (then they are dropped, and the next full
 * read computes them). Returns the session as written, for later looks in the same call (null when the order
 * was dropped: a later look takes the full path).
 * @throws what `writeAtomic` throws for the state file (ENOSPC, EROFS, EACCES…): nothing was replaced then.
 */
export function writeSparse(file: string, cacheFile: string, prev: IndexedSession, head: SessionState, changed: ReadonlyMap<number, TicketState>): IndexedSession | null {
  const parts = emitYamlParts({ ...head, tickets: PLACEHOLDER } as unknown as Record<string, unknown>, 'tickets', STATE_HEADER, false);
  const spans = prev.parts.spans;
  const yamlBlocks = new Map<number, Buffer>();
  const jsons = new Map<number, Buffer>();
  const rows = new Map<number, Buffer>();
  const statuses = Buffer.from(spans.statuses); // a copy: one byte per ticket
  let keepOrder = true;
  for (const [i, t] of changed) if (keepOrder && !samePlanFields(ticketAt(prev, i), t)) keepOrder = false;
  // A row holds the positions of the tickets depended on: unchanged dependencies keep the row's; otherwise
  // (never from claim or complete) every ticket's position is looked up once.
  let at: Map<string, number> | null = null;
  for (const [i, t] of changed) {
    yamlBlocks.set(i, Buffer.from(emitListItem(t as unknown as Record<string, unknown>), 'utf8'));
    jsons.set(i, ticketJson(t));
    if (!keepOrder) at ??= positions(Array.from({ length: prev.index.length }, (_, j) => ({ id: changed.get(j)?.id ?? prev.index.id(j) })));
    rows.set(i, indexRow(t, at ?? new Map(t.dependencies.map((d, k) => [d, prev.index.dependencies(i)[k]!]))));
    statuses[i] = statusCode(t.status);
  }
  const yaml = spliceSegments(prev.bytes, spans.yamlItems!, Buffer.from(parts.head, 'utf8'), Buffer.from(parts.tail, 'utf8'), yamlBlocks);
  const tickets = spliceList({ json: spans.json, items: spans.jsonItems }, jsons);
  const index = spliceList(spans.index, rows);
  writeAtomic(file, yaml.parts, true); // the pieces, written with writev: nothing is copied into one buffer
  const head2 = headJson(head);
  const priorities = keepOrder ? prev.parts.priorities : null;
  const order = keepOrder ? prev.parts.order : null;
  try {
    writeAtomic(cacheFile, cacheBytes({ yaml: yaml.parts, plain: true, head: head2, tickets: { json: tickets.parts, items: tickets.items }, index: { json: index.parts, items: index.items }, statuses, yamlItems: yaml.offsets, priorities, order }), false);
  } catch {
    /* the cache is optional */
  }
  if (!keepOrder) return null;
  // What was written, for a later look in this call; its pieces are joined (and its rows parsed) only if one asks.
  let bytes: Buffer | null = null;
  let written: CacheParts | null = null;
  let parsed: ClaimIndex | null = null;
  const writtenParts = (): CacheParts =>
    (written ??= {
      plain: true,
      spans: { yamlItems: yaml.offsets, json: joined(tickets.parts), jsonItems: tickets.items, index: { json: joined(index.parts), items: index.items }, statuses },
      head: head2,
      priorities,
      order,
    });
  return {
    get bytes() {
      return (bytes ??= joined(yaml.parts));
    },
    get parts() {
      return writtenParts();
    },
    head: { ...head, tickets: null } as unknown as SessionState,
    get index() {
      return (parsed ??= ClaimIndex.from(statuses, writtenParts().spans.index)!);
    },
    order: prev.order,
  };
}

/** What an indexed change works on: the session fields to change, the rows, and tickets materialised on demand. */
export interface IndexedDraft {
  /** The session fields (a fresh copy: the change may set them; `tickets` is null). */
  readonly head: SessionState;
  /** The rows as read (not updated by the change). */
  readonly index: ClaimIndex;
  readonly order: readonly number[];
  /** Ticket `i` as a fresh object, the same object on every call; whatever the change sets on it is written. */
  ticket(i: number): TicketState;
  /** The tickets materialised so far, by position. */
  readonly touched: ReadonlyMap<number, TicketState>;
}

/** A draft of `s` for one change (see {@link IndexedDraft}). */
export function indexedDraft(s: IndexedSession): IndexedDraft {
  const touched = new Map<number, TicketState>();
  return {
    head: JSON.parse(s.parts.head.toString('utf8')) as SessionState,
    index: s.index,
    order: s.order,
    touched,
    ticket(i) {
      let t = touched.get(i);
      if (t === undefined) {
        t = ticketAt(s, i);
        touched.set(i, t);
      }
      return t;
    },
  };
}
