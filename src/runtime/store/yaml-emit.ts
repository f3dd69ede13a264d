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

function emitKey(k: string): string {
  return emitScalar(k);
}

function emitValue(v: unknown, indent: string, out: string[], keyPrefix: string): void {
  if (isScalarValue(v)) {
    out.push(`${keyPrefix}${keyPrefix ? ' ' : ''}${emitScalar(v)}`);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(`${keyPrefix}${keyPrefix ? ' ' : ''}[]`);
      return;
    }
    if (v.every(isScalarValue)) {
      const flow = `[${v.map(emitScalar).join(', ')}]`;
      if (flow.length <= 100) {
        out.push(`${keyPrefix}${keyPrefix ? ' ' : ''}${flow}`);
        return;
      }
    }
    if (keyPrefix) out.push(keyPrefix);
    const inner = keyPrefix ? `${indent}  ` : indent;
    for (const item of v) emitSeqItem(item, inner, out);
    return;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) {
    out.push(`${keyPrefix}${keyPrefix ? ' ' : ''}{}`);
    return;
  }
  if (keyPrefix) out.push(keyPrefix);
  const inner = keyPrefix ? `${indent}  ` : indent;
  for (const [k, x] of entries) emitValue(x, inner, out, `${inner}${emitKey(k)}:`);
}

function emitSeqItem(item: unknown, indent: string, out: string[]): void {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const entries = Object.entries(item as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length > 0) {
      const start = out.length;
      for (const [k, x] of entries) emitValue(x, `${indent}  `, out, `${indent}  ${emitKey(k)}:`);
      out[start] = `${indent}- ${out[start]!.slice(indent.length + 2)}`;
      return;
    }
  }
  if (Array.isArray(item) && item.length > 0 && !item.every(isScalarValue)) {
    // Nested block sequence: rare in state files; emit as JSON flow (valid YAML).
    out.push(`${indent}- ${JSON.stringify(item)}`);
    return;
  }
  emitValue(item, indent, out, `${indent}-`);
}

/** Emits a whole document (a mapping) with the {@link STATE_HEADER}; ends with a newline. */
export function emitYaml(value: Record<string, unknown>, header = STATE_HEADER): string {
  const out: string[] = [];
  emitValue(value, '', out, '');
  return `${header}${out.join('\n')}\n`;
}
