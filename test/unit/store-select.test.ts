import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseStore, redactUrl } from '../../src/runtime/store/select.ts';
import { cleanup, tempDir } from '../runtime/helpers.ts';

let root: string;
beforeEach(() => {
  root = tempDir('orch-select-');
});
afterEach(() => cleanup(root));

const config = (text: string) => {
  mkdirSync(path.join(root, '.orchestration'), { recursive: true });
  writeFileSync(path.join(root, '.orchestration/config.yaml'), text);
};

describe('which store a call uses', () => {
  it('files by default', () => {
    expect(chooseStore(root, {})).toEqual({ spec: 'file', source: 'default' });
  });
  it('--store, then ORCHESTRATE_DATABASE_URL, then store: in .orchestration/config.yaml', () => {
    config('# team settings\nstore: "postgres://orch@db.internal:5432/runs"  # password from PGPASSWORD\n');
    expect(chooseStore(root, {})).toEqual({ spec: 'postgres://orch@db.internal:5432/runs', source: 'config' });
    expect(chooseStore(root, { ORCHESTRATE_DATABASE_URL: 'postgresql://e@h/d' })).toEqual({ spec: 'postgresql://e@h/d', source: 'env' });
    expect(chooseStore(root, { ORCHESTRATE_DATABASE_URL: 'postgresql://e@h/d' }, 'file')).toEqual({ spec: 'file', source: 'flag' });
    expect(chooseStore(root, { ORCHESTRATE_DATABASE_URL: '' })).toEqual({ spec: 'postgres://orch@db.internal:5432/runs', source: 'config' });
  });
  it('refuses anything else, naming where it came from', () => {
    expect(() => chooseStore(root, {}, 'mysql://x')).toThrow('Invalid store `mysql://x` (--store)');
    expect(() => chooseStore(root, { ORCHESTRATE_DATABASE_URL: 'db.internal' })).toThrow('(ORCHESTRATE_DATABASE_URL)');
    config('# team settings\nstore: sqlite\n');
    expect(() => chooseStore(root, {})).toThrow('Invalid store `sqlite` (.orchestration/config.yaml:2:8 `store:`)');
  });
  it('never prints a password', () => {
    expect(redactUrl('postgres://orch:s3cret@db:5432/runs')).toBe('postgres://orch:***@db:5432/runs');
  });
});
