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

describe("names of Object.prototype in a user's file", () => {
  it('are unknown tools, not retired tools or aliases with a function for a name', () => {
    const files = { '.claude/commands/p.md': '---\ndescription: x\nallowed-tools: constructor, toString\n---\nHello\n' };
    const all = ['unknown-tool', 'retired-tool', 'tool-alias'].flatMap((id) => run(id, files));
    expect(all).toEqual([
      '.claude/commands/p.md:3:16: warning Unknown tool `constructor` in `allowed-tools`, expected a Claude Code tool such as `Read`, `Bash`, `Agent`, ... [unknown-tool]',
      '.claude/commands/p.md:3:29: warning Unknown tool `toString` in `allowed-tools`, expected a Claude Code tool such as `Read`, `Bash`, `Agent`, ... [unknown-tool]',
    ]);
  });
  it('are unknown keys, with no function offered as the key meant', () => {
    const out = run('unknown-key', { '.claude/commands/q.md': '---\ndescription: x\nconstructor: 1\ntools: Read\n---\nHello\n' });
    expect(out).toEqual([
      '.claude/commands/q.md:3:1: warning Unknown key `constructor` in command frontmatter, Claude Code ignores it [unknown-key]',
      '.claude/commands/q.md:4:1: warning Unknown key `tools` in command frontmatter, expected `allowed-tools` [unknown-key]',
    ]);
  });
});

describe('keys written as numbers or booleans', () => {
  it('are reported at their own line, not at the opening `---`', () => {
    const out = run('unknown-key', { '.claude/commands/n.md': '---\ndescription: x\n1: a\ntrue: b\n---\nHello\n' });
    expect(out).toEqual([
      '.claude/commands/n.md:3:1: warning Unknown key `1` in command frontmatter, Claude Code ignores it [unknown-key]',
      '.claude/commands/n.md:4:1: warning Unknown key `true` in command frontmatter, Claude Code ignores it [unknown-key]',
    ]);
  });
});
