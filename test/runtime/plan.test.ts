import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { checkPlanText, MAX_PLAN_BYTES } from '../../src/definitions/plan-load.ts';
import { planJsonSchemaText } from '../../src/definitions/plan-schema-json.ts';
import { parseMinutes } from '../../src/definitions/plan.ts';
import { formatDiagnostic } from '../../src/diagnostics/diagnostic.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function lines(text: string): string[] {
  return checkPlanText('plan.yaml', text).diagnostics.map(formatDiagnostic).map((l) => l.split('\n')[0]!);
}

describe('plan validation', () => {
  it('accepts the example plan and normalises estimates to minutes', () => {
    const r = checkPlanText('examples/execution-plan.yaml', readFileSync(path.join(root, 'examples/execution-plan.yaml'), 'utf8'));
    expect(r.diagnostics).toEqual([]);
    expect(r.plan!.tickets).toHaveLength(13);
    const est = Object.fromEntries(r.plan!.tickets.map((t) => [t.id, t.estimate]));
    expect(est['MOD-001']).toBe(120);
    expect(est['MOD-003']).toBe(90);
    expect(est['SYS-005']).toBe(90);
    expect(est['TST-001']).toBe(60);
    const prio = r.plan!.tickets.map((t) => t.priority);
    expect(prio.filter((p) => p === 'critical')).toHaveLength(4);
  });

  it('parses durations', () => {
    expect(parseMinutes('90m')).toBe(90);
    expect(parseMinutes('2h')).toBe(120);
    expect(parseMinutes('1.5h')).toBe(90);
    expect(parseMinutes(45)).toBe(45);
    expect(parseMinutes('45')).toBe(45);
    expect(parseMinutes('soon')).toBeNull();
    expect(parseMinutes(-1)).toBeNull();
  });

  it('keeps numeric-looking ids as strings', () => {
    const r = checkPlanText('p.yaml', 'title: t\ntickets:\n  - id: 001\n    title: a\n  - id: 002\n    title: b\n    dependencies: [001]\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.plan!.tickets.map((t) => t.id)).toEqual(['001', '002']);
    expect(r.plan!.tickets[1]!.dependencies).toEqual(['001']);
  });

  it('reports every problem at its line and column', () => {
    const text = [
      'title: Bad', // 1
      'agents: 2', // 2
      'tickets:', // 3
      '  - id: A', // 4
      '    title: a', // 5
      '    dependencies: [C]', // 6
      '  - id: B', // 7
      '    title: b', // 8
      '    dependencies: [A, Z]', // 9
      '    estimate: 3x', // 10
      '  - id: C', // 11
      '    title: c', // 12
      '    dependencies: [B]', // 13
      '  - id: A', // 14
      '    title: dup', // 15
      '    priority: urgent', // 16
      '  - id: D', // 17
      '    title: d', // 18
      '    dependencies: [D]', // 19
      '',
    ].join('\n');
    expect(lines(text)).toEqual([
      'plan.yaml:6:20: error Dependency cycle: A → C → B → A [plan-cycle]',
      'plan.yaml:9:23: error Unknown dependency `Z`, expected the id of a ticket in this plan [plan-unknown-dependency]',
      'plan.yaml:10:15: error `tickets.1.estimate`: Invalid estimate `3x`, expected `90m`, `2h`, `1.5h` or a number of minutes [plan-schema]',
      'plan.yaml:14:9: error Duplicate ticket id `A`, first defined at ticket 1 [plan-duplicate-id]',
      'plan.yaml:16:15: error `tickets.3.priority`: Invalid option: expected one of "critical"|"high"|"medium"|"low" [plan-schema]',
      'plan.yaml:19:20: error Ticket `D` depends on itself [plan-self-dependency]',
    ]);
  });

  it('reports malformed YAML with its position', () => {
    const out = lines('title: x\ntickets:\n  - id: A\n    title: [unclosed\n');
    expect(out.length).toBeGreaterThan(0);
    expect(out[0]).toMatch(/^plan\.yaml:\d+:\d+: error .* \[plan-yaml\]$/);
  });

  it('reports unknown keys at the key', () => {
    expect(lines('title: x\ntickets:\n  - id: A\n    title: a\n    dependecies: []\n')).toEqual(['plan.yaml:5:5: error Unknown key `dependecies` in `tickets.0` [plan-schema]']);
  });

  it('a key that is a list (`? [a]`) is an unknown key, with no process warning printed', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(lines('title: x\n? [a]\n: y\ntickets:\n  - id: A\n    title: a\n').map((l) => l.replace(/^plan\.yaml:\d+:\d+: /, ''))).toEqual(['error Unknown key `[ a ]` [plan-schema]']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('reports an unknown key written as a number or a boolean at that key', () => {
    expect(lines('title: x\n1: y\ntickets:\n  - id: A\n    title: a\n    true: 3\n')).toEqual([
      'plan.yaml:2:1: error Unknown key `1` [plan-schema]',
      'plan.yaml:6:5: error Unknown key `true` in `tickets.0` [plan-schema]',
    ]);
  });

  it.each([['../etc'], ['a/b'], ['$(rm -rf x)'], ['a b'], ['`x`'], ['x;y'], ['a\u0007b'], ['..'], ['-x']])('rejects the hostile id %j', (id) => {
    const r = checkPlanText('p.yaml', `title: t\ntickets:\n  - id: ${JSON.stringify(id)}\n    title: a\n`);
    expect(r.plan).toBeNull();
    expect(r.diagnostics[0]!.line).toBe(3);
    expect(r.diagnostics[0]!.code).toBe('plan-schema');
  });

  it('stops a YAML alias bomb with a clear error', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'title: t',
      'tickets: [*g]',
      '',
    ].join('\n');
    const r = checkPlanText('p.yaml', bomb);
    expect(r.plan).toBeNull();
    expect(r.diagnostics[0]!.message).toMatch(/alias/i);
  });

  it('refuses a plan over the size limit without parsing it', () => {
    const big = `title: t\ndescription: "${'x'.repeat(MAX_PLAN_BYTES)}"\ntickets: []\n`;
    const r = checkPlanText('p.yaml', big);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['plan-too-large']);
    expect(r.diagnostics[0]!.message).toMatch(/MiB, expected at most 4 MiB/);
  });

  it('validates 10,000 tickets (a long chain) and finds a cycle in it', () => {
    const n = 10_000;
    const parts = ['title: big', 'tickets:'];
    for (let i = 0; i < n; i++) parts.push(`  - {id: T${i}, title: t, estimate: 5, dependencies: [${i > 0 ? `T${i - 1}` : ''}], files: [f${i % 50}]}`);
    const ok = checkPlanText('p.yaml', `${parts.join('\n')}\n`);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.plan!.tickets).toHaveLength(n);
    parts[2] = `  - {id: T0, title: t, dependencies: [T${n - 1}]}`;
    const bad = checkPlanText('p.yaml', `${parts.join('\n')}\n`);
    expect(bad.diagnostics).toHaveLength(1);
    expect(bad.diagnostics[0]!.code).toBe('plan-cycle');
    expect(bad.diagnostics[0]!.line).toBe(3);
  });

  it('refuses more than 10,000 tickets', () => {
    const parts = ['title: big', 'tickets:'];
    for (let i = 0; i < 10_001; i++) parts.push(`  - {id: T${i}, title: t}`);
    const r = checkPlanText('p.yaml', `${parts.join('\n')}\n`);
    expect(r.plan).toBeNull();
    expect(r.diagnostics.some((d) => d.code === 'plan-schema' && /10000/.test(d.message))).toBe(true);
  });
});

describe('schemas/plan.schema.json', () => {
  it('matches the zod schema (regenerate with UPDATE_SCHEMAS=1)', async () => {
    const file = path.join(root, 'schemas/plan.schema.json');
    if (process.env.UPDATE_SCHEMAS) (await import('node:fs')).writeFileSync(file, planJsonSchemaText());
    expect(readFileSync(file, 'utf8')).toBe(planJsonSchemaText());
  });
});
