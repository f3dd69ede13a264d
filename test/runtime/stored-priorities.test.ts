import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateCache, stateCacheBytes } from '../../src/runtime/store/state-cache.ts';
import { cleanup, planText, runJson, sessionFile, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-prio-');
});
afterEach(() => cleanup(dir));

describe('claim priorities', () => {
  it('are read from the cache, not recomputed per claim, and kept across the writes of claims', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('p', 3, [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 'p']);
    await runJson(dir, ['activate']);
    const cache = path.join(dir, '.orchestration/cache/p.state');
    const yaml = readFileSync(sessionFile(dir, 'p'));
    const hit = readStateCache(cache, yaml)!;
    // equal estimates, no dependencies: computed priorities tie and the smaller id wins (A). Stored ones that
    // put C, then B first must be what claim follows.
    writeFileSync(cache, stateCacheBytes(yaml, hit.plain, hit.state, { yamlItems: hit.spans.yamlItems, priorities: { A: 1, B: 50, C: 99, D: 1 } }).bytes);
    expect((await runJson(dir, ['claim', '--agent', 'x'])).ticket.id).toBe('C');
    expect((await runJson(dir, ['claim', '--agent', 'y'])).ticket.id).toBe('B'); // carried over the first claim's write
    // a hand edit makes the cache miss: priorities are computed again from the plan (A before D)
    writeFileSync(sessionFile(dir, 'p'), `${readFileSync(sessionFile(dir, 'p'), 'utf8')}# note\n`);
    expect((await runJson(dir, ['claim', '--agent', 'z'])).ticket.id).toBe('A');
  });
});
