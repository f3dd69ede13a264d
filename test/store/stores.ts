import { randomBytes } from 'node:crypto';
import pg from 'pg';
import * as YAML from 'yaml';
import { parseSessionText } from '../../src/runtime/store/session-file.ts';
import type { SessionState, StateEvent } from '../../src/runtime/state.ts';
import { runBundle } from '../runtime/helpers.ts';

/**
 * The store matrix: tests written once run against the file store and the PostgreSQL store. A test takes a
 * {@link TestStore}, passes its `env` to every helper call, and reads state and events back through the
 * helper itself (`export`, `events`), so the same assertions hold for both. The PostgreSQL server is the one
 * the global setup started (or `ORCHESTRATE_TEST_DATABASE_URL`); each test gets its own schema, dropped after.
 */

/** One store under test. */
export interface TestStore {
  name: 'file' | 'postgres';
  /** The environment that selects it (empty for files; URL and a fresh schema for PostgreSQL). */
  env: Record<string, string>;
  /** Drops what the test created in the database (nothing for files: the temp folder goes). */
  dispose(): Promise<void>;
}

/** The database URL of the test server (set by test/global-setup.ts, or by the user). */
export function testDatabaseUrl(): string {
  const url = process.env.ORCHESTRATE_TEST_DATABASE_URL;
  if (!url) throw new Error('ORCHESTRATE_TEST_DATABASE_URL is not set: the global setup starts a server (test/global-setup.ts)');
  return url;
}

/** A fresh schema name (`t_` + 12 hex digits). */
export function freshSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** Drops `schema` in the database at `url`. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await c.end();
  }
}

/** A new {@link TestStore} of kind `name`. */
export function makeStore(name: 'file' | 'postgres'): TestStore {
  if (name === 'file') return { name, env: {}, dispose: async () => {} };
  const url = testDatabaseUrl();
  const schema = freshSchema();
  return { name, env: { ORCHESTRATE_DATABASE_URL: url, ORCHESTRATE_DATABASE_SCHEMA: schema }, dispose: () => dropSchema(url, schema) };
}

/** Both store kinds, for `describe.each`. */
export const STORE_KINDS = ['file', 'postgres'] as const;

/** Session `id` as the helper exports it (the same YAML for both stores), parsed. */
export function exportedState(cwd: string, env: Record<string, string>, id = 's'): SessionState {
  const r = runBundle(cwd, ['export', '--id', id], env);
  if (r.code !== 0) throw new Error(`export failed: ${r.stderr}`);
  return parseSessionText(`${id}.yaml`, r.stdout, YAML).state;
}

/** Every committed event of session `id`, through the helper. */
export function allEvents(cwd: string, env: Record<string, string>, id = 's'): StateEvent[] {
  const r = runBundle(cwd, ['events', '--tail', '0', '--id', id, '--json'], env);
  if (r.code !== 0) throw new Error(`events failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { events: StateEvent[] }).events;
}
