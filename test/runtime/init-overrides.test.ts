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
});
