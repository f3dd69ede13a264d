import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { ToolError } from '../../../diagnostics/errors.ts';
import type { SessionState, StateEvent } from '../../state.ts';
import { hostName, runChange, type Change } from '../change.ts';
import { testPause } from '../session-file.ts';
import { redactUrl } from '../select.ts';
import { overrideNow, type Loaded, type Store, type StoreBackend } from '../store.ts';
import { connectOnce, hostOf, isTransient, withRetry } from './connect.ts';
import { ensureSchema, schemaName } from './schema.ts';
import { envNumber } from '../../../util/env-number.ts';

/**
 * The PostgreSQL store, for agents on several machines (`ORCHESTRATE_DATABASE_URL`, see `select.ts`).
 * What a change locks, and why (docs/state.md): the session's row, `SELECT … FOR UPDATE`, for every change.
 * A claim decides on session-wide facts — the files rule (no two running tickets share a file), the
 * parallelism limit, one running ticket per worker, the dependencies — so two claims deciding at once on
 * ticket rows locked `SKIP LOCKED` could each pass a rule the pair breaks; locking the one row serialises
 * exactly the decisions the file store serialises with its lock file. Inside the transaction: read the
 * session, take the time from the database (`clock_timestamp()` after the lock is held — never a client's
 * clock, so machines that disagree about time decide alike), apply the change, append its events (seq =
 * revision, primary key `(session_id, seq)`), update the row where the revision is still the one read, commit.
 * A client that dies mid-transaction leaves nothing (the server rolls back). A connection lost before the
 * commit is retried from the start; one lost during the commit is resolved by looking for the call's request
 * id among the events: committed → the call's answer stands; not → the change runs again. Reads take no lock.
 */

/** The lock wait (ms) after which a change gives up with ToolError `LockTimeout`: `ORCHESTRATE_LOCK_TIMEOUT_MS`, default 30,000. @throws ToolError `InvalidEnvironment` for an unreadable value. */
function lockTimeoutMs(env: Record<string, string | undefined>): number {
  return envNumber(env, 'ORCHESTRATE_LOCK_TIMEOUT_MS', 30_000, { min: 1, max: 86_400_000, unit: 'ms' });
}

/** Appends `events` of session `id` (one statement), recording the writing `host` and the call's `request` id. */
async function insertEvents(c: Client, schema: string, id: string, events: readonly StateEvent[], host: string, request: string | null): Promise<void> {
  await c.query(
    `INSERT INTO ${schema}.events (session_id, seq, event, host, request) SELECT $1, t.seq, t.event, $4, $5 FROM unnest($2::bigint[], $3::json[]) AS t(seq, event)`,
    [id, events.map((e) => e.seq), events.map((e) => JSON.stringify(e)), host, request],
  );
}

/** The backend for the database at `url` (connects on first use). */
export function postgresBackend(store: Omit<Store, 'backend'>, url: string): StoreBackend {
  const env = store.env;
  const schema = schemaName(env);
  const host = hostName(env);
  let client: Client | null = null;
  let offsetMs = 0; // database clock − this machine's clock, measured at connect

  /** The open connection, or a new one (schema checked, clock offset measured), retried while transient. */
  const conn = async (): Promise<Client> => {
    if (client) return client;
    const c = await connectOnce(url);
    try {
      await ensureSchema(c, schema);
      const t0 = Date.now();
      const r = await c.query<{ ms: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms');
      offsetMs = r.rows[0]!.ms - (t0 + Date.now()) / 2;
    } catch (e) {
      c.end().catch(() => {});
      throw e;
    }
    client = c;
    return c;
  };
  /** Forgets a connection that failed (the next use reconnects). */
  const drop = (): void => {
    client?.end().catch(() => {});
    client = null;
  };
  /** Runs `fn` on a connection, reconnecting and retrying transient failures within the retry budget. */
  const withConn = <T>(what: string, fn: (c: Client) => Promise<T>): Promise<T> =>
    withRetry(url, env, what, async () => {
      const c = await conn();
      try {
        return await fn(c);
      } catch (e) {
        if (isTransient(e)) drop();
        throw e;
      }
    });

  const readState = (row: { state: SessionState } | undefined, id: string): SessionState => {
    if (!row) throw new ToolError('SessionNotFound', `No session \`${id}\` in ${redactUrl(url)} (schema ${schema})`);
    return row.state;
  };

  return {
    kind: 'postgres',
    location: `${redactUrl(url)} (schema ${schema})`,

    async load(id): Promise<Loaded> {
      return withConn(`reading session \`${id}\``, async (c) => {
        const r = await c.query<{ state: SessionState }>(`SELECT state FROM ${schema}.sessions WHERE id = $1`, [id]);
        return { state: readState(r.rows[0], id) };
      });
    },

    async exists(id) {
      return withConn('reading sessions', async (c) => ((await c.query(`SELECT 1 FROM ${schema}.sessions WHERE id = $1`, [id])).rowCount ?? 0) > 0);
    },

    async create(state, events) {
      await withConn(`creating session \`${state.id}\``, async (c) => {
        await c.query('BEGIN');
        try {
          const r = await c.query(`INSERT INTO ${schema}.sessions (id, revision, status, state) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`, [state.id, state.revision, state.status, JSON.stringify(state)]);
          if (r.rowCount === 0) {
            throw new ToolError('InvalidArguments', `Session \`${state.id}\` already exists`, { hint: 'Pass another --id, or leave --id out to get a fresh one.' });
          }
          await insertEvents(c, schema, state.id, events, host, null);
          await c.query('COMMIT');
        } catch (e) {
          if (!isTransient(e)) await c.query('ROLLBACK').catch(() => {});
          throw e;
        }
      });
      store.seen.set(state.id, { state });
    },

    async transact<T>(id: string, change: Change<T>): Promise<T> {
      const request = randomUUID();
      // Set just before COMMIT is sent: a connection lost from then on leaves the outcome unknown until the
      // request id is looked up.
      let inDoubt: { result: T; state: SessionState } | null = null;
      return withRetry(url, env, `changing session \`${id}\``, async () => {
        const c = await conn();
        try {
          if (inDoubt) {
            const found = await c.query(`SELECT 1 FROM ${schema}.events WHERE session_id = $1 AND request = $2 LIMIT 1`, [id, request]);
            const settled = inDoubt;
            inDoubt = null;
            if ((found.rowCount ?? 0) > 0) {
              store.seen.set(id, { state: settled.state });
              return settled.result; // it committed: the answer computed before the commit stands
            }
          }
          await c.query('BEGIN');
          await c.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs(env)}ms`]);
          const notice = store.notice;
          const timer = notice ? setTimeout(() => notice(`waiting for session ${id} (another agent is changing it)…`), 2_000) : null;
          let row: { revision: string; state: SessionState } | undefined;
          try {
            row = (await c.query<{ revision: string; state: SessionState }>(`SELECT revision, state FROM ${schema}.sessions WHERE id = $1 FOR UPDATE`, [id])).rows[0];
          } finally {
            if (timer) clearTimeout(timer);
          }
          const draft = readState(row, id);
          const revisionBefore = Number(row!.revision);
          const clock = await c.query<{ ms: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms');
          const ms = overrideNow(env) ?? Math.floor(clock.rows[0]!.ms);
          const { result, events } = runChange(draft, ms, host, change, () => null);
          if (events.length === 0) {
            await c.query('ROLLBACK');
            return result;
          }
          testPause('locked', env);
          await insertEvents(c, schema, id, events, host, request);
          const u = await c.query(`UPDATE ${schema}.sessions SET revision = $2, status = $3, state = $4, updated_at = clock_timestamp() WHERE id = $1 AND revision = $5`, [id, draft.revision, draft.status, JSON.stringify(draft), revisionBefore]);
          if (u.rowCount !== 1) throw new ToolError('Internal', `Session \`${id}\` changed under its row lock (revision ${revisionBefore})`);
          inDoubt = { result, state: draft };
          await c.query('COMMIT');
          inDoubt = null;
          store.seen.set(id, { state: draft });
          return result;
        } catch (e) {
          if (isTransient(e)) drop();
          else if (!inDoubt) await c.query('ROLLBACK').catch(() => {});
          if ((e as { code?: string }).code === '55P03') {
            throw new ToolError('LockTimeout', `Waited ${lockTimeoutMs(env)} ms for session \`${id}\`'s row lock in ${hostOf(url)}`);
          }
          throw e;
        }
      });
    },

    async events(id, revision): Promise<StateEvent[]> {
      return withConn(`reading the events of \`${id}\``, async (c) => {
        const r = await c.query<{ event: StateEvent }>(`SELECT event FROM ${schema}.events WHERE session_id = $1 AND seq <= $2 ORDER BY seq`, [id, revision]);
        return r.rows.map((x) => x.event);
      });
    },

    async list() {
      return withConn('listing sessions', async (c) => (await c.query<{ id: string }>(`SELECT id FROM ${schema}.sessions`)).rows.map((r) => r.id).sort());
    },

    async current() {
      return withConn('reading the current session', async (c) => (await c.query<{ value: string }>(`SELECT value FROM ${schema}.meta WHERE key = 'current'`)).rows[0]?.value ?? null);
    },

    async setCurrent(id) {
      await withConn('setting the current session', (c) => c.query(`INSERT INTO ${schema}.meta (key, value) VALUES ('current', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [id]));
    },

    async signature(ids) {
      return withConn('watching sessions', async (c) => {
        const r = await c.query<{ id: string; revision: string }>(`SELECT id, revision FROM ${schema}.sessions WHERE id = ANY($1::text[])`, [ids]);
        const by = new Map(r.rows.map((x) => [x.id, x.revision]));
        return ids.map((i) => by.get(i) ?? 'missing').join('|');
      });
    },

    clockMs() {
      return overrideNow(env) ?? Math.floor(Date.now() + offsetMs);
    },

    async close() {
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
    },
  };
}
