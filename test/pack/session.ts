import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Real orchestration sessions for the pack's tests: a temporary git repository holding the built `.claude/`
 * (so `node .claude/scripts/orchestrate.mjs` resolves exactly as in a user's repository) and an example
 * plan, brought into a given state by calling the built helper itself. Each state is made once and copied
 * for every line that needs it, so one line's effect never leaks into another's.
 */

/** The session states a helper line may need (see {@link stateFor}). */
export type StateName = 'fresh' | 'planned' | 'coordinating' | 'claimed' | 'blocked' | 'failed' | 'review' | 'paused' | 'completed';

/** A prepared repository: its folder and the values a line may use. */
export interface Prepared {
  dir: string;
  session: string;
  plan: string;
  agent: string;
  ticket: string;
  sha: string;
  files: string[];
}

/** The session id every prepared repository uses. */
export const SESSION_ID = 'pack-test';
/** The plan's path inside a prepared repository. */
export const PLAN_PATH = 'plan.yaml';

/** Result of running one shell line. */
export interface LineResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `line` with bash in `cwd`, as Claude Code's Bash tool does. Never throws for a non-zero exit. */
export function runLine(cwd: string, line: string): LineResult {
  const r = spawnSync('bash', ['-c', line], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { status: r.status ?? 2, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Runs the built helper in `cwd`; throws with its output when it does not exit 0 (a broken fixture). */
function helper(cwd: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['.claude/scripts/orchestrate.mjs', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`fixture step \`orchestrate ${args.join(' ')}\` exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Makes and caches prepared repositories from one built `.claude/` folder and one plan file. */
export class SessionFactory {
  private readonly root: string;
  private readonly cache = new Map<string, Prepared>();
  private copies = 0;

  /**
   * `claudeDir`: a built `.claude/` (with `scripts/orchestrate.mjs`); `planFile`: an example plan, copied to
   * {@link PLAN_PATH}; `notesDir`: an example `notes/` folder (seed 001 layout), copied to `notes/`.
   */
  constructor(private readonly claudeDir: string, private readonly planFile: string, private readonly notesDir?: string) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-sessions-'));
  }

  /** A fresh copy of the repository in state `state`, with `agent` holding the ticket where there is one. */
  copy(state: StateName, agent: string): Prepared {
    const base = this.base(state, agent);
    const dir = path.join(this.root, `run-${++this.copies}`);
    fs.cpSync(base.dir, dir, { recursive: true, verbatimSymlinks: true });
    return { ...base, dir };
  }

  /** Removes every repository made. */
  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private base(state: StateName, agent: string): Prepared {
    const key = `${state}:${agent}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const dir = path.join(this.root, `base-${state}-${agent}`);
    fs.mkdirSync(dir, { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.email', 'pack@test.invalid');
    git(dir, 'config', 'user.name', 'pack test');
    git(dir, 'config', 'commit.gpgsign', 'false');
    // A link, not a copy: every prepared repository runs the one built helper (copies stay cheap).
    fs.symlinkSync(this.claudeDir, path.join(dir, '.claude'), 'dir');
    fs.copyFileSync(this.planFile, path.join(dir, PLAN_PATH));
    fs.writeFileSync(path.join(dir, '.gitignore'), '.orchestration/\n');
    if (this.notesDir) fs.cpSync(this.notesDir, path.join(dir, 'notes'), { recursive: true });
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'fixture');
    const p: Prepared = { dir, session: SESSION_ID, plan: PLAN_PATH, agent, ticket: '', sha: git(dir, 'rev-parse', 'HEAD'), files: [] };
    // A ticket in `review` exists only under comprehensive validation (docs/contracts.md §6).
    if (state !== 'fresh') helper(dir, 'init', PLAN_PATH, '--id', SESSION_ID, ...(state === 'review' ? ['--validation', 'comprehensive'] : []));
    if (state !== 'fresh' && state !== 'planned') helper(dir, 'activate', '--id', SESSION_ID);
    if (state === 'paused') helper(dir, 'pause', '--id', SESSION_ID, '--reason', 'fixture');
    if (['claimed', 'blocked', 'failed', 'review', 'completed'].includes(state)) {
      const out = JSON.parse(helper(dir, 'claim', '--id', SESSION_ID, '--agent', agent, '--json')) as { ticket: { id: string; files?: string[] } | null };
      if (!out.ticket) throw new Error(`fixture: no ticket to claim in ${this.planFile}`);
      p.ticket = out.ticket.id;
      p.files = out.ticket.files?.length ? out.ticket.files : [`work/${p.ticket}.txt`];
      // The ticket's work: one commit touching exactly its files (what `complete --verify` and `rollback` check).
      for (const f of p.files) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), `work of ${p.ticket}\n`);
      }
      git(dir, 'add', '--', ...p.files);
      git(dir, 'commit', '-q', '-m', `${p.ticket}: fixture work`);
      p.sha = git(dir, 'rev-parse', 'HEAD');
    }
    if (state === 'blocked') helper(dir, 'block', '--id', SESSION_ID, '--ticket', p.ticket, '--agent', agent, '--reason', 'fixture');
    if (state === 'failed') helper(dir, 'fail', '--id', SESSION_ID, '--ticket', p.ticket, '--agent', agent, '--reason', 'fixture');
    if (state === 'completed' || state === 'review') {
      helper(dir, 'complete', '--id', SESSION_ID, '--ticket', p.ticket, '--agent', agent, '--summary', 'fixture', '--commit', p.sha, '--files', p.files.join(','), '--test-cmd', 'true', '--test-exit', '0');
    }
    this.cache.set(key, p);
    return p;
  }
}

/**
 * The state a helper verb needs to be allowed (docs/contracts.md §5–6 and the session lifecycle in
 * src/runtime/state.ts): `activate` a planned session, `resume` a paused one, `unblock` a blocked ticket,
 * `retry` a failed ticket, `approve`/`reject` a ticket in review, `rollback` a completed ticket with a
 * commit, ticket verbs a ticket the agent holds, `claim` a running session with free tickets; everything
 * else (`next` too) a running session with one ticket in progress.
 */
export function stateFor(verb: string): StateName {
  switch (verb) {
    case 'init':
    case 'validate':
      return 'fresh';
    case 'activate':
      return 'planned';
    case 'resume':
      return 'paused';
    case 'unblock':
      return 'blocked';
    case 'retry':
      return 'failed';
    case 'approve':
    case 'reject':
      return 'review';
    case 'rollback':
      return 'completed';
    case 'claim':
      return 'coordinating';
    default:
      return 'claimed';
  }
}
