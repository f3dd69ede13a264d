import { isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import { frontmatterPosition } from '../../definitions/frontmatter.ts';
import { frontmatterParsed, isComponent, KEY_TYPES, keysFor, type ValueKind } from '../keys.ts';
import { defineRule } from '../types.ts';

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

function fits(kind: ValueKind, v: unknown): boolean {
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

/** Frontmatter values of the wrong type, such as an unquoted `argument-hint: [x]` (a YAML list). */
export default defineRule({
  meta: {
    id: 'value-type',
    description: 'Frontmatter values must have the type Claude Code expects',
    severity: 'error',
    docs: `YAML turns unquoted text into other types: \`argument-hint: [file]\` is a list, \`description: yes\` is a
boolean, \`model:\` with nothing after it is null (CLAUDE-CODE.md, "Quote string values"). Claude Code then
drops or misreads the value. Strings should be quoted; booleans are \`true\` / \`false\`; \`allowed-tools\` and
\`tools\` take a comma string or a YAML list of strings; \`maxTurns\` is an integer.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\nargument-hint: "[file]"\ndisable-model-invocation: true\n---\nBody\n' } },
      { files: { '.claude/agents/ok.md': '---\nname: ok\ndescription: "Fine"\ntools: [Read, Grep]\nmaxTurns: 5\n---\nBody\n' } },
    ],
    invalid: [
      {
        files: { '.claude/commands/hint.md': '---\ndescription: "Hint"\nargument-hint: [file]\n---\nBody\n' },
        expected: ['.claude/commands/hint.md:3:16: error Value of `argument-hint` is a list, expected a string [value-type]'],
      },
      {
        files: { '.claude/commands/flag.md': '---\ndescription: "Flag"\ndisable-model-invocation: "yes"\nmodel:\n---\nBody\n' },
        expected: [
          '.claude/commands/flag.md:3:27: error Value of `disable-model-invocation` is the string `yes`, expected `true` or `false` [value-type]',
          '.claude/commands/flag.md:4:1: error Value of `model` is empty, expected a string [value-type]',
        ],
      },
      {
        files: { '.claude/agents/turns.md': '---\nname: turns\ndescription: "Turns"\nmaxTurns: "5"\ntools: [Read, 3]\n---\nBody\n' },
        expected: [
          '.claude/agents/turns.md:4:11: error Value of `maxTurns` is the string `5`, expected an integer [value-type]',
          '.claude/agents/turns.md:5:8: error Value of `tools` is a list, expected a comma string or a list of strings [value-type]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md?.doc || !isComponent(file) || !frontmatterParsed(file) || !isMap(md.doc.contents)) return;
    const { keys } = keysFor(file);
    for (const pair of md.doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const kind = KEY_TYPES[key];
      if (!kind || !keys.includes(key)) continue;
      const value = md.data[key];
      if (fits(kind, value)) continue;
      const pos = frontmatterPosition(md, [key], value === null ? 'key' : 'value');
      let hint: string | undefined;
      if (kind === 'string' && isSeq(pair.value) && pair.value.range) {
        const src = md.text.slice(md.yamlStart + pair.value.range[0], md.yamlStart + pair.value.range[1]).trim();
        hint = `An unquoted \`${src}\` is a YAML list; quote it: \`${key}: "${src.replace(/"/g, '\\"')}"\`.`;
      } else if (kind === 'string' || kind === 'list') hint = 'Quote the value.';
      ctx.report(file, { ...pos, message: `Value of \`${key}\` is ${shape(value)}, expected ${WORD[kind]}`, ...(hint ? { hint } : {}) });
    }
  },
});
