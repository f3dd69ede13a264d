/**
 * What Claude Code does with a frontmatter value of another type than the key takes (seen with the oracle on
 * 2.1.329 and 2.1.197, `COERCED_VALUES` in src/definitions/claude-facts.ts, test/e2e/lint-oracle.test.ts):
 * `dropped` — the client ignores the value and the file behaves otherwise than written (rule `value-type`, error);
 * `coerced` — the client converts it (`argument-hint: [file]` shows `file`, `description: 42` reads `42`) or its
 * effect was not observed (rule `value-coercion`, warning).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { frontmatterPosition } from '../definitions/frontmatter.ts';
import { frontmatterParsed, isComponent, KEY_TYPES, keysFor, type ValueKind } from './keys.ts';
import type { LintFile, Report } from './types.ts';
import { ownValue } from '../util/own.ts';

/** A value that does not fit its key's type, and what the client does with it. */
export interface ValueMisfit {
  /** `dropped`: ignored, seen to change behaviour; `coerced`: converted or not observed. */
  effect: 'dropped' | 'coerced';
  /** What the client does, for the message (e.g. `Claude Code does not load the agent`). */
  consequence: string;
}

/** True when `v` has the type `kind` asks for. */
export function fitsKind(kind: ValueKind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return Number.isInteger(v);
    case 'list':
      return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      return v !== null && v !== undefined;
  }
}

const TOOL_KEYS = new Set(['tools', 'allowed-tools', 'disallowedTools', 'disallowed-tools']);

/**
 * Classifies a misfit value of `key` (of type `kind`) in `file`, or null when it fits.
 * Dropped (seen): `description` as a list, mapping or empty; an agent's non-string `name`; a non-string `model`
 * (default model); a number, boolean or mapping as a tool list (an agent then gets no tools, seen on 2.1.329 and
 * 2.1.197, although 2.1.329 lists it with `All tools`).
 */
export function valueMisfit(file: LintFile, key: string, kind: ValueKind, v: unknown): ValueMisfit | null {
  if (fitsKind(kind, v)) return null;
  const scalar = typeof v === 'number' || typeof v === 'boolean';
  const agent = file.kind === 'agent';
  if (key === 'description') {
    if (scalar) return { effect: 'coerced', consequence: `Claude Code reads it as the text \`${String(v)}\`, other tools may not` };
    return { effect: 'dropped', consequence: agent ? 'Claude Code does not load the agent' : 'Claude Code drops it and lists the first body line instead' };
  }
  if (key === 'name' && agent) return { effect: 'dropped', consequence: 'Claude Code does not load the agent' };
  if (key === 'model' && v !== null && v !== undefined) return { effect: 'dropped', consequence: 'Claude Code ignores it and runs the default model' };
  if (TOOL_KEYS.has(key) && v !== null && v !== undefined && !Array.isArray(v))
    return { effect: 'dropped', consequence: agent && key === 'tools' ? 'Claude Code ignores it and the agent gets no tools' : 'Claude Code ignores it' };
  if (v === null || v === undefined) return { effect: 'coerced', consequence: 'Claude Code reads it as not set' };
  if (TOOL_KEYS.has(key)) return { effect: 'coerced', consequence: 'Claude Code ignores the entries that are not strings' };
  if (key === 'argument-hint' || key === 'when_to_use') return { effect: 'coerced', consequence: `Claude Code shows \`${String(v)}\`` };
  if (kind === 'boolean') return { effect: 'coerced', consequence: 'Claude Code 2.1.329 reads `yes`, `true` and `1` as true and other values as false, 2.1.197 ignores the value' };
  return { effect: 'coerced', consequence: 'Claude Code may ignore it' };
}

const WORD: Record<ValueKind, string> = {
  string: 'a string',
  boolean: '`true` or `false`',
  integer: 'an integer',
  list: 'a comma string or a list of strings',
  object: 'a mapping',
  any: 'a value',
};

function shape(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'boolean') return `the boolean \`${v}\``;
  if (typeof v === 'number') return `the number \`${v}\``;
  return `the string \`${String(v)}\``;
}


/**
 * The findings of one effect class in `file`: `Value of \`KEY\` is SHAPE, expected TYPE; CONSEQUENCE`, positioned at the
 * value (at the key when it is empty). Only keys the client reads for this kind of file, and only when its
 * frontmatter was read.
 */
export function misfitReports(file: LintFile, effect: ValueMisfit['effect']): Report[] {
  const md = file.md;
  const out: Report[] = [];
  if (!md?.doc || !isComponent(file) || !frontmatterParsed(file) || !isMap(md.doc.contents)) return out;
  const { keys } = keysFor(file);
  for (const pair of md.doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const kind = ownValue(KEY_TYPES, key);
    if (!kind || !keys.includes(key)) continue;
    const value = md.data[key];
    const misfit = valueMisfit(file, key, kind, value);
    if (misfit?.effect !== effect) continue;
    const pos = frontmatterPosition(md, [key], value === null ? 'key' : 'value');
    let hint: string | undefined;
    if (kind === 'string' && isSeq(pair.value) && pair.value.range) {
      const src = md.text.slice(md.yamlStart + pair.value.range[0], md.yamlStart + pair.value.range[1]).trim();
      hint = `An unquoted \`${src}\` is a YAML list; quote it: \`${key}: "${src.replace(/"/g, '\\"')}"\`.`;
    } else if (kind === 'string' || kind === 'list') hint = 'Quote the value.';
    out.push({ ...pos, message: `Value of \`${key}\` is ${shape(value)}, expected ${WORD[kind]}; ${misfit.consequence}`, ...(hint ? { hint } : {}) });
  }
  return out;
}
