import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../../diagnostics/errors.ts';
import { fileBackend } from './file-store.ts';
import { overrideNow, type Store, type StoreBackend } from './store.ts';

/**
 * Which store a helper call uses, first match wins:
 * 1. the `--store` flag: `file`, or a `postgres://` / `postgresql://` URL;
 * 2. the `ORCHESTRATE_DATABASE_URL` environment variable (a URL; empty = unset);
 * 3. a `store:` line in `.orchestration/config.yaml` under the state root (`store: postgres://…` or
 *    `store: file`) — the team's choice, committed; keep the password out of it (`PGPASSWORD`, `~/.pgpass`);
 * 4. the file store.
 * The PostgreSQL client is loaded only when a URL is chosen: a file-store call never loads it.
 */

/** Where the choice came from, for messages. */
export type StoreSource = 'flag' | 'env' | 'config' | 'default';

/** The chosen store: `file`, or a PostgreSQL URL; and where the choice came from. */
export interface StoreChoice {
  spec: 'file' | string;
  source: StoreSource;
}

const URL_RE = /^postgres(ql)?:\/\//i;

/** The `store:` value of `<root>/.orchestration/config.yaml` (one plain line) and where it is (`path:line:col`), or null. */
function configStore(root: string): { value: string; where: string } | null {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.orchestration', 'config.yaml'), 'utf8');
  } catch {
    return null;
  }
  const m = /^(store:[ \t]*)(.*?)[ \t]*(?:#.*)?$/m.exec(text);
  if (!m) return null;
  const line = text.slice(0, m.index).split('\n').length;
  return { value: m[2]!.replace(/^(['"])(.*)\1$/, '$2'), where: `.orchestration/config.yaml:${line}:${m[1]!.length + 1}` };
}

/**
 * Chooses the store (order above). @throws ToolError `InvalidArguments` for a value that is neither `file`
 * nor a PostgreSQL URL, naming where it came from.
 */
export function chooseStore(root: string, env: Record<string, string | undefined>, flag?: string): StoreChoice {
  const config = flag === undefined && !env.ORCHESTRATE_DATABASE_URL ? configStore(root) : null;
  const candidates: [string | null | undefined, StoreSource, string][] = [
    [flag, 'flag', '--store'],
    [env.ORCHESTRATE_DATABASE_URL || null, 'env', 'ORCHESTRATE_DATABASE_URL'],
    [config?.value, 'config', `${config?.where} \`store:\``],
  ];
  for (const [value, source, where] of candidates) {
    if (value === undefined || value === null) continue;
    if (value === 'file' || URL_RE.test(value)) return { spec: value, source };
    throw new ToolError('InvalidArguments', `Invalid store \`${value}\` (${where}), expected \`file\` or a \`postgres://user@host:5432/db\` URL`);
  }
  return { spec: 'file', source: 'default' };
}

/**
 * The backend for `store`, per {@link chooseStore}. A PostgreSQL backend is a stand-in that loads the client
 * and connects on its first use.
 */
export function openBackend(store: Omit<Store, 'backend'>, flag?: string): StoreBackend {
  const choice = chooseStore(store.root, store.env, flag);
  if (choice.spec === 'file') return fileBackend(store);
  return lazyPostgres(store, choice.spec);
}

/** A backend that imports `pg/pg-store.ts` (and with it the `pg` client) on first use. */
function lazyPostgres(store: Omit<Store, 'backend'>, url: string): StoreBackend {
  let real: Promise<StoreBackend> | null = null;
  let opened: StoreBackend | null = null;
  const get = (): Promise<StoreBackend> =>
    (real ??= import('./pg/pg-store.ts').then((m) => {
      opened = m.postgresBackend(store, url);
      return opened;
    }));
  return {
    kind: 'postgres',
    location: redactUrl(url),
    load: async (id) => (await get()).load(id),
    exists: async (id) => (await get()).exists(id),
    create: async (state, events) => (await get()).create(state, events),
    transact: async (id, change) => (await get()).transact(id, change),
    events: async (id, revision) => (await get()).events(id, revision),
    list: async () => (await get()).list(),
    current: async () => (await get()).current(),
    setCurrent: async (id) => (await get()).setCurrent(id),
    signature: async (ids) => (await get()).signature(ids),
    clockMs: () => (opened ? opened.clockMs() : (overrideNow(store.env) ?? Date.now())),
    close: async () => {
      if (real) await (await real).close();
    },
  };
}

/** `url` with its password replaced by `***` (for messages, `init` and `import-state` output). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
