import type { Client, ClientConfig } from 'pg';
import { ToolError } from '../../../diagnostics/errors.ts';
import { envNumber } from '../../../util/env-number.ts';

/**
 * Connecting to the state database with bounded retries. A server that is restarting, not yet accepting
 * connections, or briefly unreachable is waited for with exponential backoff (100 ms doubling to 2 s) up to
 * `ORCHESTRATE_DB_RETRY_MS` (default 30,000 ms) in all; then the call fails with ToolError `StoreUnavailable`
 * naming the host, having changed nothing. Errors that waiting cannot mend (bad password, unknown database)
 * fail at once.
 */

/** Connection-level failures worth retrying: network errors, and PostgreSQL classes 08 (connection), 57P (shutdown), 53300 (too many connections). */
export function isTransient(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code ?? '';
  if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTCONN)$/.test(code)) return true;
  if (/^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300') return true;
  const msg = e instanceof Error ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|terminating connection/i.test(msg);
}

/** The total time (ms) a call keeps retrying a lost or refused connection: `ORCHESTRATE_DB_RETRY_MS`, default 30,000. @throws ToolError `InvalidEnvironment` for an unreadable value. */
export function retryBudgetMs(env: Record<string, string | undefined>): number {
  return envNumber(env, 'ORCHESTRATE_DB_RETRY_MS', 30_000, { min: 0, max: 86_400_000, unit: 'ms' });
}

/** `host:port` of `url`, for messages (no user, no password). */
export function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'the database';
  }
}

/** Waits `ms`. */
export function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `attempt` until it succeeds, retrying transient failures ({@link isTransient}) with backoff within the
 * retry budget. `what` names the action for the error. @throws ToolError `StoreUnavailable` (exit 2) when
 * the budget is spent or the failure is not transient (then with the server's message); what `attempt`
 * throws when it is a ToolError.
 */
export async function withRetry<T>(url: string, env: Record<string, string | undefined>, what: string, attempt: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const deadline = start + retryBudgetMs(env);
  let delay = 100;
  let tries = 0;
  for (;;) {
    tries += 1;
    try {
      return await attempt();
    } catch (e) {
      if (e instanceof ToolError) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      if (!isTransient(e)) {
        throw new ToolError('StoreUnavailable', `The state database at ${hostOf(url)} refused ${what}: ${reason}; nothing was changed`);
      }
      if (Date.now() + delay > deadline) {
        throw new ToolError('StoreUnavailable', `Cannot reach the state database at ${hostOf(url)} (${reason}); ${what} failed after ${tries} attempt${tries === 1 ? '' : 's'} in ${((Date.now() - start) / 1000).toFixed(1)} s; nothing was changed`);
      }
      await pause(delay);
      delay = Math.min(delay * 2, 2_000);
    }
  }
}

/** The pg client options for `url`: a connect timeout, the helper's application name, no keep-alive needed. */
export function clientConfig(url: string): ClientConfig {
  return { connectionString: url, connectionTimeoutMillis: 5_000, application_name: 'orchestrate' };
}

/** Opens one connection to `url` (no retry: see {@link withRetry}). A broken connection later emits `error`: swallowed, the next query fails and is retried. */
export async function connectOnce(url: string): Promise<Client> {
  const pg = (await import('pg')).default;
  const client = new pg.Client(clientConfig(url));
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    client.end().catch(() => {});
    throw e;
  }
  return client;
}
