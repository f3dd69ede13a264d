import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writevSync } from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { ToolError } from '../../diagnostics/errors.ts';
import { fsyncDir } from '../../util/atomic-write.ts';
import { readNoFollow } from '../../util/safe-path.ts';
import { sleepSync } from '../../util/sleep.ts';
import { randomHex } from '../../util/unique.ts';
import type { SessionState } from '../state.ts';
import { indexRow, positions } from './claim-index.ts';
import { rememberPriorityBytes, samePlanFields, storedPriorities, forgetPriorities } from './priorities.ts';
import { jsonItem, readStateCache, stateCacheBytes, ticketJson, type StateSpans } from './state-cache.ts';
import { listItem } from './json-list.ts';
import { checkStateShape } from './state-shape.ts';
import { emitListItem, emitYamlParts, STATE_HEADER } from './yaml-emit.ts';

/**
 * Reading and writing one session file `.orchestration/sessions/<id>.yaml`.
 *
 * The YAML file is the truth. Beside it, `.orchestration/cache/<id>.state` (see `state-cache.ts`) holds a copy
 * of the YAML the helper last wrote, whether that text is exactly the fast emitter's output (`plain`: no hand
 * edits, no comments of a person's), and the state as JSON. On read, when the copy equals the YAML byte for
 * byte, the JSON is used and the YAML is not parsed (fast). Otherwise the YAML is parsed with the `yaml`
 * Document API (positions for errors). On write: a `plain` file is re-emitted by the fast emitter; any other
 * file (hand-edited: comments, other key order, extra keys) is updated through the Document API — only the
 * changed values are set — so comments and key order survive. A stale or missing cache only costs speed.
 *
 * Writing what changed: the emitter's output is cut at the tickets (`emitYamlParts`), and the cache keeps where
 * each ticket's YAML block and JSON text are (`StateSpans`). When the writer knows which tickets a change
 * touched (`changed`, from `ticket-snapshot.ts`), a plain file is rewritten from the re-emitted session fields
 * (head and tail: small), the re-emitted changed tickets, and the unchanged tickets' bytes copied as they were
 * — in the YAML and in the cache's JSON alike. The bytes are the same as a full emit (the emitter is
 * deterministic, a ticket's block depends on that ticket only); the file is still written whole to a temp file,
 * fsynced and renamed (a reader never sees a mix; a crash leaves the old or the new file).
 */

/** Largest state file read, in bytes (64 MiB: ~100,000 tickets, or long summaries); larger is `FileTooLarge`. */
export const MAX_STATE_BYTES = 64 * 1024 * 1024;

/** A session as read from disk. `doc` is set only when the YAML was parsed. */
export interface LoadedSession {
  state: SessionState;
  /** The file's bytes as read (to tell whether it changed since; decoded only to update a hand-edited file). */
  bytes: Buffer;
  plain: boolean;
  doc: Document.Parsed | null;
  /** Where the tickets are in `bytes` and in the cache, when read from (or written with) a cache; else null. */
  spans: StateSpans | null;
}

/** The `yaml` package, loaded on first need (the fast path of every verb runs without it). */
export type YamlLib = typeof import('yaml');

/** Loads the `yaml` package (lazily: it is inlined in the bundle but evaluated only when called). */
export function loadYaml(): Promise<YamlLib> {
  return import('yaml');
}

/** Test hook: `ORCHESTRATE_TEST_PAUSE=<point>:<ms>` prints `PAUSE <point>` on stderr and sleeps there. */
export function testPause(point: string, env: Record<string, string | undefined> = process.env): void {
  const spec = env.ORCHESTRATE_TEST_PAUSE;
  if (!spec) return;
  const [p, ms] = spec.split(':');
  if (p !== point) return;
  process.stderr.write(`PAUSE ${point}\n`);
  sleepSync(Number(ms) || 1000);
}

/**
 * Parses a session file's text. Problems become diagnostics positioned in `displayPath`.
 * @throws ToolError `InvalidState` (exit 1) with line:col diagnostics when the YAML is malformed or the
 *   state does not have the expected shape. The file is never touched here.
 */
export function parseSessionText(displayPath: string, text: string, Y: YamlLib): { state: SessionState; doc: Document.Parsed } {
  const lineCounter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    diagnostics.push({ file: displayPath, line, col, severity: 'error', code: 'state-yaml', message: e.message.split('\n')[0]! });
  }
  let data: unknown = null;
  if (diagnostics.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      diagnostics.push({ file: displayPath, line: 1, col: 1, severity: 'error', code: 'state-yaml', message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (diagnostics.length === 0) {
    for (const p of checkStateShape(data)) {
      const node = nodeAt(doc, p.path);
      const { line, col } = node ? lineCounter.linePos(node[0]!) : { line: 1, col: 1 };
      diagnostics.push({ file: displayPath, line, col, severity: 'error', code: 'state-schema', message: p.message });
    }
  }
  if (diagnostics.length > 0) {
    throw new ToolError('InvalidState', `State file \`${displayPath}\` cannot be read (${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'})`, { diagnostics });
  }
  return { state: data as SessionState, doc };
}

/** Range start of the node at `p`, or of its closest existing ancestor. */
function nodeAt(doc: Document.Parsed, p: readonly (string | number)[]): readonly number[] | null {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node && (node as { range?: number[] }).range) return (node as { range: number[] }).range;
  }
  return null;
}

/**
 * The bytes of session file `file` (`displayPath` in messages), read without following a link and at most
 * {@link MAX_STATE_BYTES}.
 * @throws ToolError `SessionNotFound` when it does not exist; `UnsafePath` for a link; `FileTooLarge`.
 */
export function readStateBytes(file: string, displayPath: string): Buffer {
  try {
    return readNoFollow(file, { display: () => displayPath, maxBytes: MAX_STATE_BYTES });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolError('SessionNotFound', `No session file \`${displayPath}\``);
    throw e;
  }
}

/**
 * Reads session `file` (and its cache `cacheFile`). `displayPath` is used in error messages. When `known` (an
 * earlier read of the same file) has exactly the bytes the file has now, it is returned as it is: no parse.
 * After parsing the YAML (no usable cache) it writes the cache for those bytes.
 * The file is read without following a link (src/util/safe-path.ts) and at most {@link MAX_STATE_BYTES}.
 * @throws ToolError `SessionNotFound` when the file does not exist; `InvalidState` when it does not parse or
 *   breaks the session schema; `UnsafePath` when it is a symbolic link; `FileTooLarge`.
 */
export async function readSession(file: string, cacheFile: string, displayPath: string, known?: LoadedSession): Promise<LoadedSession> {
  // A writer replaces the YAML, then the cache: a reader without the lock can fall between the two renames.
  // A few quick re-reads find the matching pair before paying for a full YAML parse.
  let bytes: Buffer = Buffer.alloc(0);
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) sleepSync(2 * attempt);
    bytes = readStateBytes(file, displayPath);
    if (known && known.bytes.equals(bytes)) return known;
    const hit = readStateCache(cacheFile, bytes);
    if (hit) {
      if (hit.priorities) rememberPriorityBytes(hit.state, hit.priorities, hit.order);
      return { state: hit.state, bytes, plain: hit.plain, doc: null, spans: hit.spans };
    }
    if (!existsSync(cacheFile)) break; // no cache at all: parse the YAML
  }
  const text = bytes.toString('utf8');
  const { state, doc } = parseSessionText(displayPath, text, await loadYaml());
  const emitted = emitWithOffsets(state);
  const plain = emitted.text === text;
  // Refresh the cache for these exact bytes, so the next reader need not parse (a file nobody has written
  // since a hand edit, an upgrade or a lost cache). Safe without the lock: a cache only ever answers for the
  // bytes it copies; one that lost a race to a newer write just misses.
  let spans: StateSpans | null = null;
  try {
    const c = stateCacheBytes(bytes, plain, state, { yamlItems: plain ? emitted.yamlItems : null, ...storedPriorities(state, true) });
    writeAtomic(cacheFile, c.bytes, false);
    spans = c.spans;
  } catch {
    /* the cache is optional (its folder may not exist) */
  }
  return { state, bytes, plain, doc, spans };
}

/** The fast emitter's output for `state` and its ticket block offsets (see `StateSpans.yamlItems`; null: none). */
function emitWithOffsets(state: SessionState): { text: string; yamlItems: number[] | null } {
  const parts = emitYamlParts(state as unknown as Record<string, unknown>, 'tickets');
  if (parts.items === null) return { text: parts.head, yamlItems: null };
  const yamlItems = [Buffer.byteLength(parts.head)];
  for (const item of parts.items) yamlItems.push(yamlItems.at(-1)! + Buffer.byteLength(item));
  return { text: parts.head + parts.items.join('') + parts.tail, yamlItems };
}

/**
 * Writes `data` (one buffer, or several written in order with `writev`: no copy into one buffer) to `file`
 * atomically: a temp file beside it (created exclusively), written, fsynced when `durable`, renamed over
 * `file`, then the folder fsynced when `durable`; the test pause hooks `mid-write` (half the bytes written) and
 * `before-rename` are inside. A failure leaves no temp file.
 * @throws the file system's error (ENOSPC, EROFS, EACCES…): `file` is then unchanged.
 */
export function writeAtomic(file: string, data: Buffer | readonly Buffer[], durable: boolean): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomHex(8)}.tmp`);
  const chunks = Buffer.isBuffer(data) ? [data] : data;
  let total = 0;
  for (const c of chunks) total += c.length;
  let fd = -1;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const [first, rest] = splitAt(chunks, Math.ceil(total / 2));
    writeAll(fd, first);
    if (durable && rest.length > 0) testPause('mid-write');
    writeAll(fd, rest);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    if (durable) testPause('before-rename');
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== -1) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  if (durable) fsyncDir(dir);
}

/** `chunks` cut after `n` bytes: the chunks before, the chunks after (one chunk may be cut in two). */
function splitAt(chunks: readonly Buffer[], n: number): [Buffer[], Buffer[]] {
  const before: Buffer[] = [];
  const after: Buffer[] = [];
  let left = n;
  for (const c of chunks) {
    if (c.length === 0) continue;
    if (left >= c.length) before.push(c);
    else if (left > 0) before.push(c.subarray(0, left)), after.push(c.subarray(left));
    else after.push(c);
    left -= Math.min(left, c.length);
  }
  return [before, after];
}

/** Writes every byte of `chunks` to `fd` in order (`writev`, again after a short write). */
function writeAll(fd: number, chunks: Buffer[]): void {
  let i = 0;
  while (i < chunks.length) {
    let n = writevSync(fd, chunks.slice(i, i + 1024));
    while (i < chunks.length && n >= chunks[i]!.length) n -= chunks[i++]!.length;
    if (n > 0) chunks[i] = chunks[i]!.subarray(n);
  }
}

/**
 * Writes `next` over the session previously read as `prev` (pass null for a new session) and returns it as
 * loaded (so a later look in the same process needs no read or parse).
 * Plain files are emitted — only the session fields and the `changed` tickets, when `changed` (one flag per
 * ticket, from `changedTickets`) is given and `prev` knows where its tickets are; the rest is copied — and
 * hand-edited files are updated through the Document API (comments, key order and unknown keys survive). Then
 * the cache is refreshed (not fsynced: it is only a hint), with the claim priorities carried over unless a
 * change touched what they depend on.
 */
export async function writeSession(file: string, cacheFile: string, displayPath: string, prev: LoadedSession | null, next: SessionState, changed: readonly boolean[] | null = null): Promise<LoadedSession> {
  let bytes: Buffer;
  let plain: boolean;
  let yamlItems: number[] | null = null;
  let tickets: Buffer[] | undefined;
  let rows: Buffer[] | undefined;
  let at: Map<string, number> | null = null; // ticket positions, for the rows re-made (built on first need)
  const reuse = prev?.plain && prev.spans?.yamlItems && changed && changed.length === next.tickets.length ? prev.spans : null;
  let keepPriorities = reuse !== null;
  if (prev === null || prev.plain) {
    const parts = emitYamlParts(next as unknown as Record<string, unknown>, 'tickets', STATE_HEADER, reuse === null);
    plain = true;
    if (parts.items === null) {
      bytes = Buffer.from(parts.head, 'utf8');
      keepPriorities = false;
    } else {
      const head = Buffer.from(parts.head, 'utf8');
      const blocks: Buffer[] = [head];
      yamlItems = [head.length];
      tickets = [];
      rows = [];
      for (let i = 0; i < next.tickets.length; i++) {
        const t = next.tickets[i]!;
        let block: Buffer;
        if (reuse && !changed![i]) {
          block = prev!.bytes.subarray(reuse.yamlItems![i]!, reuse.yamlItems![i + 1]!);
          tickets.push(jsonItem(reuse, i));
          rows.push(listItem(reuse.index, i));
        } else {
          block = Buffer.from(reuse ? emitListItem(t as unknown as Record<string, unknown>) : parts.items[i]!, 'utf8');
          tickets.push(ticketJson(t));
          rows.push(indexRow(t, (at ??= positions(next.tickets))));
          if (reuse && keepPriorities && !samePlanFields(JSON.parse(jsonItem(reuse, i).toString('utf8')) as SessionState['tickets'][number], t)) keepPriorities = false;
        }
        blocks.push(block);
        yamlItems.push(yamlItems.at(-1)! + block.length);
      }
      blocks.push(Buffer.from(parts.tail, 'utf8'));
      bytes = Buffer.concat(blocks);
    }
  } else {
    const Y = await loadYaml();
    const doc = prev.doc ?? parseSessionText(displayPath, prev.bytes.toString('utf8'), Y).doc;
    applyDiff(Y, doc, [], prev.state, next);
    bytes = Buffer.from(doc.toString({ lineWidth: 0 }), 'utf8');
    plain = false;
  }
  if (!keepPriorities) forgetPriorities(next);
  writeAtomic(file, bytes, true);
  let spans: StateSpans | null = null;
  try {
    const c = stateCacheBytes(bytes, plain, next, { tickets, rows, yamlItems, ...storedPriorities(next, true) });
    writeAtomic(cacheFile, c.bytes, false);
    spans = c.spans;
  } catch {
    /* the cache is optional */
  }
  return { state: next, bytes, plain, doc: null, spans };
}

/** Sets in `doc` every value that differs between `a` and `b` (recursively), deleting removed keys. */
function applyDiff(Y: YamlLib, doc: Document, at: (string | number)[], a: unknown, b: unknown): void {
  if (a === b) return;
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object';
  if (bothObjects && Array.isArray(a) && Array.isArray(b) && Y.isSeq(doc.getIn(at, true)) && a.length <= b.length) {
    for (let i = 0; i < b.length; i++) {
      if (i < a.length) applyDiff(Y, doc, [...at, i], a[i], b[i]);
      else (doc.getIn(at, true) as { add(v: unknown): void }).add(doc.createNode(b[i]));
    }
    return;
  }
  if (bothObjects && !Array.isArray(a) && !Array.isArray(b) && (at.length === 0 ? Y.isMap(doc.contents) : Y.isMap(doc.getIn(at, true)))) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of Object.keys(ao)) if (!(k in bo)) doc.deleteIn([...at, k]);
    for (const k of Object.keys(bo)) {
      if (!(k in ao)) doc.setIn([...at, k], bo[k]);
      else applyDiff(Y, doc, [...at, k], ao[k], bo[k]);
    }
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (at.length === 0) doc.contents = doc.createNode(b) as typeof doc.contents;
  else doc.setIn(at, b);
}
