import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/lint/registry.ts';
import { lintMemory } from '../../src/lint/runner.ts';

const rulesDir = path.join(import.meta.dirname, '../../src/lint/rules');

function run(ruleId: string, files: Record<string, string>, options?: Record<string, unknown>): string[] {
  const rule = RULES.find((r) => r.meta.id === ruleId)!;
  const active = [{ rule, severity: rule.meta.severity, options: rule.meta.options.parse(options ?? {}) }];
  return lintMemory(files, active).diagnostics.map((d) =>
    `${d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file}: ${d.severity} ${d.message} [${d.code}]`,
  );
}

describe('rule registry', () => {
  it('has one file per rule, named by its id', () => {
    const files = readdirSync(rulesDir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    expect(RULES.map((r) => r.meta.id).sort()).toEqual(files);
  });
  it('has unique ids, one-line descriptions without a trailing period, docs and examples', () => {
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.meta.description, r.meta.id).not.toMatch(/\.$|\n/);
      expect(r.meta.docs.length, r.meta.id).toBeGreaterThan(40);
      expect(r.examples.valid.length, r.meta.id).toBeGreaterThan(0);
      expect(r.examples.invalid.length, r.meta.id).toBeGreaterThan(0);
    }
  });
});

for (const rule of RULES) {
  describe(`rule ${rule.meta.id}`, () => {
    rule.examples.valid.forEach((ex, i) => {
      it(`valid example ${i + 1}${ex.note ? `: ${ex.note}` : ''}`, () => {
        expect(run(rule.meta.id, ex.files, ex.options)).toEqual([]);
      });
    });
    rule.examples.invalid.forEach((ex, i) => {
      it(`invalid example ${i + 1}${ex.note ? `: ${ex.note}` : ''}`, () => {
        expect(run(rule.meta.id, ex.files, ex.options)).toEqual(ex.expected);
      });
    });
  });
}
