import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitListItem, emitYaml, emitYamlParts, STATE_HEADER } from '../../src/runtime/store/yaml-emit.ts';

/** A seeded generator of JSON-like values with the strings YAML gets wrong when written plain. */
function generator(seed: number) {
  let s = seed;
  const r = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const tricky = ['yes', 'No', 'null', '~', '', ' lead', 'trail ', 'a: b', '- x', '#c', '123', '1e3', '0x1F', 'true', '[x]', '{y}', 'multi\nline', 'tab\there', 'quote"s', "it's", 'ünïcode', '*alias', '&anchor', '!tag', '%', '@', '`'];
  const scalar = (): unknown => {
    const x = r();
    if (x < 0.1) return null;
    if (x < 0.2) return r() < 0.5;
    if (x < 0.35) return Math.floor(r() * 1e6) - 5e5;
    if (x < 0.4) return r() * 100;
    if (x < 0.7) return tricky[Math.floor(r() * tricky.length)];
    return `T-${Math.floor(r() * 1000)}/src/f.ts`;
  };
  const value = (depth: number): unknown => {
    const x = r();
    if (depth > 3 || x < 0.45) return scalar();
    if (x < 0.72) return Array.from({ length: Math.floor(r() * 6) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < Math.floor(r() * 6); i++) o[r() < 0.15 ? tricky[Math.floor(r() * tricky.length)]! || 'k' : `key_${i}`] = value(depth + 1);
    return o;
  };
  return value;
}

describe('emitYaml', () => {
  it('writes YAML that the yaml package reads back to the same value (2,000 seeded random documents)', () => {
    const value = generator(7);
    for (let i = 0; i < 2000; i++) {
      const doc = { id: `s${i}`, tickets: [value(0), value(0)], data: value(0), long: Array.from({ length: 30 }, (_, j) => `item-${j}`) };
      const text = emitYaml(doc);
      expect(text.startsWith(STATE_HEADER)).toBe(true);
      expect(parse(text), text).toEqual(JSON.parse(JSON.stringify(doc)));
    }
  });

  it('cuts a document at its ticket list so that head + items + tail is exactly the full emit (500 seeded documents)', () => {
    const value = generator(11);
    for (let i = 0; i < 500; i++) {
      const tickets = Array.from({ length: 1 + (i % 4) }, (_, j) => ({ id: `T${j}`, data: value(0), more: value(0) }));
      const doc: Record<string, unknown> = { id: `s${i}`, before: value(0), tickets, after: value(0), ...(i % 2 ? { last: value(0) } : {}) };
      const parts = emitYamlParts(doc, 'tickets');
      expect(parts.items).toHaveLength(tickets.length);
      expect(parts.head + parts.items!.join('') + parts.tail).toBe(emitYaml(doc));
      expect(parts.items!.map((_, j) => emitListItem(tickets[j]!))).toEqual(parts.items);
      expect(emitYamlParts(doc, 'tickets', STATE_HEADER, false).items).toEqual([]);
    }
    // no list of mappings to cut: the whole document is the head
    for (const tickets of [[], ['a', 'b'], undefined]) {
      const doc = { id: 's', tickets };
      expect(emitYamlParts(doc, 'tickets')).toEqual({ head: emitYaml(doc), items: null, tail: '' });
    }
  });

  it('leaves out undefined values and writes empty collections in flow style', () => {
    expect(emitYaml({ a: undefined, b: [], c: {}, d: [{ x: undefined }], e: [[1, { f: 2 }]] }, '')).toBe('b: []\nc: {}\nd:\n  - {}\ne:\n  - [1,{"f":2}]\n');
  });

  it('writes a ticket list as block mappings under `- `', () => {
    expect(emitYaml({ tickets: [{ id: 'A', deps: ['B', 'C'], note: { by: 'x' } }] }, '')).toBe('tickets:\n  - id: A\n    deps: [B, C]\n    note:\n      by: x\n');
  });
});
