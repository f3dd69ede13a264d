import type { Client } from 'pg';
import { ToolError } from '../../../diagnostics/errors.ts';

/**
 * The PostgreSQL store's tables, in one schema (`ORCHESTRATE_DATABASE_SCHEMA`, default `orchestrate`), created
 * by the helper on first use and versioned in `meta.schema_version`:
 * - `sessions(id, revision, status, state json, created_at, updated_at)`: one row per session; `state` is the
 *   session exactly as the file store keeps it (a `json` column keeps the key order, so `export` prints the
 *   same YAML). Every change locks this row.
 * - `events(session_id, seq, event json, host, request)`: the event log, seq gap-free per session (primary key
 *   `(session_id, seq)`), written in the same transaction as the state; `host` is the machine that wrote it,
 *   `request` the id of the helper call (to tell whether a commit whose answer was lost took effect).
 * - `meta(key, value)`: `schema_version`, and `current` (the session pointer).
 * A newer helper migrates an older schema (under an advisory lock, so two first calls do not race); an older
 * helper refuses a newer schema with ToolError `StoreSchema`.
 */

/** The schema version this helper writes. */
export const SCHEMA_VERSION = 1;

/** The DDL that takes the schema from version N-1 to N, for N = 1… (index N-1). `%s` is the quoted schema. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS %s.sessions (
     id text PRIMARY KEY,
     revision bigint NOT NULL,
     status text NOT NULL,
     state json NOT NULL,
     created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
   );
   CREATE TABLE IF NOT EXISTS %s.events (
     session_id text NOT NULL REFERENCES %s.sessions (id) ON DELETE CASCADE,
     seq bigint NOT NULL,
     event json NOT NULL,
     host text,
     request text,
     PRIMARY KEY (session_id, seq)
   );
   CREATE INDEX IF NOT EXISTS events_request ON %s.events (request) WHERE request IS NOT NULL;`,
];

/** The schema name from the environment, quoted for SQL. @throws ToolError `InvalidArguments` for a name that is not a plain identifier. */
export function schemaName(env: Record<string, string | undefined>): string {
  const name = env.ORCHESTRATE_DATABASE_SCHEMA || 'orchestrate';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new ToolError('InvalidArguments', `Invalid ORCHESTRATE_DATABASE_SCHEMA \`${name}\`, expected 1-63 lower-case letters, digits or \`_\`, not starting with a digit`);
  }
  return `"${name}"`;
}

/** The schema version recorded in the database, or 0 when the schema or its `meta` table does not exist. */
async function readVersion(client: Client, schema: string): Promise<number> {
  try {
    const r = await client.query<{ value: string }>(`SELECT value FROM ${schema}.meta WHERE key = 'schema_version'`);
    return r.rows[0] ? Number(r.rows[0].value) : 0;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === '42P01' || code === '3F000') return 0; // undefined table / schema
    throw e;
  }
}

/**
 * Makes sure `schema` is at {@link SCHEMA_VERSION}: one query when it is; else creates or migrates it in one
 * transaction under an advisory lock. @throws ToolError `StoreSchema` when the database's schema is newer.
 */
export async function ensureSchema(client: Client, schema: string): Promise<void> {
  const seen = await readVersion(client, schema);
  if (seen === SCHEMA_VERSION) return;
  if (seen > SCHEMA_VERSION) throw newerSchema(schema, seen);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`orchestrate-schema:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.meta (key text PRIMARY KEY, value text NOT NULL)`);
    const now = await readVersion(client, schema);
    if (now > SCHEMA_VERSION) throw newerSchema(schema, now);
    for (let v = now + 1; v <= SCHEMA_VERSION; v++) await client.query(MIGRATIONS[v - 1]!.replaceAll('%s', schema));
    await client.query(`INSERT INTO ${schema}.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(SCHEMA_VERSION)]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

function newerSchema(schema: string, version: number): ToolError {
  return new ToolError('StoreSchema', `The state database's schema ${schema} is at version ${version}; this helper knows versions up to ${SCHEMA_VERSION}`, {
    hint: 'Upgrade build-commands (and rebuild the pack) on this machine, or point it at another schema with ORCHESTRATE_DATABASE_SCHEMA. Nothing was changed.',
  });
}
