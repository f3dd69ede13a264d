/**
 * A small, fast YAML emitter for the state file (the `yaml` package's Document API costs ~0.5 s per write on a
 * 500-ticket session; this costs a few ms). Output is plain block YAML that the `yaml` package reads back to
 * the same value: mappings in insertion order, sequences of mappings as `- key: value` blocks, short lists of
 * scalars in flow style `[a, b]`, strings plain when unambiguous and JSON-double-quoted otherwise (JSON escapes
 * are a subset of YAML's). Used only while the file holds nothing a person added (see `session-file.ts`).
 */

/** The comment written at the top of every state file. */
export const STATE_HEADER =
  '# Orchestration session state, written by the orchestrate helper (build-commands).\n' +
  '# Change it through the helper; hand edits keep their comments, but the helper must still parse the file.\n';

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ .\/+-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

/** Formats one scalar (string, number, boolean, null) as YAML. */
export function emitScalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  const s = String(v);
  if (s.length > 0 && s.length < 200 && PLAIN.test(s) && !s.endsWith(' ') && !RESERVED.test(s)) return s;
  return JSON.stringify(s);
}

function isScalarValue(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== 'object';
}

/** Keys repeat in every ticket: each is formatted once. */
const keyCache = new Map<string, string>();

function emitKey(k: string): string {
  let s = keyCache.get(k);
  if (s === undefined) {
    s = emitScalar(k);
    keyCache.set(k, s);
  }
  return s;
}

/** True when `v` is a mapping with at least one defined value. */
function hasEntries(v: object): boolean {
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}

// The emitters append lines to `out` (no trailing newline); `head` is what goes before the value on its first
// line: `key:`, `- ` or nothing. Loops are plain for/for-in: this runs on every state write (500 tickets: ~9,000
// lines), mostly in a process that has not warmed up, where fewer allocations matter most.

function emitValue(v: unknown, indent: string, out: string[], head: string): void {
  if (v === null || typeof v !== 'object') {
    out.push(head === '' ? emitScalar(v) : `${head} ${emitScalar(v)}`);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(head === '' ? '[]' : `${head} []`);
      return;
    }
    let flow = v.every(isScalarValue) ? '[' : '';
    if (flow) {
      for (let i = 0; i < v.length && flow.length <= 100; i++) flow += (i === 0 ? '' : ', ') + emitScalar(v[i]);
      flow += ']';
      if (flow.length <= 100) {
        out.push(head === '' ? flow : `${head} ${flow}`);
        return;
      }
    }
    if (head !== '') out.push(head);
    const inner = head !== '' ? `${indent}  ` : indent;
    for (const item of v) emitSeqItem(item, inner, out);
    return;
  }
  if (!hasEntries(v)) {
    out.push(head === '' ? '{}' : `${head} {}`);
    return;
  }
  if (head !== '') out.push(head);
  const inner = head !== '' ? `${indent}  ` : indent;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (x !== undefined) emitValue(x, inner, out, `${inner}${emitKey(k)}:`);
  }
}

function emitSeqItem(item: unknown, indent: string, out: string[]): void {
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && hasEntries(item)) {
    const o = item as Record<string, unknown>;
    const inner = `${indent}  `;
    let first = true;
    for (const k in o) {
      const x = o[k];
      if (x === undefined) continue;
      emitValue(x, inner, out, first ? `${indent}- ${emitKey(k)}:` : `${inner}${emitKey(k)}:`);
      first = false;
    }
    return;
  }
  if (Array.isArray(item) && item.length > 0 && !item.every(isScalarValue)) {
    // Nested block sequence: rare in state files; emit as JSON flow (valid YAML).
    out.push(`${indent}- ${JSON.stringify(item)}`);
    return;
  }
  emitValue(item, indent, out, `${indent}-`);
}

/**
 * A document split around one top-level list of mappings (the tickets), so a write can re-emit only the items
 * that changed: `head + items.join('') + tail` is exactly {@link emitYaml}'s output. `items` holds one string
 * per list item (each ends with a newline); it is null when the key is absent, the list is empty or holds
 * something other than mappings (then `head` is the whole document and `tail` is empty).
 */
export interface YamlParts {
  head: string;
  items: string[] | null;
  tail: string;
}

/** True when `v` is a non-empty list whose items are all mappings with at least one defined value. */
function isBlockList(v: unknown): v is Record<string, unknown>[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const x of v) if (x === null || typeof x !== 'object' || Array.isArray(x) || !hasEntries(x)) return false;
  return true;
}

/**
 * Emits `value` split around its top-level key `listKey` (see {@link YamlParts}). With `items: false` the list
 * items are not emitted (`items` is then `[]` when they would have been split out): a write that keeps the
 * unchanged items' bytes asks only for the head and the tail, then {@link emitListItem} for each changed item.
 */
export function emitYamlParts(value: Record<string, unknown>, listKey: string, header = STATE_HEADER, items = true): YamlParts {
  const list = value[listKey];
  if (!isBlockList(list)) return { head: emitYaml(value, header), items: null, tail: '' };
  const head: string[] = [];
  const tail: string[] = [];
  let out = head;
  for (const k in value) {
    const x = value[k];
    if (x === undefined) continue;
    if (k === listKey) {
      head.push(`${emitKey(k)}:`);
      out = tail;
      continue;
    }
    emitValue(x, '', out, `${emitKey(k)}:`);
  }
  return {
    head: `${header}${head.join('\n')}\n`,
    items: items ? list.map(emitListItem) : [],
    tail: tail.length === 0 ? '' : `${tail.join('\n')}\n`,
  };
}

/** One item of the split-out top-level list, as {@link emitYamlParts} emits it (ends with a newline). */
export function emitListItem(item: Record<string, unknown>): string {
  const out: string[] = [];
  emitSeqItem(item, '  ', out);
  return `${out.join('\n')}\n`;
}

/** Emits a whole document (a mapping) with the {@link STATE_HEADER}; ends with a newline. */
export function emitYaml(value: Record<string, unknown>, header = STATE_HEADER): string {
  const out: string[] = [];
  emitValue(value, '', out, '');
  return `${header}${out.join('\n')}\n`;
}
