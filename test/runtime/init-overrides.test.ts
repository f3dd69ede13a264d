import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, planText, run, runJson, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-init-');
  writeFileSync(path.join(dir, 'p.yaml'), planText('o', 4, [{ id: 'A' }, { id: 'B' }, { id: 'C' }], 'maximum'));
});
afterEach(() => cleanup(dir));

describe('init --agents --strategy', () => {
  it("replaces the plan's agents and strategy for the session only; the plan file is unchanged", async () => {
    const plan = readFileSync(path.join(dir, 'p.yaml'), 'utf8');
    const r = await runJson(dir, ['init', 'p.yaml', '--id', 's', '--agents', '2', '--strategy', 'sequential']);
    expect(r).toMatchObject({ id: 's', agents: 2 });
    await runJson(dir, ['activate']);
    expect(await runJson(dir, ['status'])).toMatchObject({ agents: 2, strategy: 'sequential', parallelism: 1 });
    expect((await runJson(dir, ['claim', '--agent', 'a'])).ticket.id).toBe('A');
    expect((await runJson(dir, ['claim', '--agent', 'b'])).code).toBe('limit');
    expect(readFileSync(path.join(dir, 'p.yaml'), 'utf8')).toBe(plan);
  });

  it('refuses a bad value before creating anything', async () => {
    const bad = await run(dir, ['init', 'p.yaml', '--strategy', 'fastest']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Invalid --strategy `fastest`, expected one of `maximum`, `balanced`, `sequential`');
    const zero = await run(dir, ['init', 'p.yaml', '--agents', '0']);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('Invalid --agents `0`');
    expect(existsSync(path.join(dir, '.orchestration'))).toBe(false);
  });

  describe('--groups', () => {
    // groups: 1 = A, D; 2 = B (needs A); 3 = C (needs B)
    const plan = planText('g', 2, [{ id: 'A' }, { id: 'B', deps: ['A'] }, { id: 'C', deps: ['B'] }, { id: 'D' }]);

    it('keeps the tickets of those groups; a dependency outside them is refused, or dropped with --skip-dependencies', async () => {
      writeFileSync(path.join(dir, 'g.yaml'), plan);
      const refused = await run(dir, ['init', 'g.yaml', '--groups', '1,3']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('Tickets of groups 1, 3 depend on tickets outside them: `C` → `B`');
      expect(existsSync(path.join(dir, '.orchestration'))).toBe(false);
      expect(await runJson(dir, ['init', 'g.yaml', '--id', 'g', '--groups', '1,3', '--skip-dependencies'])).toMatchObject({ tickets: 3 });
      const s = await runJson(dir, ['status']);
      expect(s.tickets.map((t: { id: string; dependencies: string[] }) => [t.id, t.dependencies])).toEqual([['A', []], ['C', []], ['D', []]]);
      expect(await runJson(dir, ['init', 'g.yaml', '--id', 'h', '--groups', '1,2'])).toMatchObject({ tickets: 3 });
    });

    it('refuses a group the plan does not have, a malformed list, and --skip-dependencies alone', async () => {
      writeFileSync(path.join(dir, 'g.yaml'), plan);
      expect((await run(dir, ['init', 'g.yaml', '--groups', '2,4'])).stderr).toContain('Unknown group 4: the plan has groups 1 to 3');
      expect((await run(dir, ['init', 'g.yaml', '--groups', 'one'])).stderr).toContain('Invalid --groups `one`, expected group numbers separated by commas');
      expect((await run(dir, ['init', 'g.yaml', '--skip-dependencies'])).stderr).toContain('--skip-dependencies goes with --groups');
      expect(existsSync(path.join(dir, '.orchestration'))).toBe(false);
    });
  });
});
