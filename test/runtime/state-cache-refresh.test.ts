import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateCache } from '../../src/runtime/store/state-cache.ts';
import { cleanup, planText, run, runJson, sessionFile, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-cache-');
});
afterEach(() => cleanup(dir));

describe('state cache', () => {
  it('a reader that had to parse the YAML leaves a cache for those bytes (lost cache, hand edit); the YAML is untouched', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('c', 2, [{ id: 'A' }, { id: 'B' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 'c']);
    const cache = path.join(dir, '.orchestration/cache/c.state');
    rmSync(cache);
    const yaml = readFileSync(sessionFile(dir, 'c'));
    expect((await run(dir, ['status'])).code).toBe(0);
    expect(readFileSync(sessionFile(dir, 'c')).equals(yaml)).toBe(true);
    expect(readStateCache(cache, yaml)?.plain).toBe(true);

    const edited = Buffer.from(`${yaml.toString('utf8')}# a person's note\n`);
    writeFileSync(sessionFile(dir, 'c'), edited);
    expect(readStateCache(cache, edited)).toBeNull();
    expect((await runJson(dir, ['status'])).tickets).toHaveLength(2);
    const hit = readStateCache(cache, edited);
    expect(hit?.plain).toBe(false); // not the emitter's text: the next write keeps the comment
    expect(hit?.state.tickets.map((t) => t.id)).toEqual(['A', 'B']);
    expect(existsSync(cache)).toBe(true);
  });
});
