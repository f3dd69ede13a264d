import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStateCache, stateCacheBytes } from '../../src/runtime/store/state-cache.ts';
import type { SessionState } from '../../src/runtime/state.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'state-cache-'));
  file = path.join(dir, 's.state');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state = { id: 's', revision: 3, tickets: [{ id: 'A', title: 'ä ✓' }] } as unknown as SessionState;
const yaml = Buffer.from('id: s\nrevision: 3\n# ✓ comment\n', 'utf8');

describe('state cache', () => {
  it('returns the state for exactly the YAML bytes it was written for', () => {
    writeFileSync(file, stateCacheBytes(yaml, false, state).bytes);
    const hit = readStateCache(file, yaml);
    expect(hit?.state).toEqual(state);
    expect(Object.keys(hit!.state)).toEqual(Object.keys(state)); // key order kept
    expect(hit?.plain).toBe(false);
    expect(hit?.priorities).toBeNull();
    writeFileSync(file, stateCacheBytes(yaml, true, state, { priorities: { A: 5 } }).bytes);
    expect(JSON.parse(readStateCache(file, yaml)!.priorities!.toString())).toEqual({ A: 5 });
    expect(readStateCache(file, Buffer.from(yaml))?.plain).toBe(true);
  });

  it('misses on any other YAML: one byte changed, same length, longer, shorter', () => {
    writeFileSync(file, stateCacheBytes(yaml, true, state).bytes);
    const changed = Buffer.from(yaml);
    changed[4] = 'S'.charCodeAt(0);
    expect(readStateCache(file, changed)).toBeNull();
    expect(readStateCache(file, Buffer.concat([yaml, Buffer.from(' ')]))).toBeNull();
    expect(readStateCache(file, yaml.subarray(1))).toBeNull();
  });

  it('misses (never throws) on a missing, truncated, garbled or other-version cache', () => {
    expect(readStateCache(file, yaml)).toBeNull();
    const good = stateCacheBytes(yaml, true, state).bytes;
    writeFileSync(file, good.subarray(0, good.length - 5));
    expect(readStateCache(file, yaml)).toBeNull();
    writeFileSync(file, 'not a cache');
    expect(readStateCache(file, yaml)).toBeNull();
    writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify({ v: 0, yaml: yaml.length, plain: true })}\n`), yaml, Buffer.from(JSON.stringify(state))]));
    expect(readStateCache(file, yaml)).toBeNull();
  });
});
